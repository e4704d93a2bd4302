from core.api.views import ApiViewSet
from sources.filters import SourceFilter
from sources.models import Source
from sources.serializers import SourceSerializer


class SourceViewSet(ApiViewSet):
    """Where facts come from: ICJ documents, press releases, articles, statements."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["-published_on", "key", "id"]
    ordering_fields = ["id", "key", "published_on", "title", "updated_at"]

    def get_queryset(self):
        return Source.objects.for_api()
