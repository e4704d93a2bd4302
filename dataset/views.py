"""The whole dataset as one download, for scripts that mirror the tracker."""

import io
import zipfile

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.api.filters import reject_unknown_params
from dataset.export import export_files


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
