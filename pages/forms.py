"""Plain forms for the researcher pages' filters: a bad value is a message on the page, never a 500."""

import datetime

from django import forms
from django.db.models import Exists, F, OuterRef

from cases.models import CaseParty, CaseStatus
from decisions.models import ProvisionKind, VoteChoice
from parties.models import Party

CASE_SORTS = {
    "number": ("general_list_number",),
    "-number": ("-general_list_number",),
    # Cases whose date of institution is not recorded come last either way.
    "instituted": (F("instituted_on").asc(nulls_last=True), "general_list_number"),
    "-instituted": (F("instituted_on").desc(nulls_last=True), "-general_list_number"),
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
        # EXISTS, not a join with DISTINCT: a party is listed once without sorting every case role first.
        queryset=Party.objects.filter(Exists(CaseParty.objects.filter(party=OuterRef("pk")))),
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


def case_number_field(invalid: str) -> forms.IntegerField:
    """An optional General List number, typed in rather than chosen from every case."""
    return forms.IntegerField(
        label="Case No.",
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 180", "size": 6}),
        error_messages={"invalid": invalid},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Search for", max_length=200, required=False)
    # A number, not a list of every case: the General List runs to hundreds of cases.
    case = case_number_field("Select a valid choice. Give the case's General List number, e.g. 180.")
    kind = forms.ChoiceField(label="Kind", required=False)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}), input_formats=["%Y-%m-%d"]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1000, widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *kinds]
        self.fields["date_from"].error_messages["invalid"] = "Give the start date as YYYY-MM-DD, e.g. 2023-02-22."
        self.fields["date_to"].error_messages["invalid"] = "Give the end date as YYYY-MM-DD, e.g. 2023-02-22."
        self.fields["page"].error_messages["invalid"] = "Give the page as a whole number, e.g. 2."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


def bound_form(form_class, request, **kwargs):
    """A filter form bound to the query string only when it has one; validated at once, so errors show."""
    form = form_class(request.GET or None, **kwargs)
    if form.is_bound:
        form.is_valid()
    return form


def valid_value(form, name):
    """A filter's cleaned value, or None where it was absent or invalid (its error is shown instead)."""
    return form.cleaned_data.get(name) if form.is_bound and hasattr(form, "cleaned_data") else None


class JudgeVotesForm(forms.Form):
    case = forms.TypedChoiceField(label="Case", required=False, coerce=int, empty_value=None)
    vote = forms.ChoiceField(label="Vote", required=False)
    kind = forms.ChoiceField(label="Kind of provision", required=False)

    def __init__(self, *args, cases=(), **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "All cases")] + [
            (case.general_list_number, f"No. {case.general_list_number}: {case.short_title}") for case in cases
        ]
        self.fields["case"].error_messages["invalid_choice"] = "This judge cast no recorded vote in that case."
        self.fields["vote"].choices = [
            ("", "For or against"),
            *((v, label.capitalize()) for v, label in VoteChoice.choices),
        ]
        self.fields["kind"].choices = [
            ("", "Any kind"),
            *((v, label.capitalize()) for v, label in ProvisionKind.choices),
        ]


class JudgeCompareForm(forms.Form):
    a = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        label="First judge",
        error_messages={"invalid_choice": "No judge with that identifier sat on a recorded bench."},
    )
    b = forms.ModelChoiceField(
        queryset=None,
        to_field_name="slug",
        label="Second judge",
        error_messages={"invalid_choice": "No judge with that identifier sat on a recorded bench."},
    )

    def __init__(self, *args, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].queryset = judges
            self.fields[name].empty_label = "Choose a judge"
            self.fields[name].error_messages["required"] = "Choose a judge."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            self.add_error("b", "Choose two different judges.")
        return cleaned


class ComplianceFilterForm(forms.Form):
    # A number, not a list of the cases with a measure: at scale that list runs to thousands of cases.
    case = case_number_field("Give the case's General List number, e.g. 180.")
    # Parties are few (one per State, organization or outlet), so their codes are offered as choices and
    # checked in Python: a value no party has (a stray byte included) is a message, never a query.
    addressee = forms.ChoiceField(label="Addressed to", required=False)
    claimant = forms.ChoiceField(label="Claimant", required=False)

    def __init__(self, *args, cases=None, addressees=(), claimants=(), **kwargs):
        """`cases`: those with a provisional measure; `addressees`, `claimants`: the parties offered (querysets)."""
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.claimant_choices = list(claimants)
        self.parties = {}
        choices = (
            ("addressee", list(addressees), "Any addressee", "No measure is addressed to a party with that code."),
            ("claimant", self.claimant_choices, "Every claimant", "No claim by a party with that code is recorded."),
        )
        for name, parties, empty_label, message in choices:
            self.fields[name].choices = [("", empty_label)] + [(party.code, party.short_name) for party in parties]
            self.fields[name].error_messages["invalid_choice"] = message
            self.parties.update((party.code, party) for party in parties)
        unknown = "No provisional measure is recorded in that case."
        self.fields["case"].error_messages.update(min_value=unknown, max_value=unknown)

    def clean_case(self):
        number = self.cleaned_data["case"]
        if number is not None and not self.cases.filter(general_list_number=number).exists():
            raise forms.ValidationError("No provisional measure is recorded in that case.")
        return number

    def clean_addressee(self):
        return self.parties.get(self.cleaned_data["addressee"])

    def clean_claimant(self):
        return self.parties.get(self.cleaned_data["claimant"])
