"""Request rates per anonymous client and per user, counted in a cache every app server shares.

Rates come from settings (API_THROTTLE_ANON, API_THROTTLE_USER in the environment) and are read on
each request, so a changed setting applies without a restart of the class. Counts live in the
"api" cache: Redis when REDIS_URL is set, otherwise a database table created by a migration, so that
several gunicorn workers count together (per-process memory would let each worker allow the rate).

Each client has one counter per fixed window (its key names the window's start) that every request
increments atomically, so requests arriving together cannot all read the same count: DRF's own
throttle reads a list of timestamps, appends and writes it back, and lets a burst through.

Anonymous clients are told apart by address: REMOTE_ADDR, unless API_TRUSTED_PROXIES says how many
proxies of ours append to X-Forwarded-For (a client can put anything in the header; only the entries
our proxies appended are true).
"""

import ipaddress
import random
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, router, transaction
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

# A counter outlives its window by this much, so that it cannot expire while its window is counted.
_EXPIRY_MARGIN = 60
# How long the database cache may be busy (SQLite allows one writer at a time) before giving up.
_DATABASE_RETRY_SECONDS = 2.0


def _valid_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client: REMOTE_ADDR, or the one our trusted proxies saw (X-Forwarded-For).

    With N trusted proxies each appends the address it received the request from, so the client's
    address is the N-th entry from the right; anything further left was written by the client.
    Used by the API throttles and by the admin's login lockout (AXES_CLIENT_IP_CALLABLE). Only a
    well-formed IP address is returned (the lockout stores it in an address column); None when the
    request carries none, as a login made in process (force_login) does.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.API_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        # Fewer entries than proxies: the request did not come through our proxies as configured.
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies]) or remote
    return remote


def _increment(cache, key: str, timeout: int) -> int:
    """Add one to the counter at `key` (created at zero if absent) and return the new count, atomically."""
    if isinstance(cache, DatabaseCache):
        return _increment_in_database(cache, key, timeout)
    if isinstance(cache, RedisCache):
        # One round trip: INCR creates the counter at 1 and EXPIRE bounds it; Django's add + incr take three
        # (incr checks that the key exists first), on every API request.
        full_key = cache.make_and_validate_key(key)
        pipeline = cache._cache.get_client(full_key, write=True).pipeline()
        pipeline.incr(full_key)
        pipeline.expire(full_key, timeout)
        count, _ = pipeline.execute()
        return count
    # Redis INCR is atomic, and so is the local-memory cache's incr (it holds a lock).
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request in a fresh counter
        cache.add(key, 1, timeout)
        return 1


def _increment_in_database(cache: DatabaseCache, key: str, timeout: int) -> int:
    """The database cache's incr is a get then a set; lock the counter's row first so requests take turns.

    `touch` updates the row, which holds its lock (PostgreSQL) or the database's write lock (SQLite)
    until the transaction ends, so the get and set inside it see no other request's change. SQLite
    refuses a second writer rather than waiting in some cases; the database cache then reports a
    failed touch, or raises, and the increment is tried again after a short pause.
    """
    database = router.db_for_write(cache.cache_model_class)
    deadline = time.monotonic() + _DATABASE_RETRY_SECONDS
    while True:
        try:
            cache.add(key, 0, timeout)
            with transaction.atomic(using=database):
                if cache.touch(key, timeout):
                    return cache.incr(key)
        except (DatabaseError, ValueError) as error:
            # Only contention is worth waiting for; with the database away, the 503 should come at once.
            if time.monotonic() > deadline or not _is_contention(error):
                raise
        else:
            if time.monotonic() > deadline:
                raise DatabaseError(f"The throttle counter {key} stayed locked for {_DATABASE_RETRY_SECONDS} s.")
        time.sleep(random.uniform(0.002, 0.02))


def _is_contention(error) -> bool:
    """A counter busy with another request (SQLite's lock, PostgreSQL's lock or serialization), or evicted."""
    if isinstance(error, ValueError):
        return True
    text = str(error).lower()
    return any(word in text for word in ("locked", "lock", "could not serialize", "deadlock"))


class _SharedRateThrottle(SimpleRateThrottle):
    def __init__(self):
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_address(request) or "unknown"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        ident = self.get_cache_key(request, view)
        if ident is None:
            return True
        now = time.time()
        window_start = int(now // self.duration) * self.duration
        self.remaining = window_start + self.duration - now
        timeout = int(self.remaining) + _EXPIRY_MARGIN
        return _increment(self.cache, f"{ident}:{window_start}", timeout) <= self.num_requests

    def wait(self):
        """Seconds until the window ends and the count starts again (sent as Retry-After)."""
        return self.remaining


class AnonRateThrottle(_SharedRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(_SharedRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
