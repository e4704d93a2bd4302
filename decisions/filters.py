from django.db.models import Q
from django_filters import rest_framework as filters

from core.api.filters import (
    ApiFilterSet,
    IdFilter,
    boolean,
    case_id,
    case_number,
    date_filter,
    full_text,
    party_code,
    semi_join,
)
from decisions.models import (
    Decision,
    DecisionKind,
    DecisionSubject,
    Opinion,
    OpinionKind,
    Provision,
    ProvisionKind,
    VoteChoice,
)


class DecisionFilter(ApiFilterSet):
    q = full_text()
    case = case_id()
    case_number = case_number()
    kind = filters.ChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=DecisionKind.choices, help_text="Order or judgment."
    )
    subject = filters.MultipleChoiceFilter(
        field_name="subject", lookup_expr="exact", choices=DecisionSubject.choices, help_text="Subject (repeatable)."
    )
    judge = filters.CharFilter(
        field_name="bench__judge__slug", lookup_expr="exact", help_text="A judge on the bench, by slug."
    )
    decided_on__gte = date_filter("decided_on", "gte")
    decided_on__lte = date_filter("decided_on", "lte")

    class Meta:
        model = Decision
        fields = []


class ProvisionFilter(ApiFilterSet):
    q = full_text()
    case = IdFilter(field_name="decision__case", lookup_expr="exact", help_text="Case id.")
    case_number = case_number("decision__case__general_list_number")
    decision = IdFilter(field_name="decision", lookup_expr="exact", help_text="Decision id.")
    kind = filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=ProvisionKind.choices, help_text="Provision kind (repeatable)."
    )
    provisional_measure = boolean(
        "kind",
        "true: only provisional measures (measures of provisional-measures orders and modifications); "
        "false: everything else.",
        method="filter_provisional_measure",
    )
    addressee = party_code("addressees__code", "A party the provision is addressed to, by code (e.g. AZE).")
    judge = filters.CharFilter(
        field_name="votes__judge__slug",
        lookup_expr="exact",
        method="filter_votes",
        help_text="A judge who voted on the provision, by slug; with vote, how they voted.",
    )
    vote = filters.ChoiceFilter(
        field_name="votes__vote",
        lookup_expr="exact",
        choices=VoteChoice.choices,
        method="filter_votes",
        help_text="for or against: with judge, that judge's vote; alone, provisions with a vote of that kind.",
    )
    unanimous = boolean("unanimous", "Adopted unanimously, as a source says.")
    decided_on__gte = date_filter("decision__decided_on", "gte")
    decided_on__lte = date_filter("decision__decided_on", "lte")

    class Meta:
        model = Provision
        fields = []

    def filter_provisional_measure(self, queryset, name, value):
        measures = Provision.objects.measures().values("pk")
        return queryset.filter(pk__in=measures) if value else queryset.exclude(pk__in=measures)

    def filter_votes(self, queryset, name, value):
        # judge and vote must hold for the same Vote row: one filter() call with both conditions,
        # applied once (by whichever of the two parameters is given first).
        data = self.form.cleaned_data
        if name == "votes__vote" and data.get("judge"):
            return queryset
        condition = {}
        if data.get("judge"):
            condition["votes__judge__slug"] = data["judge"]
        if data.get("vote"):
            condition["votes__vote"] = data["vote"]
        return semi_join(queryset, Q(**condition))


class OpinionFilter(ApiFilterSet):
    decision = IdFilter(field_name="decision", lookup_expr="exact", help_text="Decision id.")
    case = IdFilter(field_name="decision__case", lookup_expr="exact", help_text="Case id.")
    case_number = case_number("decision__case__general_list_number")
    kind = filters.MultipleChoiceFilter(
        field_name="kind",
        lookup_expr="exact",
        choices=OpinionKind.choices,
        help_text="declaration, separate_opinion or dissenting_opinion (repeatable).",
    )
    judge = filters.CharFilter(
        field_name="judges__slug",
        lookup_expr="exact",
        help_text="A judge who appends it (alone or jointly), by slug, e.g. yusuf.",
    )
    decided_on__gte = date_filter("decision__decided_on", "gte")
    decided_on__lte = date_filter("decision__decided_on", "lte")

    class Meta:
        model = Opinion
        fields = []
