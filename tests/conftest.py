import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _pages_rendered_for_each_request(settings):
    """Page tests count and inspect the rendering; tests/test_page_cache.py turns the shared page cache on."""
    settings.PAGE_CACHE_TIMEOUT = 0


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def editor(db):
    """A staff user in the Editors group (created by a data migration)."""
    user = UserFactory(username="editor", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Editors")
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture(scope="module")
def cerd_dataset(django_db_setup, django_db_blocker):
    """The shipped dataset, loaded once per test module and rolled back after it.

    Each test still runs in its own nested transaction (use it with ``db``), so what a test
    writes is undone; loading once instead of once per test keeps the data tests fast.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_dataset", verbosity=0)
        yield
        transaction.set_rollback(True)
