from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.filters import CaseFilter, EventFilter, HearingFilter
from cases.models import Case, Event, Hearing
from cases.serializers import CaseSerializer, EventSerializer, HearingSerializer
from core.api.filters import COMMON_DETAIL_PARAMS, reject_unknown_params
from core.api.views import ApiViewSet


class CaseViewSet(ApiViewSet):
    """Contentious cases on the Court's General List."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering = ["general_list_number", "id"]
    ordering_fields = ["id", "general_list_number", "instituted_on", "updated_at"]

    def get_queryset(self):
        return Case.objects.for_api()

    @extend_schema(
        summary="A case by its general list number",
        description="The same representation as /cases/{id}/, looked up by the Court's general list number.",
        parameters=[OpenApiParameter("number", int, OpenApiParameter.PATH, description="General list number.")],
    )
    @action(detail=False, methods=["get"], url_path=r"number/(?P<number>\d+)", url_name="by-number")
    def by_number(self, request, number):
        reject_unknown_params(request, COMMON_DETAIL_PARAMS)
        case = get_object_or_404(self.get_queryset(), general_list_number=int(number))
        self._etag_object = case
        self.action = "retrieve"  # Same ETag and Last-Modified as the detail by id.
        return Response(self.get_serializer(case).data)


class HearingViewSet(ApiViewSet):
    """Public hearings on a phase of a case."""

    serializer_class = HearingSerializer
    filterset_class = HearingFilter
    ordering = ["starts_on", "id"]
    ordering_fields = ["id", "starts_on", "updated_at"]

    def get_queryset(self):
        return Hearing.objects.for_api()


class EventViewSet(ApiViewSet):
    """Context outside the courtroom on a case's timeline."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering = ["starts_on", "id"]
    ordering_fields = ["id", "starts_on", "updated_at"]

    def get_queryset(self):
        return Event.objects.for_api()
