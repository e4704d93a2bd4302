from django_filters import rest_framework as filters

from core.api.filters import ApiFilterSet, date_filter, full_text
from sources.models import Source, SourceKind


class SourceFilter(ApiFilterSet):
    q = full_text()
    kind = filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=SourceKind.choices, help_text="Source kind (repeatable)."
    )
    key = filters.CharFilter(field_name="key", lookup_expr="exact", help_text="The source's stable key.")
    document_number = filters.CharFilter(
        field_name="document_number", lookup_expr="iexact", help_text="ICJ document number."
    )
    publisher = filters.CharFilter(field_name="publisher", lookup_expr="icontains", help_text="Publisher contains.")
    published_on__gte = date_filter("published_on", "gte")
    published_on__lte = date_filter("published_on", "lte")

    class Meta:
        model = Source
        fields = []
