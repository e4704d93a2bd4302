"""One write path per fact: a provision's vote through decisions.services, a claim's decision through its model.

Every door (the admin, the API, the dataset loader) records a vote with ``provision_set_votes``, so
the same edit gives the same record whichever door it comes through.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from compliance.models import ComplianceClaim
from decisions.models import Provision, Vote, VoteChoice
from decisions.services import provision_set_votes
from tests.factories import (
    DecisionFactory,
    PartyFactory,
    ProvisionFactory,
    SourceFactory,
    UserFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


@pytest.fixture
def token_client(editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    return client


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def provision_form(provision, **overrides):
    """The provision's admin form as posted with nothing ticked."""
    data = {
        "paragraph": provision.paragraph,
        "position": provision.position,
        "kind": provision.kind,
        "text": provision.text,
        "amendment": "",
        "votes_for": "" if provision.votes_for is None else provision.votes_for,
        "votes_against": "" if provision.votes_against is None else provision.votes_against,
        "sources": list(provision.sources.values_list("pk", flat=True)),
        "confidence": provision.confidence,
        "note": provision.note,
        "loaded_version": provision.version,
    }
    data.update(overrides)
    return data


# Marked unanimous, through each door


def unanimous_through_the_admin(provision, editor, editor_client, token_client):
    url = admin_url(Provision, "change", provision.pk)
    response = editor_client.post(url, provision_form(provision, unanimous="on"))
    assert response.status_code == 302, response.context["adminform"].form.errors


def unanimous_through_the_api(provision, editor, editor_client, token_client):
    url = reverse("api:provision-detail", args=[provision.pk])
    etag = token_client.get(url)["ETag"]
    response = token_client.patch(url, {"unanimous": True}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["tally"] == "unanimously (4 votes to 0)"
    assert len(response.json()["judges_for"]) == 4


def unanimous_through_the_service(provision, editor, editor_client, token_client):
    provision.unanimous = True
    provision_set_votes(provision=provision, judges_for=[], judges_against=[], history_user=editor)


@pytest.mark.parametrize(
    "door",
    [unanimous_through_the_admin, unanimous_through_the_api, unanimous_through_the_service],
    ids=["admin", "api", "service"],
)
def test_unanimous_with_no_names_credits_the_whole_bench_through_every_door(door, editor, editor_client, token_client):
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)

    door(provision, editor, editor_client, token_client)

    provision.refresh_from_db()
    assert (provision.unanimous, provision.votes_for, provision.votes_against) == (True, 4, 0)
    assert provision.version == 2
    votes = provision.votes.order_by("judge_id")
    assert [(vote.judge_id, vote.vote) for vote in votes] == [(judge.pk, VoteChoice.FOR) for judge in judges]
    assert {record.history_user for record in Vote.history.filter(provision_id=provision.pk)} == {editor}


def test_unanimous_with_the_counts_of_a_smaller_bench_credits_nobody():
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision, votes_for=3, votes_against=0, unanimous=True)
    provision_set_votes(provision=provision, judges_for=[], judges_against=[])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (3, 0)
    assert not provision.votes.exists()


def test_unanimous_on_an_empty_bench_credits_nobody():
    provision = ProvisionFactory(unanimous=True)
    provision_set_votes(provision=provision, judges_for=[], judges_against=[])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (None, None)


# Counts and names


def test_names_replace_the_counts_recorded_before():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision, votes_for=2, votes_against=1)
    provision_set_votes(provision=provision, judges_for=judges, judges_against=[])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (3, 0)


def test_counts_stated_with_the_names_must_agree_with_them():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    provision.votes_for, provision.votes_against = 3, 0
    with pytest.raises(ValidationError) as error:
        provision_set_votes(provision=provision, judges_for=judges[:2], judges_against=[])
    assert "do not match the judges named" in error.value.message_dict["votes_for"][0]
    assert not provision.votes.exists()
    assert Provision.objects.get(pk=provision.pk).version == 1


def test_a_vote_and_a_model_error_are_reported_together():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    provision.amendment = "reaffirms"
    with pytest.raises(ValidationError) as error:
        provision_set_votes(provision=provision, judges_for=judges[:1], judges_against=judges[:1])
    assert {"amends", "judges_against"} <= set(error.value.message_dict)


# Writing only what changed


def test_an_unchanged_vote_writes_nothing():
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    provision_set_votes(provision=provision, judges_for=judges[:3], judges_against=judges[3:])
    provision.refresh_from_db()
    version, history = provision.version, provision.history.count()
    vote_history = Vote.history.filter(provision_id=provision.pk).count()

    again = Provision.objects.get(pk=provision.pk)
    provision_set_votes(
        provision=again,
        judges_for=judges[:3],
        judges_against=judges[3:],
        relations={"sources": list(provision.sources.all())},
    )

    provision.refresh_from_db()
    assert (provision.version, provision.history.count()) == (version, history)
    assert Vote.history.filter(provision_id=provision.pk).count() == vote_history
    assert set(provision.votes.values_list("version", flat=True)) == {1}


def test_a_change_of_who_voted_is_a_change_of_the_provision():
    """The same counts with other judges: the provision's version (its ETag) moves with its votes."""
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    provision_set_votes(provision=provision, judges_for=judges[:3], judges_against=judges[3:])
    provision_set_votes(provision=provision, judges_for=judges[1:], judges_against=judges[:1])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against, provision.version) == (3, 1, 3)
    assert list(provision.votes.filter(vote=VoteChoice.AGAINST).values_list("judge", flat=True)) == [judges[0].pk]


def test_a_change_of_addressees_alone_is_a_change_of_the_provision():
    provision = ProvisionFactory()
    provision_set_votes(
        provision=provision, judges_for=[], judges_against=[], relations={"addressees": [PartyFactory()]}
    )
    provision.refresh_from_db()
    assert provision.version == 2
    assert provision.addressees.count() == 1


def test_votes_carry_the_reason_given():
    decision, judges = decision_with_bench(judges=2, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    loader = UserFactory(username="loader")
    provision_set_votes(
        provision=provision, judges_for=judges, judges_against=[], history_user=loader, reason="load_dataset"
    )
    records = Vote.history.filter(provision_id=provision.pk)
    assert {(r.history_user, r.history_change_reason) for r in records} == {(loader, "load_dataset")}
    assert provision.history.latest().history_user == loader


# A claim's decision, derived once (by the model) whichever door writes it


def claim_payload(**changes):
    payload = {
        "slug": "2023-06-08-arm",
        "claimant": PartyFactory().pk,
        "made_on": "2023-06-08",
        "assessment": "not_complied",
        "summary": "Armenia says Azerbaijan ignores the order.",
        "sources": [SourceFactory().pk],
    }
    payload.update(changes)
    return payload


def test_a_claim_written_through_the_api_with_only_its_measure_takes_the_measures_order(token_client):
    provision = ProvisionFactory()
    response = token_client.post(reverse("api:claim-list"), claim_payload(provision=provision.pk), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["decision"]["id"] == provision.decision_id
    assert ComplianceClaim.objects.get().decision == provision.decision


@pytest.mark.parametrize(
    ("about", "says"),
    [
        (lambda provision: {"provision": provision.pk, "decision": DecisionFactory().pk}, "another decision"),
        (lambda provision: {}, "Pick the measure"),
    ],
    ids=["measure-of-another-order", "neither"],
)
def test_a_claim_about_the_wrong_order_or_nothing_is_a_400(token_client, about, says):
    response = token_client.post(reverse("api:claim-list"), claim_payload(**about(ProvisionFactory())), format="json")
    assert response.status_code == 400, response.content
    assert says in " ".join(response.json()["provision"])
    assert not ComplianceClaim.objects.exists()


def test_a_claim_entered_in_the_admin_with_only_its_measure_takes_the_measures_order(editor_client):
    provision = ProvisionFactory()
    data = {
        "provision": provision.pk,
        "decision": "",
        "claimant": PartyFactory(code="ARM").pk,
        "made_on": "2023-06-08",
        "assessment": "not_complied",
        "summary": "Armenia says Azerbaijan ignores the order.",
        "slug": "",
        "sources": [SourceFactory().pk],
        "confidence": "single_source",
    }
    response = editor_client.post(admin_url(ComplianceClaim, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ComplianceClaim.objects.get().decision == provision.decision


def test_a_claim_validated_by_the_model_takes_its_measures_order():
    provision = ProvisionFactory()
    claim = ComplianceClaim(
        slug="c", provision=provision, claimant=PartyFactory(), made_on=provision.decision.decided_on
    )
    claim.assessment, claim.summary = "unclear", "Unclear."
    claim.full_clean()
    assert claim.decision == provision.decision
