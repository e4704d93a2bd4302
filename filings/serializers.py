from rest_framework import serializers

from cases.models import Case
from cases.serializers import CaseSummarySerializer
from core.api.fields import SummaryRelatedField, api_url, registers_summary
from core.api.serializers import FACT_FIELDS, ApiModelSerializer
from filings.models import Filing
from parties.models import Party
from parties.serializers import PartySummarySerializer
from sources.serializers import sources_field


@registers_summary
class FilingSummarySerializer(serializers.ModelSerializer):
    """A filing in brief: its kind, title and date of filing."""

    api_url = api_url("api:filing-detail")

    class Meta:
        model = Filing
        fields = ["id", "api_url", "slug", "kind", "title", "filed_on"]


class FilingSerializer(ApiModelSerializer):
    """A document lodged in a case (application, request, pleading, report, letter), with who filed it and when."""

    api_url = api_url("api:filing-detail")
    case = SummaryRelatedField(
        summary=CaseSummarySerializer, queryset=Case.objects.all(), help_text="The case (a case id on write)."
    )
    filed_by = SummaryRelatedField(
        summary=PartySummarySerializer, queryset=Party.objects.all(), help_text="Who filed it (a party id on write)."
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
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
            *FACT_FIELDS,
        ]
        read_only_fields = ["document"]
