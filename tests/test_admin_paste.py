"""Pasting what the Court printed: the Present line and the operative clause, previewed, then saved by one service."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.forms import CheckboxInput
from django.urls import reverse

from cases.models import CaseParty, PartyRole
from decisions.models import BenchMember, Decision, Office, Provision, Vote, VoteChoice
from decisions.operative import parse_operative_clause, parse_present
from decisions.services import (
    PASTE_REASON,
    decision_apply_operative_clause,
    decision_apply_present_line,
    present_line_plan,
)
from parties.models import Person
from tests.factories import CaseFactory, DecisionFactory, PartyFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).parent / "operative_texts"

# The Members of the Court in 2021-2023 as the tracker names them; Daudet (judge ad hoc) is left
# out on purpose where a test wants a judge the tracker does not know yet.
JUDGES = {
    "Donoghue": "Joan E. Donoghue",
    "Gevorgian": "Kirill Gevorgian",
    "Tomka": "Peter Tomka",
    "Abraham": "Ronny Abraham",
    "Bennouna": "Mohamed Bennouna",
    "Yusuf": "Abdulqawi Ahmed Yusuf",
    "Xue": "Xue Hanqin",
    "Sebutinde": "Julia Sebutinde",
    "Bhandari": "Dalveer Bhandari",
    "Robinson": "Patrick Lipton Robinson",
    "Salam": "Nawaf Salam",
    "Iwasawa": "Iwasawa Yuji",
    "Nolte": "Georg Nolte",
    "Charlesworth": "Hilary Charlesworth",
    "Keith": "Kenneth Keith",
}


def court_text(name: str) -> str:
    return "\n".join(line for line in (TEXTS / name).read_text().splitlines() if not line.startswith("#"))


def judges(*, daudet=True):
    names = dict(JUDGES, **({"Daudet": "Yves Daudet"} if daudet else {}))
    return {surname: PersonFactory(name=name, slug=surname.lower()) for surname, name in names.items()}


@pytest.fixture
def source():
    return SourceFactory(title="Order of 16 March 2022", published_on=datetime.date(2022, 3, 16))


@pytest.fixture
def ukraine_case(source):
    """No. 182, Allegations of Genocide (Ukraine v. Russian Federation), with its two Parties."""
    case = CaseFactory(
        general_list_number=182,
        title="Allegations of Genocide under the Convention on the Prevention and Punishment of the Crime of "
        "Genocide (Ukraine v. Russian Federation)",
        short_title="Ukraine v. Russian Federation",
        slug="ukraine-v-russian-federation",
        instituted_on=datetime.date(2022, 2, 26),
        sources=[source],
    )
    ukraine = PartyFactory(name="Ukraine", short_name="Ukraine", code="UKR")
    russia = PartyFactory(name="Russian Federation", short_name="Russian Federation", code="RUS")
    CaseParty.objects.create(case=case, party=ukraine, role=PartyRole.APPLICANT)
    CaseParty.objects.create(case=case, party=russia, role=PartyRole.RESPONDENT)
    return case


@pytest.fixture
def order(ukraine_case, source):
    return DecisionFactory(
        case=ukraine_case,
        slug="2022-03-16-order",
        decided_on=datetime.date(2022, 3, 16),
        title="Order of 16 March 2022",
        sources=[source],
    )


def change_url(decision):
    return reverse("admin:decisions_decision_change", args=[decision.pk])


def page_data(response) -> dict:
    """The change page's form as a browser would post it back unchanged, inlines included."""
    data = {}

    def add(form):
        for field in form:
            value = field.value()
            if isinstance(field.field.widget, CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def paste(client, decision, *, present="", clause="", confirm=False, **overrides):
    data = page_data(client.get(change_url(decision)))
    data.update(present_text=present, operative_clause_text=clause, _continue="1", **overrides)
    if confirm:
        data["confirm_paste"] = "on"
    return client.post(change_url(decision), data)


def counts():
    return (
        Person.objects.count(),
        BenchMember.objects.count(),
        Provision.objects.count(),
        Vote.objects.count(),
    )


def errors(response, field):
    assert response.status_code == 200, "the paste was expected to stop on the form"
    return " ".join(response.context["adminform"].form.errors.get(field, []))


# The service


def test_the_service_records_no_182s_order_of_16_march_2022(order, editor, source):
    people = judges()
    decision_apply_present_line(
        decision=order,
        seats=present_line_plan(parse_present(court_text("182-2022-03-16-order-present-en.txt")))[0],
        history_user=editor,
    )
    parsed = parse_operative_clause(court_text("182-2022-03-16-order-operative-en.txt"), bench_size=15)
    first, second, third = decision_apply_operative_clause(decision=order, parsed=parsed, history_user=editor)

    assert [(m.judge.name, m.office) for m in order.bench.in_precedence().select_related("judge")][:3] == [
        ("Joan E. Donoghue", Office.PRESIDENT),
        ("Kirill Gevorgian", Office.VICE_PRESIDENT),
        ("Peter Tomka", Office.JUDGE),
    ]
    assert [p.paragraph for p in (first, second, third)] == ["(1)", "(2)", "(3)"]
    assert (first.votes_for, first.votes_against, first.tally) == (13, 2, "13 votes to 2")
    against = {v.judge for v in first.votes.filter(vote=VoteChoice.AGAINST)}
    assert against == {people["Gevorgian"], people["Xue"]}
    assert third.unanimous and third.tally == "unanimously (15 votes to 0)"
    assert third.votes.count() == 15
    assert list(first.addressees.values_list("code", flat=True)) == ["RUS"]
    assert set(third.addressees.values_list("code", flat=True)) == {"UKR", "RUS"}
    assert all(list(p.sources.all()) == [source] for p in (first, second, third))
    assert first.history.latest().history_change_reason == PASTE_REASON
    assert {r.history_change_reason for r in Vote.history.filter(provision=first)} == {PASTE_REASON}


def test_the_service_refuses_a_name_not_on_the_bench_and_writes_nothing(order, editor):
    judges()
    seats = present_line_plan(parse_present(court_text("182-2022-03-16-order-present-en.txt")))[0]
    decision_apply_present_line(decision=order, seats=seats, history_user=editor)
    text = court_text("182-2022-03-16-order-operative-en.txt").replace("Judge Xue;", "Judge Owada;", 1)
    before = counts()
    with pytest.raises(ValidationError, match="Owada"):
        decision_apply_operative_clause(
            decision=order, parsed=parse_operative_clause(text, bench_size=15), history_user=editor
        )
    assert counts() == before


def test_a_judge_not_yet_known_is_created_from_the_present_line_citing_the_decisions_sources(order, editor, source):
    judges(daudet=False)
    seats, problems = present_line_plan(parse_present(court_text("182-2022-03-16-order-present-en.txt")))
    assert problems == []
    assert [seat.judge.name for seat in seats if seat.judge.pk is None] == ["Daudet"]
    decision_apply_present_line(decision=order, seats=seats, history_user=editor)
    daudet = Person.objects.get(slug="daudet")
    assert daudet.name == "Daudet" and "complete the full name" in daudet.note
    assert list(daudet.sources.all()) == [source]
    assert order.bench.get(judge=daudet).office == Office.JUDGE_AD_HOC


def test_surnames_match_without_their_accents(order):
    PersonFactory(name="Leonardo Nemer Caldeira Brant", slug="brant")
    PersonFactory(name="Juan Manuel Gómez Robledo", slug="gomez-robledo")
    seats, problems = present_line_plan(parse_present("Present: Judges GOMEZ ROBLEDO, BRANT; Registrar GAUTIER."))
    assert problems == []
    assert [seat.judge.slug for seat in seats] == ["gomez-robledo", "brant"]


# The admin: preview, confirm, errors


def test_pasting_shows_a_preview_and_saves_nothing_until_confirmed(editor_client, order):
    judges(daudet=False)
    before = counts()
    response = paste(
        editor_client,
        order,
        present=court_text("182-2022-03-16-order-present-en.txt"),
        clause=court_text("182-2022-03-16-order-operative-en.txt"),
    )
    assert "Nothing is saved yet" in errors(response, "confirm_paste")
    page = response.content.decode()
    assert "What the tracker understood" in page
    assert "13 votes to 2" in page and "unanimously (15 votes to 0)" in page
    assert "Kirill Gevorgian; Xue Hanqin" in page
    assert "new judge “Daudet”" in page
    assert counts() == before


def test_confirming_saves_the_bench_provisions_and_votes_in_one_step(editor_client, order, editor, source):
    judges(daudet=False)
    response = paste(
        editor_client,
        order,
        present=court_text("182-2022-03-16-order-present-en.txt"),
        clause=court_text("182-2022-03-16-order-operative-en.txt"),
        confirm=True,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert order.bench.count() == 15
    provisions = list(order.provisions.order_by("position"))
    assert [p.tally for p in provisions] == ["13 votes to 2", "13 votes to 2", "unanimously (15 votes to 0)"]
    assert Vote.objects.filter(provision__decision=order).count() == 45
    assert all(list(p.sources.all()) == [source] for p in provisions)
    assert provisions[0].history.latest().history_user == editor
    page = editor_client.get(change_url(order)).content.decode()
    assert "Votes: every provision and every judge" in page


def test_pasting_the_same_clause_twice_updates_in_place(editor_client, order):
    judges()
    present = court_text("182-2022-03-16-order-present-en.txt")
    clause = court_text("182-2022-03-16-order-operative-en.txt")
    assert paste(editor_client, order, present=present, clause=clause, confirm=True).status_code == 302
    ids = sorted(order.provisions.values_list("pk", flat=True))
    versions = dict(order.provisions.values_list("paragraph", "version"))
    before = counts()
    response = paste(
        editor_client, order, clause=clause.replace("immediately suspend", "suspend at once"), confirm=True
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert counts() == before
    assert sorted(order.provisions.values_list("pk", flat=True)) == ids
    assert order.provisions.get(paragraph="(1)").text.startswith("The Russian Federation shall suspend at once")
    # The unchanged provisions were not written again.
    assert dict(order.provisions.values_list("paragraph", "version")) == {
        "(1)": versions["(1)"] + 1,
        "(2)": versions["(2)"],
        "(3)": versions["(3)"],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("Judge Xue;", "Judge Owada;"), "no judge named 'Owada' on the bench"),
        (("(1) By thirteen votes to two", "(1) By twelve votes to three"), "twelve votes to three"),
        (("against: Vice-President Gevorgian; Judge Xue;\n(2)", "(2)"), "votes to two"),
        (("(1) By thirteen", "(1) Somehow thirteen"), ""),
    ],
    ids=["name-not-on-the-bench", "counts-disagree", "missing-against-line", "vote-unreadable"],
)
def test_a_clause_that_does_not_match_is_a_form_error_and_nothing_is_saved(editor_client, order, change, message):
    judges()
    paste(editor_client, order, present=court_text("182-2022-03-16-order-present-en.txt"), confirm=True)
    clause = court_text("182-2022-03-16-order-operative-en.txt").replace(*change, 1)
    before = counts()
    response = paste(editor_client, order, clause=clause, confirm=True)
    error = errors(response, "operative_clause_text")
    assert error, "a broken clause must be refused"
    assert message in error
    assert counts() == before


def test_text_that_is_no_operative_clause_is_refused_clearly(editor_client, order):
    before = counts()
    response = paste(editor_client, order, clause="Thank you for your letter.", confirm=True)
    assert "Could not read the operative clause" in errors(response, "operative_clause_text")
    assert counts() == before


def test_the_courts_own_misprint_from_a_transcription_is_caught(editor_client, order):
    """No. 180's Order of 22 February 2023 as transcribed: the judge ad hoc's name is missing."""
    judges()
    paste(editor_client, order, present=court_text("180-2023-02-22-order-present-en.txt"), confirm=True)
    before = counts()
    response = paste(editor_client, order, clause=court_text("180-2023-02-22-order-operative-en.txt"), confirm=True)
    assert "12 names in favour" in errors(response, "operative_clause_text")
    assert counts() == before


def test_a_french_clause_is_read_too(editor_client, source):
    """No. 181's Order of 22 February 2023: the bench in English, the operative clause in French."""
    judges()
    PersonFactory(name="Leonardo Nemer Caldeira Brant", slug="brant")
    PersonFactory(name="Juan Manuel Gómez Robledo", slug="gomez-robledo")
    case = CaseFactory(general_list_number=181, short_title="Azerbaijan v. Armenia", sources=[source])
    decision = DecisionFactory(case=case, decided_on=datetime.date(2023, 2, 22), sources=[source])
    response = paste(
        editor_client,
        decision,
        present=court_text("181-2023-02-22-order-present-en.txt"),
        clause=court_text("181-2023-02-22-order-operative-fr.txt"),
        confirm=True,
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    (provision,) = decision.provisions.all()
    assert provision.kind == "rejection" and provision.unanimous
    assert provision.votes_for == decision.bench.count()


def test_a_present_line_that_cannot_be_read_is_a_form_error(editor_client, order):
    before = counts()
    response = paste(editor_client, order, present="Present:", confirm=True)
    assert "Could not read the Present line" in errors(response, "present_text")
    assert counts() == before


# The grid


def test_the_grid_saves_votes_and_their_counts(editor_client, order, editor):
    people = judges()
    paste(
        editor_client,
        order,
        present=court_text("182-2022-03-16-order-present-en.txt"),
        clause=court_text("182-2022-03-16-order-operative-en.txt"),
        confirm=True,
    )
    first = order.provisions.get(paragraph="(1)")
    data = page_data(editor_client.get(change_url(order)))
    data[f"grid-{first.pk}-{people['Xue'].pk}"] = "for"
    data["_continue"] = "1"
    response = editor_client.post(change_url(order), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    first.refresh_from_db()
    assert first.tally == "14 votes to 1"
    assert first.votes.get(judge=people["Xue"]).vote == VoteChoice.FOR
    assert first.history.latest().history_change_reason == "Votes edited in the grid"

    history = editor_client.get(reverse("admin:decisions_provision_history", args=[first.pk])).content.decode()
    assert "Xue Hanqin: against → for" in history
    decision_history = editor_client.get(reverse("admin:decisions_decision_history", args=[order.pk])).content
    assert "Its bench, provisions and votes" in decision_history.decode()
    assert reverse("admin:decisions_provision_simple_history", args=[first.pk, first.history.latest().history_id]) in (
        decision_history.decode()
    )


def test_a_vote_against_in_the_grid_ends_unanimity(editor_client, order):
    people = judges()
    paste(
        editor_client,
        order,
        present=court_text("182-2022-03-16-order-present-en.txt"),
        clause=court_text("182-2022-03-16-order-operative-en.txt"),
        confirm=True,
    )
    third = order.provisions.get(paragraph="(3)")
    data = page_data(editor_client.get(change_url(order)))
    data[f"grid-{third.pk}-{people['Xue'].pk}"] = "against"
    data["decided_on"] = "16 March 2022"
    response = editor_client.post(change_url(order), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    third.refresh_from_db()
    assert (third.tally, third.unanimous) == ("14 votes to 1", False)


# Return to where the record was started, with its case and source chosen


def test_a_filing_started_from_its_case_comes_back_to_it(editor_client, ukraine_case, source):
    page = editor_client.get(reverse("admin:cases_case_change", args=[ukraine_case.pk])).content.decode()
    assert "Add a filing to this case" in page and "Add a decision to this case" in page
    add = reverse("admin:filings_filing_add")
    back = reverse("admin:cases_case_change", args=[ukraine_case.pk])
    response = editor_client.get(add, {"case": ukraine_case.pk, "sources": source.pk, "_return_to": back})
    form = response.context["adminform"].form
    assert str(form["case"].value()) == str(ukraine_case.pk)
    assert [str(v) for v in form["sources"].value()] == [str(source.pk)]
    ukraine = ukraine_case.case_parties.get(role=PartyRole.APPLICANT).party
    data = {
        "case": ukraine_case.pk,
        "filed_by": ukraine.pk,
        "kind": "application",
        "title": "Application instituting proceedings",
        "filed_on": "26 February 2022",
        "sources": [source.pk],
        "confidence": "verified",
    }
    response = editor_client.post(f"{add}?_return_to={back}", data)
    assert response.status_code == 302
    assert response["Location"] == back


def test_return_to_is_only_followed_to_a_local_page(editor_client, ukraine_case):
    add = reverse("admin:filings_filing_add")
    ukraine = ukraine_case.case_parties.get(role=PartyRole.APPLICANT).party
    data = {
        "case": ukraine_case.pk,
        "filed_by": ukraine.pk,
        "kind": "application",
        "title": "Application instituting proceedings",
        "filed_on": "2022-02-26",
        "sources": [SourceFactory().pk],
        "confidence": "verified",
    }
    response = editor_client.post(f"{add}?_return_to=https://evil.example.org/", data)
    assert response.status_code == 302
    assert "evil" not in response["Location"]


# Sources: the key proposed from the title and date


def test_a_sources_key_is_proposed_from_its_title_and_date(editor_client):
    response = editor_client.post(
        reverse("admin:sources_source_add"),
        {
            "key": "",
            "kind": "icj_document",
            "title": "Order of 16 March 2022",
            "publisher": "International Court of Justice",
            "url": "",
            "published_on": "16 March 2022",
            "document_number": "",
            "excerpt": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from sources.models import Source

    assert Source.objects.get(title="Order of 16 March 2022").key == "2022-03-16-order-of-16-march-2022"


def test_a_decision_added_with_a_pasted_clause_in_one_form(editor_client, ukraine_case, source):
    """The add page takes the paste too: decision, bench and operative clause in one save."""
    judges()
    data = {
        "case": ukraine_case.pk,
        "kind": "order",
        "subject": "provisional_measures",
        "issued_by": "court",
        "decided_on": "16 March 2022",
        "title": "Order of 16 March 2022",
        "sources": [source.pk],
        "confidence": "verified",
        "present_text": court_text("182-2022-03-16-order-present-en.txt"),
        "operative_clause_text": court_text("182-2022-03-16-order-operative-en.txt"),
        "confirm_paste": "on",
        "bench-TOTAL_FORMS": "0",
        "bench-INITIAL_FORMS": "0",
        "provisions-TOTAL_FORMS": "0",
        "provisions-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:decisions_decision_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    decision = Decision.objects.get(case=ukraine_case)
    assert decision.slug == "2022-03-16-order"
    assert decision.provisions.count() == 3 and decision.bench.count() == 15


def test_a_filing_started_from_a_case_cites_its_latest_source_by_default(editor_client, ukraine_case, source):
    newer = SourceFactory(published_on=datetime.date(2022, 3, 17))
    ukraine_case.sources.add(newer)
    response = editor_client.get(reverse("admin:filings_filing_add"), {"case": ukraine_case.pk})
    assert [str(v) for v in response.context["adminform"].form["sources"].value()] == [str(newer.pk)]


def test_a_claim_started_from_a_decision_comes_back_to_it_with_its_source(editor_client, order, source):
    page = editor_client.get(change_url(order)).content.decode()
    assert "Add a claim about this decision" in page
    assert f"sources={source.pk}" in page and "_return_to=" in page


def test_a_present_line_leaving_out_a_judge_who_voted_is_refused(editor_client, order):
    judges()
    present = court_text("182-2022-03-16-order-present-en.txt")
    clause = court_text("182-2022-03-16-order-operative-en.txt")
    assert paste(editor_client, order, present=present, clause=clause, confirm=True).status_code == 302
    before = counts()
    response = paste(editor_client, order, present=present.replace(" XUE,", ""), confirm=True)
    assert "Xue Hanqin voted on this decision" in errors(response, "present_text")
    assert counts() == before
