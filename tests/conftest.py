import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.snapshot import DatasetSnapshot


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


@pytest.fixture(scope="session")
def _dataset_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return DatasetSnapshot.take()


@pytest.fixture(scope="module")
def cerd_dataset(_dataset_snapshot, django_db_blocker):
    """The shipped dataset, in place for one test module and rolled back after it.

    Each test still runs in its own nested transaction (use it with ``db``), so what a test
    writes is undone. The dataset is loaded through the loader once per session and its rows
    put back for each module (tests/snapshot.py), which keeps the data tests fast.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        _dataset_snapshot.restore()
        yield
        transaction.set_rollback(True)
