"""The API's view of a case's dated items: /api/v1/cases/{id}/timeline/ (JSON and CSV)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from core.api.filters import COMMON_DETAIL_PARAMS, reject_unknown_params
from proceedings.items import case_items
from proceedings.serializers import TimelineItemSerializer


class CaseTimelineView(APIView):
    """Every dated item of a case, as the case page's timeline shows it."""

    # A read model: nothing here is written, so anyone may read it (throttled like every API read).
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    def get_serializer(self, *args, **kwargs):
        # The CSV renderer takes its columns from here, so an empty timeline still has its header.
        return TimelineItemSerializer(*args, context={"request": self.request}, **kwargs)

    @extend_schema(
        operation_id="cases_timeline_retrieve",
        summary="A case's timeline",
        description="Every dated item of the case (filings, hearings, decisions, compliance claims and "
        "context events) in date order, and on one day in the order of proceedings. Filings not yet lodged "
        "are dated by their time-limit. Each item's title is the one the case page, the docket and the "
        "feeds show.",
        responses=TimelineItemSerializer(many=True),
    )
    def get(self, request, pk):
        reject_unknown_params(request, COMMON_DETAIL_PARAMS)
        case = get_object_or_404(Case.objects.all(), pk=pk)
        return Response(self.get_serializer(case_items(case), many=True).data)
