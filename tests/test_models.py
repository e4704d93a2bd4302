"""Every invariant of the domain model, broken on purpose."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.models import CaseParty, Hearing, PartyRole, Representation
from compliance.models import ComplianceClaim
from core.models import ConcurrentEditError
from decisions.models import Decision, DecisionKind, IssuedBy, Provision, Vote, VoteChoice
from decisions.services import provision_set_votes
from filings.models import Filing
from sources.models import Source
from tests.factories import (
    CaseFactory,
    CasePartyFactory,
    ComplianceClaimFactory,
    DecisionFactory,
    EventFactory,
    FilingFactory,
    HearingFactory,
    PartyFactory,
    ProvisionFactory,
    RepresentationFactory,
    SourceFactory,
    UserFactory,
    VoteFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db


def breaks_in_database(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def test_a_party_holds_one_role_per_case():
    cp = CasePartyFactory(role=PartyRole.APPLICANT)
    breaks_in_database(lambda: CaseParty.objects.create(case=cp.case, party=cp.party, role=PartyRole.RESPONDENT))


def test_a_joint_application_has_two_applicants():
    case = CaseFactory()
    CasePartyFactory(case=case, role=PartyRole.APPLICANT)
    CasePartyFactory(case=case, role=PartyRole.APPLICANT)
    assert len(CaseParty.objects.filter(case=case, role=PartyRole.APPLICANT)) == 2


def test_a_hearing_cannot_end_before_it_starts():
    hearing = HearingFactory()
    hearing.ends_on = hearing.starts_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        hearing.full_clean()
    assert "ends_on" in error.value.message_dict
    breaks_in_database(lambda: Hearing.objects.filter(pk=hearing.pk).update(ends_on=hearing.ends_on))


def test_a_representation_cannot_end_before_it_begins():
    rep = RepresentationFactory(from_date=datetime.date(2021, 9, 16))
    breaks_in_database(lambda: Representation.objects.filter(pk=rep.pk).update(to_date=datetime.date(2020, 1, 1)))


def test_an_event_cannot_end_before_it_starts():
    event = EventFactory()
    event.ends_on = datetime.date(2000, 1, 1)
    with pytest.raises(ValidationError):
        event.full_clean()


def test_choices_bind_the_database():
    filing = FilingFactory()
    breaks_in_database(lambda: Filing.objects.filter(pk=filing.pk).update(kind="pamphlet"))
    breaks_in_database(lambda: Filing.objects.filter(pk=filing.pk).update(confidence="probably"))


def test_a_filing_needs_a_date_or_a_time_limit():
    filing = FilingFactory()
    breaks_in_database(lambda: Filing.objects.filter(pk=filing.pk).update(filed_on=None, due_on=None))
    Filing.objects.filter(pk=filing.pk).update(filed_on=None, due_on=datetime.date(2024, 1, 12))


def test_document_numbers_are_unique_and_validated():
    FilingFactory(document_number="181-20230103-WRI-01-00-EN")
    breaks_in_database(lambda: FilingFactory(document_number="181-20230103-wri-01-00-en"))
    filing = FilingFactory.build(document_number="181-2023-WRI", case=CaseFactory(), filed_by=PartyFactory())
    with pytest.raises(ValidationError) as error:
        filing.full_clean()
    assert "document_number" in error.value.message_dict


def test_source_urls_are_unique_when_set():
    SourceFactory(url="https://icj-cij.org/case/180")
    breaks_in_database(lambda: SourceFactory(url="https://icj-cij.org/case/180"))
    Source.objects.create(key="no-url-1", kind="other", title="A")
    Source.objects.create(key="no-url-2", kind="other", title="B")


def test_only_the_court_delivers_judgments():
    decision = DecisionFactory()
    breaks_in_database(
        lambda: Decision.objects.filter(pk=decision.pk).update(kind=DecisionKind.JUDGMENT, issued_by=IssuedBy.PRESIDENT)
    )


def test_a_decision_is_not_dated_before_the_filing_it_decides():
    decision = DecisionFactory(decided_on=datetime.date(2023, 2, 22))
    later = FilingFactory(case=decision.case, filed_on=datetime.date(2023, 5, 15))
    with pytest.raises(ValidationError) as error:
        decision.validate_responds_to([later])
    assert "after this decision" in error.value.message_dict["responds_to"][0]
    earlier = FilingFactory(case=decision.case, filed_on=datetime.date(2022, 12, 28))
    decision.validate_responds_to([earlier])


def test_a_decision_decides_filings_of_its_own_case():
    decision = DecisionFactory()
    with pytest.raises(ValidationError):
        decision.validate_responds_to([FilingFactory()])


def test_vote_counts_come_in_pairs_and_unanimous_means_no_dissent():
    provision = ProvisionFactory()
    breaks_in_database(lambda: Provision.objects.filter(pk=provision.pk).update(votes_for=13))
    breaks_in_database(
        lambda: Provision.objects.filter(pk=provision.pk).update(votes_for=13, votes_against=2, unanimous=True)
    )
    Provision.objects.filter(pk=provision.pk).update(votes_for=15, votes_against=0, unanimous=True)


def test_an_amendment_names_its_target_and_what_it_does():
    earlier = ProvisionFactory()
    later = ProvisionFactory(decision=DecisionFactory(case=earlier.decision.case, decided_on=datetime.date(2023, 7, 6)))
    breaks_in_database(lambda: Provision.objects.filter(pk=later.pk).update(amends=earlier))
    breaks_in_database(lambda: Provision.objects.filter(pk=later.pk).update(amendment="reaffirms"))
    breaks_in_database(lambda: Provision.objects.filter(pk=later.pk).update(amends=later, amendment="reaffirms"))
    Provision.objects.filter(pk=later.pk).update(amends=earlier, amendment="reaffirms")


def test_a_provision_can_only_amend_an_earlier_decision():
    later = ProvisionFactory(decision=DecisionFactory(decided_on=datetime.date(2023, 7, 6)))
    earlier = ProvisionFactory(decision=DecisionFactory(case=later.decision.case))
    earlier.amends, earlier.amendment = later, "modifies"
    with pytest.raises(ValidationError) as error:
        earlier.full_clean()
    assert "amends" in error.value.message_dict


def test_a_judge_votes_once_per_provision():
    vote = VoteFactory()
    breaks_in_database(lambda: Vote.objects.create(provision=vote.provision, judge=vote.judge, vote=VoteChoice.AGAINST))


def test_votes_are_recorded_from_names_and_counts_follow():
    decision, judges = decision_with_bench(judges=13, ad_hoc=2)
    provision = ProvisionFactory(decision=decision)
    provision_set_votes(provision=provision, judges_for=judges[:13], judges_against=judges[13:])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (13, 2)
    assert provision.tally == "13 votes to 2"
    assert provision.votes.filter(vote=VoteChoice.AGAINST).count() == 2
    provision_set_votes(provision=provision, judges_for=judges, judges_against=[])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (15, 0)
    assert provision.votes.count() == 15


def test_votes_name_the_user_who_changed_the_provision_in_their_history():
    decision, judges = decision_with_bench(judges=2, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    provision._history_user = UserFactory()
    provision_set_votes(provision=provision, judges_for=judges[:2], judges_against=judges[2:])
    records = Vote.history.filter(provision_id=provision.pk)
    assert records.count() == 3
    assert {record.history_user for record in records} == {provision._history_user}


def test_a_judge_who_did_not_sit_cannot_vote():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    outsider = VoteFactory().judge
    with pytest.raises(ValidationError) as error:
        provision_set_votes(provision=provision, judges_for=[*judges, outsider], judges_against=[])
    assert "did not sit" in error.value.message_dict["judges_for"][0]
    assert provision.votes.count() == 0


def test_votes_never_exceed_the_bench():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    provision.votes_for, provision.votes_against = 13, 2
    with pytest.raises(ValidationError) as error:
        provision.validate_votes([], [], judges)
    assert "exceed the bench of 3" in error.value.message_dict["votes_for"][0]


def test_a_single_count_is_refused_not_a_crash():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    provision.votes_for = 3
    with pytest.raises(ValidationError) as error:
        provision.full_clean()
    assert "votes_against" in error.value.message_dict
    provision.validate_votes([], [], judges)


def test_counts_must_agree_with_the_names():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision, votes_for=2, votes_against=0)
    with pytest.raises(ValidationError) as error:
        provision.validate_votes(judges, [], judges)
    assert "do not match" in error.value.message_dict["votes_for"][0]


def test_a_unanimous_provision_has_no_judge_against():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision, unanimous=True)
    with pytest.raises(ValidationError) as error:
        provision_set_votes(provision=provision, judges_for=judges[:2], judges_against=judges[2:])
    assert "unanimous" in error.value.message_dict


def test_unknown_vote_is_not_unanimous():
    provision = ProvisionFactory()
    assert provision.tally is None
    assert not provision.unanimous


def test_a_claim_is_about_a_provision_of_its_own_decision():
    claim = ComplianceClaimFactory()
    claim.provision = ProvisionFactory()
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "provision" in error.value.message_dict


def test_a_claim_cannot_precede_the_decision():
    claim = ComplianceClaimFactory.build(
        provision=ProvisionFactory(), claimant=PartyFactory(), made_on=datetime.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "made_on" in error.value.message_dict


def test_a_claim_about_a_measure_takes_its_decision():
    provision = ProvisionFactory()
    claim = ComplianceClaim(
        slug="c", provision=provision, claimant=PartyFactory(), made_on=datetime.date(2023, 6, 8), assessment="unclear"
    )
    claim.summary = "Unclear."
    claim.save()
    assert claim.decision == provision.decision


def test_every_write_increments_the_version():
    case = CaseFactory()
    assert case.version == 1
    case.summary = "Changed."
    case.save()
    case.refresh_from_db()
    assert case.version == 2
    case.save(update_fields=["summary"])
    case.refresh_from_db()
    assert case.version == 3


def test_a_stale_write_is_refused_not_silently_applied():
    case = CaseFactory()
    first, second = type(case).objects.get(pk=case.pk), type(case).objects.get(pk=case.pk)
    first.summary = "First editor's words."
    first.save()
    second.summary = "Second editor's words."
    with pytest.raises(ConcurrentEditError):
        second.save()
    case.refresh_from_db()
    assert case.summary == "First editor's words."
    assert second.version == 1


def test_readable_names():
    decision = DecisionFactory(title="Order of 22 February 2023", case=CaseFactory(general_list_number=180))
    assert str(decision) == "Order of 22 February 2023 (No. 180)"
    provision = ProvisionFactory(decision=decision, paragraph="(1)")
    assert str(provision) == "Order of 22 February 2023, para. (1) (No. 180)"
    assert provision.paragraph_slug == "1"
    assert ProvisionFactory(decision=decision, paragraph="(1)(a)").paragraph_slug == "1-a"
