"""API fields: an object's own address, and related objects that read as a summary and write as an id."""

from django.urls import reverse as django_reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers

# The largest id both SQLite and PostgreSQL (bigint) can hold; larger ones cannot exist.
MAX_ID = 2**63 - 1


def parse_id(value):
    """An id from JSON (an integer or a string of digits, or {"id": ...}), or None if it is not one."""
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 1 <= value <= MAX_ID:
        return value
    return None


# {model label: its compact summary serializer}, filled by each app's serializers module, so that a
# lower app can name the summary of a model above it by label ("compliance.ComplianceClaim"), as a
# model names a model above it by string.
SUMMARIES: dict[str, type] = {}


def registers_summary(serializer_class):
    """Class decorator: this serializer is its model's compact summary."""
    SUMMARIES[serializer_class.Meta.model._meta.label] = serializer_class
    return serializer_class


def summary_of(summary):
    """A summary serializer class, given the class itself or its model's label."""
    return SUMMARIES[summary] if isinstance(summary, str) else summary


class SummaryRelatedField(serializers.PrimaryKeyRelatedField):
    """A related object: a nested summary (id, api_url and what a script needs) on read, an id on write.

    Scripts get the related object's name and date without a second request, and can send back
    either the id or the whole summary they received.
    """

    def __init__(self, summary=None, **kwargs):
        self.summary = summary
        super().__init__(**kwargs)

    @property
    def summary_class(self):
        return summary_of(self.summary)

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return self.summary_class(value, context=self.context).data

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(pk)


class JudgesField(serializers.Field):
    """The judges who voted one way on a provision: person summaries on read, person ids on write."""

    def __init__(self, vote, person_queryset, summary, **kwargs):
        self.vote = vote
        self.person_queryset = person_queryset
        self.summary = summary
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    @property
    def summary_class(self):
        return summary_of(self.summary)

    def to_representation(self, provision):
        # votes are prefetched with their judges by ProvisionQuerySet.for_api().
        return [
            self.summary_class(vote.judge, context=self.context).data
            for vote in provision.votes.all()
            if vote.vote == self.vote
        ]

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError("Expected a list of person ids.")
        ids = [parse_id(item) for item in data]
        if None in ids:
            raise serializers.ValidationError("Every judge must be given by a person id.")
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("A judge is named more than once.")
        people = {person.pk: person for person in self.person_queryset.filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in people]
        if missing:
            raise serializers.ValidationError(f"No person with id {', '.join(missing)}.")
        return {self.field_name: [people[pk] for pk in ids]}


def id_schema():
    """An id as the schema describes it: what parse_id() accepts as an integer."""
    return {**build_basic_type(OpenApiTypes.INT64), "minimum": 1, "maximum": MAX_ID}


class SummaryRelatedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = SummaryRelatedField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return auto_schema.resolve_serializer(self.target.summary_class, direction).ref
        return id_schema()


class JudgesFieldExtension(OpenApiSerializerFieldExtension):
    target_class = JudgesField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "response":
            return build_array_type(auto_schema.resolve_serializer(self.target.summary_class, direction).ref)
        # A judge named twice is refused.
        return {**build_array_type(id_schema()), "uniqueItems": True}


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The object's API address, plain: without the ?format= of the request that listed it."""

    def get_url(self, obj, view_name, request, format):
        if obj.pk is None:
            return None
        url = django_reverse(view_name, kwargs={self.lookup_url_kwarg: obj.pk})
        return request.build_absolute_uri(url) if request is not None else url


def api_url(view_name):
    return ApiUrlField(view_name=view_name, help_text="This object in the API.")
