from sources.models import Source
from tracker.api.serializers import ApiModelSerializer
from tracker.api.summaries import api_url


class SourceSerializer(ApiModelSerializer):
    api_url = api_url("api:source-detail")

    class Meta(ApiModelSerializer.Meta):
        model = Source
        fields = [
            "id",
            "api_url",
            "key",
            "kind",
            "title",
            "publisher",
            "url",
            "published_on",
            "document_number",
            "excerpt",
            "version",
            "created_at",
            "updated_at",
        ]
