"""Entering records through the admin: every invariant is a form error, and a refused save stores nothing."""

import datetime

import pytest
from django.contrib.admin.helpers import AdminErrorList
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from cases.models import Case, CaseParty
from compliance.models import ComplianceClaim
from decisions.models import Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party
from tests.factories import (
    CaseFactory,
    CourtFactory,
    DecisionFactory,
    FilingFactory,
    PartyFactory,
    PersonFactory,
    ProvisionFactory,
    SourceFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def errors_of(response) -> dict:
    """{field: [messages]} from the main form and every inline, as the page shows them."""
    assert response.status_code == 200, "the save was expected to be refused with the form on the page"
    form = response.context["adminform"].form
    found = {name: list(messages) for name, messages in form.errors.items()}
    for formset in response.context.get("inline_admin_formsets", []):
        for error in formset.formset.non_form_errors():
            found.setdefault("__inline__", []).append(error)
        for inline_form in formset.formset.forms:
            for name, messages in inline_form.errors.items():
                found.setdefault(f"inline:{name}", []).extend(messages)
    assert found or list(AdminErrorList(form, [])), "no error was shown"
    return found


def filing_data(case, party, source, **overrides):
    data = {
        "case": case.pk,
        "filed_by": party.pk,
        "kind": "provisional_measures_request",
        "title": "Request for the indication of provisional measures",
        "slug": "",
        "filed_on": "2023-01-04",
        "due_on": "",
        "document_number": "",
        "url": "",
        "summary": "",
        "requested_measures": "",
        "sources": [source.pk],
        "confidence": "verified",
        "note": "",
        "loaded_version": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Filings and their PDF


def test_editor_adds_a_filing_with_a_pdf(editor_client, media):
    case, party, source = CaseFactory(general_list_number=181), PartyFactory(), SourceFactory()
    upload = SimpleUploadedFile("request.pdf", PDF, content_type="application/pdf")
    data = filing_data(case, party, source, document=upload, document_number="181-20230104-req-01-00-en")
    response = editor_client.post(admin_url(Filing, "add"), data)
    assert response.status_code == 302, errors_of(response)
    filing = Filing.objects.get(case=case)
    assert filing.slug == "2023-01-04-provisional-measures-request"
    assert filing.document_number == "181-20230104-REQ-01-00-EN"
    assert filing.document.name == "filings/181/request.pdf"
    assert (media / "filings" / "181" / "request.pdf").read_bytes() == PDF
    assert list(filing.sources.all()) == [source]
    assert filing.history.get().history_user.username == "editor"


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(editor_client, media):
    case, party, source = CaseFactory(), PartyFactory(), SourceFactory()
    upload = SimpleUploadedFile("request.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = editor_client.post(admin_url(Filing, "add"), filing_data(case, party, source, document=upload))
    assert "not a PDF" in " ".join(errors_of(response)["document"])
    assert not Filing.objects.exists()
    assert not any(media.rglob("*.pdf"))


def test_an_oversized_pdf_is_refused(editor_client, media, settings):
    settings.FILING_MAX_UPLOAD_BYTES = 1024
    case, party, source = CaseFactory(), PartyFactory(), SourceFactory()
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = editor_client.post(admin_url(Filing, "add"), filing_data(case, party, source, document=upload))
    assert "the limit is 1024 bytes" in " ".join(errors_of(response)["document"])
    assert not Filing.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"document_number": "180-2023-ORD"}, "document_number", "is not an ICJ document number"),
        ({"document_number": "180-20230104-REQ-01-00-EN"}, "document_number", "a document of case No. 180"),
        ({"filed_on": "", "due_on": ""}, "filed_on", "time-limit"),
        ({"filed_on": "2020-01-01"}, "filed_on", "cannot precede the institution"),
        ({"sources": []}, "sources", "required"),
        ({"url": "not a url at all"}, "url", "valid URL"),
    ],
)
def test_a_bad_filing_is_a_form_error_on_its_field(editor_client, overrides, field, message):
    case, party, source = CaseFactory(general_list_number=181), PartyFactory(), SourceFactory()
    response = editor_client.post(admin_url(Filing, "add"), filing_data(case, party, source, **overrides))
    assert message in " ".join(errors_of(response)[field])
    assert not Filing.objects.exists()


def test_a_duplicate_document_number_in_lower_case_is_caught_before_the_database(editor_client):
    existing = FilingFactory(document_number="181-20230104-REQ-01-00-EN", case__general_list_number=181)
    data = filing_data(existing.case, PartyFactory(), SourceFactory(), document_number="181-20230104-req-01-00-en")
    response = editor_client.post(admin_url(Filing, "add"), data)
    assert "already has this ICJ document number" in " ".join(errors_of(response)["__all__"])
    assert Filing.objects.count() == 1


# Optimistic locking across the GET and the POST


def change_data(response):
    """The change form's fields as the page would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, FieldFile):
            continue  # a file input posts nothing when no new file is chosen
        data[name] = "" if value is None else value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    return data


def test_a_stale_form_is_refused_with_a_reload_message(editor_client):
    filing = FilingFactory(title="Original title")
    url = admin_url(Filing, "change", filing.pk)
    data = change_data(editor_client.get(url))
    # Someone else saves the filing while this editor's page is open.
    other = Filing.objects.get(pk=filing.pk)
    other.title = "Corrected by another editor"
    other.save()
    data["title"] = "This editor's title"
    response = editor_client.post(url, data)
    assert "Reload the page" in " ".join(errors_of(response)["__all__"])
    filing.refresh_from_db()
    assert filing.title == "Corrected by another editor"


def test_a_write_that_loses_the_race_is_refused_without_a_500(editor_client, monkeypatch):
    from filings.admin import FilingAdmin

    filing = FilingFactory(title="Original title")
    url = admin_url(Filing, "change", filing.pk)
    data = change_data(editor_client.get(url))
    data["title"] = "This editor's title"
    original_save_model = FilingAdmin.save_model

    def save_after_someone_else(self, request, obj, form, change):
        # Another writer gets in between this request's validation and its write, every time.
        Filing.objects.filter(pk=obj.pk).update(version=obj.version + 5)
        return original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(FilingAdmin, "save_model", save_after_someone_else)
    response = editor_client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert any("Reload the page" in str(message) for message in response.context["messages"])
    filing.refresh_from_db()
    assert filing.title == "Original title"
    assert not filing.history.filter(title="This editor's title").exists()


def test_an_unchanged_form_posted_back_saves(editor_client):
    filing = FilingFactory()
    url = admin_url(Filing, "change", filing.pk)
    response = editor_client.post(url, change_data(editor_client.get(url)))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.version == 2


# Decisions: bench, provisions and votes


def decision_data(case, source, **overrides):
    data = {
        "case": case.pk,
        "kind": "order",
        "subject": "provisional_measures",
        "issued_by": "court",
        "decided_on": "2023-02-22",
        "title": "Order of 22 February 2023",
        "slug": "",
        "document_number": "",
        "url": "",
        "responds_to": [],
        "summary": "",
        "not_indicated": "",
        "copy_bench_from": "",
        "sources": [source.pk],
        "confidence": "verified",
        "note": "",
        "loaded_version": "",
        "bench-TOTAL_FORMS": "0",
        "bench-INITIAL_FORMS": "0",
        "provisions-TOTAL_FORMS": "0",
        "provisions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def add_inline_rows(data, prefix, rows):
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value


def test_editor_enters_an_order_with_its_bench_and_two_provisions(editor_client):
    case, source = CaseFactory(), SourceFactory()
    respondent = PartyFactory()
    president, judge, ad_hoc = PersonFactory(), PersonFactory(), PersonFactory()
    data = decision_data(case, source)
    add_inline_rows(
        data,
        "bench",
        [
            {"judge": president.pk, "office": "president", "position": "0"},
            {"judge": judge.pk, "office": "judge", "position": "1"},
            {"judge": ad_hoc.pk, "office": "judge_ad_hoc", "position": "2"},
        ],
    )
    add_inline_rows(
        data,
        "provisions",
        [
            {"paragraph": "(1)", "position": "1", "kind": "measure", "addressees": [respondent.pk], "text": "shall"},
            {"paragraph": "(2)", "position": "2", "kind": "rejection", "text": "Rejects the request", "amendment": ""},
        ],
    )
    response = editor_client.post(admin_url(Decision, "add"), data)
    assert response.status_code == 302, errors_of(response)
    decision = Decision.objects.get(case=case)
    assert decision.slug == "2023-02-22-order"
    assert [m.judge for m in decision.bench.order_by("position")] == [president, judge, ad_hoc]
    provisions = list(decision.provisions.order_by("position"))
    assert [p.paragraph for p in provisions] == ["(1)", "(2)"]
    # Provisions left without sources cite the decision's.
    assert all(list(p.sources.all()) == [source] for p in provisions)


def test_a_rejected_inline_stores_nothing_of_the_decision(editor_client):
    case, source = CaseFactory(), SourceFactory()
    data = decision_data(case, source)
    add_inline_rows(
        data,
        "provisions",
        [
            {"paragraph": "(1)", "position": "1", "kind": "measure", "text": "shall"},
            {"paragraph": "(1)", "position": "2", "kind": "measure", "text": "shall also"},
        ],
    )
    response = editor_client.post(admin_url(Decision, "add"), data)
    errors = errors_of(response)
    assert errors
    assert not Decision.objects.exists()
    assert not Provision.objects.exists()


def test_a_decision_cannot_respond_to_a_later_filing(editor_client):
    case, source = CaseFactory(), SourceFactory()
    later = FilingFactory(case=case, filed_on=datetime.date(2023, 3, 1))
    response = editor_client.post(admin_url(Decision, "add"), decision_data(case, source, responds_to=[later.pk]))
    assert "after this decision" in " ".join(errors_of(response)["responds_to"])
    assert not Decision.objects.exists()


def test_the_bench_is_copied_from_the_order_made_the_same_day_in_the_mirror_case(editor_client):
    model_decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    case, source = CaseFactory(), SourceFactory()
    response = editor_client.post(
        admin_url(Decision, "add"), decision_data(case, source, copy_bench_from=model_decision.pk)
    )
    assert response.status_code == 302, errors_of(response)
    copied = Decision.objects.get(case=case).bench.order_by("position")
    assert [(m.judge, m.office) for m in copied] == [(m.judge, m.office) for m in model_decision.bench.all()]


def test_a_judge_who_voted_cannot_be_taken_off_the_bench(editor_client):
    decision, judges = decision_with_bench(judges=2, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    Vote.objects.create(provision=provision, judge=judges[0], vote="for")
    url = admin_url(Decision, "change", decision.pk)
    data = change_data(editor_client.get(url))
    data["bench-0-DELETE"] = "on"
    response = editor_client.post(url, data)
    assert "voted on para." in " ".join(errors_of(response)["__inline__"])
    assert decision.bench.count() == 3


def provision_data(provision, **overrides):
    data = {
        "paragraph": provision.paragraph,
        "position": provision.position,
        "kind": provision.kind,
        "addressees": [],
        "text": provision.text,
        "amends": "",
        "amendment": "",
        "unanimous": "",
        "votes_for": "",
        "votes_against": "",
        "judges_for": [],
        "judges_against": [],
        "sources": list(provision.sources.values_list("pk", flat=True)),
        "confidence": "verified",
        "note": "",
        "loaded_version": provision.version,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != "" or key != "unanimous"}


def test_votes_entered_by_name_set_the_counts(editor_client):
    decision, judges = decision_with_bench(judges=4, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    data = provision_data(
        provision, judges_for=[j.pk for j in judges[:4]], judges_against=[judges[4].pk], votes_for="", votes_against=""
    )
    response = editor_client.post(admin_url(Provision, "change", provision.pk), data)
    assert response.status_code == 302, errors_of(response)
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (4, 1)
    assert set(provision.votes.filter(vote="for").values_list("judge", flat=True)) == {j.pk for j in judges[:4]}
    assert list(provision.votes.filter(vote="against").values_list("judge", flat=True)) == [judges[4].pk]


def test_unanimous_with_no_names_records_the_whole_bench_in_favour(editor_client):
    decision, judges = decision_with_bench(judges=3, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    response = editor_client.post(
        admin_url(Provision, "change", provision.pk), provision_data(provision, unanimous="on")
    )
    assert response.status_code == 302, errors_of(response)
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against, provision.unanimous) == (4, 0, True)
    assert provision.votes.filter(vote="for").count() == 4


def test_counts_alone_are_kept_when_a_source_names_no_judges(editor_client):
    decision, judges = decision_with_bench(judges=14, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    Vote.objects.create(provision=provision, judge=judges[0], vote="for")
    data = provision_data(provision, votes_for="13", votes_against="2")
    response = editor_client.post(admin_url(Provision, "change", provision.pk), data)
    assert response.status_code == 302, errors_of(response)
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against) == (13, 2)
    assert not provision.votes.exists()


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (lambda j: {"judges_for": [j[0].pk, j[1].pk], "judges_against": [j[1].pk]}, "judges_against", "both"),
        (lambda j: {"judges_for": [j[0].pk], "judges_against": [j[1].pk], "unanimous": "on"}, "unanimous", "no "),
        (
            lambda j: {"judges_for": [j[0].pk, j[1].pk], "votes_for": "3", "votes_against": "0"},
            "votes_for",
            "do not match the judges named",
        ),
        (lambda j: {"votes_for": "9", "votes_against": "1"}, "votes_for", "exceed the bench of 3"),
        (lambda j: {"votes_for": "2"}, "votes_against", "or neither"),
        (lambda j: {"votes_for": "2", "votes_against": "1", "unanimous": "on"}, "unanimous", "no votes against"),
    ],
    ids=["for-and-against", "unanimous-with-dissent", "counts-disagree", "over-the-bench", "one-count", "unanimous"],
)
def test_an_inconsistent_vote_is_refused_and_nothing_is_saved(editor_client, build, field, message):
    decision, judges = decision_with_bench(judges=2, ad_hoc=1)
    provision = ProvisionFactory(decision=decision)
    response = editor_client.post(
        admin_url(Provision, "change", provision.pk), provision_data(provision, **build(judges))
    )
    assert message in " ".join(errors_of(response)[field])
    provision.refresh_from_db()
    assert (provision.votes_for, provision.votes_against, provision.unanimous, provision.version) == (
        None,
        None,
        False,
        1,
    )
    assert not provision.votes.exists()


def test_a_judge_who_did_not_sit_cannot_be_chosen(editor_client):
    decision, judges = decision_with_bench(judges=2, ad_hoc=0)
    provision = ProvisionFactory(decision=decision)
    _, strangers = decision_with_bench(judges=1, ad_hoc=0)
    data = provision_data(provision, judges_for=[judges[0].pk, strangers[0].pk])
    response = editor_client.post(admin_url(Provision, "change", provision.pk), data)
    assert "Select a valid choice" in " ".join(errors_of(response)["judges_for"])
    assert not provision.votes.exists()


def test_a_provision_added_for_a_decision_picks_from_its_bench(editor_client):
    decision, judges = decision_with_bench(judges=2, ad_hoc=1)
    response = editor_client.get(admin_url(Provision, "add"), {"decision": decision.pk})
    choices = [value for value, _ in response.context["adminform"].form.fields["judges_for"].choices]
    assert choices == [j.pk for j in judges]
    source = SourceFactory()
    data = {
        "decision": decision.pk,
        "paragraph": "(3)",
        "position": "3",
        "kind": "time_limit",
        "text": "Fixes the time-limits",
        "judges_for": [j.pk for j in judges],
        "sources": [source.pk],
        "confidence": "verified",
    }
    response = editor_client.post(admin_url(Provision, "add"), data)
    assert response.status_code == 302, errors_of(response)
    provision = Provision.objects.get(decision=decision, paragraph="(3)")
    assert (provision.votes_for, provision.votes_against) == (3, 0)


def test_a_provision_cannot_amend_one_of_a_later_decision(editor_client):
    earlier = ProvisionFactory(decision=DecisionFactory(decided_on=datetime.date(2021, 12, 7)))
    later = ProvisionFactory(decision=DecisionFactory(case=earlier.decision.case))
    data = provision_data(earlier, amends=later.pk, amendment="reaffirms")
    response = editor_client.post(admin_url(Provision, "change", earlier.pk), data)
    assert "earlier decision" in " ".join(errors_of(response)["amends"])


# Compliance claims


def claim_data(measure, claimant, source, **overrides):
    data = {
        "provision": measure.pk,
        "decision": "",
        "claimant": claimant.pk,
        "spokesperson": "",
        "made_on": "2023-06-08",
        "assessment": "not_complied",
        "summary": "Armenia says Azerbaijan ignores the order.",
        "quote": "",
        "slug": "",
        "sources": [source.pk],
        "confidence": "single_source",
        "note": "",
        "loaded_version": "",
    }
    data.update(overrides)
    return data


def test_a_claim_against_a_measure_takes_the_measures_order(editor_client):
    provision = ProvisionFactory()
    claimant = PartyFactory(code="ARM", short_name="Armenia")
    response = editor_client.post(admin_url(ComplianceClaim, "add"), claim_data(provision, claimant, SourceFactory()))
    assert response.status_code == 302, errors_of(response)
    claim = ComplianceClaim.objects.get()
    assert (claim.provision, claim.decision, claim.slug) == (provision, provision.decision, "2023-06-08-arm")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"made_on": "2023-01-01"}, "made_on", "cannot precede the decision"),
        ({"provision": ""}, "provision", "Pick the measure"),
        ({"quote": "x" * 700}, "quote", "at most 600"),
    ],
)
def test_a_bad_claim_is_a_form_error(editor_client, overrides, field, message):
    provision = ProvisionFactory()
    data = claim_data(provision, PartyFactory(), SourceFactory(), **overrides)
    response = editor_client.post(admin_url(ComplianceClaim, "add"), data)
    assert message in " ".join(errors_of(response)[field])
    assert not ComplianceClaim.objects.exists()


def test_a_claim_about_a_provision_of_another_order_is_refused(editor_client):
    provision, other = ProvisionFactory(), DecisionFactory()
    data = claim_data(provision, PartyFactory(), SourceFactory(), decision=other.pk)
    response = editor_client.post(admin_url(ComplianceClaim, "add"), data)
    assert "another decision" in " ".join(errors_of(response)["provision"])


# A case that is not in the dataset, entered from nothing


def test_a_new_case_is_entered_with_a_new_court_and_new_parties(editor_client):
    source = SourceFactory()
    response = editor_client.post(
        admin_url(Party, "add"),
        {
            "name": "International Court of Justice",
            "short_name": "the Court",
            "code": "icj",
            "kind": "court",
            "sources": [source.pk],
            "confidence": "verified",
        },
    )
    assert response.status_code == 302, errors_of(response)
    court = Party.objects.get(code="ICJ")
    for name, code in (("Gambia", "gmb"), ("Myanmar", "MMR")):
        response = editor_client.post(
            admin_url(Party, "add"),
            {
                "name": f"Republic of {name}",
                "short_name": name,
                "code": code,
                "kind": "state",
                "sources": [source.pk],
                "confidence": "verified",
            },
        )
        assert response.status_code == 302, errors_of(response)
    gambia, myanmar = Party.objects.get(code="GMB"), Party.objects.get(code="MMR")
    data = {
        "general_list_number": "178",
        "title": "Application of the Convention on the Prevention and Punishment of the Crime of Genocide "
        "(The Gambia v. Myanmar)",
        "short_title": "The Gambia v. Myanmar",
        "slug": "gambia-v-myanmar",
        "court": court.pk,
        "instituted_on": "2019-11-11",
        "status": "pending",
        "basis": "Article IX of the Genocide Convention",
        "summary": "",
        "related_cases": [],
        "sources": [source.pk],
        "confidence": "verified",
        "note": "",
        "case_parties-TOTAL_FORMS": "0",
        "case_parties-INITIAL_FORMS": "0",
        "representations-TOTAL_FORMS": "0",
        "representations-INITIAL_FORMS": "0",
        "hearings-TOTAL_FORMS": "0",
        "hearings-INITIAL_FORMS": "0",
    }
    add_inline_rows(
        data,
        "case_parties",
        [{"party": gambia.pk, "role": "applicant"}, {"party": myanmar.pk, "role": "respondent"}],
    )
    add_inline_rows(
        data,
        "hearings",
        [
            {
                "slug": "2019-12-pm",
                "subject": "provisional_measures",
                "starts_on": "2019-12-10",
                "ends_on": "2019-12-12",
                "record_numbers": "CR 2019/18",
                "sources": [source.pk],
                "confidence": "verified",
            }
        ],
    )
    response = editor_client.post(admin_url(Case, "add"), data)
    assert response.status_code == 302, errors_of(response)
    case = Case.objects.get(general_list_number=178)
    assert case.court == court
    assert set(CaseParty.objects.filter(case=case).values_list("party__code", "role")) == {
        ("GMB", "applicant"),
        ("MMR", "respondent"),
    }
    assert case.hearings.get().record_numbers == "CR 2019/18"


def test_a_state_code_that_is_not_alpha_3_is_refused(editor_client):
    response = editor_client.post(
        admin_url(Party, "add"),
        {
            "name": "Somewhere",
            "short_name": "Somewhere",
            "code": "SOMEWHERE",
            "kind": "state",
            "sources": [SourceFactory().pk],
            "confidence": "verified",
        },
    )
    assert "alpha-3" in " ".join(errors_of(response)["code"])


def test_a_hearing_that_ends_before_it_starts_refuses_the_whole_case(editor_client):
    case = CaseFactory(court=CourtFactory())
    url = admin_url(Case, "change", case.pk)
    data = change_data(editor_client.get(url))
    data["title"] = "A new title that must not be saved"
    add_inline_rows(
        data,
        "hearings",
        [
            {
                "slug": "bad",
                "subject": "merits",
                "starts_on": "2024-01-10",
                "ends_on": "2024-01-09",
                "sources": [SourceFactory().pk],
                "confidence": "verified",
            }
        ],
    )
    response = editor_client.post(url, data)
    assert "cannot end before it starts" in " ".join(errors_of(response)["inline:ends_on"])
    case.refresh_from_db()
    assert case.title != "A new title that must not be saved"
    assert not case.hearings.exists()
