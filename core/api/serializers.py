"""The base every API serializer shares: ?fields= / ?omit=, strict input, model validation, history user."""

import copy
import re
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings


def django_errors_to_drf(error: DjangoValidationError) -> dict | list:
    """A Django ValidationError as DRF's error shape, with model-level errors as non_field_errors."""
    if hasattr(error, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


# A date on the API is YYYY-MM-DD and nothing else. DRF's "iso-8601" input format goes through
# Django's parse_date, which also takes 2023-2-3, full-width digits (２０２３-０２-０３), ISO weeks
# (2023-W01-1) and 20230103: a typo would be read as some date instead of being refused.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_FORMAT = "YYYY-MM-DD"

# JSON can carry half of a UTF-16 pair ("\ud800"), which Python decodes to a lone surrogate: not a
# character, it cannot be encoded as UTF-8, so a response that echoes it back cannot be sent.
_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = (
    "Contains an unpaired surrogate (a lone \\u escape in the range D800-DFFF), which is not a character; "
    "send valid Unicode text."
)


def contains_surrogate(value) -> bool:
    """Whether a string anywhere in parsed JSON (a key or a value, at any depth) holds a lone surrogate."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return False


class StrictDateField(serializers.DateField):
    """A date written as YYYY-MM-DD, and only so (see ISO_DATE)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and not ISO_DATE.fullmatch(value):
            self.fail("invalid", format=DATE_FORMAT)
        return super().to_internal_value(value)


# ?expand=all adds every expandable field of a list (see select_fields).
EXPAND_ALL = "all"


def expandable_fields(serializer_class) -> tuple:
    """The fields a list leaves out unless asked for: the serializer's ``Meta.expandable``, in declared order."""
    return tuple(getattr(getattr(serializer_class, "Meta", None), "expandable", ()))


def is_list_read(view) -> bool:
    """Whether the view answers with a list (where expandable fields are left out unless asked for)."""
    return getattr(view, "action", None) == "list"


class FieldSelectionMixin:
    """On reads, ``?fields=a,b`` keeps only those fields and ``?omit=a,b`` drops them; an unknown name is a 400.

    In a list, the fields named in ``Meta.expandable`` (long lists of nested objects) are left out
    unless ``?expand=`` or ``?fields=`` names them (see select_fields).
    """

    def _is_top_level(self) -> bool:
        root = self.root
        return root is self or (isinstance(root, serializers.ListSerializer) and root.child is self)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or request.method not in SAFE_METHODS or not self._is_top_level():
            return fields
        expandable = expandable_fields(type(self)) if is_list_read(self.context.get("view")) else None
        return select_fields(fields, getattr(request, "query_params", request.GET), expandable)


def _names(query, param) -> list[str]:
    return [name.strip() for value in query.getlist(param) for name in value.split(",") if name.strip()]


def _expanded(query, expandable) -> set[str]:
    """The expandable fields ``?expand=`` names (all of them for ``all``); a 400 naming any other name."""
    names = _names(query, "expand")
    unknown = [name for name in names if name != EXPAND_ALL and name not in expandable]
    if unknown:
        if expandable:
            allowed = f"Expandable: {', '.join(expandable)} (or {EXPAND_ALL})."
        else:
            allowed = f"This list leaves nothing out, so it has nothing to expand ({EXPAND_ALL} is accepted)."
        raise serializers.ValidationError({"expand": [f"Cannot expand: {', '.join(unknown)}. {allowed}"]})
    return set(expandable) if EXPAND_ALL in names else set(names)


def select_fields(fields: dict, query, expandable: tuple | None = None) -> dict:
    """The fields ``?fields=`` and ``?omit=`` keep (a 400 naming any unknown name), in their declared order.

    ``expandable`` is given for a list (None for a detail): those fields are kept only when ``?expand=``
    names them (or ``all``) or ``?fields=`` does, a field ``expand`` names is kept even if ``fields``
    does not name it, and ``omit`` drops a field whatever else names it. An unknown or non-expandable
    name in ``expand`` is a 400 that lists the expandable fields.

    The API's read path (core.api.reads) selects from the field names alone, without building the fields.
    """
    expanded = _expanded(query, expandable) if expandable is not None else set()
    wanted = set(expanded)
    for param in ("fields", "omit"):
        if param not in query:
            continue
        names = _names(query, param)
        unknown = [name for name in names if name not in fields]
        if unknown:
            raise serializers.ValidationError(
                {param: [f"Unknown field(s): {', '.join(unknown)}. Fields: {', '.join(fields)}."]}
            )
        if param == "fields":
            wanted.update(names)
            fields = {name: field for name, field in fields.items() if name in names or name in expanded}
        else:
            fields = {name: field for name, field in fields.items() if name not in names}
    if expandable:
        fields = {name: field for name, field in fields.items() if name not in expandable or name in wanted}
    return fields


class ApiModelSerializer(FieldSelectionMixin, serializers.ModelSerializer):
    """Explicit fields, plus what every resource needs.

    - On reads, ``?fields=a,b`` keeps only those fields and ``?omit=a,b`` drops them; an unknown
      name is a 400.
    - On writes, a field the resource does not have is a 400 naming it (a misspelt field would
      otherwise be ignored and the write answer 200), a lone surrogate in any string is a 400, and
      dates are YYYY-MM-DD only.
    - On writes, the model's own ``clean()``, unique checks and ``Meta.constraints`` run before
      saving (ModelSerializer does not call full_clean), so a broken invariant is a 400 with the
      model's message, never an IntegrityError.
    - The request's user is recorded as the history user of every save.
    """

    class Meta:
        # Uniqueness (including conditional UniqueConstraints) is checked by the model below, with
        # its own messages, instead of by DRF's generated validators.
        validators = []

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: StrictDateField,
    }

    # --- input --------------------------------------------------------------------------------

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = self.input_errors(data)
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def input_errors(self, data: Mapping) -> dict[str, list[str]]:
        """Keys the resource does not have, and strings that are not text; each a field error."""
        non_field = api_settings.NON_FIELD_ERRORS_KEY
        errors: dict[str, list[str]] = {}
        for key, value in data.items():
            if contains_surrogate(key):
                # The key itself cannot be echoed back as the error's name.
                errors[non_field] = [f"A field name: {SURROGATE_MESSAGE}"]
            elif contains_surrogate(value):
                errors[key] = [SURROGATE_MESSAGE]
        if errors:
            return errors
        writable = [name for name, field in self.fields.items() if not field.read_only]
        # A read-only field sent back (a representation as the API gave it) is ignored, as DRF does.
        for key in data:
            if key not in self.fields:
                errors[key] = [f"Unknown field. Writable fields: {', '.join(writable)}."]
        return errors

    # --- validation -------------------------------------------------------------------------

    def build_candidate(self, attrs):
        """The instance as it would be saved, without saving it or touching self.instance."""
        model = self.Meta.model
        if self.instance is not None:
            candidate = copy.copy(self.instance)
            candidate._state = copy.copy(self.instance._state)
            candidate._state.fields_cache = dict(self.instance._state.fields_cache)
        else:
            candidate = model()
        concrete = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in concrete:
                setattr(candidate, name, value)
        return candidate

    def validate_candidate(self, candidate, attrs):
        """Hook for checks that need the candidate and the many-to-many values (raise DjangoValidationError)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        candidate = self.build_candidate(attrs)
        errors: dict[str, list] = {}
        checks = (
            candidate.clean,
            candidate.validate_unique,
            candidate.validate_constraints,
            lambda: self.validate_candidate(candidate, attrs),
        )
        for check in checks:
            if errors and check is checks[-1]:
                break  # the hook may rely on the basic invariants holding
            try:
                check()
            except DjangoValidationError as error:
                converted = django_errors_to_drf(error)
                for field, messages in converted.items():
                    errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    # --- saving -------------------------------------------------------------------------------

    def stamp_history_user(self, instance):
        # HistoryRequestMiddleware reads request.user, which for token authentication is only set
        # once DRF authenticates; naming the user on the instance makes it explicit.
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            instance._history_user = request.user

    def create(self, validated_data):
        model = self.Meta.model
        many = {
            field.name: validated_data.pop(field.name)
            for field in model._meta.many_to_many
            if field.name in validated_data
        }
        instance = model(**{k: v for k, v in validated_data.items() if k in self._concrete_names()})
        self.stamp_history_user(instance)
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        self.stamp_history_user(instance)
        model = self.Meta.model
        many = {
            field.name: validated_data.pop(field.name)
            for field in model._meta.many_to_many
            if field.name in validated_data
        }
        for name, value in validated_data.items():
            if name in self._concrete_names():
                setattr(instance, name, value)
        instance.save()
        for name, value in many.items():
            getattr(instance, name).set(value)
        return instance

    def _concrete_names(self):
        return {field.name for field in self.Meta.model._meta.concrete_fields}


# Every fact-bearing resource ends with these, as the dataset files do.
FACT_FIELDS = ["sources", "confidence", "note", "version", "created_at", "updated_at"]
