from django_filters import rest_framework as filters

from compliance.models import Assessment, ComplianceClaim
from core.api.filters import ApiFilterSet, IdFilter, case_number, date_filter, full_text, party_code


class ComplianceClaimFilter(ApiFilterSet):
    q = full_text()
    case = IdFilter(field_name="decision__case", lookup_expr="exact", help_text="Case id.")
    case_number = case_number("decision__case__general_list_number")
    decision = IdFilter(field_name="decision", lookup_expr="exact", help_text="Decision id.")
    provision = IdFilter(field_name="provision", lookup_expr="exact", help_text="Provision id.")
    claimant = party_code("claimant__code", "Who made the claim, by party code (e.g. ARM, ICJ).")
    addressee = party_code(
        "provision__addressees__code", "Claims about measures addressed to this party, by code (e.g. AZE)."
    )
    assessment = filters.MultipleChoiceFilter(
        field_name="assessment",
        lookup_expr="exact",
        choices=Assessment.choices,
        help_text="What the claimant says (repeatable).",
    )
    made_on__gte = date_filter("made_on", "gte")
    made_on__lte = date_filter("made_on", "lte")

    class Meta:
        model = ComplianceClaim
        fields = []
