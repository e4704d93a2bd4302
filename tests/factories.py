"""Factories for every domain model. Sequences for unique fields; fixed dates for constrained ones."""

import datetime

import factory
from django.contrib.auth.models import User

from cases.models import Case, CaseParty, Event, Hearing, HearingSubject, PartyRole, Representation, RepresentationRole
from compliance.models import Assessment, ComplianceClaim
from decisions.models import (
    Amendment,
    BenchMember,
    Decision,
    DecisionKind,
    DecisionSubject,
    Office,
    Opinion,
    OpinionKind,
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


def mirror_cases_world(rows=1):
    """Nos. 180 and 181, related; No. 180 has `rows` filings, hearings, events, decisions, measures, claims."""
    court = CourtFactory()
    armenia = PartyFactory(name="Republic of Armenia", short_name="Armenia", code="ARM")
    azerbaijan = PartyFactory(name="Republic of Azerbaijan", short_name="Azerbaijan", code="AZE")
    case = CaseFactory(
        general_list_number=180,
        title="Application of the International Convention on the Elimination of All Forms of Racial "
        "Discrimination (Armenia v. Azerbaijan)",
        short_title="Armenia v. Azerbaijan",
        slug="armenia-v-azerbaijan",
        court=court,
        basis="Article 22 of CERD",
    )
    mirror = CaseFactory(
        general_list_number=181,
        title="Application of the International Convention on the Elimination of All Forms of Racial "
        "Discrimination (Azerbaijan v. Armenia)",
        short_title="Azerbaijan v. Armenia",
        slug="azerbaijan-v-armenia",
        court=court,
        instituted_on=datetime.date(2021, 9, 23),
    )
    case.related_cases.add(mirror)
    for each, applicant, respondent in ((case, armenia, azerbaijan), (mirror, azerbaijan, armenia)):
        CasePartyFactory(case=each, party=applicant, role=PartyRole.APPLICANT)
        CasePartyFactory(case=each, party=respondent, role=PartyRole.RESPONDENT)
    mirror_filing = FilingFactory(
        case=mirror,
        filed_by=azerbaijan,
        title="Request for the indication of provisional measures (landmines)",
        summary="Azerbaijan asks the Court to order Armenia to disclose the location of landmines.",
        filed_on=datetime.date(2023, 1, 4),
    )
    judges = [PersonFactory(name=f"Judge Number {i}", slug=f"judge-{i}") for i in range(3)]
    yusuf = PersonFactory(name="Abdulqawi Ahmed Yusuf", slug="yusuf")
    keith = PersonFactory(name="Kenneth Keith", slug="keith")
    world = {
        "court": court,
        "armenia": armenia,
        "azerbaijan": azerbaijan,
        "case": case,
        "mirror": mirror,
        "mirror_filing": mirror_filing,
        "yusuf": yusuf,
        "keith": keith,
        "decisions": [],
        "measures": [],
        "claims": [],
    }
    agent = PersonFactory(name="Yeghishe Kirakosyan", slug="kirakosyan", nationality=armenia)
    RepresentationFactory(case=case, party=armenia, person=agent, role=RepresentationRole.AGENT)
    RepresentationFactory(
        case=case,
        party=azerbaijan,
        person=keith,
        role=RepresentationRole.JUDGE_AD_HOC,
        from_date=datetime.date(2021, 10, 1),
        to_date=datetime.date(2023, 5, 1),
    )
    previous = None
    for i in range(rows):
        day = datetime.date(2023, 2, 22) + datetime.timedelta(days=i)
        request = FilingFactory(
            case=case,
            filed_by=armenia,
            kind=FilingKind.PROVISIONAL_MEASURES_REQUEST,
            filed_on=day - datetime.timedelta(days=50),
            requested_measures="Unimpeded movement along the Lachin Corridor.",
            sources=[SourceFactory(), SourceFactory()],
        )
        FilingFactory(case=case, filed_by=azerbaijan, kind=FilingKind.MEMORIAL, filed_on=None, due_on=day)
        HearingFactory(
            case=case, starts_on=day - datetime.timedelta(days=20), ends_on=day - datetime.timedelta(days=19)
        )
        EventFactory(
            cases=[case, mirror], title=f"Lachin Corridor blockade {i}", starts_on=day - datetime.timedelta(days=70)
        )
        decision = DecisionFactory(
            case=case,
            slug=f"{day:%Y-%m-%d}-order",
            decided_on=day,
            title=f"Order of {day.day} {day:%B %Y}",
            subject=DecisionSubject.PROVISIONAL_MEASURES,
            not_indicated="The Court declined to indicate the other measures requested.",
        )
        decision.responds_to.add(request)
        bench = [
            BenchMemberFactory(decision=decision, judge=judges[0], office=Office.PRESIDENT, position=0),
            BenchMemberFactory(decision=decision, judge=judges[1], office=Office.JUDGE, position=1),
            BenchMemberFactory(decision=decision, judge=judges[2], office=Office.JUDGE, position=2),
            BenchMemberFactory(decision=decision, judge=yusuf, office=Office.JUDGE, position=3),
            BenchMemberFactory(decision=decision, judge=keith, office=Office.JUDGE_AD_HOC, position=4),
        ]
        measure = ProvisionFactory(
            decision=decision,
            paragraph="(1)",
            position=1,
            kind=ProvisionKind.MEASURE,
            text="The Republic of Azerbaijan shall, pending the final decision in the case, take all measures at "
            "its disposal to ensure unimpeded movement of persons, vehicles and cargo along the Lachin Corridor "
            "in both directions",
            votes_for=3,
            votes_against=2,
            addressees=[azerbaijan],
            amends=previous,
            amendment=Amendment.REAFFIRMS if previous else "",
        )
        for member in bench:
            against = member.judge in (yusuf, keith)
            VoteFactory(provision=measure, judge=member.judge, vote=VoteChoice.AGAINST if against else VoteChoice.FOR)
        ProvisionFactory(
            decision=decision,
            paragraph="(2)",
            position=2,
            kind=ProvisionKind.REJECTION,
            text="Rejects the request of Azerbaijan",
            unanimous=True,
        )
        for claimant, assessment in ((armenia, Assessment.NOT_COMPLIED), (azerbaijan, Assessment.COMPLIED)):
            world["claims"].append(
                ComplianceClaimFactory(
                    provision=measure,
                    claimant=claimant,
                    made_on=day + datetime.timedelta(days=30),
                    assessment=assessment,
                    quote="The order is being ignored",
                )
            )
        world["claims"].append(
            ComplianceClaimFactory(
                provision=measure,
                claimant=court,
                made_on=day + datetime.timedelta(days=60),
                assessment=Assessment.UNCLEAR,
            )
        )
        world["claims"].append(
            ComplianceClaimFactory(
                provision=None, decision=decision, claimant=armenia, made_on=day + datetime.timedelta(days=31)
            )
        )
        world["decisions"].append(decision)
        world["measures"].append(measure)
        previous = measure
    return world


def admin_world(rows=1):
    """One case with `rows` of everything an editor touches: inline rows, filings, provisions and votes, claims."""
    from decisions.services import provision_set_votes

    court = CourtFactory()
    applicant, respondent = PartyFactory(), PartyFactory()
    case = CaseFactory(court=court)
    mirror = CaseFactory(court=court)
    case.related_cases.add(mirror)
    CasePartyFactory(case=case, party=applicant, role=PartyRole.APPLICANT)
    CasePartyFactory(case=case, party=respondent, role=PartyRole.RESPONDENT)
    decision, judges = decision_with_bench(judges=rows + 1, ad_hoc=1, case=case)
    world = {"court": court, "applicant": applicant, "respondent": respondent, "case": case, "mirror": mirror}
    world.update(decision=decision, judges=judges, filings=[], provisions=[], claims=[])
    for _ in range(rows):
        RepresentationFactory(case=case, party=applicant)
        HearingFactory(case=case)
        EventFactory(cases=[case, mirror])
        world["filings"].append(FilingFactory(case=case, filed_by=applicant))
        provision = ProvisionFactory(decision=decision, addressees=[respondent])
        provision_set_votes(provision=provision, judges_for=judges[:-1], judges_against=judges[-1:])
        world["provisions"].append(provision)
        world["claims"].append(ComplianceClaimFactory(provision=provision, claimant=applicant))
    decision.responds_to.set(world["filings"])
    world.update(
        source=SourceFactory(),
        person=judges[0],
        representation=case.representations.first(),
        hearing=case.hearings.first(),
        event=case.events.first(),
        filing=world["filings"][0],
        provision=world["provisions"][0],
        claim=world["claims"][0],
        vote=world["provisions"][0].votes.first(),
    )
    return world


class OpinionFactory(SourcedFactory):
    """An opinion appended to a decision; pass judges=[...] (they should sit on its bench)."""

    class Meta:
        model = Opinion

    decision = factory.SubFactory(DecisionFactory)
    kind = OpinionKind.DECLARATION
    summary = "Explains the judge's vote on the measure."

    @factory.post_generation
    def judges(self, create, extracted, **kwargs):
        if create:
            self.judges.set(extracted if extracted is not None else [PersonFactory()])


def bulk_insert(objs, **citations):
    """Insert rows of one model in a few statements, then their many-to-many rows through the through model.

    For volume (hundreds of rows a test), where factories' one-row-at-a-time saves are too slow.
    ``citations`` maps a many-to-many field name to one list of related objects per row, e.g.
    ``bulk_insert(filings, sources=[[a, b]] * len(filings))``. Like any bulk write it sends no signals
    and records no history; call core.dataversion.bump() after it, as the dataset loader does.
    """
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    model.objects.bulk_create(objs)
    for name, related in citations.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            through(**{own: obj.pk, other: target.pk})
            for obj, targets in zip(objs, related, strict=True)
            for target in targets
        )
    return objs


def filing_payload(for_case=None, **changes):
    """What an API client posts to create a filing (a letter of 3 January 2023), with `changes` over it."""
    payload = {
        "case": (for_case or CaseFactory()).pk,
        "slug": "2023-01-03-letter",
        "filed_by": PartyFactory().pk,
        "kind": "letter",
        "title": "Letter from the Agent",
        "filed_on": "2023-01-03",
        "sources": [SourceFactory().pk],
    }
    payload.update(changes)
    return payload
