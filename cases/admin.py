from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import format_html

from cases.models import Case, CaseParty, Event, Hearing, Representation
from core.admin import (
    FACT_FIELDSET,
    TrackerAdmin,
    TrackerTabularInline,
    VersionedInlineForm,
    VersionedModelForm,
    add_link,
    admin_links,
    latest_source_id,
)
from parties.models import Party, PartyKind


class CasePartyInline(TrackerTabularInline):
    model = CaseParty
    fields = ["party", "role", "loaded_version"]
    autocomplete_fields = ["party"]
    verbose_name = "party and its role"
    verbose_name_plural = "parties and their roles"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "party")


class RepresentationInlineForm(VersionedInlineForm):
    class Meta:
        model = Representation
        fields = ["party", "person", "role", "from_date", "to_date", "sources", "confidence", "loaded_version"]


class RepresentationInline(TrackerTabularInline):
    model = Representation
    form = RepresentationInlineForm
    fields = ["party", "person", "role", "from_date", "to_date", "sources", "confidence", "loaded_version"]
    autocomplete_fields = ["party", "person", "sources"]
    verbose_name_plural = "representation (agents, counsel, judges ad hoc)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "party", "person").prefetch_related("sources")


class HearingInlineForm(VersionedInlineForm):
    class Meta:
        model = Hearing
        fields = [
            "slug",
            "subject",
            "starts_on",
            "ends_on",
            "record_numbers",
            "sources",
            "confidence",
            "loaded_version",
        ]


class HearingInline(TrackerTabularInline):
    model = Hearing
    form = HearingInlineForm
    fields = ["slug", "subject", "starts_on", "ends_on", "record_numbers", "sources", "confidence", "loaded_version"]
    autocomplete_fields = ["sources"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case").prefetch_related("sources")


class CaseForm(VersionedModelForm):
    class Meta:
        model = Case
        fields = [
            "general_list_number",
            "title",
            "short_title",
            "slug",
            "court",
            "instituted_on",
            "status",
            "basis",
            "summary",
            "related_cases",
            "sources",
            "confidence",
            "note",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def clean_related_cases(self):
        related = self.cleaned_data.get("related_cases")
        if related is not None and self.instance.pk and any(case.pk == self.instance.pk for case in related):
            raise forms.ValidationError("A case is not related to itself; pick the mirror case.")
        return related


@admin.register(Case)
class CaseAdmin(TrackerAdmin):
    form = CaseForm
    list_display = ["general_list_number", "short_title", "instituted_on", "status", "court"]
    list_display_links = ["general_list_number", "short_title"]
    list_filter = ["status", "court"]
    list_select_related = ["court"]
    search_fields = ["general_list_number__exact", "title", "short_title", "slug"]
    date_hierarchy = "instituted_on"
    autocomplete_fields = ["court", "related_cases", "sources"]
    prepopulated_fields = {"slug": ("short_title",)}
    readonly_fields = ["filings_list", "decisions_list"]
    inlines = [CasePartyInline, RepresentationInline, HearingInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "general_list_number",
                    "title",
                    "short_title",
                    "slug",
                    "court",
                    "instituted_on",
                    "status",
                    "basis",
                    "summary",
                    "related_cases",
                    "loaded_version",
                ]
            },
        ),
        ("Filings and decisions", {"fields": ["filings_list", "decisions_list"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("court")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "court" not in initial:
            # Every case so far is before the ICJ; a new one starts there.
            court = Party.objects.filter(kind=PartyKind.COURT, code="ICJ").values_list("pk", flat=True).first()
            if court:
                initial["court"] = court
        return initial

    @admin.display(description="Filings")
    def filings_list(self, case):
        if case.pk is None:
            return "Save the case first, then add its filings."
        filings = case.filings.with_relations().order_by("filed_on", "due_on", "slug")
        return format_html(
            "{}<p>{}</p>",
            admin_links(filings, lambda f: reverse("admin:filings_filing_change", args=[f.pk])),
            self._add_link(case, "admin:filings_filing_add", "Add a filing to this case"),
        )

    @admin.display(description="Orders and judgments")
    def decisions_list(self, case):
        if case.pk is None:
            return "Save the case first, then add its orders and judgments."
        decisions = case.decisions.select_related("case").order_by("decided_on", "slug")
        return format_html(
            "{}<p>{}</p>",
            admin_links(decisions, lambda d: reverse("admin:decisions_decision_change", args=[d.pk])),
            self._add_link(case, "admin:decisions_decision_add", "Add a decision to this case"),
        )

    @staticmethod
    def _add_link(case, viewname, label):
        """A new record of the case, with the case and its latest source chosen, that comes back here."""
        return add_link(
            viewname,
            label,
            return_to=reverse("admin:cases_case_change", args=[case.pk]),
            case=case.pk,
            sources=latest_source_id(case.sources.all()),
        )


class RepresentationForm(VersionedModelForm):
    class Meta:
        model = Representation
        fields = ["case", "party", "person", "role", "from_date", "to_date", "sources", "confidence", "note"]


@admin.register(Representation)
class RepresentationAdmin(TrackerAdmin):
    form = RepresentationForm
    list_display = ["person", "role", "party", "case", "from_date", "to_date"]
    list_filter = ["role", "case"]
    list_select_related = ["person", "party", "case"]
    search_fields = ["person__name", "party__short_name", "case__short_title"]
    date_hierarchy = "from_date"
    autocomplete_fields = ["case", "party", "person", "sources"]
    fieldsets = [
        (None, {"fields": ["case", "party", "person", "role", "from_date", "to_date", "loaded_version"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "party", "case")


class HearingForm(VersionedModelForm):
    class Meta:
        model = Hearing
        fields = [
            "case",
            "slug",
            "subject",
            "starts_on",
            "ends_on",
            "record_numbers",
            "summary",
            "sources",
            "confidence",
            "note",
        ]


@admin.register(Hearing)
class HearingAdmin(TrackerAdmin):
    form = HearingForm
    list_display = ["__str__", "case", "subject", "starts_on", "ends_on", "record_numbers"]
    list_filter = ["subject", "case"]
    list_select_related = ["case"]
    search_fields = ["slug", "record_numbers", "summary", "case__short_title"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["case", "sources"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "case",
                    "slug",
                    "subject",
                    "starts_on",
                    "ends_on",
                    "record_numbers",
                    "summary",
                    "loaded_version",
                ]
            },
        ),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")


class EventForm(VersionedModelForm):
    class Meta:
        model = Event
        fields = ["slug", "title", "starts_on", "ends_on", "description", "cases", "sources", "confidence", "note"]


@admin.register(Event)
class EventAdmin(TrackerAdmin):
    form = EventForm
    list_display = ["title", "starts_on", "ends_on", "case_numbers"]
    list_filter = ["cases", "confidence"]
    search_fields = ["title", "slug", "description"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["cases", "sources"]
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = [
        (None, {"fields": ["title", "slug", "starts_on", "ends_on", "description", "cases", "loaded_version"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("general_list_number")))
        )

    @admin.display(description="Cases")
    def case_numbers(self, event):
        return ", ".join(f"No. {case.general_list_number}" for case in event.cases.all())
