"""Compact nested summaries: what a script needs about a related object without a second request."""

from django.urls import reverse as django_reverse
from rest_framework import serializers

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Decision, Provision
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The object's API address, plain: without the ?format= of the request that listed it."""

    def get_url(self, obj, view_name, request, format):
        if obj.pk is None:
            return None
        url = django_reverse(view_name, kwargs={self.lookup_url_kwarg: obj.pk})
        return request.build_absolute_uri(url) if request is not None else url


def api_url(view_name):
    return ApiUrlField(view_name=view_name, help_text="This object in the API.")


class SourceSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:source-detail")

    class Meta:
        model = Source
        fields = ["id", "api_url", "key", "title"]


class PartySummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:party-detail")

    class Meta:
        model = Party
        fields = ["id", "api_url", "code", "short_name"]


class PersonSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:person-detail")

    class Meta:
        model = Person
        fields = ["id", "api_url", "slug", "name"]


class CaseSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:case-detail")

    class Meta:
        model = Case
        fields = ["id", "api_url", "general_list_number", "short_title"]


class FilingSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:filing-detail")

    class Meta:
        model = Filing
        fields = ["id", "api_url", "slug", "kind", "title", "filed_on"]


class DecisionSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:decision-detail")
    case = CaseSummarySerializer(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "api_url", "slug", "kind", "subject", "title", "decided_on", "case"]


class ProvisionSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:provision-detail")

    class Meta:
        model = Provision
        fields = ["id", "api_url", "decision_id", "paragraph", "kind", "text"]


class ComplianceClaimSummarySerializer(serializers.ModelSerializer):
    api_url = api_url("api:claim-detail")
    claimant = PartySummarySerializer(read_only=True)

    class Meta:
        model = ComplianceClaim
        fields = ["id", "api_url", "slug", "claimant", "made_on", "assessment", "summary"]
