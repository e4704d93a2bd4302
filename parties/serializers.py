from parties.models import Party, Person
from tracker.api.fields import SummaryRelatedField
from tracker.api.serializers import FACT_FIELDS, ApiModelSerializer, sources_field
from tracker.api.summaries import PartySummarySerializer, api_url


class PartySerializer(ApiModelSerializer):
    api_url = api_url("api:party-detail")
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Party
        fields = ["id", "api_url", "code", "name", "short_name", "kind", *FACT_FIELDS]


class PersonSerializer(ApiModelSerializer):
    api_url = api_url("api:person-detail")
    nationality = SummaryRelatedField(
        summary=PartySummarySerializer,
        queryset=Party.objects.states(),
        allow_null=True,
        required=False,
        help_text="The State of nationality, where relevant (a party id on write).",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Person
        fields = ["id", "api_url", "slug", "name", "nationality", "description", *FACT_FIELDS]
