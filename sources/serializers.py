from rest_framework import serializers

from core.api.fields import SummaryRelatedField, api_url, registers_summary
from core.api.serializers import ApiModelSerializer
from sources.models import Source


@registers_summary
class SourceSummarySerializer(serializers.ModelSerializer):
    """A source in brief: its key and title."""

    api_url = api_url("api:source-detail")

    class Meta:
        model = Source
        fields = ["id", "api_url", "key", "title"]


class SourceSerializer(ApiModelSerializer):
    """Where facts come from: an ICJ document, a press release, an article, a statement."""

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


def sources_field():
    """The sources of a fact: summaries on read, a non-empty list of source ids on write."""
    return SummaryRelatedField(
        summary=SourceSummarySerializer,
        many=True,
        queryset=Source.objects.all(),
        allow_empty=False,
        help_text="Where this fact comes from (source ids on write). No fact without a source.",
    )
