from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cases.models import Case
from cases.serializers import CaseSummarySerializer
from core.api.fields import JudgesField, SummaryRelatedField, api_url, registers_summary
from core.api.serializers import FACT_FIELDS, ApiModelSerializer, django_errors_to_drf
from decisions.models import BenchMember, Decision, Opinion, Provision, VoteChoice
from decisions.services import provision_clean_votes, provision_set_votes
from filings.models import Filing
from filings.serializers import FilingSummarySerializer
from parties.models import Party, Person
from parties.serializers import PartySummarySerializer, PersonSummarySerializer
from sources.serializers import sources_field


@registers_summary
class DecisionSummarySerializer(serializers.ModelSerializer):
    """A decision in brief: its kind, subject, title and date, with its case."""

    api_url = api_url("api:decision-detail")
    case = CaseSummarySerializer(read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "api_url", "slug", "kind", "subject", "title", "decided_on", "case"]


@registers_summary
class ProvisionSummarySerializer(serializers.ModelSerializer):
    """A provision in brief: its decision, paragraph, kind and text."""

    api_url = api_url("api:provision-detail")

    class Meta:
        model = Provision
        fields = ["id", "api_url", "decision_id", "paragraph", "kind", "text"]


@registers_summary
class OpinionSummarySerializer(serializers.ModelSerializer):
    """An opinion in brief: its kind, the judges who append it, and its document."""

    api_url = api_url("api:opinion-detail")
    judges = PersonSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "api_url", "decision_id", "position", "kind", "judges", "document_number", "url"]


class BenchMemberSerializer(serializers.ModelSerializer):
    """A judge who sat, with their office and place in the order of precedence."""

    judge = PersonSummarySerializer(read_only=True)

    class Meta:
        model = BenchMember
        fields = ["judge", "office", "position"]


class DecisionSerializer(ApiModelSerializer):
    """An order or judgment, with the bench that sat, its operative clause and the requests it decides."""

    api_url = api_url("api:decision-detail")
    case = SummaryRelatedField(
        summary=CaseSummarySerializer, queryset=Case.objects.all(), help_text="The case (a case id on write)."
    )
    responds_to = SummaryRelatedField(
        summary=FilingSummarySerializer,
        many=True,
        queryset=Filing.objects.all(),
        required=False,
        help_text="The applications or requests this decides (filing ids on write).",
    )
    bench = BenchMemberSerializer(
        many=True, read_only=True, help_text="The judges who sat, in order of precedence (edited in the admin)."
    )
    provisions = ProvisionSummarySerializer(
        many=True, read_only=True, help_text="The operative clause, in the order printed."
    )
    opinions = OpinionSummarySerializer(
        many=True,
        read_only=True,
        help_text="The declarations and separate and dissenting opinions appended, in the Court's order.",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Decision
        fields = [
            "id",
            "api_url",
            "case",
            "slug",
            "kind",
            "subject",
            "issued_by",
            "decided_on",
            "title",
            "document_number",
            "url",
            "responds_to",
            "summary",
            "not_indicated",
            "bench",
            "provisions",
            "opinions",
            *FACT_FIELDS,
        ]
        # A list leaves these out unless ?expand= names them: a bench of up to 17 judges, the operative
        # clause and the opinions are most of a decision's bytes and three or four of its list's
        # queries. The detail carries them always.
        expandable = ["bench", "provisions", "opinions"]

    def validate_candidate(self, candidate, attrs):
        if "responds_to" in attrs:
            candidate.validate_responds_to(attrs["responds_to"])
        elif self.instance is not None and ("decided_on" in attrs or "case" in attrs):
            candidate.validate_responds_to(self.instance.responds_to.all())


class ProvisionSerializer(ApiModelSerializer):
    """A provision with its votes, written in one request: the counts follow from the judges named."""

    api_url = api_url("api:provision-detail")
    decision = SummaryRelatedField(
        summary=DecisionSummarySerializer,
        queryset=Decision.objects.select_related("case"),
        help_text="The decision, with its date and case (a decision id on write).",
    )
    provisional_measure = serializers.SerializerMethodField(
        help_text="True for a measure of a provisional-measures order (or of its modification)."
    )
    addressees = SummaryRelatedField(
        summary=PartySummarySerializer,
        many=True,
        queryset=Party.objects.all(),
        required=False,
        help_text="The parties the measure binds (party ids on write).",
    )
    tally = serializers.CharField(
        read_only=True, allow_null=True, help_text='The vote as printed ("13 votes to 2"); null if unknown.'
    )
    judges_for = JudgesField(
        VoteChoice.FOR,
        person_queryset=Person.objects.all(),
        summary=PersonSummarySerializer,
        required=False,
        help_text="Judges who voted for (person ids on write; they must have sat). Sets votes_for; "
        "with none named, a unanimous provision credits the whole bench.",
    )
    judges_against = JudgesField(
        VoteChoice.AGAINST,
        person_queryset=Person.objects.all(),
        summary=PersonSummarySerializer,
        required=False,
        help_text="Judges who voted against (person ids on write). Sets votes_against.",
    )
    amends = SummaryRelatedField(
        summary=ProvisionSummarySerializer,
        queryset=Provision.objects.select_related("decision"),
        allow_null=True,
        required=False,
        help_text="An earlier provision this one reaffirms, modifies or revokes (a provision id on write).",
    )
    compliance_claims = SummaryRelatedField(
        summary="compliance.ComplianceClaim",
        many=True,
        read_only=True,
        help_text="What has been claimed about compliance with this provision.",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Provision
        fields = [
            "id",
            "api_url",
            "decision",
            "paragraph",
            "position",
            "kind",
            "provisional_measure",
            "addressees",
            "text",
            "votes_for",
            "votes_against",
            "unanimous",
            "tally",
            "judges_for",
            "judges_against",
            "amends",
            "amendment",
            "compliance_claims",
            *FACT_FIELDS,
        ]
        # A list leaves these out unless ?expand= names them: up to 17 judges each way and every claim
        # about the measure are most of a provision's bytes and two of its list's queries; the tally stays.
        # The detail carries them always.
        expandable = ["judges_for", "judges_against", "compliance_claims"]
        # The columns the model's derivations read, so the API's read path (core.api.reads) computes
        # these fields without building a Provision per row.
        read_columns = {
            "provisional_measure": ["kind", "decision__subject"],
            "tally": ["votes_for", "votes_against", "unanimous"],
        }

    def get_provisional_measure(self, provision) -> bool:
        return provision.is_provisional_measure

    def _judges(self, attrs):
        """The judges for and against after this write: as sent, or as already recorded."""
        current = list(self.instance.votes.all()) if self.instance is not None else []
        judges_for = attrs.get("judges_for", [v.judge for v in current if v.vote == VoteChoice.FOR])
        judges_against = attrs.get("judges_against", [v.judge for v in current if v.vote == VoteChoice.AGAINST])
        return judges_for, judges_against

    def validate_candidate(self, candidate, attrs):
        judges_for, judges_against = self._judges(attrs)
        provision_clean_votes(provision=candidate, judges_for=judges_for, judges_against=judges_against)

    def _write(self, provision, validated_data):
        judges_for, judges_against = self._judges(validated_data)
        relations = {name: validated_data.pop(name) for name in ("addressees", "sources") if name in validated_data}
        validated_data.pop("judges_for", None)
        validated_data.pop("judges_against", None)
        for name, value in validated_data.items():
            setattr(provision, name, value)
        self.stamp_history_user(provision)
        try:
            provision_set_votes(
                provision=provision, judges_for=judges_for, judges_against=judges_against, relations=relations
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from error
        return provision

    def create(self, validated_data):
        return self._write(Provision(), validated_data)

    def update(self, instance, validated_data):
        return self._write(instance, validated_data)


class OpinionSerializer(ApiModelSerializer):
    """A declaration, separate opinion or dissenting opinion, with the judges who append it."""

    api_url = api_url("api:opinion-detail")
    decision = SummaryRelatedField(
        summary=DecisionSummarySerializer,
        queryset=Decision.objects.select_related("case"),
        help_text="The decision it is appended to (a decision id on write).",
    )
    judges = SummaryRelatedField(
        summary=PersonSummarySerializer,
        many=True,
        queryset=Person.objects.all(),
        allow_empty=False,
        help_text="The judge, or the judges of a joint opinion (person ids on write; they must have sat).",
    )
    sources = sources_field()

    class Meta(ApiModelSerializer.Meta):
        model = Opinion
        fields = [
            "id",
            "api_url",
            "decision",
            "position",
            "kind",
            "judges",
            "document_number",
            "url",
            "summary",
            *FACT_FIELDS,
        ]
        extra_kwargs = {"position": {"required": False}}

    def validate_candidate(self, candidate, attrs):
        if "judges" in attrs:
            candidate.validate_judges(attrs["judges"])
        elif self.instance is not None and "decision" in attrs:
            candidate.validate_judges(self.instance.judges.all())
