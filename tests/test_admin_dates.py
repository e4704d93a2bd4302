"""Dates as the Court writes them, in every admin date field; and the admin's smaller conveniences."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cases.models import Case
from core.admin import CourtDateField, parse_court_date
from core.admin_widgets import CourtDateInput
from tests.factories import CaseFactory, CourtFactory, HearingFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    ["26 February 2022", "26 Feb 2022", "26 Feb. 2022", "2022-02-26", " 26  february 2022 ", "26 février 2022"],
)
def test_a_date_is_read_as_the_court_writes_it(text):
    assert parse_court_date(text) == datetime.date(2022, 2, 26)


@pytest.mark.parametrize("text", ["26/02/2022", "31 February 2022", "February", "2022-13-01", "26 Febtember 2022"])
def test_an_unreadable_date_says_what_is_expected(text):
    field = CourtDateField()
    with pytest.raises(Exception, match="as the Court writes it, e.g. 26 February 2022"):
        field.clean(text)


def test_a_date_is_shown_back_in_the_courts_style():
    html = CourtDateInput().render("d", datetime.date(2022, 3, 6))
    assert 'value="6 March 2022"' in html
    assert 'placeholder="26 February 2022"' in html
    assert 'type="text"' in html


def test_the_case_page_takes_the_courts_dates_without_a_calendar(editor_client):
    court = CourtFactory()
    source = SourceFactory()
    response = editor_client.post(
        reverse("admin:cases_case_add"),
        {
            "general_list_number": "182",
            "title": "Allegations of Genocide (Ukraine v. Russian Federation)",
            "short_title": "Ukraine v. Russian Federation",
            "slug": "ukraine-v-russian-federation",
            "court": court.pk,
            "instituted_on": "26 Feb 2022",
            "status": "pending",
            "basis": "Article IX of the Genocide Convention",
            "sources": [source.pk],
            "confidence": "verified",
            "case_parties-TOTAL_FORMS": "0",
            "case_parties-INITIAL_FORMS": "0",
            "representations-TOTAL_FORMS": "0",
            "representations-INITIAL_FORMS": "0",
            "hearings-TOTAL_FORMS": "0",
            "hearings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get(general_list_number=182)
    assert case.instituted_on == datetime.date(2022, 2, 26)
    page = editor_client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert 'value="26 February 2022"' in page
    assert "vDateField" not in page and "DateTimeShortcuts.js" not in page
    assert "admin/tracker.css" in page


def test_inline_dates_take_the_courts_style_too(editor_client):
    hearing = HearingFactory()
    page = editor_client.get(reverse("admin:cases_case_change", args=[hearing.case.pk])).content.decode()
    assert 'value="14 October 2021"' in page


def test_an_invalid_date_on_a_page_is_a_form_error_saying_what_is_expected(editor_client):
    case = CaseFactory()
    response = editor_client.post(
        reverse("admin:cases_hearing_add"),
        {
            "case": case.pk,
            "slug": "h",
            "subject": "provisional_measures",
            "starts_on": "14/10/2021",
            "ends_on": "15 October 2021",
            "record_numbers": "",
            "summary": "",
            "sources": [SourceFactory().pk],
            "confidence": "verified",
        },
    )
    assert response.status_code == 200
    assert "as the Court writes it" in " ".join(response.context["adminform"].form.errors["starts_on"])


# createeditor


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_createeditor_asks_again_after_a_refused_password(monkeypatch):
    answers = iter(["short", "short", "a long and unusual passphrase", "a long and unusual passphrase"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    err = io.StringIO()
    call_command("createeditor", "cleo", stdout=io.StringIO(), stderr=err)
    assert "was refused" in err.getvalue() and "too short" in err.getvalue()
    assert get_user_model().objects.get(username="cleo").check_password("a long and unusual passphrase")


def test_createeditor_fails_clearly_on_a_refused_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", "short")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="TRACKER_EDITOR_PASSWORD was refused: .*too short"):
        call_command("createeditor", "dora", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="dora").exists()


# History


def test_an_admin_save_has_a_change_reason_instead_of_none(editor_client):
    source = SourceFactory(title="Order of 16 March 2022")
    url = reverse("admin:sources_source_change", args=[source.pk])
    response = editor_client.post(
        url,
        {
            "key": source.key,
            "kind": source.kind,
            "title": "Order of 16 March 2022 (corrected)",
            "publisher": source.publisher,
            "url": source.url,
            "published_on": "22 Feb 2023",
            "document_number": "",
            "excerpt": "",
            "loaded_version": source.version,
        },
    )
    assert response.status_code == 302
    assert source.history.latest().history_change_reason == "Edited in the admin: Title"
    page = editor_client.get(reverse("admin:sources_source_history", args=[source.pk])).content.decode()
    assert "Edited in the admin: Title" in page
