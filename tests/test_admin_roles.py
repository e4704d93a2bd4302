"""Who may do what in the admin, how editors are made, and the history of every change."""

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Case
from decisions.models import Decision, Provision
from filings.models import Filing
from tests.factories import CaseFactory, FilingFactory, ProvisionFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


# The Editors group (data migration)


def editor_permissions():
    group = Group.objects.get(name="Editors")
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_editors_group_may_view_add_and_change_every_domain_model():
    permissions = editor_permissions()
    for model in ("source", "party", "person", "case", "caseparty", "representation", "hearing", "event"):
        app = {"source": "sources", "party": "parties", "person": "parties"}.get(model, "cases")
        for action in ("view", "add", "change"):
            assert f"{app}.{action}_{model}" in permissions
    for label in ("filings.change_filing", "decisions.change_decision", "decisions.change_provision"):
        assert label in permissions
    assert "compliance.add_complianceclaim" in permissions


def test_the_editors_group_deletes_filings_and_claims_but_never_cases_decisions_or_provisions():
    permissions = editor_permissions()
    for label in (
        "filings.delete_filing",
        "compliance.delete_complianceclaim",
        "sources.delete_source",
        "cases.delete_hearing",
        "cases.delete_representation",
        "cases.delete_caseparty",
        "decisions.delete_vote",
        "decisions.delete_benchmember",
    ):
        assert label in permissions
    for label in ("cases.delete_case", "decisions.delete_decision", "decisions.delete_provision"):
        assert label not in permissions
    assert not {p for p in permissions if p.startswith("auth.")}


def test_an_editor_cannot_delete_a_case(editor_client):
    case = CaseFactory()
    response = editor_client.post(admin_url(Case, "delete", case.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
    assert "deletelink" not in editor_client.get(admin_url(Case, "change", case.pk)).content.decode()


def test_an_editor_cannot_delete_a_provision_from_its_decision(editor_client):
    provision = ProvisionFactory()
    response = editor_client.get(admin_url(Decision, "change", provision.decision.pk))
    [formset] = [f for f in response.context["inline_admin_formsets"] if f.formset.model is Provision]
    assert not formset.formset.can_delete
    response = editor_client.post(admin_url(Provision, "delete", provision.pk), {"post": "yes"})
    assert response.status_code == 403


def test_an_editor_deletes_a_filing(editor_client):
    filing = FilingFactory()
    response = editor_client.post(admin_url(Filing, "delete", filing.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Filing.objects.filter(pk=filing.pk).exists()


def test_an_editor_does_not_manage_accounts(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_a_staff_user_outside_editors_sees_nothing(client):
    client.force_login(UserFactory(username="bystander", is_staff=True))
    assert client.get(admin_url(Case, "changelist")).status_code == 403


# createeditor


def test_createeditor_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", "a long and unusual passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    out = io.StringIO()
    call_command("createeditor", "ana", "--email", "ana@example.org", stdout=out)
    user = User.objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a long and unusual passphrase")
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("filings.add_filing") and not user.has_perm("cases.delete_case")
    assert 'Editor "ana" created' in out.getvalue()


def test_createeditor_asks_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["a long and unusual passphrase", "a long and unusual passphrase"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createeditor", "bea", stdout=io.StringIO())
    assert User.objects.get(username="bea").check_password("a long and unusual passphrase")


def test_createeditor_refuses_two_different_passwords_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    answers = iter(["a long and unusual passphrase", "another long passphrase"])
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createeditor", "bea", stdout=io.StringIO())
    assert not User.objects.filter(username="bea").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "too short"), ("password123", "too common"), ("", "TRACKER_EDITOR_PASSWORD")],
)
def test_createeditor_refuses_a_weak_or_missing_password(monkeypatch, password, message):
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", password)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match=message):
        call_command("createeditor", "cai", stdout=io.StringIO())
    assert not User.objects.filter(username="cai").exists()


def test_createeditor_refuses_an_existing_user(monkeypatch):
    UserFactory(username="dan")
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", "a long and unusual passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match='"dan" already exists'):
        call_command("createeditor", "dan", stdout=io.StringIO())


def test_an_editor_made_by_createeditor_can_sign_in_and_enter_a_filing(client, monkeypatch):
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", "a long and unusual passphrase")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    call_command("createeditor", "eve", stdout=io.StringIO())
    assert client.login(username="eve", password="a long and unusual passphrase")
    assert client.get(admin_url(Filing, "add")).status_code == 200


# History


def filing_post(filing, **changes):
    data = {
        "case": filing.case_id,
        "filed_by": filing.filed_by_id,
        "kind": filing.kind,
        "title": filing.title,
        "slug": filing.slug,
        "filed_on": filing.filed_on.isoformat(),
        "due_on": "",
        "document_number": filing.document_number,
        "url": filing.url,
        "summary": filing.summary,
        "requested_measures": filing.requested_measures,
        "sources": [source.pk for source in filing.sources.all()],
        "confidence": filing.confidence,
        "note": filing.note,
        "loaded_version": filing.version,
    }
    data.update(changes)
    return data


def test_history_records_the_editor_and_the_change_and_a_revert_restores_it(editor_client, editor):
    filing = FilingFactory(title="Request of 4 January 2023")
    response = editor_client.post(admin_url(Filing, "change", filing.pk), filing_post(filing, title="Wrong title"))
    assert response.status_code == 302
    latest = filing.history.latest()
    assert latest.history_user == editor
    assert latest.title == "Wrong title"
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["title"]

    page = editor_client.get(admin_url(Filing, "history", filing.pk)).content.decode()
    assert "editor" in page and "Wrong title" in page and "Request of 4 January 2023" in page

    original = filing.history.earliest()
    revert_url = reverse("admin:filings_filing_simple_history", args=[filing.pk, original.history_id])
    form_page = editor_client.get(revert_url)
    assert form_page.status_code == 200
    filing.refresh_from_db()
    data = filing_post(
        filing, title=original.title, loaded_version=form_page.context["adminform"].form["loaded_version"].value()
    )
    response = editor_client.post(revert_url, data)
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.title == "Request of 4 January 2023"
    assert filing.version == 3
    assert filing.history.latest().history_user == editor


def test_a_stale_revert_is_refused(editor_client):
    filing = FilingFactory(title="First")
    original = filing.history.earliest()
    revert_url = reverse("admin:filings_filing_simple_history", args=[filing.pk, original.history_id])
    form_page = editor_client.get(revert_url)
    loaded = form_page.context["adminform"].form["loaded_version"].value()
    filing.title = "Changed meanwhile"
    filing.save()
    response = editor_client.post(revert_url, filing_post(filing, title="First", loaded_version=loaded))
    assert response.status_code == 200
    assert "Reload the page" in str(response.context["adminform"].form.errors)
    filing.refresh_from_db()
    assert filing.title == "Changed meanwhile"


def test_every_change_is_kept_with_its_source_list_intact(editor_client):
    filing = FilingFactory()
    new_source = SourceFactory()
    response = editor_client.post(
        admin_url(Filing, "change", filing.pk), filing_post(filing, sources=[new_source.pk], summary="Now sourced")
    )
    assert response.status_code == 302
    filing.refresh_from_db()
    assert list(filing.sources.all()) == [new_source]
    assert filing.history.count() == 2


def test_a_revert_puts_back_the_sources_the_history_recorded(editor_client):
    filing = FilingFactory()
    original_sources = sorted(source.pk for source in filing.sources.all())
    replacement = SourceFactory()
    response = editor_client.post(admin_url(Filing, "change", filing.pk), filing_post(filing, sources=[replacement.pk]))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert [source.pk for source in filing.sources.all()] == [replacement.pk]

    original = filing.history.earliest()
    revert_url = reverse("admin:filings_filing_simple_history", args=[filing.pk, original.history_id])
    form = editor_client.get(revert_url).context["adminform"].form
    # The revert page offers the sources as they were, not as they are now.
    assert sorted(int(pk) for pk in form["sources"].value()) == original_sources

    loaded = form["loaded_version"].value()
    response = editor_client.post(revert_url, filing_post(filing, sources=original_sources, loaded_version=loaded))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert sorted(source.pk for source in filing.sources.all()) == original_sources
