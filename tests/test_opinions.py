"""The judges' opinions: the model's invariants, the admin inline, the API and the pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Office, Opinion, OpinionKind, surname
from tests.factories import (
    BenchMemberFactory,
    CaseFactory,
    DecisionFactory,
    OpinionFactory,
    PersonFactory,
    SourceFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    # Throttle counts in the database cache would add their own queries to the counts below.
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def order_of_7_december_2021():
    """No. 180's first Order, with Judge Yusuf and Judge ad hoc Keith on its bench."""
    case = CaseFactory(general_list_number=180, short_title="Armenia v. Azerbaijan")
    decision = DecisionFactory(
        case=case, slug="2021-12-07-order", title="Order of 7 December 2021", decided_on=datetime.date(2021, 12, 7)
    )
    yusuf = PersonFactory(name="Abdulqawi Ahmed Yusuf", slug="yusuf")
    keith = PersonFactory(name="Kenneth Keith", slug="keith")
    BenchMemberFactory(decision=decision, judge=yusuf, office=Office.JUDGE, position=0)
    BenchMemberFactory(decision=decision, judge=keith, office=Office.JUDGE_AD_HOC, position=0)
    return decision, yusuf, keith


# The model ---------------------------------------------------------------------------------------


def test_an_opinion_reads_as_the_court_names_it(order_of_7_december_2021):
    decision, yusuf, keith = order_of_7_december_2021
    dissent = OpinionFactory(decision=decision, kind=OpinionKind.DISSENTING_OPINION, judges=[yusuf])
    declaration = OpinionFactory(decision=decision, judges=[keith])

    assert str(dissent) == "Dissenting opinion of Judge Yusuf, Order of 7 December 2021 (No. 180)"
    assert str(declaration) == "Declaration of Judge ad hoc Keith, Order of 7 December 2021 (No. 180)"


def test_a_joint_opinion_names_every_judge():
    decision, _ = decision_with_bench(judges=0, ad_hoc=0)
    names = [("Hilary Charlesworth", "charlesworth"), ("Leonardo Nemer Caldeira Brant", "brant")]
    judges = [PersonFactory(name=name, slug=slug) for name, slug in names]
    for judge in judges:
        BenchMemberFactory(decision=decision, judge=judge, position=0)
    opinion = OpinionFactory(decision=decision, judges=judges)
    iwasawa = PersonFactory(name="Iwasawa Yuji", slug="iwasawa")

    assert str(opinion) == "Declaration of Judges Charlesworth and Brant, Order of 22 February 2023 (No. 500)".replace(
        "500", str(decision.case.general_list_number)
    )
    assert surname(iwasawa) == "Iwasawa"


def test_opinions_are_numbered_in_the_order_entered_and_go_with_their_decision():
    decision, judges = decision_with_bench(judges=2, ad_hoc=0)
    first, second = OpinionFactory(decision=decision, judges=[judges[0]]), OpinionFactory(decision=decision)

    assert (first.position, second.position) == (1, 2)
    assert list(decision.opinions.all()) == [first, second]
    decision.delete()
    assert not Opinion.objects.exists()


def test_a_document_number_is_normalised_on_save(order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    opinion = OpinionFactory(decision=decision, judges=[yusuf], document_number=" 180-20211207-ord-01-01-en.pdf ")

    opinion.refresh_from_db()
    assert opinion.document_number == "180-20211207-ORD-01-01-EN"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("ORD-01-01", "is not an ICJ document number"),
        ("180-20211207-ORD-01-00-EN", "-00- is the decision itself"),
        ("181-20211207-ORD-01-01-EN", "is not a document of the Order of 7 December 2021 in No. 180"),
    ],
)
def test_a_document_number_must_be_one_of_the_decisions_opinions(order_of_7_december_2021, number, message):
    decision, yusuf, _ = order_of_7_december_2021
    opinion = Opinion(decision=decision, kind=OpinionKind.DECLARATION, document_number=number)

    with pytest.raises(ValidationError) as error:
        opinion.full_clean()
    assert message in " ".join(error.value.message_dict["document_number"])


def test_a_document_number_belongs_to_one_opinion_only(order_of_7_december_2021):
    decision, yusuf, keith = order_of_7_december_2021
    OpinionFactory(decision=decision, judges=[yusuf], document_number="180-20211207-ORD-01-01-EN")
    twin = Opinion(decision=decision, kind=OpinionKind.DECLARATION, document_number="180-20211207-ORD-01-01-EN")

    with pytest.raises(ValidationError) as error:
        twin.full_clean()
    assert "Another opinion already has this ICJ document number." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(
            decision=decision, kind=OpinionKind.DECLARATION, document_number="180-20211207-ORD-01-01-EN"
        )


def test_two_opinions_cannot_hold_the_same_place():
    decision, _ = decision_with_bench(judges=1, ad_hoc=0)
    OpinionFactory(decision=decision, position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(decision=decision, kind=OpinionKind.DECLARATION, position=1)


def test_the_kind_is_held_by_the_database():
    decision, _ = decision_with_bench(judges=1, ad_hoc=0)

    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(decision=decision, kind="concurring_opinion", position=1)


def test_only_judges_of_the_bench_append_opinions(order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    outsider = PersonFactory(name="Judge Elsewhere")
    opinion = Opinion(decision=decision, kind=OpinionKind.DECLARATION)

    opinion.validate_judges([yusuf])
    with pytest.raises(ValidationError, match="did not sit for the Order of 7 December 2021"):
        opinion.validate_judges([yusuf, outsider])
    with pytest.raises(ValidationError, match="Name the judge"):
        opinion.validate_judges([])


def test_for_judge_lists_a_judges_opinions_joint_ones_included():
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    alone = OpinionFactory(decision=decision, judges=[judges[0]])
    joint = OpinionFactory(decision=decision, judges=judges[:2])
    OpinionFactory(decision=decision, judges=[judges[2]])

    assert list(Opinion.objects.for_judge(judges[0])) == [alone, joint]
    assert list(Opinion.objects.for_judge(judges[1])) == [joint]


# The admin ---------------------------------------------------------------------------------------


def test_editors_may_enter_and_delete_opinions():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))

    assert {"view_opinion", "add_opinion", "change_opinion", "delete_opinion"} <= codenames


def _form_data(response):
    """The change form as the page would post it back, inline rows included."""
    form = response.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    return data


def test_the_decision_page_of_the_admin_saves_an_opinion_inline(editor_client, order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    source = SourceFactory()
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    data = _form_data(page)
    data.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-0-kind": "dissenting_opinion",
            "opinions-0-position": "0",
            "opinions-0-judges": [yusuf.pk],
            "opinions-0-document_number": "180-20211207-ord-01-01-en",
            "opinions-0-url": "",
            "opinions-0-summary": "Dissents on para. 98 (1) (a) and (c).",
            "opinions-0-sources": [source.pk],
            "opinions-0-confidence": "verified",
            "opinions-0-note": "",
            "opinions-0-loaded_version": "",
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    opinion = decision.opinions.get()
    assert list(opinion.judges.all()) == [yusuf]
    assert opinion.document_number == "180-20211207-ORD-01-01-EN"
    assert opinion.position == 1
    assert opinion.history.first().history_user.username == "editor"


def test_the_inline_offers_judges_as_an_autocomplete(editor_client, order_of_7_december_2021):
    decision, _, _ = order_of_7_december_2021

    page = editor_client.get(reverse("admin:decisions_decision_change", args=[decision.pk]))

    assert 'name="opinions-TOTAL_FORMS"' in page.content.decode()
    assert 'data-model-name="person"' in page.content.decode() or "admin-autocomplete" in page.content.decode()


# The API -----------------------------------------------------------------------------------------


def test_the_api_lists_and_shows_opinions_with_their_decision_and_judges(api_client, order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    opinion = OpinionFactory(
        decision=decision,
        kind=OpinionKind.DISSENTING_OPINION,
        judges=[yusuf],
        document_number="180-20211207-ORD-01-01-EN",
    )

    listing = api_client.get(reverse("api:opinion-list"))

    assert listing.status_code == 200
    [item] = listing.json()["results"]
    assert item["id"] == opinion.pk
    assert item["kind"] == "dissenting_opinion"
    assert item["decision"]["title"] == "Order of 7 December 2021"
    assert [judge["slug"] for judge in item["judges"]] == ["yusuf"]
    assert item["document_number"] == "180-20211207-ORD-01-01-EN"
    detail = api_client.get(item["api_url"])
    assert detail.status_code == 200
    assert detail.json() == item


def test_the_api_filters_opinions_by_judge_kind_decision_and_case(api_client, order_of_7_december_2021):
    decision, yusuf, keith = order_of_7_december_2021
    dissent = OpinionFactory(decision=decision, kind=OpinionKind.DISSENTING_OPINION, judges=[yusuf])
    declaration = OpinionFactory(decision=decision, judges=[keith])
    elsewhere, _ = decision_with_bench(judges=2, ad_hoc=0)
    other = OpinionFactory(decision=elsewhere)
    url = reverse("api:opinion-list")

    def ids(**params):
        response = api_client.get(url, params)
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["results"]}

    assert ids(judge="yusuf") == {dissent.pk}
    assert ids(kind="declaration") == {declaration.pk, other.pk}
    assert ids(decision=decision.pk) == {dissent.pk, declaration.pk}
    assert ids(case_number=180) == {dissent.pk, declaration.pk}
    assert api_client.get(url, {"judges": "yusuf"}).status_code == 400


def test_a_decision_lists_its_opinions_in_the_api(api_client, order_of_7_december_2021):
    decision, yusuf, keith = order_of_7_december_2021
    OpinionFactory(decision=decision, kind=OpinionKind.DISSENTING_OPINION, judges=[yusuf])
    OpinionFactory(decision=decision, judges=[keith])

    body = api_client.get(reverse("api:decision-detail", args=[decision.pk])).json()

    assert [(o["position"], o["kind"], [j["slug"] for j in o["judges"]]) for o in body["opinions"]] == [
        (1, "dissenting_opinion", ["yusuf"]),
        (2, "declaration", ["keith"]),
    ]
    assert body["opinions"][0]["api_url"].endswith(reverse("api:opinion-detail", args=[body["opinions"][0]["id"]]))


def test_an_opinion_written_through_the_api_names_judges_who_sat(api_client, editor, order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    editor.is_superuser = True
    editor.save()
    api_client.force_authenticate(editor)
    source = SourceFactory()
    outsider = PersonFactory()
    payload = {"decision": decision.pk, "kind": "declaration", "judges": [outsider.pk], "sources": [source.pk]}

    refused = api_client.post(reverse("api:opinion-list"), payload, format="json")
    assert refused.status_code == 400
    assert "did not sit" in str(refused.json()["judges"])

    created = api_client.post(reverse("api:opinion-list"), {**payload, "judges": [yusuf.pk]}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["position"] == 1


def _opinion_rows(n):
    for _ in range(n):
        decision, judges = decision_with_bench(judges=3, ad_hoc=0)
        OpinionFactory(decision=decision, judges=judges[:2], sources=[SourceFactory(), SourceFactory()])


def test_the_opinions_list_costs_the_same_queries_at_one_and_many_rows(api_client, django_assert_num_queries):
    _opinion_rows(1)
    url = reverse("api:opinion-list")
    api_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert api_client.get(url).status_code == 200
    _opinion_rows(6)
    api_client.get(url)  # counts the rows of this data version into the shared cache

    with CaptureQueriesContext(connection) as many:
        response = api_client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries) > 0
    assert response.json()["count"] == 7
    # the data version, the cached count, the page, then the judges and the sources
    assert len(one.captured_queries) == 5


def test_the_decisions_list_costs_the_same_queries_with_opinions(api_client, django_assert_num_queries):
    _opinion_rows(1)
    url = reverse("api:decision-list")
    api_client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert api_client.get(url).status_code == 200
    _opinion_rows(5)
    api_client.get(url)  # counts the rows of this data version into the shared cache

    with CaptureQueriesContext(connection) as many:
        assert api_client.get(url).status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries) > 0


# The pages ---------------------------------------------------------------------------------------


def test_the_decision_page_lists_the_declarations_and_opinions(client, order_of_7_december_2021):
    decision, yusuf, keith = order_of_7_december_2021
    OpinionFactory(
        decision=decision,
        kind=OpinionKind.DISSENTING_OPINION,
        judges=[yusuf],
        document_number="180-20211207-ORD-01-01-EN",
        url="https://www.icj-cij.org/node/1",
        summary="Dissents on para. 98 (1) (a) and (c).",
    )
    OpinionFactory(decision=decision, judges=[keith])

    page = client.get(decision.get_absolute_url()).content.decode()

    assert "Declarations and opinions" in page
    assert "Dissenting opinion" in page and "Declaration" in page
    assert reverse("person-detail", args=["yusuf"]) in page
    assert "Dissents on para. 98 (1) (a) and (c)." in page
    assert "180-20211207-ORD-01-01-EN" in page and "https://www.icj-cij.org/node/1" in page


def test_the_decision_page_costs_the_same_queries_with_more_opinions(client, django_assert_num_queries):
    decision, judges = decision_with_bench(judges=4, ad_hoc=0)
    OpinionFactory(decision=decision, judges=[judges[0]])
    url = decision.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for judge in judges[1:]:
        OpinionFactory(decision=decision, judges=[judge, judges[0]], sources=[SourceFactory(), SourceFactory()])

    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_a_judges_page_lists_the_opinions_they_appended(client, order_of_7_december_2021):
    decision, yusuf, _ = order_of_7_december_2021
    OpinionFactory(decision=decision, kind=OpinionKind.DISSENTING_OPINION, judges=[yusuf])

    page = client.get(reverse("person-detail", args=["yusuf"])).content.decode()

    assert "Declarations and opinions appended" in page
    assert "Dissenting opinion" in page
    assert f"{decision.get_absolute_url()}#opinion-1" in page
