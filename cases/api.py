from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cases.filters import CaseFilter, EventFilter, HearingFilter
from cases.serializers import CaseSerializer, EventSerializer, HearingSerializer, TimelineItemSerializer
from core.api.filters import COMMON_DETAIL_PARAMS, reject_unknown_params
from core.api.views import ApiViewSet

# Items on the same day appear in the order things happen in proceedings.
TIMELINE_ORDER = {"event": 0, "filing": 1, "hearing": 2, "decision": 3, "claim": 4}


class CaseViewSet(ApiViewSet):
    """Contentious cases on the Court's General List."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering = ["general_list_number", "id"]
    ordering_fields = ["id", "general_list_number", "instituted_on", "updated_at"]

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

    @extend_schema(
        summary="A case's timeline",
        description="Every dated item of the case (filings, hearings, decisions, compliance claims and "
        "context events) in date order. Filings not yet lodged are dated by their time-limit.",
        responses=TimelineItemSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def timeline(self, request, pk=None):
        case = self.get_object()
        items = self.timeline_items(case)
        return Response(TimelineItemSerializer(items, many=True).data)

    def timeline_items(self, case):
        request = self.request

        def url(name, pk):
            return reverse(name, kwargs={"pk": pk}, request=request)

        items = []
        for filing in case.filings.select_related("filed_by").order_by("id"):
            items.append(
                {
                    "date": filing.filed_on or filing.due_on,
                    "end_date": None,
                    "type": "filing",
                    "id": filing.pk,
                    "api_url": url("api:filing-detail", filing.pk),
                    "title": filing.title if filing.filed_on else f"{filing.title} (time-limit)",
                    "kind": filing.kind,
                }
            )
        for hearing in case.hearings.order_by("id"):
            items.append(
                {
                    "date": hearing.starts_on,
                    "end_date": hearing.ends_on,
                    "type": "hearing",
                    "id": hearing.pk,
                    "api_url": url("api:hearing-detail", hearing.pk),
                    "title": f"Hearings on {hearing.get_subject_display()}",
                    "kind": hearing.subject,
                }
            )
        decisions = case.decisions.prefetch_related("compliance_claims__claimant").order_by("id")
        for decision in decisions:
            items.append(
                {
                    "date": decision.decided_on,
                    "end_date": None,
                    "type": "decision",
                    "id": decision.pk,
                    "api_url": url("api:decision-detail", decision.pk),
                    "title": decision.title,
                    "kind": decision.kind,
                }
            )
            for claim in decision.compliance_claims.all():
                items.append(
                    {
                        "date": claim.made_on,
                        "end_date": None,
                        "type": "claim",
                        "id": claim.pk,
                        "api_url": url("api:claim-detail", claim.pk),
                        "title": f"{claim.claimant.short_name}: {claim.get_assessment_display()} ({decision.title})",
                        "kind": claim.assessment,
                    }
                )
        for event in case.events.order_by("id"):
            items.append(
                {
                    "date": event.starts_on,
                    "end_date": event.ends_on,
                    "type": "event",
                    "id": event.pk,
                    "api_url": url("api:event-detail", event.pk),
                    "title": event.title,
                    "kind": "event",
                }
            )
        items.sort(key=lambda item: (item["date"], TIMELINE_ORDER[item["type"]], item["id"]))
        return items


class HearingViewSet(ApiViewSet):
    """Public hearings on a phase of a case."""

    serializer_class = HearingSerializer
    filterset_class = HearingFilter
    ordering = ["starts_on", "id"]
    ordering_fields = ["id", "starts_on", "updated_at"]


class EventViewSet(ApiViewSet):
    """Context outside the courtroom on a case's timeline."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering = ["starts_on", "id"]
    ordering_fields = ["id", "starts_on", "updated_at"]
