"""The editors' admin: every screen renders for an editor, in a number of queries that does not grow."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases.models import Case, Event, Hearing, Representation
from compliance.models import ComplianceClaim
from decisions.models import Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source
from tests.factories import admin_world

pytestmark = pytest.mark.django_db

# model -> the key of the object in admin_world whose change page is checked
OBJECTS = {
    Source: "source",
    Party: "applicant",
    Person: "person",
    Case: "case",
    Representation: "representation",
    Hearing: "hearing",
    Event: "event",
    Filing: "filing",
    Decision: "decision",
    Provision: "provision",
    Vote: "vote",
    ComplianceClaim: "claim",
}


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def pages(model, world):
    obj = world[OBJECTS[model]]
    urls = {"changelist": admin_url(model, "changelist"), "change": admin_url(model, "change", obj.pk)}
    if model is not Vote:
        urls["add"] = admin_url(model, "add")
    return urls


def test_every_model_has_a_screen():
    registered = {model for model in admin.site._registry if model._meta.app_label not in ("auth",)}
    assert set(OBJECTS) <= registered


@pytest.mark.parametrize("model", list(OBJECTS), ids=lambda m: m.__name__)
def test_pages_render_in_constant_queries(
    editor_client, model, django_assert_num_queries, django_assert_max_num_queries
):
    small = admin_world(rows=1)
    counts = {}
    for name, url in pages(model, small).items():
        editor_client.get(url)  # warm the content-type cache, as any running server has
        with django_assert_max_num_queries(30) as captured:
            response = editor_client.get(url)
        assert response.status_code == 200, (name, url)
        counts[name] = len(captured)

    big = admin_world(rows=8)
    for name, url in pages(model, big).items():
        with django_assert_num_queries(counts[name]):
            response = editor_client.get(url)
        assert response.status_code == 200, (name, url)


def test_case_page_lists_filings_and_decisions_with_links(editor_client):
    world = admin_world(rows=2)
    response = editor_client.get(admin_url(Case, "change", world["case"].pk))
    html = response.content.decode()
    for filing in world["filings"]:
        assert admin_url(Filing, "change", filing.pk) in html
    assert admin_url(Decision, "change", world["decision"].pk) in html
    assert f"{admin_url(Filing, 'add')}?case={world['case'].pk}" in html
    # The mirror case is selected in the related-cases autocomplete.
    assert str(world["mirror"]) in html


def test_provision_page_offers_only_the_bench(editor_client):
    world = admin_world(rows=1)
    outsider = Person.objects.create(name="Judge Who Did Not Sit", slug="outsider")
    response = editor_client.get(admin_url(Provision, "change", world["provision"].pk))
    html = response.content.decode()
    for judge in world["judges"]:
        assert judge.name in html
    assert "President " + world["judges"][0].name in html
    assert outsider.name not in html


@pytest.mark.parametrize("model", [Case, Filing, Decision, Provision, ComplianceClaim], ids=lambda m: m.__name__)
def test_view_on_site_links_to_the_public_page(editor_client, model):
    world = admin_world(rows=1)
    obj = world[OBJECTS[model]]
    response = editor_client.get(admin_url(model, "change", obj.pk))
    assert "View on site" in response.content.decode()
    link = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(model).pk, obj.pk])
    assert link in response.content.decode()
    redirect = editor_client.get(link)
    assert redirect.status_code == 302
    assert redirect.url.endswith(obj.get_absolute_url())


def test_anonymous_user_is_sent_to_the_login_page(client):
    world = admin_world(rows=1)
    for url in (admin_url(Case, "changelist"), admin_url(Filing, "change", world["filing"].pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", list(OBJECTS), ids=lambda m: m.__name__)
def test_export_selected_rows_as_csv(editor_client, model):
    world = admin_world(rows=2)
    queryset = model.objects.order_by("pk")
    chosen = list(queryset.values_list("pk", flat=True)[:2])
    response = editor_client.post(
        admin_url(model, "changelist"),
        {"action": "export_as_csv", "_selected_action": chosen},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[:2] == ["label", "id"]
    assert "version" in header
    assert [int(row[1]) for row in rows[1:]] == chosen
    assert rows[1][0] == str(model.objects.get(pk=chosen[0])).lstrip("=+-@")
    if "sources_ids" in header:
        obj = model.objects.get(pk=chosen[0])
        expected = ";".join(str(pk) for pk in sorted(obj.sources.values_list("pk", flat=True)))
        assert rows[1][header.index("sources_ids")] == expected
    assert world  # the world made the rows exported above


def test_csv_cells_never_run_as_formulas(editor_client):
    source = Source.objects.create(key="formula", kind="other", title='=HYPERLINK("http://evil")')
    response = editor_client.post(
        admin_url(Source, "changelist"), {"action": "export_as_csv", "_selected_action": [source.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][rows[0].index("title")] == '\'=HYPERLINK("http://evil")'


def test_measure_autocomplete_shows_case_date_and_paragraph(editor_client):
    world = admin_world(rows=1)
    provision = world["provision"]
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "compliance",
            "model_name": "complianceclaim",
            "field_name": "provision",
            "term": str(world["case"].general_list_number),
        },
    )
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["id"] == str(provision.pk)
    assert f"No. {world['case'].general_list_number}" in result["text"]
    assert "22 February 2023" in result["text"]
    assert f"para. {provision.paragraph}" in result["text"]


def test_court_autocomplete_offers_only_courts(editor_client):
    world = admin_world(rows=1)
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "case", "field_name": "court", "term": ""},
    )
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == {world["court"].pk}


def test_new_case_starts_before_the_icj_and_its_add_court_link_makes_a_court(editor_client):
    world = admin_world(rows=1)
    response = editor_client.get(admin_url(Case, "add"))
    assert response.context["adminform"].form.initial["court"] == world["court"].pk
    assert "kind=court" in response.content.decode()
