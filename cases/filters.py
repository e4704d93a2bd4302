from django.db.models import Q
from django_filters import rest_framework as filters

from cases.models import Case, CaseStatus, Event, Hearing, HearingSubject, PartyRole
from core.api.filters import ApiFilterSet, IdFilter, case_id, case_number, date_filter, full_text, party_code, semi_join


class CaseFilter(ApiFilterSet):
    number = case_number("general_list_number")
    party = party_code("case_parties__party__code", "A party to the case, by code (e.g. AZE).")
    role = filters.ChoiceFilter(
        field_name="case_parties__role",
        lookup_expr="exact",
        choices=PartyRole.choices,
        help_text="With party: the party's role in the case.",
        method="filter_role",
    )
    status = filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=CaseStatus.choices, help_text="Case status."
    )
    instituted_on__gte = date_filter("instituted_on", "gte")
    instituted_on__lte = date_filter("instituted_on", "lte")

    class Meta:
        model = Case
        fields = []

    def filter_role(self, queryset, name, value):
        # Party and role must hold for the same CaseParty row, so they are applied together.
        code = self.form.cleaned_data.get("party")
        condition = {"case_parties__role": value}
        if code:
            condition["case_parties__party__code__iexact"] = code
        return semi_join(queryset, Q(**condition))


class HearingFilter(ApiFilterSet):
    case = case_id()
    case_number = case_number()
    subject = filters.ChoiceFilter(
        field_name="subject", lookup_expr="exact", choices=HearingSubject.choices, help_text="Phase heard."
    )
    starts_on__gte = date_filter("starts_on", "gte")
    starts_on__lte = date_filter("starts_on", "lte")

    class Meta:
        model = Hearing
        fields = []


class EventFilter(ApiFilterSet):
    q = full_text()
    case = IdFilter(field_name="cases", lookup_expr="exact", help_text="Case id.")
    case_number = case_number("cases__general_list_number")
    starts_on__gte = date_filter("starts_on", "gte")
    starts_on__lte = date_filter("starts_on", "lte")

    class Meta:
        model = Event
        fields = []
