"""A client generated from the API's schema works as it is: it reads, creates, edits with If-Match, and
gets a stale edit back as a typed 412, against a live development server.

openapi-python-client (pinned in requirements-dev.txt) generates the client into a temporary folder
from the schema the API serves, offline, and must not warn: a warning means part of the API is
missing from the client. Its only setting maps the dataset's application/zip download, a content type
the generator does not know, to a binary file.
"""

import datetime
import importlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from rest_framework.authtoken.models import Token

from filings.models import Filing
from tests.factories import CaseFactory, FilingFactory, PartyFactory, SourceFactory, VoteFactory

pytestmark = pytest.mark.django_db

PACKAGE = "tracker_client"
GENERATOR_CONFIG = "content_type_overrides:\n  application/zip: application/octet-stream\n"
WRITE_PERMS = ["add_filing", "change_filing", "view_filing"]


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory, django_db_blocker):
    """The generated package, imported from a temporary folder (generated once for the module)."""
    folder = tmp_path_factory.mktemp("generated")
    schema_file = folder / "schema.yaml"
    with django_db_blocker.unblock():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    schema_file.write_bytes(OpenApiYamlRenderer().render(schema))
    config_file = folder / "config.yaml"
    config_file.write_text(GENERATOR_CONFIG)
    executable = Path(sys.executable).parent / "openapi-python-client"
    # The generator formats its output with ruff, found on PATH next to it.
    env = {**os.environ, "PATH": f"{executable.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    completed = subprocess.run(
        [
            str(executable),
            "generate",
            "--path",
            str(schema_file),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(config_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def live_server_url(db, settings):
    """Django's development server on a free port, sharing the test's database connection (as
    tests/test_api_hardening.py's dev_server does), so it sees the test's rows and its writes are
    rolled back with the test. The handler's "close old connections" receivers are disconnected, as
    Django's test client does, so that the shared connection stays open on PostgreSQL too."""
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    connection = connections["default"]
    connection.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = WSGIServer(("127.0.0.1", 0), _QuietHandler, ipv6=False)
    server.set_app(get_internal_wsgi_application())

    def serve():
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()


@pytest.fixture
def token(editor):
    editor.user_permissions.add(*Permission.objects.filter(codename__in=WRITE_PERMS))
    return Token.objects.create(user=editor).key


def test_the_generated_client_reads_creates_edits_and_gets_a_stale_edit_as_a_typed_412(
    generated_client, live_server_url, token
):
    client_module = generated_client
    filings = importlib.import_module(f"{PACKAGE}.api.filings")
    models = importlib.import_module(f"{PACKAGE}.models")
    list_filings = importlib.import_module(f"{filings.__name__}.filings_list")
    retrieve_filing = importlib.import_module(f"{filings.__name__}.filings_retrieve")
    create_filing = importlib.import_module(f"{filings.__name__}.filings_create")
    edit_filing = importlib.import_module(f"{filings.__name__}.filings_partial_update")
    existing = FilingFactory(title="Application instituting proceedings")
    case, party, source = CaseFactory(), PartyFactory(), SourceFactory()

    with client_module.Client(base_url=live_server_url) as anonymous:
        listed = list_filings.sync_detailed(client=anonymous)
        detail = retrieve_filing.sync_detailed(id=existing.pk, client=anonymous)

    assert listed.status_code == 200, listed.content
    assert isinstance(listed.parsed, models.PaginatedFilingList)
    assert [filing.id for filing in listed.parsed.results] == [existing.pk]
    assert detail.status_code == 200, detail.content
    assert isinstance(detail.parsed, models.Filing)
    assert detail.parsed.title == "Application instituting proceedings"
    assert detail.parsed.case.id == existing.case_id

    with client_module.AuthenticatedClient(base_url=live_server_url, token=token, prefix="Token") as editor:
        created = create_filing.sync_detailed(
            client=editor,
            body=models.FilingRequest(
                case=case.pk,
                slug="2023-01-03-letter",
                filed_by=party.pk,
                kind=models.FilingKindEnum.LETTER,
                title="Letter from the Agent",
                filed_on=datetime.date(2023, 1, 3),
                sources=[source.pk],
            ),
        )
        assert created.status_code == 201, created.content
        assert isinstance(created.parsed, models.Filing)
        read_etag = created.headers["ETag"]

        edited = edit_filing.sync_detailed(
            id=created.parsed.id,
            client=editor,
            body=models.PatchedFilingRequest(title="Letter from the Agent of the Applicant"),
            if_match=read_etag,
        )
        stale = edit_filing.sync_detailed(
            id=created.parsed.id,
            client=editor,
            body=models.PatchedFilingRequest(title="A change made on a stale copy"),
            if_match=read_etag,
        )

    assert created.headers["Location"] == created.parsed.api_url
    assert edited.status_code == 200, edited.content
    assert isinstance(edited.parsed, models.Filing)
    assert edited.parsed.title == "Letter from the Agent of the Applicant"
    assert stale.status_code == 412, stale.content
    assert isinstance(stale.parsed, models.Error)
    assert "changed since you read it" in stale.parsed.detail
    assert Filing.objects.get(pk=created.parsed.id).title == "Letter from the Agent of the Applicant"


def test_the_generated_client_lists_compact_records_and_expands_them_on_request(generated_client, live_server_url):
    provisions = importlib.import_module(f"{PACKAGE}.api.provisions")
    models = importlib.import_module(f"{PACKAGE}.models")
    list_provisions = importlib.import_module(f"{provisions.__name__}.provisions_list")
    retrieve_provision = importlib.import_module(f"{provisions.__name__}.provisions_retrieve")
    unset = importlib.import_module(f"{PACKAGE}.types").Unset
    vote = VoteFactory(vote="against")
    provision = vote.provision

    with generated_client.Client(base_url=live_server_url) as anonymous:
        compact = list_provisions.sync_detailed(client=anonymous)
        expanded = list_provisions.sync_detailed(
            client=anonymous,
            expand=[models.ProvisionsListExpandItem.JUDGES_AGAINST, models.ProvisionsListExpandItem.COMPLIANCE_CLAIMS],
        )
        everything = list_provisions.sync_detailed(client=anonymous, expand=[models.ProvisionsListExpandItem.ALL])
        detail = retrieve_provision.sync_detailed(id=provision.pk, client=anonymous)

    assert compact.status_code == expanded.status_code == everything.status_code == 200, compact.content
    (item,) = compact.parsed.results
    assert isinstance(item, models.ProvisionListItem)
    assert item.id == provision.pk and item.paragraph == provision.paragraph
    assert isinstance(item.judges_against, unset) and isinstance(item.compliance_claims, unset)
    (item,) = expanded.parsed.results
    assert [judge.slug for judge in item.judges_against] == [vote.judge.slug]
    assert item.compliance_claims == [] and isinstance(item.judges_for, unset)
    assert isinstance(detail.parsed, models.Provision)
    assert everything.parsed.results[0].to_dict() == detail.parsed.to_dict()
