"""The one API router: every app's viewsets are registered here, with the schema, docs and dataset."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, EventViewSet, HearingViewSet
from compliance.api import ComplianceClaimViewSet
from core.api.exceptions import UnknownAddressView
from dataset.views import DatasetView
from decisions.api import DecisionViewSet, OpinionViewSet, ProvisionViewSet
from filings.api import FilingViewSet
from parties.api import PartyViewSet, PersonViewSet
from proceedings.api import CaseTimelineView
from sources.api import SourceViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("parties", PartyViewSet, basename="party")
router.register("people", PersonViewSet, basename="person")
router.register("filings", FilingViewSet, basename="filing")
router.register("hearings", HearingViewSet, basename="hearing")
router.register("events", EventViewSet, basename="event")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("opinions", OpinionViewSet, basename="opinion")
router.register("claims", ComplianceClaimViewSet, basename="claim")
router.register("sources", SourceViewSet, basename="source")

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("dataset/", DatasetView.as_view(), name="dataset"),
    path("cases/<int:pk>/timeline/", CaseTimelineView.as_view(), name="case-timeline"),
    path("", include(router.urls)),
]

# The API's names live in the "api" namespace (api:filing-list) because the researchers' pages
# already use case-list, case-detail, party-detail and person-detail. The root keeps its plain
# name too, for the pages' link to the API.
urlpatterns = [
    path("", include((api_patterns, "api"))),
    path("", router.get_api_root_view(), name="api-root"),
]

# Last: any other address under /api/v1/ is a JSON 404, not Django's HTML page.
urlpatterns.append(re_path(r"^.*", UnknownAddressView.as_view()))
