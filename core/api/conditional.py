"""ETags on every read, If-None-Match (304) and If-Match (412/428) on every write.

A detail's ETag is ``"v<version>-<digest>"``: the digest of the body answers If-None-Match
(a nested summary that changed changes the body, so a 304 is never stale), and the version answers
If-Match (the object's own version column, which the save checks atomically with
``UPDATE ... WHERE version = <the version you sent>``). A list's ETag is the digest of its body.
"""

import hashlib
import re

from django.db import transaction
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from rest_framework import status
from rest_framework.response import Response

from core.api.exceptions import MalformedIfMatch, PreconditionFailed, PreconditionRequired

# A version has at most 20 digits (a PositiveIntegerField holds far fewer); a longer number cannot
# match, and int() of one over 4,300 digits raises instead of converting.
_VERSION_TAG = re.compile(r'"v(\d{1,20})(?:-[0-9a-f]*)?"')
# One element of an If-Match list (RFC 9110, 8.8.3 and 5.6.1): an entity-tag, or nothing between
# two commas, then a comma or the end. Header values arrive decoded as latin-1, so obs-text is
# \x80-\xff.
_IF_MATCH_ELEMENT = re.compile(r'[ \t]*(?:((?:W/)?"[\x21\x23-\x7e\x80-\xff]*")[ \t]*)?(?:,|\Z)')


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _weak_equal(a: str, b: str) -> bool:
    return a.removeprefix("W/") == b.removeprefix("W/")


def _if_match_tags(header: str) -> list[str] | None:
    """The entity-tags of an If-Match header, None for ``*``; 400 for anything else.

    ``*`` stands alone: ``*, garbage`` is not a wildcard, and a list with something that is not an
    entity-tag is refused rather than read as the tags it happens to contain.
    """
    if header.strip(" \t") == "*":
        return None
    tags, position = [], 0
    while position < len(header):
        match = _IF_MATCH_ELEMENT.match(header, position)
        if match is None or match.end() == position:
            raise MalformedIfMatch()
        if match.group(1):
            tags.append(match.group(1))
        position = match.end()
    if not tags:
        raise MalformedIfMatch()
    return tags


def expected_version(request, current_version: int) -> int:
    """The version the client's If-Match says it read; 428 without it, 412 when it is stale."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    tags = _if_match_tags(header)
    if tags is None:
        return current_version
    # If-Match compares strongly: a W/ tag never matches.
    versions = {int(match.group(1)) for tag in tags if (match := _VERSION_TAG.fullmatch(tag))}
    if current_version in versions:
        return current_version
    raise PreconditionFailed()


class ConditionalMixin:
    """For viewsets over VersionedModel: ETag, Last-Modified, 304, and If-Match on writes."""

    _etag_object = None

    def get_object(self):
        obj = super().get_object()
        self._etag_object = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        digest = hashlib.sha256(response.content).hexdigest()[:20]
        obj = self._etag_object if self.action == "retrieve" else None
        etag = f'"v{obj.version}-{digest}"' if obj is not None else f'"{digest}"'
        response["ETag"] = etag
        if obj is not None:
            response["Last-Modified"] = http_date(obj.updated_at.timestamp())
        patch_vary_headers(response, ["Accept"])
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match and any(tag == "*" or _weak_equal(tag, etag) for tag in _tags(if_none_match)):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Last-Modified", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    # --- writes ------------------------------------------------------------------------------
    # The precondition is checked before the body is validated: a stale editor learns first that
    # the object changed, not what is wrong with a change they must redo anyway.

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        version = expected_version(request, instance.version)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        # The save's conditional UPDATE checks this version in the database itself, so an edit
        # that lands between this check and the save is still refused (ConcurrentEditError, 412).
        instance.version = version
        with transaction.atomic():
            self.perform_update(serializer)
        return self.retrieve_after_write(serializer.instance, status.HTTP_200_OK)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            self.perform_create(serializer)
        response = self.retrieve_after_write(serializer.instance, status.HTTP_201_CREATED)
        # str(): the serializer gives a DRF Hyperlink (a str subclass), and wsgiref, the server of
        # `manage.py runserver`, refuses any header value that is not exactly a str (a 500).
        response["Location"] = str(response.data["api_url"])
        return response

    def retrieve_after_write(self, instance, status_code):
        """The written object as a GET would show it (fresh from the database), with its new ETag."""
        fresh = self.get_queryset().get(pk=instance.pk)
        self._etag_object = fresh
        serializer = self.get_serializer(fresh)
        response = Response(serializer.data, status=status_code)
        response["ETag"] = f'"v{fresh.version}"'
        return response

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        version = expected_version(request, instance.version)
        with transaction.atomic():
            locked = type(instance).objects.select_for_update().filter(pk=instance.pk, version=version).first()
            if locked is None:
                raise PreconditionFailed()
            if request.user.is_authenticated:
                locked._history_user = request.user
            locked.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
