from django import forms
from django.contrib import admin

from compliance.models import ComplianceClaim
from core.admin import FACT_FIELDSET, TrackerAdmin, VersionedModelForm, fill_slug, latest_source_id
from decisions.models import Decision


class ComplianceClaimForm(VersionedModelForm):
    class Meta:
        model = ComplianceClaim
        fields = [
            "provision",
            "decision",
            "claimant",
            "spokesperson",
            "made_on",
            "assessment",
            "summary",
            "quote",
            "slug",
            "sources",
            "confidence",
            "note",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "quote": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text += " Leave empty to make one from the date and the claimant."

    def clean(self):
        # The decision of a claim about a measure is the model's to fill in (ComplianceClaim.clean).
        cleaned_data = super().clean()
        made_on, claimant = cleaned_data.get("made_on"), cleaned_data.get("claimant")
        if made_on and claimant:
            fill_slug(self, cleaned_data, f"{made_on:%Y-%m-%d}-{claimant.code}", ComplianceClaim.objects.all())
        return cleaned_data


@admin.register(ComplianceClaim)
class ComplianceClaimAdmin(TrackerAdmin):
    form = ComplianceClaimForm
    list_display = ["made_on", "headline", "assessment", "spokesperson", "confidence"]
    list_display_links = ["made_on", "headline"]
    list_filter = ["assessment", "claimant", "confidence", "decision__case"]
    list_select_related = ["claimant", "spokesperson", "decision", "decision__case", "provision"]
    search_fields = ["slug", "summary", "quote", "claimant__short_name", "spokesperson__name", "decision__title"]
    date_hierarchy = "made_on"
    autocomplete_fields = ["provision", "decision", "claimant", "spokesperson", "sources"]
    fieldsets = [
        (
            "What the claim is about",
            {"fields": ["provision", "decision"]},
        ),
        (
            "The claim",
            {
                "fields": [
                    "claimant",
                    "spokesperson",
                    "made_on",
                    "assessment",
                    "summary",
                    "quote",
                    "slug",
                    "loaded_version",
                ]
            },
        ),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_headline()
            .select_related("claimant", "spokesperson", "decision", "decision__case", "provision")
        )

    def get_changeform_initial_data(self, request):
        # A claim started from its decision cites the decision's latest source unless the editor picks another.
        initial = super().get_changeform_initial_data(request)
        raw = str(initial.get("decision", ""))
        decision = Decision.objects.filter(pk=raw).first() if raw.isdigit() else None
        if decision is not None and not initial.get("sources"):
            source = latest_source_id(decision.sources.all())
            if source:
                initial["sources"] = [source]
        return initial

    @admin.display(description="Claim", ordering="decision__decided_on")
    def headline(self, claim):
        """The claim as every list shows it: who says what about whom and which measure."""
        return claim.headline
