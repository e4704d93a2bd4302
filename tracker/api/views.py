"""The viewset every resource uses, and the whole-dataset download."""

import io
import zipfile

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from tracker.api.conditional import ConditionalMixin
from tracker.api.filters import COMMON_DETAIL_PARAMS, reject_unknown_params


class ApiViewSet(ConditionalMixin, viewsets.ModelViewSet):
    """A resource: list, detail, create, update (If-Match), delete (If-Match).

    Reads go through ``get_queryset()``, which calls one QuerySet method that owns every
    select_related/prefetch_related; lists are filtered by the viewset's FilterSet and ordered by
    its whitelist.
    """

    lookup_value_regex = r"\d+"
    queryset_method = "for_api"

    def get_queryset(self):
        return getattr(self.serializer_class.Meta.model.objects, self.queryset_method)()

    def get_object(self):
        # A detail is looked up by id alone: list filters do not narrow it, and a parameter
        # the detail does not take is a 400 rather than silently ignored.
        reject_unknown_params(self.request, COMMON_DETAIL_PARAMS | getattr(self, "detail_params", set()))
        queryset = self.get_queryset()
        obj = viewsets.generics.get_object_or_404(queryset, pk=self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, obj)
        self._etag_object = obj
        return obj


class DatasetView(APIView):
    """The whole dataset in the data/ format (the files the loader reads), as one zip archive."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="dataset_download",
        summary="Download the whole dataset",
        description="A zip of the files in the data/ format (sources.json, actors.json, events.json, "
        "cases/<general list number>.json), exactly what `manage.py load_dataset` reads. "
        "Use it to mirror the tracker.",
        responses={(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="A zip archive.")},
        parameters=[OpenApiParameter("format", exclude=True)],
    )
    def get(self, request):
        reject_unknown_params(request, set())
        from tracker.dataset import export_files

        buffer = io.BytesIO()
        # A fixed timestamp keeps the archive byte-identical while the data is unchanged.
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, text in sorted(export_files().items()):
                info = zipfile.ZipInfo(f"data/{path}", date_time=(2021, 9, 16, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8"))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="icj-tracker-dataset-{stamp}.zip"'
        return response
