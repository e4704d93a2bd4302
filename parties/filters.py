from django_filters import rest_framework as filters

from core.api.filters import ApiFilterSet, party_code
from parties.models import Party, PartyKind, Person


class PartyFilter(ApiFilterSet):
    code = party_code("code", "Party code, e.g. AZE.")
    kind = filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=PartyKind.choices, help_text="Party kind (repeatable)."
    )
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Name contains.")

    class Meta:
        model = Party
        fields = []


class PersonFilter(ApiFilterSet):
    slug = filters.CharFilter(field_name="slug", lookup_expr="exact", help_text="The person's slug.")
    name = filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Name contains.")
    nationality = party_code("nationality__code", "Code of the State of nationality, e.g. ARM.")

    class Meta:
        model = Person
        fields = []
