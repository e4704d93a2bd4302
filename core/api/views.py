"""The viewset every resource uses."""

from rest_framework import viewsets

from core.api.conditional import ConditionalMixin
from core.api.filters import COMMON_DETAIL_PARAMS, reject_unknown_params


class ApiViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """A resource: list, detail, create, update (If-Match), delete (If-Match).

    Each resource's ``get_queryset()`` calls one named QuerySet method that owns every
    select_related/prefetch_related; lists are filtered by the viewset's FilterSet and ordered by
    its whitelist.
    """

    lookup_value_regex = r"\d+"

    def list(self, request, *args, **kwargs):
        # ?fields= and ?omit= are checked before anything is read: an empty page never builds a row's
        # serializer, and the CSV renderer would otherwise meet a bad name only after the answer was made.
        self.get_serializer().fields  # noqa: B018 (building the fields validates the names)
        return super().list(request, *args, **kwargs)

    def get_object(self):
        # A detail is looked up by id alone: list filters do not narrow it, and a parameter
        # the detail does not take is a 400 rather than silently ignored.
        reject_unknown_params(self.request, COMMON_DETAIL_PARAMS)
        queryset = self.get_queryset()
        obj = viewsets.generics.get_object_or_404(queryset, pk=self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, obj)
        self._etag_object = obj
        return obj
