"""Factories for every domain model. Sequences for unique fields; fixed dates for constrained ones."""

import datetime

import factory
from django.contrib.auth.models import User

from cases.models import Case, CaseParty, Event, Hearing, HearingSubject, PartyRole, Representation, RepresentationRole
from compliance.models import Assessment, ComplianceClaim
from decisions.models import (
    BenchMember,
    Decision,
    DecisionKind,
    DecisionSubject,
    Office,
    Provision,
    ProvisionKind,
    Vote,
    VoteChoice,
)
from filings.models import Filing, FilingKind
from parties.models import Party, PartyKind, Person
from sources.models import Source, SourceKind


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    kind = SourceKind.ICJ_DOCUMENT
    title = factory.Sequence(lambda n: f"Press release No. 2023/{n}")
    publisher = "International Court of Justice"
    url = factory.Sequence(lambda n: f"https://icj-cij.org/node/{100000 + n}")
    published_on = datetime.date(2023, 2, 22)


class SourcedFactory(factory.django.DjangoModelFactory):
    """Gives every fact a source, as the product requires."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if not create:
            return
        self.sources.set(extracted if extracted is not None else [SourceFactory()])


class PartyFactory(SourcedFactory):
    class Meta:
        model = Party
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Republic of State {n}")
    short_name = factory.Sequence(lambda n: f"State {n}")
    code = factory.Sequence(lambda n: f"S{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    kind = PartyKind.STATE


class CourtFactory(PartyFactory):
    name = "International Court of Justice"
    short_name = "the Court"
    code = "ICJ"
    kind = PartyKind.COURT


class PersonFactory(SourcedFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Judge Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class CaseFactory(SourcedFactory):
    class Meta:
        model = Case

    general_list_number = factory.Sequence(lambda n: 500 + n)
    title = factory.Sequence(lambda n: f"Application of a Convention (State A{n} v. State B{n})")
    short_title = factory.Sequence(lambda n: f"State A{n} v. State B{n}")
    slug = factory.Sequence(lambda n: f"case-{n}")
    court = factory.SubFactory(CourtFactory)
    instituted_on = datetime.date(2021, 9, 16)
    basis = "Article 22 of the Convention"


class CasePartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseParty

    case = factory.SubFactory(CaseFactory)
    party = factory.SubFactory(PartyFactory)
    role = PartyRole.APPLICANT


class RepresentationFactory(SourcedFactory):
    class Meta:
        model = Representation

    case = factory.SubFactory(CaseFactory)
    party = factory.SubFactory(PartyFactory)
    person = factory.SubFactory(PersonFactory)
    role = RepresentationRole.AGENT
    from_date = datetime.date(2021, 9, 16)


class HearingFactory(SourcedFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    slug = factory.Sequence(lambda n: f"hearing-{n}")
    starts_on = datetime.date(2021, 10, 14)
    ends_on = datetime.date(2021, 10, 15)
    subject = HearingSubject.PROVISIONAL_MEASURES
    record_numbers = "CR 2021/20, CR 2021/21"


class EventFactory(SourcedFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_on = datetime.date(2022, 12, 12)

    @factory.post_generation
    def cases(self, create, extracted, **kwargs):
        if create and extracted:
            self.cases.set(extracted)


class FilingFactory(SourcedFactory):
    class Meta:
        model = Filing

    case = factory.SubFactory(CaseFactory)
    slug = factory.Sequence(lambda n: f"filing-{n}")
    filed_by = factory.SubFactory(PartyFactory)
    kind = FilingKind.PROVISIONAL_MEASURES_REQUEST
    title = factory.Sequence(lambda n: f"Request for the indication of provisional measures {n}")
    filed_on = datetime.date(2022, 12, 28)


class DecisionFactory(SourcedFactory):
    class Meta:
        model = Decision

    case = factory.SubFactory(CaseFactory)
    slug = factory.Sequence(lambda n: f"decision-{n}")
    kind = DecisionKind.ORDER
    subject = DecisionSubject.PROVISIONAL_MEASURES
    decided_on = datetime.date(2023, 2, 22)
    title = "Order of 22 February 2023"


class BenchMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BenchMember

    decision = factory.SubFactory(DecisionFactory)
    judge = factory.SubFactory(PersonFactory)
    office = Office.JUDGE
    position = factory.Sequence(lambda n: n)


class ProvisionFactory(SourcedFactory):
    class Meta:
        model = Provision

    decision = factory.SubFactory(DecisionFactory)
    paragraph = factory.Sequence(lambda n: f"({n + 1})")
    position = factory.Sequence(lambda n: n + 1)
    kind = ProvisionKind.MEASURE
    text = "shall take all measures at its disposal to ensure unimpeded movement"

    @factory.post_generation
    def addressees(self, create, extracted, **kwargs):
        if create and extracted:
            self.addressees.set(extracted)


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    provision = factory.SubFactory(ProvisionFactory)
    judge = factory.SubFactory(PersonFactory)
    vote = VoteChoice.FOR


class ComplianceClaimFactory(SourcedFactory):
    class Meta:
        model = ComplianceClaim

    slug = factory.Sequence(lambda n: f"claim-{n}")
    provision = factory.SubFactory(ProvisionFactory)
    decision = factory.SelfAttribute("provision.decision")
    claimant = factory.SubFactory(PartyFactory)
    made_on = datetime.date(2023, 6, 8)
    assessment = Assessment.NOT_COMPLIED
    summary = "The respondent ignores the order."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


def decision_with_bench(judges=13, ad_hoc=2, **kwargs):
    """A decision whose bench has `judges` judges and `ad_hoc` judges ad hoc; returns (decision, [judges])."""
    decision = DecisionFactory(**kwargs)
    people = []
    for i in range(judges + ad_hoc):
        office = Office.PRESIDENT if i == 0 else Office.JUDGE_AD_HOC if i >= judges else Office.JUDGE
        people.append(BenchMemberFactory(decision=decision, office=office, position=i).judge)
    return decision, people
