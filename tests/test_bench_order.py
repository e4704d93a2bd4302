"""The bench in the Court's order: President, Vice-President, Judges by precedence, judges ad hoc, wherever it shows."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from decisions.models import BenchMember, Decision, Office, Provision
from decisions.services import provision_set_votes
from proceedings.votes import annotate_votes
from tests.factories import BenchMemberFactory, DecisionFactory, PersonFactory, ProvisionFactory

pytestmark = pytest.mark.django_db

# As an editor might type them in: in no particular order, every position left at 0.
ENTERED = [
    ("Yusuf", Office.JUDGE),
    ("Keith", Office.JUDGE_AD_HOC),
    ("Donoghue", Office.PRESIDENT),
    ("Bhandari", Office.JUDGE),
    ("Gevorgian", Office.VICE_PRESIDENT),
]
IN_PRECEDENCE = [
    "President Donoghue",
    "Vice-President Gevorgian",
    "Judge Yusuf",
    "Judge Bhandari",
    "Judge ad hoc Keith",
]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def change_data(response):
    """The change form's fields as the page would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    return data


@pytest.fixture
def entered_bench(editor_client):
    """A decision whose bench an editor entered on its change page, out of order, positions left at 0."""
    decision = DecisionFactory()
    provision = ProvisionFactory(decision=decision, paragraph="(1)", position=1)
    url = admin_url(Decision, "change", decision.pk)
    data = change_data(editor_client.get(url))
    judges = {name: PersonFactory(name=name) for name, _ in ENTERED}
    data["bench-TOTAL_FORMS"] = str(len(ENTERED))
    for i, (name, office) in enumerate(ENTERED):
        data.update({f"bench-{i}-judge": judges[name].pk, f"bench-{i}-office": office, f"bench-{i}-position": "0"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    return decision, provision, judges


def test_a_bench_entered_with_no_positions_takes_the_order_of_entry(entered_bench):
    decision, _, judges = entered_bench
    members = {member.judge.name: member.position for member in decision.bench.select_related("judge")}
    assert [members[name] for name, _ in ENTERED] == [0, 1, 2, 3, 4]


def test_the_bench_reads_in_the_courts_order(entered_bench):
    decision, _, _ = entered_bench
    expected = [title.rsplit(" ", 1)[1] for title in IN_PRECEDENCE]
    assert [m.judge.name for m in decision.bench.in_precedence().select_related("judge")] == expected
    # The default order is the same, so a bare decision.bench.all() is in precedence too.
    assert [m.judge.name for m in decision.bench.select_related("judge")] == expected


def test_votes_are_listed_in_the_courts_order(entered_bench, client):
    decision, provision, _ = entered_bench
    provision.unanimous = True
    provision_set_votes(provision=provision, judges_for=[], judges_against=[])

    page_decision = annotate_votes(Decision.objects.for_page().get(pk=decision.pk))
    assert page_decision.provisions.all()[0].judges_for == IN_PRECEDENCE

    html = client.get(
        reverse("decision-detail", kwargs={"number": decision.case.general_list_number, "slug": decision.slug})
    ).content.decode()
    # The vote line names every judge, each linked to the judge's page, in the Court's order.
    in_favour = [html.index(f">{title}</a>", html.index("In favour")) for title in IN_PRECEDENCE]
    assert in_favour == sorted(in_favour)
    # The bench list on the page too.
    positions = [html.index(f">{title}</a>") for title in IN_PRECEDENCE]
    assert positions == sorted(positions)


def test_a_dissent_is_listed_in_the_courts_order_too(entered_bench):
    decision, provision, judges = entered_bench
    against = [judges["Keith"], judges["Yusuf"]]
    provision_set_votes(
        provision=provision,
        judges_for=[judges["Bhandari"], judges["Gevorgian"], judges["Donoghue"]],
        judges_against=against,
    )
    page_decision = annotate_votes(Decision.objects.for_page().get(pk=decision.pk))
    voted = page_decision.provisions.all()[0]
    assert voted.judges_for == ["President Donoghue", "Vice-President Gevorgian", "Judge Bhandari"]
    assert voted.judges_against == ["Judge Yusuf", "Judge ad hoc Keith"]


def test_the_admin_vote_checkboxes_follow_the_courts_order(entered_bench, editor_client):
    _, provision, _ = entered_bench
    response = editor_client.get(admin_url(Provision, "change", provision.pk))
    for name in ("judges_for", "judges_against"):
        labels = [label for _, label in response.context["adminform"].form.fields[name].choices]
        assert labels == IN_PRECEDENCE
    html = response.content.decode()
    positions = [html.index(title) for title in IN_PRECEDENCE]
    assert positions == sorted(positions)


def test_the_api_gives_the_bench_in_the_courts_order(entered_bench):
    decision, _, _ = entered_bench
    bench = APIClient().get(reverse("api:decision-detail", args=[decision.pk])).json()["bench"]
    assert [seat["office"] for seat in bench] == ["president", "vice_president", "judge", "judge", "judge_ad_hoc"]


def test_a_judge_added_later_goes_after_those_already_entered():
    decision = DecisionFactory()
    first = BenchMember.objects.create(decision=decision, judge=PersonFactory(), office=Office.JUDGE)
    second = BenchMember.objects.create(decision=decision, judge=PersonFactory(), office=Office.JUDGE)
    given = BenchMember.objects.create(decision=decision, judge=PersonFactory(), office=Office.JUDGE, position=7)
    later = BenchMember.objects.create(decision=decision, judge=PersonFactory(), office=Office.JUDGE, position=0)
    assert [m.position for m in (first, second, given, later)] == [0, 1, 7, 8]


def test_a_stored_position_is_never_renumbered_on_save():
    member = BenchMemberFactory(position=0)
    BenchMemberFactory(decision=member.decision, position=1)
    member.office = Office.PRESIDENT
    member.save()
    member.refresh_from_db()
    assert member.position == 0
