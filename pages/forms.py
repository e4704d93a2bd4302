"""Plain forms for the researcher pages' filters: a bad value is a message on the page, never a 500."""

import datetime

from django import forms

from cases.models import CaseStatus
from parties.models import Party

CASE_SORTS = {
    "number": ("general_list_number",),
    "-number": ("-general_list_number",),
    "instituted": ("instituted_on", "general_list_number"),
    "-instituted": ("-instituted_on", "-general_list_number"),
    "title": ("short_title", "general_list_number"),
    "-title": ("-short_title", "-general_list_number"),
}
SORT_LABELS = {
    "number": "General List No. (ascending)",
    "-number": "General List No. (descending)",
    "instituted": "Date instituted (oldest first)",
    "-instituted": "Date instituted (newest first)",
    "title": "Short title (A to Z)",
    "-title": "Short title (Z to A)",
}


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *CaseStatus.choices], required=False)
    party = forms.ModelChoiceField(
        queryset=Party.objects.filter(case_roles__isnull=False).distinct(),
        to_field_name="code",
        required=False,
        empty_label="Any party",
        error_messages={"invalid_choice": "No party with that code is a party to a case."},
    )
    year = forms.IntegerField(
        label="Year instituted",
        required=False,
        min_value=1946,  # The Court's first case was entered on the General List in 1947.
        max_value=datetime.date.today().year + 1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sort = forms.ChoiceField(choices=list(SORT_LABELS.items()), required=False, label="Sort by")

    def filter(self, queryset):
        """The queryset narrowed by the valid filters; invalid ones are left out (and shown as errors)."""
        data = self.cleaned_data if self.is_bound else {}
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("party"):
            queryset = queryset.filter(case_parties__party=data["party"])
        if data.get("year"):
            queryset = queryset.filter(instituted_on__year=data["year"])
        return queryset.order_by(*CASE_SORTS[data.get("sort") or "number"])


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=200, required=False)
    case = forms.TypedChoiceField(label="Case", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )

    def __init__(self, *args, cases=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "All cases")] + [
            (case.general_list_number, f"No. {case.general_list_number}: {case.short_title}") for case in cases
        ]
        self.fields["kind"].choices = [("", "All kinds"), *kinds]
        self.fields["date_from"].error_messages["invalid"] = "Give the start date as YYYY-MM-DD, e.g. 2023-02-22."
        self.fields["date_to"].error_messages["invalid"] = "Give the end date as YYYY-MM-DD, e.g. 2023-02-22."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned
