"""The filings list as a conventional DRF implementation, for comparison with the project's endpoint.

What a DRF tutorial would write: a ModelViewSet, nested ModelSerializers, PageNumberPagination and
the usual select_related/prefetch_related; the project's REST_FRAMEWORK defaults (authentication,
permissions, throttling, renderers, content negotiation) still apply, its filter backends, field
selection, ETags and stricter validation do not. It returns the same JSON body as
``/api/v1/filings/`` for the same page; only its pagination links are rewritten to point at the
API's address, so that the two bodies can be compared byte for byte. Mounted by benchmarks/urls.py.
"""

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination

from cases.models import Case
from filings.models import Filing
from parties.models import Party
from sources.models import Source


class CaseSummarySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:case-detail")

    class Meta:
        model = Case
        fields = ["id", "api_url", "general_list_number", "short_title"]


class PartySummarySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:party-detail")

    class Meta:
        model = Party
        fields = ["id", "api_url", "code", "short_name"]


class SourceSummarySerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")

    class Meta:
        model = Source
        fields = ["id", "api_url", "key", "title"]


class FilingSerializer(serializers.ModelSerializer):
    api_url = serializers.HyperlinkedIdentityField(view_name="api:filing-detail")
    case = CaseSummarySerializer(read_only=True)
    filed_by = PartySummarySerializer(read_only=True)
    sources = SourceSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Filing
        fields = [
            "id",
            "api_url",
            "case",
            "slug",
            "filed_by",
            "kind",
            "title",
            "filed_on",
            "due_on",
            "document_number",
            "url",
            "document",
            "summary",
            "requested_measures",
            "sources",
            "confidence",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]


class FilingPagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE

    def get_next_link(self):
        return self._at_api(super().get_next_link())

    def get_previous_link(self):
        return self._at_api(super().get_previous_link())

    def _at_api(self, link):
        if link is None:
            return None
        return link.replace(self.request.path, reverse("api:filing-list"), 1)


class ConventionalFilingViewSet(viewsets.ModelViewSet):
    serializer_class = FilingSerializer
    pagination_class = FilingPagination
    filter_backends = []

    def get_queryset(self):
        return (
            Filing.objects.select_related("case", "filed_by")
            .prefetch_related("sources")
            .order_by("filed_on", "due_on", "id")
        )
