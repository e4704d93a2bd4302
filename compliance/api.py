from compliance.filters import ComplianceClaimFilter
from compliance.models import ComplianceClaim
from compliance.serializers import ComplianceClaimSerializer
from core.api.views import ApiViewSet


class ComplianceClaimViewSet(ApiViewSet):
    """Claims that a party did or did not comply with a provisional measure or an order."""

    serializer_class = ComplianceClaimSerializer
    filterset_class = ComplianceClaimFilter
    ordering = ["made_on", "id"]
    ordering_fields = ["id", "made_on", "assessment", "updated_at"]

    def get_queryset(self):
        return ComplianceClaim.objects.for_api()
