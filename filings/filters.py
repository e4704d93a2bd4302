from django_filters import rest_framework as filters

from core.api.filters import ApiFilterSet, case_id, case_number, date_filter, full_text, party_code
from filings.models import Filing, FilingKind


class FilingFilter(ApiFilterSet):
    q = full_text()
    case = case_id()
    case_number = case_number()
    party = party_code("filed_by__code", "Code of the party that filed it, e.g. ARM.")
    kind = filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=FilingKind.choices, help_text="Filing kind (repeatable)."
    )
    document_number = filters.CharFilter(
        field_name="document_number", lookup_expr="iexact", help_text="ICJ document number."
    )
    filed_on__gte = date_filter("filed_on", "gte")
    filed_on__lte = date_filter("filed_on", "lte")
    due_on__gte = date_filter("due_on", "gte")
    due_on__lte = date_filter("due_on", "lte")

    class Meta:
        model = Filing
        fields = []
