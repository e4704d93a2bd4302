"""What the browser walk through order entry found: each fix to the editors' admin, pinned."""

import pytest
from django.urls import reverse

from decisions.models import Provision, Vote
from tests.factories import ProvisionFactory, decision_with_bench
from tests.test_admin_forms import errors_of, provision_data

pytestmark = pytest.mark.django_db


def provision_url(provision):
    return reverse("admin:decisions_provision_change", args=[provision.pk])


def test_votes_recorded_on_the_provision_page_name_the_editor_in_their_history(editor_client, editor):
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    data = provision_data(provision, judges_for=[j.pk for j in judges[:3]], judges_against=[judges[3].pk])
    response = editor_client.post(provision_url(provision), data)
    assert response.status_code == 302, errors_of(response)
    records = Vote.history.filter(provision_id=provision.pk)
    assert records.count() == 4
    assert {record.history_user for record in records} == {editor}

    # Changing one judge's vote and removing another's are the editor's changes too.
    data = provision_data(
        Provision.objects.get(pk=provision.pk), judges_for=[j.pk for j in judges[:2]], judges_against=[judges[3].pk]
    )
    response = editor_client.post(provision_url(provision), data)
    assert response.status_code == 302, errors_of(response)
    removed = Vote.history.get(provision_id=provision.pk, judge_id=judges[2].pk, history_type="-")
    assert removed.history_user == editor


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("paragraph", "(1)", "already has a provision with this paragraph"),
        ("position", 1, "already has a provision at this position"),
    ],
)
def test_a_paragraph_or_position_taken_in_the_decision_is_an_error_on_the_field(editor_client, field, value, message):
    decision, judges = decision_with_bench(judges=2, ad_hoc=1)
    ProvisionFactory(decision=decision, paragraph="(1)", position=1)
    second = ProvisionFactory(decision=decision, paragraph="(2)", position=2)
    response = editor_client.post(provision_url(second), provision_data(second, **{field: value}))
    assert message in " ".join(errors_of(response)[field])
    second.refresh_from_db()
    assert (second.paragraph, second.position, second.version) == ("(2)", 2, 1)
