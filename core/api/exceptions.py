"""Errors a client can act on: database errors become 400, 412 or 503, never a bare 500."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.serializers import django_errors_to_drf
from core.models import ConcurrentEditError

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


class ServiceUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The database is unavailable; retry shortly."
    default_code = "service_unavailable"
    wait = 30  # DRF's handler sends Retry-After for an exception with `wait`.


def _is_query_canceled(exc) -> bool:
    cause = exc.__cause__
    return getattr(cause, "pgcode", None) == QUERY_CANCELED


def translate(exc, context):
    """The API exception a database or model error means for the client, or `exc` unchanged."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(exc, DjangoValidationError):
        return ValidationError(django_errors_to_drf(exc))
    if isinstance(exc, ConcurrentEditError):
        return PreconditionFailed(str(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        related = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", set())
        blocking = sorted({str(obj) for obj in list(related)[:5]})
        return ValidationError(
            {non_field: [f"Cannot delete: other records still refer to it ({'; '.join(blocking)})."]}
        )
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
