"""Errors a client can act on: database errors become 400, 409, 412 or 503, never a bare 500."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.serializers import django_errors_to_drf
from core.models import CitedError, ConcurrentEditError

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The object changed since you read it: GET it again, reapply your change, send the new ETag."
    default_code = "precondition_failed"


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Send If-Match with the ETag of the object you read (or '*' to overwrite regardless)."
    default_code = "precondition_required"


class MalformedIfMatch(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = (
        "If-Match must be '*' alone, or one or more ETags as the API sent them (\"v3-...\"), separated by commas."
    )
    default_code = "malformed_if_match"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Cannot delete: other records still refer to it."
    default_code = "cited"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable; retry shortly."
    default_code = "service_unavailable"
    wait = 5  # DRF's handler sends Retry-After for an exception with `wait`; the middleware says 5 too.


def _is_query_canceled(exc) -> bool:
    cause = exc.__cause__
    return getattr(cause, "pgcode", None) == QUERY_CANCELED


def translate(exc, context):
    """The API exception a database or model error means for the client, or `exc` unchanged."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(exc, RequestDataTooBig):
        # Django raises it when the body is first read (request.data); stock handling is an HTML 400.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return PayloadTooLarge(
            f"The request body is over the limit of {limit / 2**20:g} MB ({limit} bytes); no resource needs that much."
        )
    if isinstance(exc, DjangoValidationError):
        return ValidationError(django_errors_to_drf(exc))
    if isinstance(exc, ConcurrentEditError):
        return PreconditionFailed(str(exc))
    if isinstance(exc, CitedError):
        # The request is fine; the record's state forbids it: remove the citations first.
        return Conflict(str(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        related = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", set())
        blocking = sorted({str(obj) for obj in list(related)[:5]})
        return Conflict(f"Cannot delete: other records still refer to it ({'; '.join(blocking)}).")
    if isinstance(exc, IntegrityError):
        # A race the serializer's checks could not see (two creates with the same key at once).
        return ValidationError({non_field: ["This conflicts with a record saved at the same moment; try again."]})
    if isinstance(exc, DataError):
        return ValidationError({non_field: ["A value is out of range or malformed for the database."]})
    if isinstance(exc, OperationalError) and _is_query_canceled(exc):
        request = context.get("request")
        if request is not None and request.query_params.get("q"):
            return ValidationError({"q": ["This search is too broad to answer in time; add more specific words."]})
        return ServiceUnavailable("The query took too long; retry, or narrow the filters.")
    if isinstance(exc, (OperationalError, InterfaceError)) and not isinstance(exc, ConcurrentEditError):
        logger.exception("Database unavailable while answering an API request")
        return ServiceUnavailable()
    return exc


def exception_handler(exc, context):
    translated = translate(exc, context)
    if isinstance(exc, DatabaseError) and translated is exc:
        return None
    return drf_exception_handler(translated, context)


class UnknownAddressView(APIView):
    """Every address under the API that no route takes: a JSON 404 like the API's other errors.

    Routed last, it also stands in for CommonMiddleware's APPEND_SLASH (which only redirects a path
    that matches no route, and now every path under the API matches this one): a read of a known
    address without its trailing slash is redirected; a write is told the address, since a
    redirect would drop its body.
    """

    authentication_classes = []
    permission_classes = []
    schema = None  # not an endpoint of the API

    def unknown(self, request, *args, **kwargs):
        path = request.path_info
        if settings.APPEND_SLASH and not path.endswith("/") and self._is_routed(f"{path}/", request):
            slashed = request._request.get_full_path(force_append_slash=True)
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(slashed)
            raise NotFound(f"No such address; the resource is at {slashed} (with a trailing slash).")
        raise NotFound("No such address in the API; its root lists the resources.")

    get = head = post = put = patch = delete = options = unknown

    def _is_routed(self, path, request) -> bool:
        try:
            match = resolve(path, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return getattr(match.func, "view_class", None) is not type(self)
