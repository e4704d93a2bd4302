from rest_framework import serializers

from core.api.fields import SummaryRelatedField, api_url, registers_summary
from core.api.serializers import FACT_FIELDS, ApiModelSerializer
from parties.models import Party, Person
from sources.serializers import sources_field


@registers_summary
class PartySummarySerializer(serializers.ModelSerializer):
    """A party in brief: its code and short name."""

    api_url = api_url("api:party-detail")

    class Meta:
        model = Party
        fields = ["id", "api_url", "code", "short_name"]


@registers_summary
class PersonSummarySerializer(serializers.ModelSerializer):
    """A person in brief: their name."""

    api_url = api_url("api:person-detail")

    class Meta:
        model = Person
        fields = ["id", "api_url", "slug", "name"]


class PartySerializer(ApiModelSerializer):
    """A State or other actor (an organisation, the Court) that files, is addressed by measures or makes claims."""

    api_url = api_url("api:party-detail")
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Party
        fields = ["id", "api_url", "code", "name", "short_name", "aliases", "kind", *FACT_FIELDS]


class PersonSerializer(ApiModelSerializer):
    """A judge, agent, counsel, minister or spokesperson."""

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
        fields = ["id", "api_url", "slug", "name", "aliases", "nationality", "description", *FACT_FIELDS]
