"""The API's read path: a resource's serializer compiled once into a plan of columns and queries.

The serializers stay the one declaration of each resource's fields (writes and the OpenAPI schema
use them). Reading through them costs a model per row and a new ModelSerializer per related
object (DRF builds every nested summary's fields again), a reverse() and an absolute URI per link.
A plan reads the same fields as ``values()`` columns: scalar fields keep their serializer field's
``to_representation``; a related summary is joined into the same query; a many-to-many or reverse
relation (sources, addressees, votes...) is one query for the whole page, grouped by owner id and
ordered as the queryset's prefetch orders it; links are one reversed prefix per view per request.
So a list runs a fixed number of queries and builds no model and no serializer per row.

A field computed from the model (a property, a SerializerMethodField) is read from the columns its
serializer names in ``Meta.read_columns``: the field's own code runs on a row object carrying
those columns and the model's properties. A serializer with a field a plan cannot express is read
through the serializer as before (``plan_for`` returns None).
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F, Prefetch
from django.db.models.fields.files import FileField as ModelFileField
from django.urls import reverse
from rest_framework import ISO_8601, serializers
from rest_framework.relations import ManyRelatedField
from rest_framework.settings import api_settings

from core.api.fields import ApiUrlField, JudgesField, SummaryRelatedField
from core.api.serializers import (
    FieldSelectionMixin,
    StrictDateField,
    expandable_fields,
    is_list_read,
    select_fields,
)

# A number no real id has, reversed in the place of the id to find a link's prefix and suffix.
_ID_MARK = 918273645

# Fields whose value from the database is already what to_representation would give.
_DATES = (serializers.DateField, StrictDateField)
_NOT_AS_STORED = (serializers.FileField, serializers.MultipleChoiceField)
_AS_STORED = (
    serializers.CharField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
    serializers.JSONField,
    serializers.ReadOnlyField,
)


# Columns whose values are strings, integers, booleans or null: what orjson writes as DRF's renderer does.
_PLAIN_COLUMNS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
# What a converted or derived value may be for the answer to need no check before orjson writes it.
_PLAIN_VALUES = (str, int, type(None))


class Unplannable(Exception):
    """The serializer has a field a plan cannot express: read it through the serializer."""


class ReadContext:
    """What one request's plans share: the request, its link prefixes and (when needed) its serializer."""

    def __init__(self, request, view=None):
        self.request = request
        self.view = view
        self._serializer = None
        self._serializers_like = {}
        self.links = {}
        # False once a converted or derived value is something other than a string, integer or null.
        self.plain = True

    @property
    def serializer(self):
        """The request's serializer, built only for a project field whose own code runs (Meta.read_columns)."""
        if self._serializer is None:
            self._serializer = self.view.get_serializer()
        return self._serializer

    def serializer_like(self, serializer):
        """A copy of a compiled serializer with this request's context, for its methods (without its fields built)."""
        copied = self._serializers_like.get(id(serializer))
        if copied is None:
            copied = self._serializers_like[id(serializer)] = copy.copy(serializer)
            copied._context = self.view.get_serializer_context() if self.view is not None else {}
        return copied

    def link(self, view_name):
        """(head, tail) such that head + str(id) + tail is the object's absolute API address."""
        parts = self.links.get(view_name)
        if parts is None:
            path = reverse(view_name, kwargs={"pk": _ID_MARK})
            url = self.request.build_absolute_uri(path) if self.request is not None else path
            head, _, tail = url.rpartition(str(_ID_MARK))
            parts = self.links[view_name] = (head, tail)
        return parts


class _Row:
    """Attributes from columns; related objects as nested rows (see Meta.read_columns)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def _row_class(model):
    """A plain class with the model's properties: a row object the model's own derivations run on."""
    namespace = {
        name: value
        for klass in reversed(model.__mro__)
        for name, value in vars(klass).items()
        if isinstance(value, property)
    }
    return type(f"{model.__name__}Row", (_Row,), namespace)


_ROW_CLASSES = {}


def _row_object(model, values):
    """A row object for ``model`` from {"decision__subject": ...}-style column values."""
    row_class = _ROW_CLASSES.get(model)
    if row_class is None:
        row_class = _ROW_CLASSES[model] = _row_class(model)
    own, nested = {}, {}
    for path, value in values.items():
        name, _, rest = path.partition("__")
        if rest:
            nested.setdefault(name, {})[rest] = value
        else:
            own[name] = value
    for name, nested_values in nested.items():
        own[name] = _row_object(model._meta.get_field(name).related_model, nested_values)
    return row_class(**own)


def _base_queryset(lookups, name, model):
    """The queryset a prefetch of ``name`` would read (its ordering), from the owner's prefetch lookups."""
    for lookup in lookups:
        if isinstance(lookup, Prefetch) and lookup.prefetch_to == name and lookup.queryset is not None:
            return lookup.queryset
    return model._default_manager.all()


def _without_owner_ordering(queryset, back):
    """The queryset without a leading ordering by the owner: the rows are grouped by owner anyway.

    (A vote is ordered by provision, which is ordered by decision, then case: three joins that
    order nothing within one provision's votes.)
    """
    ordering = list(
        queryset.query.order_by or (queryset.model._meta.ordering if queryset.query.default_ordering else [])
    )
    if len(ordering) > 1 and ordering[0] in (back, f"{back}_id", f"{back}__id", f"{back}__pk"):
        return queryset.order_by(*ordering[1:])
    return queryset


def _child_lookups(queryset):
    return list(getattr(queryset, "_prefetch_related_lookups", ()))


class Many:
    """A relation with many objects per owner, read in one query for all owners."""

    def __init__(self, model, name, lookups, fields, owner_column, judge_summary=None):
        relation = model._meta.get_field(name)
        if relation.many_to_many and not relation.auto_created:
            target, back = relation.related_model, relation.related_query_name()
        elif relation.auto_created and (relation.one_to_many or relation.many_to_many):
            target, back = relation.related_model, relation.field.name
        else:
            raise Unplannable(f"{model.__name__}.{name} is not a many relation")
        self.back = back
        self.owner_column = owner_column
        self.queryset = _without_owner_ordering(_base_queryset(lookups, name, target), back)
        self.plan = Plan(target, fields, _child_lookups(self.queryset))
        if judge_summary is not None:
            # A vote as JudgesField reads it: its choice, and its judge's summary.
            self.plan.steps.append(("vote", "stored", self.plan._column("vote")))
            self.plan._add_joined("judge", "judge", judge_summary().fields)

    def fetch(self, rows, context, groups):
        owners = {row[self.owner_column] for row in rows}
        owners.discard(None)
        found = {}
        if owners:
            queryset = self.queryset.prefetch_related(None).filter(**{f"{self.back}__in": owners})
            related = list(queryset.values(*self.plan.columns, _owner=F(self.back)))
            self.plan.fetch(related, context, groups)
            build = self.plan.build
            for row in related:
                found.setdefault(row["_owner"], []).append(build(row, context, groups))
        groups[self] = found


class Plan:
    """How to read one serializer's fields for one model: columns, steps and many-relations."""

    def __init__(self, model, fields, lookups, prefix="", top=False):
        self.model = model
        self.prefix = prefix
        self.top = top
        self.columns = []
        self.steps = []  # (name, kind, data)
        self.many = []  # Many relations whose owners are in this plan's rows (joined plans' included)
        # Whether every stored column is plain (see _PLAIN_COLUMNS), so orjson may write it unchecked.
        self.plain = True
        self.pk_column = self._column(model._meta.pk.name)
        self._votes = {}  # JudgesFields for and against share one query of the votes
        for name, field in fields.items():
            if not field.write_only:
                self._add(name, field, lookups)

    def _column(self, path):
        column = self.prefix + path
        if column not in self.columns:
            self.columns.append(column)
        return column

    def _model_field(self, name):
        try:
            return self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def _add(self, name, field, lookups):
        opts_columns = getattr(getattr(field.parent, "Meta", None), "read_columns", {})
        if name in opts_columns:
            columns = {path: self._column(path) for path in opts_columns[name]}
            self.steps.append((name, "derived", (field, columns)))
            return
        if isinstance(field, ApiUrlField):
            if field.lookup_field != "pk" or field.lookup_url_kwarg != "pk":
                raise Unplannable(f"{name!r} links by {field.lookup_field}, not by id")
            self.steps.append((name, "link", field.view_name))
            return
        if isinstance(field, JudgesField):
            many = self._votes.get(field.summary_class)
            if many is None:
                many = Many(self.model, "votes", lookups, {}, self.pk_column, judge_summary=field.summary_class)
                self._votes[field.summary_class] = many
                self.many.append(many)
                self.plain = self.plain and many.plan.plain
            self.steps.append((name, "judges", (many, field.vote)))
            return
        if isinstance(field, ManyRelatedField) and isinstance(field.child_relation, SummaryRelatedField):
            summary = field.child_relation.summary_class()
            self._add_many(name, field.source, summary.fields, lookups)
            return
        if isinstance(field, serializers.ListSerializer) and isinstance(field.child, serializers.ModelSerializer):
            self._add_many(name, field.source, field.child.fields, lookups)
            return
        if isinstance(field, SummaryRelatedField):
            self._add_joined(name, field.source, field.summary_class().fields)
            return
        if isinstance(field, serializers.ModelSerializer):
            self._add_joined(name, field.source, field.fields)
            return
        if isinstance(field, (serializers.SerializerMethodField, serializers.BaseSerializer, serializers.RelatedField)):
            raise Unplannable(f"{type(field).__name__} {name!r}: name its columns in Meta.read_columns")
        self._add_scalar(name, field)

    def _add_scalar(self, name, field):
        attrs = field.source_attrs
        model = self.model
        for attr in attrs[:-1]:
            relation = model._meta.get_field(attr)
            if not (relation.many_to_one or relation.one_to_one) or relation.auto_created:
                raise Unplannable(f"{name!r} follows {attr!r}, not a forward relation")
            model = relation.related_model
        try:
            model_field = model._meta.get_field(attrs[-1])
        except FieldDoesNotExist as error:
            raise Unplannable(f"{name!r} is not a column") from error
        if not model_field.concrete or model_field.many_to_many:
            raise Unplannable(f"{name!r} is not a column")
        column = self._column("__".join(attrs))
        if isinstance(field, serializers.FileField) and isinstance(model_field, ModelFileField):
            self.steps.append((name, "file", (column, model_field.storage)))
        elif type(field) in _DATES and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601:
            self.steps.append((name, "date", column))
        elif isinstance(field, _AS_STORED) and not isinstance(
            field, (serializers.FileField, serializers.MultipleChoiceField)
        ):
            self.steps.append((name, "stored", column))
        else:
            self.steps.append((name, "field", (column, field.to_representation)))

    def _add_joined(self, name, source, fields):
        relation = self._model_field(source)
        if relation is None or not (relation.many_to_one or relation.one_to_one) or relation.auto_created:
            raise Unplannable(f"{name!r} is not a forward relation")
        joined = Plan(relation.related_model, fields, [], prefix=f"{self.prefix}{source}__")
        for column in joined.columns:
            if column not in self.columns:
                self.columns.append(column)
        self.many.extend(joined.many)
        self.plain = self.plain and joined.plain
        self.steps.append((name, "joined", joined))

    def _add_many(self, name, source, fields, lookups):
        many = Many(self.model, source, lookups, fields, self.pk_column)
        self.many.append(many)
        self.plain = self.plain and many.plan.plain
        self.steps.append((name, "many", many))

    # --- reading --------------------------------------------------------------------------------

    def fetch(self, rows, context, groups):
        """Run this plan's many-relation queries for these rows (one each), into ``groups``."""
        for many in self.many:
            many.fetch(rows, context, groups)

    def build(self, row, context, groups):
        """One object's representation from its row.

        A related object (a judge, a source, a case) is built once per request and the same summary
        is placed wherever it occurs: one object, one representation.
        """
        pk = row[self.pk_column]
        if pk is None:
            return None
        if not self.top:
            built = groups.get(self)
            if built is None:
                built = groups[self] = {}
            elif pk in built:
                return built[pk]
        out = {}
        links = context.links
        for name, kind, data in self.steps:
            if kind == "stored":
                out[name] = row[data]
            elif kind == "link":
                head, tail = links.get(data) or context.link(data)
                out[name] = f"{head}{pk}{tail}"
            elif kind == "joined":
                out[name] = data.build(row, context, groups)
            elif kind == "date":
                value = row[data]
                out[name] = None if value is None else value.isoformat()
            elif kind == "many":
                out[name] = list(groups[data].get(pk, ()))
            elif kind == "field":
                value = row[data[0]]
                value = out[name] = None if value is None else data[1](value)
                if not isinstance(value, _PLAIN_VALUES):
                    context.plain = False
            elif kind == "file":
                out[name] = self._file(row[data[0]], data[1], context)
            elif kind == "judges":
                many, vote = data
                out[name] = [item["judge"] for item in groups[many].get(pk, ()) if item["vote"] == vote]
            else:  # derived
                value = out[name] = self._derived(row, data, context)
                if not isinstance(value, _PLAIN_VALUES):
                    context.plain = False
        if not self.top:
            built[pk] = out
        return out

    @staticmethod
    def _file(name, storage, context):
        # As DRF's FileField: no file is null, a file is its storage URL made absolute.
        if not name:
            return None
        url = storage.url(name)
        return context.request.build_absolute_uri(url) if context.request is not None else url

    def _derived(self, row, data, context):
        field, columns = data
        obj = _row_object(self.model, {path: row[column] for path, column in columns.items()})
        if isinstance(field, serializers.SerializerMethodField):
            # The serializer's own method, on a copy of the serializer holding this request's context.
            parent = context.serializer_like(field.parent) if self.top else field.parent
            return getattr(parent, field.method_name)(obj)
        if self.top and not type(field).__module__.startswith("rest_framework."):
            field = context.serializer.fields[field.field_name]  # a field of the project's: this request's
        attribute = field.get_attribute(obj)
        return None if attribute is None else field.to_representation(attribute)


_PLANS = {}
_NOT_COMPILED = object()
_FIELD_NAMES = {}
# Each ?fields= / ?omit= selection is a plan of its own; past this many, they are compiled afresh.
_MAX_PLANS = 1024


def selected_fields(view) -> tuple:
    """The names of the fields a read answers with (?fields= / ?omit= applied, a list's ?expand= too; a 400
    for an unknown name). A list leaves out its serializer's Meta.expandable fields unless asked for them,
    so its plan neither reads nor builds them.

    From the serializer's field names, known once per class: building a serializer's fields
    (a deep copy of each declared field, a new field for each model column) is what a read skips.
    """
    serializer_class = view.get_serializer_class()
    names = _FIELD_NAMES.get(serializer_class)
    if names is None:
        names = _FIELD_NAMES[serializer_class] = dict.fromkeys(serializer_class(context={}).fields)
    if issubclass(serializer_class, FieldSelectionMixin):
        expandable = expandable_fields(serializer_class) if is_list_read(view) else None
        return tuple(select_fields(names, view.request.query_params, expandable))
    return tuple(names)


def plan_for(view, queryset):
    """The plan of the view's serializer for this request's field selection, or None if it has none.

    Compiled once per viewset, serializer and field selection: a viewset's get_queryset() names the
    same prefetches on every request.
    """
    serializer_class = view.get_serializer_class()
    key = (type(view), serializer_class, selected_fields(view))
    plan = _PLANS.get(key, _NOT_COMPILED)
    if plan is _NOT_COMPILED:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        try:
            plan = Plan(serializer_class.Meta.model, view.get_serializer().fields, _child_lookups(queryset), top=True)
        except Unplannable:
            plan = None
        _PLANS[key] = plan
    return plan


def rows_queryset(plan, queryset, *extra):
    """The queryset's rows as the plan's columns (a values() queryset, for the paginator)."""
    return queryset.prefetch_related(None).values(*plan.columns, *extra)


def represent(plan, rows, context):
    """The representations of these rows, with their many-relations in one query each."""
    groups = {}
    plan.fetch(rows, context, groups)
    build = plan.build
    return [build(row, context, groups) for row in rows]
