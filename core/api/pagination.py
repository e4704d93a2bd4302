"""Page numbers for browsing, cursors for crawling a whole collection.

``?page=2&page_size=100`` pages through the current ordering (page_size capped at
API_MAX_PAGE_SIZE), down to API_MAX_PAGE_OFFSET rows in. Its ``count`` is exact, counted once per
data version (core.dataversion) and then read from the shared cache, so a list does not count the
table on every request. ``?pagination=cursor`` (and then the ``next`` links, which carry ``cursor=``)
walks the collection in id order without counting rows or skipping deep offsets, so a crawler sees
every row exactly once even when rows are added meanwhile.
"""

import hashlib
from base64 import b64decode
from functools import partial
from urllib import parse

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

from core import dataversion
from core.api.filters import COMMON_LIST_PARAMS

PAGINATION_MODES = ("page", "cursor")
# A count is keyed by the data version, so a write makes it unreachable at once; the timeout only lets
# the shared cache drop counts of versions long gone.
COUNT_CACHE_TIMEOUT = 24 * 60 * 60


def cached_count(object_list, what: str | None = None) -> int:
    """How many rows a queryset (a values() one too) or a list holds, counted at most once per data version.

    The key is the data version and either `what` the caller says is counted (an API list's path and
    filter parameters, which determine its rows) or a digest of the counted query's SQL and parameters:
    the same filters give the same key in every app server process, and any committed write gives a new one.
    """
    if not hasattr(object_list, "query"):
        return len(object_list)
    if what is None:
        try:
            sql, params = object_list.order_by().query.sql_with_params()
        except EmptyResultSet:  # a filter no row can match (an empty __in): nothing to count
            return 0
        what = repr((sql, params))
    digest = hashlib.sha256(repr((object_list.db, what)).encode()).hexdigest()
    key = f"count:{dataversion.current()}:{digest}"
    count = dataversion.cached(key)
    if count is None:
        count = object_list.count()
        dataversion.keep(key, count, COUNT_CACHE_TIMEOUT)
    return count


class CountCachedPaginator(Paginator):
    """Django's Paginator with its count from the shared cache (see cached_count)."""

    def __init__(self, *args, counted: str | None = None, **kwargs):
        # What is counted, when the caller can name it more cheaply than by compiling the query.
        self.counted = counted
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self):
        return cached_count(self.object_list, self.counted)


# The parameters every list takes besides its filters choose a page, its order or its shape, never which
# rows are counted.
_NOT_COUNTED = COMMON_LIST_PARAMS


def _counted(request) -> str:
    """An API list's rows, named by its path and filter parameters (its viewset's queryset is fixed)."""
    params = sorted((k, v) for k, values in request.query_params.lists() if k not in _NOT_COUNTED for v in values)
    return repr((request.path, params))


def _page_size(request, param, default, maximum):
    raw = request.query_params.get(param)
    if raw is None:
        return default
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValidationError({param: [f"Must be a whole number from 1 to {maximum}."]})
    return min(int(raw), maximum)


class PageNumbers(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    django_paginator_class = CountCachedPaginator

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        number = raw is not None and raw.isascii() and raw.isdigit() and int(raw) >= 1
        if raw is not None and raw not in self.last_page_strings and not number:
            raise ValidationError({self.page_query_param: ["Must be a page number from 1, or 'last'."]})
        counted = _counted(request)
        self.django_paginator_class = partial(CountCachedPaginator, counted=counted)
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        # A number is checked before anything is counted; 'last' becomes the number of pages, so counts.
        number = super().get_page_number(request, paginator)
        offset = (int(number) - 1) * paginator.per_page
        limit = settings.API_MAX_PAGE_OFFSET
        if offset > limit:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Page {number} starts {offset:,} rows in; page numbers reach {limit:,} rows in. "
                        "To read the whole collection, crawl it with pagination=cursor and follow the next links."
                    ]
                }
            )
        return number


def _cursor_tokens(encoded: str) -> dict:
    """The fields of a cursor as DRF encodes them (o, r, p), or {} when there are none."""
    try:
        return parse.parse_qs(b64decode(encoded.encode("ascii")).decode("ascii"), keep_blank_values=True)
    except ValueError:  # binascii.Error and UnicodeError are ValueErrors
        return {}


class IdCursor(pagination.CursorPagination):
    page_size_query_param = "page_size"
    ordering = "id"

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_ordering(self, request, queryset, view):
        # Only a unique, never-null column keeps a cursor walk from skipping or repeating rows.
        requested = request.query_params.get("ordering")
        if requested is None:
            return ("id",)
        if requested in ("id", "-id"):
            return (requested,)
        raise ValidationError({"ordering": ["With cursor pagination the ordering is id or -id."]})

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and not _cursor_tokens(encoded):
            # DRF reads a cursor with nothing in it (empty, or only characters base64 skips, such
            # as a NUL) as the first page: a mangled link would silently start the walk again.
            raise ValidationError({"cursor": ["Invalid cursor: use the next or previous link of a response."]})
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = False
        except UnicodeError:
            cursor = False
        if cursor is False or (cursor is not None and cursor.position is not None and not cursor.position.isdigit()):
            raise ValidationError({"cursor": ["Invalid cursor: use the next or previous link of a response."]})
        return cursor


class ApiPagination(pagination.BasePagination):
    """Page numbers by default; cursors with ?pagination=cursor or ?cursor=."""

    def __init__(self):
        self.pages = PageNumbers()
        self.cursor = IdCursor()
        self.active = self.pages

    def paginate_queryset(self, queryset, request, view=None):
        mode = request.query_params.get("pagination", "cursor" if "cursor" in request.query_params else "page")
        if mode not in PAGINATION_MODES:
            raise ValidationError({"pagination": [f"Must be one of: {', '.join(PAGINATION_MODES)}."]})
        if mode == "page" and "cursor" in request.query_params:
            raise ValidationError({"cursor": ["A cursor needs pagination=cursor (or no pagination parameter)."]})
        self.active = self.cursor if mode == "cursor" else self.pages
        return self.active.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.active.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        page_schema = self.pages.get_paginated_response_schema(schema)
        page_schema["required"] = ["next", "previous", "results"]
        page_schema["properties"]["count"]["description"] = "Total rows (page-number pagination only)."
        return page_schema

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "pagination",
                "required": False,
                "in": "query",
                "description": "page (default: page numbers, with a count) or cursor (crawl the whole "
                "collection in id order; follow the next links).",
                "schema": {"type": "string", "enum": list(PAGINATION_MODES)},
            },
            {
                "name": self.pages.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number from 1 (page-number pagination; also 'last'). A page past the last "
                f"is a 404. A page starting more than {settings.API_MAX_PAGE_OFFSET} rows in (page_size times the "
                "page number less one) is a 400: crawl with pagination=cursor instead.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.pages.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, from 1; more than {settings.API_MAX_PAGE_SIZE} gives "
                f"{settings.API_MAX_PAGE_SIZE}. Default {settings.API_PAGE_SIZE}.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Opaque position from a next or previous link (cursor pagination; with "
                "pagination=page it is a 400).",
                "schema": {"type": "string"},
            },
        ]

    def get_results(self, data):
        return data["results"]
