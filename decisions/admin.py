from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from core.admin import FACT_FIELDSET, TrackerAdmin, TrackerStackedInline, TrackerTabularInline, admin_links
from decisions.admin_forms import (
    BenchFormSet,
    BenchMemberForm,
    DecisionForm,
    ProvisionForm,
    ProvisionInlineForm,
    copy_bench_widget,
)
from decisions.models import BenchMember, Decision, Provision, Vote
from decisions.services import provision_set_votes


class BenchMemberInline(TrackerTabularInline):
    model = BenchMember
    form = BenchMemberForm
    formset = BenchFormSet
    fields = ["judge", "office", "position", "loaded_version"]
    autocomplete_fields = ["judge"]
    verbose_name = "judge on the bench"
    verbose_name_plural = "bench (the judges who sat, with their office)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision", "judge")


class ProvisionInline(TrackerStackedInline):
    model = Provision
    form = ProvisionInlineForm
    fields = [
        ("paragraph", "position", "kind"),
        "text",
        "addressees",
        ("amends", "amendment"),
        "sources",
        "vote",
        "loaded_version",
    ]
    readonly_fields = ["vote"]
    autocomplete_fields = ["addressees", "amends", "sources"]
    show_change_link = True
    verbose_name = "provision of the operative clause"
    verbose_name_plural = "operative clause"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision__case").prefetch_related("addressees", "sources")

    @admin.display(description="Vote")
    def vote(self, provision):
        if provision.pk is None:
            return "Save the decision and its bench, then record the vote on the provision's own page."
        return format_html(
            "{} <a href='{}'>Record the vote (judges for and against)</a>",
            provision.tally or "not recorded.",
            reverse("admin:decisions_provision_change", args=[provision.pk]),
        )


@admin.register(Decision)
class DecisionAdmin(TrackerAdmin):
    form = DecisionForm
    list_display = ["title", "case", "kind", "subject", "issued_by", "decided_on", "document_number"]
    list_filter = ["kind", "subject", "issued_by", "case"]
    list_select_related = ["case"]
    search_fields = [
        "title",
        "slug",
        "document_number",
        "summary",
        "case__short_title",
        "case__general_list_number__exact",
    ]
    date_hierarchy = "decided_on"
    autocomplete_fields = ["case", "responds_to", "sources"]
    readonly_fields = ["compliance_claims_list"]
    inlines = [BenchMemberInline, ProvisionInline]
    fieldsets = [
        (None, {"fields": ["case", "kind", "subject", "issued_by", "decided_on", "title", "slug", "loaded_version"]}),
        ("The document", {"fields": ["document_number", "url"]}),
        ("What it decides", {"fields": ["responds_to", "summary", "not_indicated"]}),
        ("Bench", {"fields": ["copy_bench_from"]}),
        ("Compliance", {"fields": ["compliance_claims_list"]}),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("case")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields["copy_bench_from"]
        field.widget = copy_bench_widget(self.admin_site)
        field.widget.choices = field.choices
        return form

    @admin.display(description="Claims about compliance")
    def compliance_claims_list(self, decision):
        if decision.pk is None:
            return "–"
        claims = decision.compliance_claims.select_related("claimant", "provision", "decision").order_by("made_on")
        return format_html(
            "{}<p><a class='addlink' href='{}?decision={}'>Add a claim about this decision</a></p>",
            admin_links(claims, lambda c: reverse("admin:compliance_complianceclaim_change", args=[c.pk])),
            reverse("admin:compliance_complianceclaim_add"),
            decision.pk,
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Provision:
            # A provision left without sources cites the decision it is part of.
            decision_sources = list(form.instance.sources.all())
            for provision in [*formset.new_objects, *(obj for obj, _ in formset.changed_objects)]:
                if not provision.sources.exists():
                    provision.sources.set(decision_sources)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        source = form.cleaned_data.get("copy_bench_from")
        if source is None:
            return
        decision = form.instance
        if decision.bench.exists():
            self.message_user(
                request, f"The bench was not copied from {source}: this decision already has one.", messages.WARNING
            )
            return
        for member in source.bench.in_precedence():
            BenchMember.objects.create(
                decision=decision, judge_id=member.judge_id, office=member.office, position=member.position
            )
        self.message_user(request, f"Copied the bench of {source}.", messages.SUCCESS)

    def autocomplete_label(self, decision):
        return f"No. {decision.case.general_list_number}: {decision.title} ({decision.decided_on:%-d %B %Y})"


@admin.register(Provision)
class ProvisionAdmin(TrackerAdmin):
    form = ProvisionForm
    list_display = ["__str__", "kind", "tally_display", "unanimous", "confidence"]
    list_filter = ["kind", "unanimous", "decision__subject", "decision__case"]
    list_select_related = ["decision", "decision__case"]
    search_fields = [
        "text",
        "paragraph",
        "decision__title",
        "decision__slug",
        "decision__case__short_title",
        "decision__case__general_list_number__exact",
    ]
    date_hierarchy = "decision__decided_on"
    ordering = ["-decision__decided_on", "decision__case__general_list_number", "position"]
    autocomplete_fields = ["decision", "addressees", "amends", "sources"]
    fieldsets = [
        (None, {"fields": ["decision", "paragraph", "position", "kind", "text", "addressees", "loaded_version"]}),
        ("Amends an earlier provision", {"fields": ["amends", "amendment"], "classes": ["collapse"]}),
        (
            "The vote",
            {
                "fields": ["judges_for", "judges_against", "unanimous", "votes_for", "votes_against"],
                "description": "Tick the judges who voted for and against; the counts follow from the names. "
                "Where a source gives only the tally, leave the judges unticked and enter the counts.",
            },
        ),
        FACT_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision", "decision__case")

    def get_readonly_fields(self, request, obj=None):
        # Moving a provision to another decision would strand its votes with another bench.
        return ["decision"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        # The form has already checked the vote with the same rules; this writes it as every door does.
        provision_set_votes(
            provision=obj,
            judges_for=form.cleaned_data.get("judges_for") or [],
            judges_against=form.cleaned_data.get("judges_against") or [],
            history_user=request.user,
            relations={
                name: form.cleaned_data[name] for name in ("addressees", "sources") if name in form.cleaned_data
            },
        )

    @admin.display(description="Vote")
    def tally_display(self, provision):
        return provision.tally or "–"

    def autocomplete_label(self, provision):
        decision = provision.decision
        text = provision.text if len(provision.text) <= 80 else provision.text[:79] + "…"
        return (
            f"No. {decision.case.general_list_number}, {decision.title} ({decision.decided_on:%-d %B %Y}), "
            f"para. {provision.paragraph}: {text}"
        )


@admin.register(Vote)
class VoteAdmin(TrackerAdmin):
    """Votes are read here and written on their provision's page, where the counts follow them."""

    list_display = ["judge", "vote", "provision"]
    list_filter = ["vote", "provision__decision__case"]
    list_select_related = ["judge", "provision", "provision__decision", "provision__decision__case"]
    search_fields = ["judge__name", "provision__decision__title"]
    readonly_fields = ["provision", "judge", "vote"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("judge", "provision__decision__case")
