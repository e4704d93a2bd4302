"""The OpenAPI schema, told as the API behaves: what a generated client needs to read, write and fail.

drf-spectacular describes the success of each operation from its serializer; this AutoSchema adds
what the API's shared machinery does around it (core.api.conditional, exceptions, filters,
pagination, serializers):

- writes of an existing object take ``If-Match`` (required: 428 without it, 412 when stale);
  reads take ``If-None-Match`` (304) and answer with an ``ETag``;
- every operation lists its error statuses, all with the one ``Error`` body;
- reads are open to anonymous clients; writes need a token or a session;
- reads take ``fields`` / ``omit``, so no property of a resource is ``required`` in a response;
- lists take ``expand``; where a resource leaves fields out of its list (``Meta.expandable``), the
  list's items are a component of their own, ``<Resource>ListItem``, that says which and when they
  are present (the detail's component is the resource's as before, and the page keeps its name
  ``Paginated<Resource>List``);
- CSV responses are text, not the JSON schema;
- ids are integers from 1 to 2^63-1, in paths, bodies and filters; a fact's ``sources`` is never
  empty; a document number has the Court's form; a URL field holds an IRI or nothing.
"""

import inspect

from django_filters.rest_framework import MultipleChoiceFilter
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny, DjangoModelPermissionsOrAnonReadOnly

from core.api.conditional import ConditionalMixin
from core.api.fields import id_schema
from core.api.filters import IdFilter
from core.api.serializers import EXPAND_ALL, FieldSelectionMixin, expandable_fields, is_list_read
from core.documents import DOCUMENT_TYPES, LANGUAGES, validate_document_number

JSON = "application/json"
CSV = "text/csv"
ERROR_COMPONENT = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}

# The canonical form normalize_document_number() stores and the API shows (or an empty string).
# Lower case, a trailing .pdf and a general list number without its leading zeros are accepted on
# write too, and normalised to this form.
DOCUMENT_NUMBER_PATTERN = (
    rf"^[0-9]{{3}}-[0-9]{{8}}-({'|'.join(DOCUMENT_TYPES)})-[0-9]{{2}}-[0-9]{{2}}-({'|'.join(LANGUAGES)})$"
)

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every error of the API has this body. An error about the request as a whole (not found, "
        "not permitted, a stale If-Match, throttled) is `detail`; an error about the body or the query "
        "is one list of messages per field or query parameter, under its name (`non_field_errors` for "
        "the object as a whole, `unknown_parameters` for query parameters the endpoint does not take). "
        "Asked for CSV (`?format=csv` or `Accept: text/csv`), the same messages come as CSV rows "
        "`field,message`."
    ),
    "properties": {
        "detail": {"type": "string", "description": "What is wrong with the request as a whole."},
        "non_field_errors": {
            "type": "array",
            "items": {"type": "string"},
            "description": "What is wrong with the object as a whole (a broken rule that involves several fields).",
        },
    },
    "additionalProperties": {
        "type": "array",
        "items": {"type": "string"},
        "description": "What is wrong with the field or query parameter of this name.",
    },
    "minProperties": 1,
}

# status: (description, response headers)
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}}
ERRORS = {
    "400": "Invalid request: a query parameter that is unknown or invalid, a body that is not valid "
    "(messages by field), or a malformed If-Match.",
    "401": "Authentication failed: a write without credentials, or a token that is wrong or revoked "
    "(a read with no credentials at all is allowed).",
    "403": "Authenticated, but without permission for this write (editors have it), or a session "
    "write without its CSRF token.",
    "404": "No such object, or no such page of the list.",
    "409": "The object cannot be deleted while other records refer to it (they are named): remove those "
    "references first.",
    "406": "The Accept header names no representation the API produces (application/json, text/csv).",
    "412": "If-Match does not name the current version: the object changed since you read it. GET it "
    "again, reapply your change and send the new ETag.",
    "413": "The request body is over the size limit.",
    "415": "The request body is not JSON (send Content-Type: application/json).",
    "428": "If-Match is missing: send the ETag of the object as you read it (or * to overwrite regardless).",
    "429": "Too many requests: retry after Retry-After seconds.",
    "503": "The database is unavailable, or the query took too long: retry after Retry-After seconds.",
}

IF_MATCH_DESCRIPTION = (
    "The ETag of the object as you read it (from its GET, or from the response to your last write), "
    "or * to write regardless of its version. A stale ETag is refused with 412, a missing one with 428."
)
IF_NONE_MATCH_DESCRIPTION = "ETags you hold: if one still matches, the answer is 304 with no body."
FIELD_SELECTION_NOTE = (
    "Reads take `fields` and `omit`, which keep or drop properties, so any property may be absent from a response."
)


def _own_doc(cls) -> str | None:
    """A class's own docstring, never one inherited from a base class (an internal one)."""
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else None


LIST_ITEM_SUFFIX = "ListItem"
_LIST_ITEMS: dict[type, type] = {}


def _listed(names) -> str:
    names = [f"`{name}`" for name in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def expand_note(expandable) -> str:
    """What a list's item says of the fields it leaves out."""
    return (
        f"In a list, {_listed(expandable)} are left out unless `expand` names them (or `{EXPAND_ALL}`) or "
        "`fields` does; the object's detail always carries them."
    )


def list_item_serializer(serializer_class):
    """The serializer a list's items are described by: the resource's own, or, where its list leaves fields
    out (Meta.expandable), a subclass named <Resource>ListItem whose description says so."""
    expandable = expandable_fields(serializer_class)
    if not expandable:
        return serializer_class
    item = _LIST_ITEMS.get(serializer_class)
    if item is None:
        name = serializer_class.__name__.removesuffix("Serializer") + LIST_ITEM_SUFFIX + "Serializer"
        doc = "\n\n".join(part for part in (_own_doc(serializer_class), expand_note(expandable)) if part)
        # One class per resource: drf-spectacular tells components apart by their class.
        item = _LIST_ITEMS[serializer_class] = type(
            name, (serializer_class,), {"__doc__": doc, "__module__": serializer_class.__module__, "expands": True}
        )
    return item


def _is_id_field(field) -> bool:
    name = field.field_name or ""
    return isinstance(field, serializers.IntegerField) and (name == "id" or name.endswith("_id"))


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus what core.api does around every serializer (see the module)."""

    # --- what kind of operation -----------------------------------------------------------------

    @property
    def _is_conditional(self) -> bool:
        return isinstance(self.view, ConditionalMixin)

    @property
    def _writes_existing(self) -> bool:
        return self.method in ("PUT", "PATCH", "DELETE")

    @property
    def _is_resource_list(self) -> bool:
        # An ApiViewSet's list (not the timeline, whose items are a list too but which takes no expand).
        return self.method == "GET" and is_list_read(self.view)

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        if self._is_resource_list and isinstance(serializer, FieldSelectionMixin):
            # Without the (mock) request, whose list would leave the expandable fields out: the schema
            # describes every field a list can carry.
            return list_item_serializer(type(serializer))(context={"view": self.view})
        return serializer

    def get_paginated_name(self, serializer_name: str) -> str:
        # A page of ProvisionListItem is still PaginatedProvisionList, as it was before lists left fields out.
        return super().get_paginated_name(serializer_name.removesuffix(LIST_ITEM_SUFFIX))

    def _field_selection_names(self) -> list[str] | None:
        """The fields a read can select with ?fields= / ?omit=, or None when it cannot."""
        if self.method != "GET":
            return None
        serializer = self.get_response_serializers()
        if isinstance(serializer, dict):
            return None
        if isinstance(serializer, type):
            serializer = serializer()
        if isinstance(serializer, serializers.ListSerializer):
            serializer = serializer.child
        if not isinstance(serializer, FieldSelectionMixin):
            return None
        return [name for name, field in serializer.fields.items() if not field.write_only]

    # --- parameters --------------------------------------------------------------------------

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        filterset_class = getattr(self.view, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class is not None else {}
        for parameter in parameters:
            name = parameter["name"]
            declared = filters.get(name)
            if declared is not None and not isinstance(declared, MultipleChoiceFilter):
                # django-filter reads ?name= (empty) as no filter at all; a repeatable choice refuses it.
                parameter["allowEmptyValue"] = True
            if isinstance(declared, IdFilter):
                parameter["schema"] = id_schema()
            elif declared is not None and set(getattr(declared, "extra", {}).get("choices", ())) == {
                ("true", "true"),
                ("false", "false"),
            }:
                # core.api.filters.boolean(): exactly true or false.
                parameter["schema"] = {"type": "boolean"}
                parameter["description"] = str(declared.extra.get("help_text") or "")
            elif name == "ordering":
                fields = list(getattr(self.view, "ordering_fields", []) or [])
                parameter["schema"] = {
                    "type": "array",
                    "items": {"type": "string", "enum": [term for field in fields for term in (field, f"-{field}")]},
                    "minItems": 1,
                }
                parameter["style"] = "form"
                parameter["explode"] = False
                parameter["description"] = (
                    "Order by these fields, comma-separated, each descending with a leading -; ties are "
                    "broken by id. With pagination=cursor only id or -id."
                )
        return parameters

    def _get_format_parameters(self):
        parameters = super()._get_format_parameters()
        for parameter in parameters:
            parameter["allowEmptyValue"] = True  # ?format= (empty) is the default, JSON
        return parameters

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for declared in parameters:
            if declared["in"] == "path":
                # Every path variable of the API is an id or a general list number: digits only.
                declared["schema"] = id_schema()
        names = self._field_selection_names()
        if names is not None:
            for param, verb in (("fields", "Keep only"), ("omit", "Leave out")):
                parameters.append(
                    build_parameter_type(
                        name=param,
                        location="query",
                        schema={"type": "array", "items": {"type": "string", "enum": names}},
                        description=f"{verb} these properties of each object, comma-separated (an unknown name "
                        "is a 400). Nested summaries are not affected.",
                        style="form",
                        explode=False,
                    )
                    | {"allowEmptyValue": True}
                )
        if names is not None and self._is_resource_list:
            parameters.append(self._expand_parameter())
        if self._is_conditional and self.method == "GET":
            parameters.append(
                build_parameter_type(
                    name="If-None-Match",
                    location="header",
                    schema={"type": "string"},
                    description=IF_NONE_MATCH_DESCRIPTION,
                )
            )
        if self._is_conditional and self._writes_existing:
            parameters.append(
                build_parameter_type(
                    name="If-Match",
                    location="header",
                    schema={"type": "string", "minLength": 1},
                    description=IF_MATCH_DESCRIPTION,
                    required=True,
                )
            )
        return parameters

    def _expand_parameter(self) -> dict:
        expandable = expandable_fields(self.get_response_serializers())
        if expandable:
            description = (
                f"Add these fields to each object, comma-separated: {_listed(expandable)}, or `{EXPAND_ALL}` for "
                "every one. A list leaves them out otherwise (naming one in `fields` also adds it); a detail always "
                "carries them. Any other name is a 400."
            )
        else:
            description = (
                f"This list leaves no field out, so there is nothing to expand: `{EXPAND_ALL}` is accepted and "
                "changes nothing, any other name is a 400."
            )
        return build_parameter_type(
            name="expand",
            location="query",
            schema={"type": "array", "items": {"type": "string", "enum": [*expandable, EXPAND_ALL]}},
            description=description,
            style="form",
            explode=False,
        ) | {"allowEmptyValue": True}

    # --- security -------------------------------------------------------------------------------

    def get_auth(self):
        auths = [auth for auth in super().get_auth() if auth]
        permissions = {type(permission) for permission in self.view.get_permissions()}
        anonymous = AllowAny in permissions or (
            self.method in SAFE_METHODS and DjangoModelPermissionsOrAnonReadOnly in permissions
        )
        return [{}, *auths] if anonymous else auths

    # --- bodies ---------------------------------------------------------------------------------

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        description = _own_doc(type(serializer))
        if direction == "response" and isinstance(serializer, FieldSelectionMixin):
            schema.pop("required", None)
            description = f"{description}\n\n{FIELD_SELECTION_NOTE}" if description else FIELD_SELECTION_NOTE
        if description:
            schema["description"] = description
        else:
            schema.pop("description", None)
        if direction == "response" and getattr(type(serializer), "expands", False):
            for name in expandable_fields(type(serializer)):
                self._mark_expandable(schema["properties"], name)
        return schema

    @staticmethod
    def _mark_expandable(properties: dict, name: str):
        """A list item's expandable property says when it is present."""
        note = f"Present in a list only when `expand` (or `fields`) names {name}."
        prop = properties[name]
        if "$ref" in prop:
            # OpenAPI 3.0 ignores siblings of a $ref.
            properties[name] = prop = {"allOf": [prop]}
        prop["description"] = f"{prop['description']} {note}" if prop.get("description") else note

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema is None or "$ref" in schema:
            return schema
        if _is_id_field(field):
            schema.update(id_schema())
        elif isinstance(field, serializers.ManyRelatedField) and direction == "request":
            if not field.allow_empty:
                schema["minItems"] = 1
            schema["uniqueItems"] = True
        return schema

    def _insert_field_validators(self, field, schema):
        # Set before drf-spectacular adds its own format, and wraps a blank-able field in a oneOf.
        if isinstance(field, serializers.URLField) and schema.get("type") == "string":
            # Django's URLValidator accepts IRIs (non-ASCII hosts and paths), kept as written.
            schema["format"] = "iri"
        elif isinstance(field, serializers.CharField) and validate_document_number in field.validators:
            schema["pattern"] = DOCUMENT_NUMBER_PATTERN
        super()._insert_field_validators(field, schema)
        alternatives = schema.get("oneOf", [])
        if len(alternatives) == 2 and alternatives[1] == {"type": "string", "maxLength": 0}:
            # drf-spectacular's "or blank" leaves "" valid under both (an empty IRI is a valid
            # reference): oneOf needs exactly one to match.
            alternatives[0]["minLength"] = 1

    # --- responses ------------------------------------------------------------------------------

    def _error_response(self, status: str) -> dict:
        self.registry.register_on_missing(
            ResolvedComponent(
                name=ERROR_COMPONENT,
                type=ResolvedComponent.SCHEMA,
                object=ERROR_COMPONENT,
                schema=ERROR_SCHEMA,
            )
        )
        response = {
            "description": ERRORS[status],
            "content": {JSON: {"schema": ERROR_REF}, CSV: {"schema": build_basic_type(OpenApiTypes.STR)}},
        }
        if status in ("429", "503"):
            response["headers"] = {
                name: {**header, "required": status == "429"} for name, header in RETRY_AFTER.items()
            }
        return response

    def _error_statuses(self) -> list[str]:
        statuses = ["400", "401", "406", "429", "503"]
        if self.method not in SAFE_METHODS:
            statuses += ["403", "413"]
            if self.method in ("POST", "PUT", "PATCH"):
                statuses.append("415")
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            # A detail that does not exist, or a page past the last one.
            statuses.append("404")
        if self._is_conditional and self._writes_existing:
            statuses += ["412", "428"]
        if self.method == "DELETE":
            statuses.append("409")
        return sorted(statuses)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, response in responses.items():
            content = response.get("content", {})
            if CSV in content:
                content[CSV] = {"schema": build_basic_type(OpenApiTypes.STR)}
            if self._is_conditional and status in ("200", "201"):
                headers = response.setdefault("headers", {})
                headers["ETag"] = {
                    "schema": {"type": "string"},
                    "required": True,
                    "description": "The version of what was sent: send it back as If-Match to edit, "
                    "or as If-None-Match to read again.",
                }
                if status == "201":
                    headers["Location"] = {
                        "schema": {"type": "string", "format": "uri"},
                        "required": True,
                        "description": "The new object's address in the API.",
                    }
        if self._is_conditional and self.method == "GET":
            responses["304"] = {
                "description": "Not modified: If-None-Match named the current ETag. No body.",
                "headers": {"ETag": {"schema": {"type": "string"}, "required": True}},
            }
        for status in self._error_statuses():
            responses.setdefault(status, self._error_response(status))
        return dict(sorted(responses.items()))


SESSION_SCHEME_DESCRIPTION = (
    "The session of a signed-in editor (the admin's login). Writes with a session also need the "
    "X-CSRFToken header. Scripts should use a token instead."
)
API_KEY_SCHEME_DESCRIPTION = (
    "A token: send `Authorization: Token <key>`. An editor gets one from the admin. Reads need no "
    "credentials; writes need an editor's token or session."
)


def postprocess(result, generator, request, public):
    """Describe the two ways to authenticate for a client author."""
    schemes = result.get("components", {}).get("securitySchemes", {})
    if "cookieAuth" in schemes:
        schemes["cookieAuth"]["description"] = SESSION_SCHEME_DESCRIPTION
    if "tokenAuth" in schemes:
        schemes["tokenAuth"]["description"] = API_KEY_SCHEME_DESCRIPTION
    return result
