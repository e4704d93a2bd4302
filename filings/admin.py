from django import forms
from django.contrib import admin

from cases.models import Case
from core.admin import (
    FACT_FIELDSET,
    DocumentNumberFormMixin,
    TrackerAdmin,
    VersionedModelForm,
    fill_slug,
    https_formfield,
    latest_source_id,
)
from filings.models import Filing
from filings.validators import validate_pdf


class FilingForm(DocumentNumberFormMixin, VersionedModelForm):
    class Meta:
        model = Filing
        formfield_callback = https_formfield
        fields = [
            "case",
            "filed_by",
            "kind",
            "title",
            "slug",
            "filed_on",
            "due_on",
            "document_number",
            "url",
            "document",
            "summary",
            "requested_measures",
            "sources",
            "confidence",
            "note",
        ]
        widgets = {
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "requested_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text += " Leave empty to make one from the date and kind."

    def clean_document(self):
        document = self.cleaned_data.get("document")
        # Only a new upload is read; a stored PDF was checked when it came in.
        if document and "document" in self.changed_data:
            validate_pdf(document)
        return document

    def _get_validation_exclusions(self):
        # The model validator would open the stored file again on every save of the filing (and
        # fail if storage lost it); clean_document has already checked any new upload.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("document")
        return exclusions

    def clean(self):
        cleaned_data = super().clean()
        case = cleaned_data.get("case")
        self.check_document_case(case)
        date = cleaned_data.get("filed_on") or cleaned_data.get("due_on")
        if date and cleaned_data.get("kind"):
            base = f"{date:%Y-%m-%d}-{cleaned_data['kind'].replace('_', '-')}"
            fill_slug(self, cleaned_data, base, Filing.objects.filter(case=case) if case else None)
        return cleaned_data


@admin.register(Filing)
class FilingAdmin(TrackerAdmin):
    form = FilingForm
    list_display = ["__str__", "case", "kind", "filed_by", "filed_on", "due_on", "document_number", "has_document"]
    list_filter = ["kind", "case", "filed_by", "confidence"]
    list_select_related = ["case", "filed_by"]
    search_fields = ["title", "slug", "document_number", "summary", "case__short_title", "filed_by__short_name"]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["case", "filed_by", "sources"]
    fieldsets = [
        (None, {"fields": ["case", "filed_by", "kind", "title", "slug", "loaded_version"]}),
        ("Dates", {"fields": ["filed_on", "due_on"]}),
        ("The document", {"fields": ["document_number", "url", "document"]}),
        ("Contents", {"fields": ["summary", "requested_measures"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case", "filed_by")

    def get_changeform_initial_data(self, request):
        # A filing started from its case cites the case's latest source unless the editor picks another.
        initial = super().get_changeform_initial_data(request)
        case = Case.objects.filter(pk=initial.get("case")).first() if str(initial.get("case", "")).isdigit() else None
        if case is not None and not initial.get("sources"):
            source = latest_source_id(case.sources.all())
            if source:
                initial["sources"] = [source]
        return initial

    @admin.display(description="PDF", boolean=True)
    def has_document(self, filing):
        return bool(filing.document)
