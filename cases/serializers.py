from rest_framework import serializers

from cases.models import Case, CaseParty, Event, Hearing
from core.api.fields import ApiUrlField, SummaryRelatedField, api_url, registers_summary
from core.api.serializers import FACT_FIELDS, ApiModelSerializer
from parties.models import Party
from parties.serializers import PartySummarySerializer
from sources.serializers import sources_field


@registers_summary
class CaseSummarySerializer(serializers.ModelSerializer):
    """A case in brief: its general list number and short title."""

    api_url = api_url("api:case-detail")

    class Meta:
        model = Case
        fields = ["id", "api_url", "general_list_number", "short_title"]


class CasePartySerializer(serializers.ModelSerializer):
    """A party to the case and its role in it (applicant, respondent, intervener...)."""

    party = PartySummarySerializer(read_only=True)

    class Meta:
        model = CaseParty
        fields = ["party", "role"]


class CaseSerializer(ApiModelSerializer):
    """A case on the Court's General List, with its parties, related cases and sources."""

    api_url = api_url("api:case-detail")
    timeline_url = ApiUrlField(view_name="api:case-timeline", help_text="Every dated item of the case, in order.")
    court = SummaryRelatedField(
        summary=PartySummarySerializer,
        queryset=Party.objects.courts(),
        help_text="The court seised of the case (a party id on write).",
    )
    parties = CasePartySerializer(
        source="case_parties", many=True, read_only=True, help_text="The parties and their roles (applicant...)."
    )
    related_cases = SummaryRelatedField(
        summary=CaseSummarySerializer,
        many=True,
        queryset=Case.objects.all(),
        required=False,
        help_text="Mirror or connected cases (case ids on write).",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Case
        fields = [
            "id",
            "api_url",
            "timeline_url",
            "general_list_number",
            "title",
            "short_title",
            "slug",
            "court",
            "instituted_on",
            "status",
            "basis",
            "summary",
            "parties",
            "related_cases",
            *FACT_FIELDS,
        ]


def case_field():
    return SummaryRelatedField(
        summary=CaseSummarySerializer, queryset=Case.objects.all(), help_text="The case (a case id on write)."
    )


class HearingSerializer(ApiModelSerializer):
    """Public hearings on a phase of a case, with the numbers of their verbatim records."""

    api_url = api_url("api:hearing-detail")
    case = case_field()
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Hearing
        fields = [
            "id",
            "api_url",
            "case",
            "slug",
            "starts_on",
            "ends_on",
            "subject",
            "record_numbers",
            "summary",
            *FACT_FIELDS,
        ]


class EventSerializer(ApiModelSerializer):
    """Something outside the courtroom that bears on one or more cases, shown on their timelines."""

    api_url = api_url("api:event-detail")
    cases = SummaryRelatedField(
        summary=CaseSummarySerializer,
        many=True,
        queryset=Case.objects.all(),
        allow_empty=False,
        help_text="Cases this event bears on (case ids on write).",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Event
        fields = ["id", "api_url", "slug", "title", "starts_on", "ends_on", "description", "cases", *FACT_FIELDS]
