from core.api.views import ApiViewSet
from decisions.filters import DecisionFilter, OpinionFilter, ProvisionFilter
from decisions.models import Decision, Opinion, Provision
from decisions.serializers import DecisionSerializer, OpinionSerializer, ProvisionSerializer


class DecisionViewSet(ApiViewSet):
    """Orders and judgments, with the bench and the operative clause."""

    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering = ["decided_on", "id"]
    ordering_fields = ["id", "decided_on", "updated_at"]

    def get_queryset(self):
        return Decision.objects.for_api()


class ProvisionViewSet(ApiViewSet):
    """Items of operative clauses with their votes; a provision is written with its votes in one request."""

    serializer_class = ProvisionSerializer
    filterset_class = ProvisionFilter
    ordering = ["decision__decided_on", "decision_id", "position", "id"]
    ordering_fields = ["id", "decision__decided_on", "position", "updated_at"]

    def get_queryset(self):
        return Provision.objects.for_api()


class OpinionViewSet(ApiViewSet):
    """The judges' declarations, separate opinions and dissenting opinions, each with its decision."""

    serializer_class = OpinionSerializer
    filterset_class = OpinionFilter
    ordering = ["decision__decided_on", "decision_id", "position", "id"]
    ordering_fields = ["id", "decision__decided_on", "position", "updated_at"]

    def get_queryset(self):
        return Opinion.objects.for_api()
