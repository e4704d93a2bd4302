"""Abuse resistance: the API throttle counts true client addresses atomically, the admin login locks out
after repeated failures, and every response carries a strict Content-Security-Policy."""

import datetime
import os
import re
import threading

import pytest
import redis
from axes.models import AccessAttempt
from django.core.cache import caches
from django.db import connections
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.throttles import client_address
from tests.factories import UserFactory, admin_world, mirror_cases_world
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tracker_api_cache"}
MEMORY_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# A Redis database per test database, so CI's SQLite and PostgreSQL runs, side by side, never clear each other's.
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": f"redis://127.0.0.1:6379/{15 if os.environ.get('DATABASE_URL') else 14}",
}


def throttle_at(settings, anon, user="10000/hour", cache=MEMORY_CACHE):
    # Hour-long windows: a test cannot straddle a window's end, which would start the count again.
    settings.CACHES = {**settings.CACHES, "api": cache}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}
    caches["api"].clear()


# The client's address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.1"),
        (0, "203.0.113.9", "192.0.2.1"),  # the header is ignored without a trusted proxy
        (1, None, "192.0.2.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote is further left
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "192.0.2.1"),  # fewer entries than proxies: not through our proxies
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "not-an-address", "192.0.2.1"),  # a forged entry that is no address: the connection's
    ],
)
def test_client_address_counts_trusted_proxies_from_the_right(settings, proxies, forwarded, expected):
    settings.API_TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)
    assert client_address(request) == expected


def test_a_request_without_an_address_has_none_rather_than_a_made_up_one():
    # A login made in process (force_login) has no REMOTE_ADDR; the lockout's address column takes NULL.
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None


# The API throttle


def test_a_new_x_forwarded_for_on_each_request_does_not_escape_the_limit(api_client, settings):
    throttle_at(settings, anon="10/hour")
    url = reverse("api:source-list")

    statuses = [api_client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(12)]

    assert statuses == [200] * 10 + [429, 429]


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_client(api_client, settings):
    settings.API_TRUSTED_PROXIES = 1
    throttle_at(settings, anon="10/hour")
    url = reverse("api:source-list")

    # The client varies what it writes; the proxy appends the address it really came from.
    spoofed = [api_client.get(url, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7") for n in range(11)]
    other_client = api_client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert [response.status_code for response in spoofed] == [200] * 10 + [429]
    assert 0 < int(spoofed[-1]["Retry-After"]) <= 3600
    assert other_client.status_code == 200


def test_a_token_user_is_counted_by_account_not_address(settings, editor):
    throttle_at(settings, anon="1/hour", user="3/hour")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    url = reverse("api:source-list")

    statuses = [client.get(url, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_together_are_counted_one_by_one_in_the_database_cache(settings):
    throttle_at(settings, anon="5/hour", cache=DATABASE_CACHE)
    url = reverse("api:source-list")
    # One request first, so the list's count is already in the shared cache: the burst then contends for the
    # throttle's counter alone, which is what is measured here.
    statuses, errors = [APIClient().get(url).status_code], []
    connections.close_all()
    start = threading.Barrier(19)

    def request():
        try:
            start.wait()
            statuses.append(APIClient().get(url).status_code)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(19)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(statuses) == [200] * 5 + [429] * 15


def _redis_available(url=REDIS_CACHE["LOCATION"]):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis at 127.0.0.1:6379")
def test_the_throttle_counts_in_redis_in_one_round_trip_and_refuses_past_the_rate(settings):
    # The production path: INCR and EXPIRE in one pipeline, counted across every request of the window.
    throttle_at(settings, anon="3/hour", cache={**REDIS_CACHE})
    url = reverse("api:source-list")
    statuses = [APIClient().get(url).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    [key] = redis.Redis.from_url(REDIS_CACHE["LOCATION"]).keys("*throttle_anon*")
    assert 0 < redis.Redis.from_url(REDIS_CACHE["LOCATION"]).ttl(key) <= 3600 + 60


# The admin login's lockout


def sign_in(client, password, address="192.0.2.1", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_out_from_that_address(client, editor):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    fifth = sign_in(client, "wrong")

    right = sign_in(client, PASSWORD)

    assert fifth.status_code == right.status_code == 429
    assert not signed_in(client)
    page = right.content.decode()
    assert "Signing in is locked" in page and "15 minutes" in page
    assert right["Retry-After"] == str(15 * 60)


def test_the_lockout_is_per_address_and_a_success_elsewhere_is_allowed(client, editor):
    for _ in range(5):
        sign_in(client, "wrong")

    response = sign_in(client, PASSWORD, address="198.51.100.9")

    assert response.status_code == 302 and signed_in(client)


def test_a_forged_x_forwarded_for_does_not_reset_the_count(client, editor):
    for n in range(5):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    assert not signed_in(client)


def test_behind_a_trusted_proxy_the_lockout_follows_the_forwarded_address(client, editor, settings):
    settings.API_TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in(client, "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")

    locked = sign_in(client, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    elsewhere = sign_in(client, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302 and signed_in(client)


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    for _ in range(5):
        sign_in(client, "wrong")
    AccessAttempt.objects.update(attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16))

    assert sign_in(client, PASSWORD).status_code == 302 and signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302


def test_code_that_signs_in_without_a_request_still_can(client, editor):
    # Django's test client calls authenticate() without a request, as a shell would.
    assert client.login(username="editor", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_lockout_settings_come_from_the_environment():
    code = "from django.conf import settings as s; print(s.API_TRUSTED_PROXIES, s.AXES_COOLOFF_TIME.total_seconds())"
    result = manage(
        "shell", "--no-imports", "-c", code, DJANGO_DEBUG="1", API_TRUSTED_PROXIES="2", AXES_COOLOFF_MINUTES="30"
    )
    assert result.stdout.split() == ["2", "1800.0"], result.stderr


# The Content-Security-Policy

SITE_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]


def directives(response):
    return [part.strip() for part in response["Content-Security-Policy"].split(";")]


def inline_code(html):
    """Inline scripts (not data blocks), <style> elements and style attributes in a page."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    return scripts + re.findall(r"<style\b[^>]*>", html) + re.findall(r"\sstyle=", html)


@pytest.fixture
def world(db):
    return mirror_cases_world(rows=1)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("home", lambda: reverse("home")),
        ("case list", lambda: reverse("case-list")),
        ("case", lambda: reverse("case-detail", args=[180])),
        ("search", lambda: reverse("search") + "?q=order"),
        ("not found", lambda: reverse("case-detail", args=[999])),
        ("admin login", lambda: reverse("admin:login")),
        ("API list", lambda: reverse("api:case-list")),
        ("API list in the browser", lambda: reverse("api:case-list") + "?format=api"),
    ],
)
def test_every_page_carries_the_strict_policy(client, world, settings, name, url):
    settings.CACHES = {**settings.CACHES, "api": MEMORY_CACHE}
    response = client.get(url())

    policy = response["Content-Security-Policy"]
    assert set(SITE_DIRECTIVES) <= set(directives(response)), policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if name not in ("API list", "API list in the browser"):  # DRF's browsable API sets a few style attributes
        assert inline_code(response.content.decode()) == []


def test_the_admin_screens_run_no_inline_script(editor_client):
    world = admin_world(rows=1)
    case = world["case"]
    for url in (
        reverse("admin:index"),
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_change", args=[case.pk]),
        reverse("admin:cases_case_history", args=[case.pk]),
        reverse("admin:filings_filing_add"),
    ):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", response.content.decode())
        assert scripts == [], url


def test_swagger_ui_runs_only_its_own_start_up_script(client):
    response = client.get(reverse("api:docs"))

    policy = dict(part.split(" ", 1) for part in directives(response))
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"]).group(1)
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == "'self'" and policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == [f'<script nonce="{nonce}">']
    assert "<style" not in html
    # A new nonce on each response, so one seen in a page cannot be reused.
    assert nonce not in client.get(reverse("api:docs"))["Content-Security-Policy"]


def test_redoc_may_inject_styles_but_runs_no_inline_script(client):
    response = client.get(reverse("api:redoc"))

    policy = dict(part.split(" ", 1) for part in directives(response))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["worker-src"] == "'self' blob:"
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "fonts.googleapis.com" not in html


def test_other_api_pages_keep_the_site_policy(api_client, settings):
    settings.CACHES = {**settings.CACHES, "api": MEMORY_CACHE}
    response = api_client.get(reverse("api:schema"))
    assert set(SITE_DIRECTIVES) <= set(directives(response))


def test_the_lockout_page_carries_the_policy(client, editor):
    for _ in range(5):
        response = sign_in(client, "wrong")
    assert response.status_code == 429
    assert set(SITE_DIRECTIVES) <= set(directives(response))
    assert inline_code(response.content.decode()) == []


def test_a_user_made_by_a_factory_can_still_be_forced_in(client):
    client.force_login(UserFactory(username="staffer", is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
