from core.api.views import ApiViewSet
from filings.filters import FilingFilter
from filings.models import Filing
from filings.serializers import FilingSerializer


class FilingViewSet(ApiViewSet):
    """Every document lodged in a case: applications, requests, pleadings, reports, letters."""

    serializer_class = FilingSerializer
    filterset_class = FilingFilter
    ordering = ["filed_on", "due_on", "id"]
    ordering_fields = ["id", "filed_on", "due_on", "kind", "updated_at"]

    def get_queryset(self):
        return Filing.objects.with_sources()
