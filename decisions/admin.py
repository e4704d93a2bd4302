from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from core.admin import (
    FACT_FIELDSET,
    TrackerAdmin,
    TrackerStackedInline,
    TrackerTabularInline,
    add_link,
    admin_links,
    latest_source_id,
)
from decisions.admin_forms import (
    BenchFormSet,
    BenchMemberForm,
    DecisionForm,
    ProvisionForm,
    ProvisionInlineForm,
    copy_bench_widget,
)
from decisions.models import BenchMember, Decision, Opinion, Provision, Vote
from decisions.services import (
    PASTE_REASON,
    decision_apply_operative_clause,
    decision_apply_present_line,
    provision_set_votes,
)

GRID_REASON = "Votes edited in the grid"
PASTE_FIELDSET = "Bench and operative clause, pasted from the Court's text"


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
            return "Save the decision and its bench, then record the vote in the grid above."
        return format_html(
            "{} <a href='{}'>Record the vote (judges for and against)</a>",
            provision.tally or "not recorded.",
            reverse("admin:decisions_provision_change", args=[provision.pk]),
        )


class OpinionInline(TrackerStackedInline):
    """The declarations and opinions appended to the decision, in the order the Court lists them."""

    model = Opinion
    fields = [
        ("kind", "position"),
        "judges",
        ("document_number", "url"),
        "summary",
        "sources",
        ("confidence", "note"),
        "loaded_version",
    ]
    autocomplete_fields = ["judges", "sources"]
    verbose_name = "declaration or opinion"
    verbose_name_plural = "declarations and opinions of the judges"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decision__case").prefetch_related("judges", "sources")

    # Opinions are entered on a saved decision's page, once its bench (whose judges append them) is in.
    def has_view_permission(self, request, obj=None):
        return obj is not None and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return obj is not None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return obj is not None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and super().has_delete_permission(request, obj)


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
    change_form_template = "admin/decisions/decision/change_form.html"

    class Media:
        js = ["admin/js/vote_grid.js"]

    object_history_template = "admin/decisions/decision/object_history.html"
    inlines = [BenchMemberInline, ProvisionInline, OpinionInline]
    fieldsets = [
        (None, {"fields": ["case", "kind", "subject", "issued_by", "decided_on", "title", "slug", "loaded_version"]}),
        ("The document", {"fields": ["document_number", "url"]}),
        ("What it decides", {"fields": ["responds_to", "summary", "not_indicated"]}),
        (
            PASTE_FIELDSET,
            {
                "fields": ["present_text", "operative_clause_text", "copy_bench_from"],
                "description": "Paste what the Court printed; the tracker shows what it understood and saves "
                "nothing until you confirm. The provisions, votes and bench cite this decision's sources.",
            },
        ),
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
            "{}<p>{}</p>",
            admin_links(claims, lambda c: reverse("admin:compliance_complianceclaim_change", args=[c.pk])),
            add_link(
                "admin:compliance_complianceclaim_add",
                "Add a claim about this decision",
                return_to=reverse("admin:decisions_decision_change", args=[decision.pk]),
                decision=decision.pk,
                sources=latest_source_id(decision.sources.all()),
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["paste_fieldset"] = PASTE_FIELDSET
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def save_model(self, request, obj, form, change):
        if self._pasting(form):
            obj._change_reason = PASTE_REASON
        super().save_model(request, obj, form, change)

    @staticmethod
    def _pasting(form) -> bool:
        return form.paste_preview is not None and bool(form.cleaned_data.get("confirm_paste"))

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "related_history": self._related_history(object_id)}
        return super().history_view(request, object_id, extra_context)

    def _related_history(self, decision_id) -> list[dict]:
        """The history of the decision's bench, provisions and votes, newest first, each linked where it can be."""
        try:
            decision_id = int(decision_id)
        except (TypeError, ValueError):
            return []
        provision_ids = set(Provision.history.filter(decision_id=decision_id).values_list("id", flat=True))
        paragraphs = dict(
            Provision.history.filter(id__in=provision_ids).order_by("history_date").values_list("id", "paragraph")
        )
        entries = []
        for record in BenchMember.history.filter(decision_id=decision_id).select_related("judge", "history_user"):
            entries.append(
                {
                    "record": record,
                    "what": f"Bench: {record.get_office_display()} {record.judge}",
                    "url": "",
                }
            )
        for record in Provision.history.filter(decision_id=decision_id).select_related("history_user"):
            entries.append(
                {
                    "record": record,
                    "what": f"Para. {record.paragraph}: {record.instance.tally or 'no vote recorded'}",
                    "url": reverse("admin:decisions_provision_simple_history", args=[record.id, record.history_id]),
                }
            )
        for record in Vote.history.filter(provision_id__in=provision_ids).select_related("judge", "history_user"):
            entries.append(
                {
                    "record": record,
                    "what": f"Vote on para. {paragraphs.get(record.provision_id, '?')}: {record.judge}, {record.vote}",
                    "url": reverse("admin:decisions_provision_history", args=[record.provision_id]),
                }
            )
        entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
        return entries

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
        self._copy_bench(request, form)
        decision = form.instance
        if self._pasting(form):
            if form.present_seats is not None:
                members = decision_apply_present_line(
                    decision=decision, seats=form.present_seats, history_user=request.user
                )
                self.message_user(request, f"Entered the bench of {len(members)} judges.", messages.SUCCESS)
            if form.parsed_clause is not None:
                provisions = decision_apply_operative_clause(
                    decision=decision, parsed=form.parsed_clause, history_user=request.user
                )
                self.message_user(
                    request,
                    f"Entered {len(provisions)} provisions of the operative clause with their votes.",
                    messages.SUCCESS,
                )
        for provision, judges_for, judges_against in form.grid_changes:
            provision_set_votes(
                provision=provision,
                judges_for=judges_for,
                judges_against=judges_against,
                history_user=request.user,
                reason=GRID_REASON,
            )

    def _copy_bench(self, request, form):
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
    object_history_template = "admin/decisions/provision/object_history.html"
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
            reason="Edited on the provision's page in the admin" if change else "Added in the admin",
            relations={
                name: form.cleaned_data[name] for name in ("addressees", "sources") if name in form.cleaned_data
            },
        )

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "vote_changes": vote_changes(object_id)}
        return super().history_view(request, object_id, extra_context)

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


def vote_changes(provision_id) -> list[dict]:
    """Each change of a judge's vote on a provision ("Xue Hanqin: for → against"), newest first."""
    try:
        provision_id = int(provision_id)
    except (TypeError, ValueError):
        return []
    records = (
        Vote.history.filter(provision_id=provision_id)
        .select_related("judge", "history_user")
        .order_by("history_date", "history_id")
    )
    last: dict[int, str] = {}
    changes = []
    for record in records:
        before = last.get(record.judge_id, "—")
        after = "—" if record.history_type == "-" else record.vote
        last[record.judge_id] = after
        if before != after:
            changes.append({"record": record, "text": f"{record.judge}: {before} → {after}"})
    changes.reverse()
    return changes


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
