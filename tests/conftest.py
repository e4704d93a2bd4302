import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import UserFactory


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
