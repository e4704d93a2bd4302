from rest_framework import serializers

from compliance.models import ComplianceClaim
from core.api.fields import SummaryRelatedField, api_url, registers_summary
from core.api.serializers import FACT_FIELDS, ApiModelSerializer
from decisions.models import Decision, Provision
from decisions.serializers import DecisionSummarySerializer, ProvisionSummarySerializer
from parties.models import Party, Person
from parties.serializers import PartySummarySerializer, PersonSummarySerializer
from sources.serializers import sources_field


@registers_summary
class ComplianceClaimSummarySerializer(serializers.ModelSerializer):
    """A compliance claim in brief: who made it, when, and how it is assessed."""

    api_url = api_url("api:claim-detail")
    claimant = PartySummarySerializer(read_only=True)

    class Meta:
        model = ComplianceClaim
        fields = ["id", "api_url", "slug", "claimant", "made_on", "assessment", "summary"]


class ComplianceClaimSerializer(ApiModelSerializer):
    """A claim that a party did or did not comply with a provisional measure or an order."""

    api_url = api_url("api:claim-detail")
    decision = SummaryRelatedField(
        summary=DecisionSummarySerializer,
        queryset=Decision.objects.all(),
        required=False,
        help_text="The order the claim is about (a decision id on write; taken from the provision when omitted).",
    )
    provision = SummaryRelatedField(
        summary=ProvisionSummarySerializer,
        queryset=Provision.objects.select_related("decision"),
        allow_null=True,
        required=False,
        help_text="The measure the claim is about, with its paragraph; null for the order as a whole.",
    )
    claimant = SummaryRelatedField(
        summary=PartySummarySerializer, queryset=Party.objects.all(), help_text="Who makes the claim (a party id)."
    )
    spokesperson = SummaryRelatedField(
        summary=PersonSummarySerializer,
        queryset=Person.objects.all(),
        allow_null=True,
        required=False,
        help_text="Who spoke for the claimant, where known (a person id).",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = ComplianceClaim
        fields = [
            "id",
            "api_url",
            "slug",
            "decision",
            "provision",
            "claimant",
            "spokesperson",
            "made_on",
            "assessment",
            "summary",
            "quote",
            *FACT_FIELDS,
        ]
