"""The data version: a number every write to the record changes, so anything derived from the data
(a rendered page, a list's count) can be cached under it and is never served stale after an edit.

The number lives in one database row (core.models.DataVersion) and each write increments it in the
writer's own transaction (``UPDATE ... SET version = version + 1``: one statement, no read first). A reader
that sees the new number therefore sees the write too; a reader that saw the old number may have cached
newer data under it, which is harmless. Signals cover every save, delete and many-to-many change made
through the ORM; bulk writes that bypass signals (the dataset loader's bulk steps, generate_synthetic's
COPY) call ``bump()`` themselves.
"""

import contextlib
import logging
import threading

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

from core.models import DataVersion

logger = logging.getLogger(__name__)

# The apps whose models are the record; a write to any of them changes what pages and lists show.
RECORD_APPS = frozenset({"sources", "parties", "cases", "filings", "decisions", "compliance"})


def shared_cache():
    """The cache every app server process shares: Redis when REDIS_URL is set, a database table otherwise."""
    return caches["shared"]


# What goes into the shared cache can always be made again: a cache that is busy (SQLite's one writer) or
# away must cost the request its shortcut, never its answer.
_CACHE_ERRORS = (DatabaseError, RedisError, ConnectionError, TimeoutError)


def cached(key: str):
    """The shared cache's value at key, or None if it has none or cannot be read."""
    try:
        return shared_cache().get(key)
    except _CACHE_ERRORS:
        logger.warning("The shared cache could not be read; answering without it.", exc_info=True)
        return None


def keep(key: str, value, timeout: int) -> None:
    """Put value in the shared cache, unless it cannot be written just now."""
    try:
        shared_cache().set(key, value, timeout)
    except _CACHE_ERRORS:
        logger.warning("The shared cache could not be written; the next request will build it again.", exc_info=True)


def current() -> str:
    """The data version as a cache-key fragment ("0" before any write)."""
    # Read on every cached page and list count: one plain statement, without compiling an ORM query each time.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {DataVersion._meta.db_table} WHERE id = 1")  # noqa: S608 (a constant)
        row = cursor.fetchone()
    return str(row[0] if row else 0)


_local = threading.local()


@contextlib.contextmanager
def deferred(using=None):
    """One bump at the end of a block of many writes, instead of one per row (the caller's transaction holds them).

    The dataset loader writes about 3,000 rows and many-to-many links: bumping for each cost a tenth of its time.
    """
    depth = getattr(_local, "deferring", 0)
    _local.deferring = depth + 1
    try:
        yield
    finally:
        _local.deferring = depth
    bump(using)


def bump(using=None) -> None:
    """Mark the data as changed, in the current transaction."""
    versions = DataVersion.objects.using(using)
    if not versions.filter(pk=1).update(version=F("version") + 1):
        # Only if the row was deleted by hand: the migration creates it.
        versions.get_or_create(pk=1, defaults={"version": 1})


def _is_record(sender) -> bool:
    # Historical rows are written alongside the record's own save, which already bumps.
    return sender._meta.app_label in RECORD_APPS and not sender.__name__.startswith("Historical")


def _deferring() -> bool:
    return getattr(_local, "deferring", 0) > 0


def _on_write(sender, **kwargs):
    if _is_record(sender) and not kwargs.get("raw") and not _deferring():
        bump()


def _on_m2m(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _is_record(sender) and not _deferring():
        bump()


def connect_signals():
    post_save.connect(_on_write, dispatch_uid="core.dataversion.save")
    post_delete.connect(_on_write, dispatch_uid="core.dataversion.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="core.dataversion.m2m")


def page_cache_timeout() -> int:
    return getattr(settings, "PAGE_CACHE_TIMEOUT", 0)
