"""Autocomplete widgets that do not cost a query per inline row."""

import datetime

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property


class LabelledAutocompleteMixin:
    """Django's autocomplete looks up the labels of its selected values with one query per widget.

    On an inline of forty representations that is forty queries per relation. The formset below
    fetches every selected value of a column at once and hands the labels to each row's widget.
    """

    known_labels = None
    label_select_related = ()

    def optgroups(self, name, value, attr=None):
        default = (None, [], 0)
        groups = [default]
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        for index, (option_value, label) in enumerate(self.selected_labels(selected), start=len(default[1])):
            default[1].append(self.create_option(name, option_value, label, set(selected), index))
            if not self.allow_multiple_selected:
                break
        return groups

    def selected_labels(self, selected):
        if not selected:
            return []
        if self.known_labels is not None and all(pk in self.known_labels for pk in selected):
            return [(pk, self.known_labels[pk]) for pk in selected]
        return fetch_labels(self.choices.field, selected, self.label_select_related, self.db).items()


def fetch_labels(field, pks, select_related=(), using=None) -> dict:
    """{pk as text: label} for the given primary keys, in one query."""
    queryset = field.queryset.using(using)
    if select_related:
        queryset = queryset.select_related(*select_related)
    return {str(obj.pk): field.label_from_instance(obj) for obj in queryset.filter(pk__in=list(pks))}


class LabelledAutocompleteSelect(LabelledAutocompleteMixin, AutocompleteSelect):
    pass


class LabelledAutocompleteSelectMultiple(LabelledAutocompleteMixin, AutocompleteSelectMultiple):
    pass


def inner_widget(widget):
    """The widget inside the admin's related-field wrapper, if any."""
    return getattr(widget, "widget", widget)


class LabelPrefetchingFormSet(BaseInlineFormSet):
    """Fetches the labels of every autocomplete column once for the whole inline."""

    @cached_property
    def forms(self):
        forms = super().forms
        if not forms:
            return forms
        for name, field in forms[0].fields.items():
            widget = inner_widget(field.widget)
            if not isinstance(widget, LabelledAutocompleteMixin):
                continue
            wanted = set()
            for form in forms:
                value = form[name].value()
                values = value if isinstance(value, list | tuple) else [value]
                wanted.update(str(v) for v in values if v not in (None, ""))
            labels = fetch_labels(field, wanted, widget.label_select_related, widget.db) if wanted else {}
            for form in forms:
                inner_widget(form.fields[name].widget).known_labels = labels
        return forms


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
COURT_DATE_EXAMPLE = "26 February 2022"


def court_date(value) -> str:
    """A date as the Court writes it: 26 February 2022 (whatever the server's locale)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


class CourtDateInput(forms.TextInput):
    """A plain text input for a date, shown in the Court's style; no calendar, no time-zone note."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": COURT_DATE_EXAMPLE, "class": "vCourtDateField", "size": "18", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return court_date(value)
        return super().format_value(value)
