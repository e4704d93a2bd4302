"""An editor, in a real browser, adds a filing to No. 181 with its source."""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from filings.models import Filing
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def editors_group():
    """The group as the data migration makes it (a transactional test may run after a flush)."""
    migration = importlib.import_module("tracker.migrations.0001_editors_group")
    group, _ = Group.objects.get_or_create(name=migration.GROUP)
    wanted = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, models in migration.MODELS.items()
        for model in models
        for codename in migration.codenames(app_label, model)
    ]
    group.permissions.set(wanted)
    return group


def pick(page, field_id, term, option_text):
    """Choose a value in one of the admin's autocompletes (select2) by typing, as an editor does."""
    page.locator(f"#{field_id} + .select2").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_editor_adds_a_filing_to_181_and_finds_it_in_the_lists(live_server, page, screenshot):
    call_command("load_dataset", verbosity=0)
    editor = UserFactory(username="browser-editor", is_staff=True)
    editor.groups.add(editors_group())

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(live_server.url + reverse("admin:filings_filing_add"))
    pick(page, "id_case", "181", "(No. 181)")
    pick(page, "id_filed_by", "Azerbaijan", "Azerbaijan")
    page.select_option("#id_kind", "letter")
    page.fill("#id_title", "Letter from the Agent of Azerbaijan on the implementation of the Order")
    page.fill("#id_filed_on", "15 March 2025")
    page.fill("#id_document_number", "181-20250315-cor-01-00-en")
    pick(page, "id_sources", "icj-181-20211207-ord", "")
    page.click("input[name=_save]")

    page.wait_for_selector(".messagelist .success")
    filing = Filing.objects.get(case__general_list_number=181, title__startswith="Letter from the Agent")
    assert filing.slug == "2025-03-15-letter"
    assert filing.document_number == "181-20250315-COR-01-00-EN"
    assert list(filing.sources.values_list("key", flat=True)) == ["icj-181-20211207-ord"]
    assert filing.history.get().history_user == editor
    assert page.locator("#result_list", has_text="Letter of Azerbaijan, 15 March 2025 (No. 181)").count() == 1

    page.goto(live_server.url + reverse("admin:cases_case_change", args=[filing.case_id]))
    link = page.locator(".field-filings_list a", has_text="Letter of Azerbaijan, 15 March 2025")
    assert link.count() == 1
    screenshot("admin-case-181-with-new-filing")
    link.click()
    page.wait_for_selector("#id_title")
    assert page.input_value("#id_title") == filing.title
