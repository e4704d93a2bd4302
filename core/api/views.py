"""The viewset every resource uses."""

from types import SimpleNamespace

from rest_framework import viewsets
from rest_framework.response import Response

from core.api.conditional import ConditionalMixin
from core.api.filters import COMMON_DETAIL_PARAMS, refuse_expand, reject_unknown_params
from core.api.reads import ReadContext, plan_for, represent, rows_queryset, selected_fields

# Ids longer than this cannot exist (bigint); such a detail goes the serializer's way, to its 404.
_MAX_ID_DIGITS = 18


class ApiViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """A resource: list, detail, create, update (If-Match), delete (If-Match).

    Each resource's ``get_queryset()`` calls one named QuerySet method that owns every
    select_related/prefetch_related; lists are filtered by the viewset's FilterSet and ordered by
    its whitelist. Reads go through the serializer's plan (core.api.reads): the same JSON, from
    columns, with a fixed number of queries. A list leaves out the serializer's ``Meta.expandable``
    fields unless ``?expand=`` asks for them; a detail always carries every field.
    """

    lookup_value_regex = r"\d+"

    def list(self, request, *args, **kwargs):
        # ?fields=, ?omit= and ?expand= are checked before anything is read: an empty page never builds a
        # row's serializer, and the CSV renderer would otherwise meet a bad name only after the answer was made.
        selected_fields(self)
        queryset = self.filter_queryset(self.get_queryset())
        plan = plan_for(self, queryset)
        if plan is None:
            return self.list_through_serializer(queryset)
        context = ReadContext(request, self)
        page = self.paginate_queryset(rows_queryset(plan, queryset))
        if page is not None:
            response = self.get_paginated_response(represent(plan, page, context))
        else:
            response = Response(represent(plan, list(rows_queryset(plan, queryset)), context))
        return self.planned(response, plan, context)

    @staticmethod
    def planned(response, plan, context):
        # Strings, integers and nulls only: the JSON renderer need not look for floats.
        response.orjson_safe = plan.plain and context.plain
        return response

    def list_through_serializer(self, queryset):
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return Response(self.get_serializer(queryset, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        refuse_expand(request)
        reject_unknown_params(request, COMMON_DETAIL_PARAMS)
        queryset = self.get_queryset()
        plan = plan_for(self, queryset)
        pk = self.kwargs[self.lookup_field]
        row = None
        if plan is not None and len(str(pk)) <= _MAX_ID_DIGITS:
            # The version and time of the last change make the ETag and Last-Modified.
            extra = [name for name in ("version", "updated_at") if name not in plan.columns]
            row = rows_queryset(plan, queryset.filter(pk=pk), *extra).first()
        if row is None:
            # Not found, or not plannable: the serializer's way, with its 404.
            return super().retrieve(request, *args, **kwargs)
        obj = SimpleNamespace(pk=row[plan.pk_column], version=row["version"], updated_at=row["updated_at"])
        self.check_object_permissions(request, obj)
        self._etag_object = obj
        context = ReadContext(request, self)
        return self.planned(Response(represent(plan, [row], context)[0]), plan, context)

    def get_object(self):
        # A detail is looked up by id alone: list filters do not narrow it, and a parameter
        # the detail does not take is a 400 rather than silently ignored.
        refuse_expand(self.request)
        reject_unknown_params(self.request, COMMON_DETAIL_PARAMS)
        queryset = self.get_queryset()
        obj = viewsets.generics.get_object_or_404(queryset, pk=self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, obj)
        self._etag_object = obj
        return obj
