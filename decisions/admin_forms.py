"""Forms for the editors' decision, bench, provision and vote screens."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, UniqueConstraint

from core.admin import DocumentNumberFormMixin, VersionedInlineForm, VersionedModelForm, fill_slug, https_formfield
from core.admin_widgets import LabelledAutocompleteSelect, LabelPrefetchingFormSet
from decisions.models import BenchMember, Decision, Provision, Vote, VoteChoice
from decisions.operative import OperativeParseError, parse_operative_clause, parse_present
from decisions.services import (
    case_parties_for_addressees,
    operative_clause_plan,
    present_line_plan,
    provision_clean_votes,
)
from parties.models import Person

PREVIEW_MESSAGE = (
    "Nothing is saved yet: check what was understood (above), then tick “Save what the preview shows” and save again."
)
GRID_CHOICES = [("", "—"), (VoteChoice.FOR, "for"), (VoteChoice.AGAINST, "against")]


class DecisionForm(DocumentNumberFormMixin, VersionedModelForm):
    present_text = forms.CharField(
        required=False,
        label="Present line",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Present: President Donoghue; Vice-President …"}),
        help_text="Paste the decision's “Present:” (“Présents :”) line as printed to enter the bench in the "
        "Court's order; judges not yet in the tracker are created after you confirm.",
    )
    operative_clause_text = forms.CharField(
        required=False,
        label="Operative clause",
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "(1) By thirteen votes to two, …"}),
        help_text="Paste the operative clause as printed (English or French): its provisions and votes are "
        "read, matched to the bench and shown for you to check before anything is saved. Pasting it again "
        "updates the provisions in place.",
    )
    confirm_paste = forms.BooleanField(required=False, label="Save what the preview shows")
    copy_bench_from = forms.ModelChoiceField(
        queryset=Decision.objects.select_related("case"),
        required=False,
        help_text="Orders made on the same day in connected cases share their bench: pick one to copy its "
        "judges and offices here (only when this decision has no bench yet).",
    )

    class Meta:
        model = Decision
        formfield_callback = https_formfield
        fields = [
            "case",
            "kind",
            "subject",
            "issued_by",
            "decided_on",
            "title",
            "slug",
            "document_number",
            "url",
            "responds_to",
            "summary",
            "not_indicated",
            "sources",
            "confidence",
            "note",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "not_indicated": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text += " Leave empty to make one from the date and kind."
        self.paste_preview = None
        self.present_seats = None
        self.parsed_clause = None
        self.grid_changes = []
        self.grid = self._build_grid() if self.instance.pk else None

    def _build_grid(self):
        """One vote field per provision and member of the bench: the grid under the operative clause."""
        bench = bench_judges(self.instance)
        provisions = list(self.instance.provisions.order_by("position"))
        if not bench or not provisions:
            return None
        votes = {
            (vote.provision_id, vote.judge_id): vote.vote
            for vote in Vote.objects.filter(provision__decision=self.instance)
        }
        rows = []
        for judge in bench:
            cells = []
            for provision in provisions:
                name = f"grid-{provision.pk}-{judge.pk}"
                self.fields[name] = forms.ChoiceField(
                    choices=GRID_CHOICES,
                    required=False,
                    label=f"{judge.office_display} {judge.name} on para. {provision.paragraph}",
                    widget=forms.Select(attrs={"class": "vote-cell", "data-provision": provision.pk}),
                )
                self.initial.setdefault(name, votes.get((provision.pk, judge.pk), ""))
                cells.append(name)
            rows.append((judge, cells))
        return {"bench": bench, "provisions": provisions, "rows": rows}

    def grid_rows(self):
        """(judge, [bound field per provision]) for the template."""
        return [(judge, [self[name] for name in cells]) for judge, cells in self.grid["rows"]]

    def clean(self):
        cleaned_data = super().clean()
        self._clean_paste(cleaned_data)
        if self.grid and not cleaned_data.get("operative_clause_text", "").strip():
            self._clean_grid(cleaned_data)
        case = cleaned_data.get("case") or (self.instance.case if self.instance.case_id else None)
        self.check_document_case(case)
        decided_on = cleaned_data.get("decided_on")
        filings = cleaned_data.get("responds_to")
        if case and decided_on and filings:
            try:
                Decision(case=case, decided_on=decided_on).validate_responds_to(filings)
            except ValidationError as error:
                self.add_error(None, error)
        if decided_on and cleaned_data.get("kind"):
            fill_slug(
                self,
                cleaned_data,
                f"{decided_on:%Y-%m-%d}-{cleaned_data['kind']}",
                Decision.objects.filter(case=case) if case else None,
            )
        source = cleaned_data.get("copy_bench_from")
        if source is not None and self.instance.pk and source.pk == self.instance.pk:
            self.add_error("copy_bench_from", "Pick another decision to copy the bench from.")
        return cleaned_data

    def _clean_paste(self, cleaned_data):
        """Read the pasted Present line and operative clause into a preview; errors land on their fields."""
        present = cleaned_data.get("present_text", "").strip()
        clause = cleaned_data.get("operative_clause_text", "").strip()
        if not (present or clause):
            return
        case = cleaned_data.get("case") or (self.instance.case if self.instance.case_id else None)
        preview = self.paste_preview = {"seats": None, "plans": None, "bench_problems": [], "clause_problems": []}
        if present:
            try:
                line = parse_present(present)
            except OperativeParseError as error:
                self.add_error("present_text", f"Could not read the Present line: {error}.")
                return
            seats, problems = present_line_plan(line)
            preview["seats"], preview["bench_problems"] = seats, problems
            self.present_seats = seats
            if problems:
                self.add_error("present_text", problems)
            if self.instance.pk:
                named = {seat.judge.pk for seat in seats if seat.judge.pk}
                voters = (
                    Person.objects.filter(votes__provision__decision=self.instance).exclude(pk__in=named).distinct()
                )
                for judge in voters:
                    self.add_error(
                        "present_text",
                        f"{judge} voted on this decision but is not in the pasted Present line: check the line, "
                        "or remove the judge's votes first.",
                    )
            bench = seats
        else:
            bench = list(self.instance.bench.in_precedence().select_related("judge")) if self.instance.pk else []
        if clause:
            try:
                parsed = parse_operative_clause(clause, bench_size=len(bench) or None)
            except OperativeParseError as error:
                self.add_error("operative_clause_text", f"Could not read the operative clause: {error}.")
                return
            existing = {p.paragraph: p for p in self.instance.provisions.all()} if self.instance.pk else {}
            parties = case_parties_for_addressees(case) if case else []
            plans = operative_clause_plan(parsed=parsed, bench=bench, parties=parties, existing=existing)
            preview["plans"] = plans
            problems = [problem for plan in plans for problem in plan.problems]
            preview["clause_problems"] = problems
            if problems:
                self.add_error(
                    "operative_clause_text",
                    ["Nothing was saved: the pasted clause does not match the record."] + problems,
                )
            self.parsed_clause = parsed
        if not self.errors and not cleaned_data.get("confirm_paste"):
            self.add_error("confirm_paste", PREVIEW_MESSAGE)

    def _clean_grid(self, cleaned_data):
        """The votes changed in the grid, checked by the rules every door shares, ready for provision_set_votes."""
        bench = self.grid["bench"]
        for column, provision in enumerate(self.grid["provisions"]):
            names = [cells[column] for _, cells in self.grid["rows"]]
            if not any(name in self.changed_data for name in names):
                continue
            chosen = [(judge, cleaned_data.get(name)) for judge, name in zip(bench, names, strict=True)]
            judges_for = [judge for judge, choice in chosen if choice == VoteChoice.FOR]
            judges_against = [judge for judge, choice in chosen if choice == VoteChoice.AGAINST]
            probe = Provision.objects.get(pk=provision.pk)
            probe.votes_for = probe.votes_against = None
            if judges_against:
                probe.unanimous = False
            try:
                judges_for, judges_against = provision_clean_votes(
                    provision=probe, judges_for=judges_for, judges_against=judges_against, bench=bench
                )
            except ValidationError as error:
                self.add_error(None, [f"Para. {provision.paragraph}: {message}" for message in error.messages])
                continue
            self.grid_changes.append((probe, judges_for, judges_against))


def copy_bench_widget(admin_site):
    """An autocomplete over decisions, borrowing Provision.decision for the admin's lookup."""
    return LabelledAutocompleteSelect(Provision._meta.get_field("decision"), admin_site)


class BenchFormSet(LabelPrefetchingFormSet):
    """The bench cannot lose a judge who voted, nor shrink below a recorded tally."""

    def clean(self):
        super().clean()
        if self.instance.pk is None or any(self.errors):
            return
        remaining = set()
        for form in self.forms:
            judge = form.cleaned_data.get("judge") if form.cleaned_data else None
            if judge is not None and not self._should_delete_form(form):
                remaining.add(judge.pk)
        orphans = (
            Vote.objects.filter(provision__decision=self.instance)
            .exclude(judge__in=remaining)
            .select_related("judge", "provision")
            .order_by("provision__position", "judge__name")
        )
        problems = [f"{vote.judge} voted on para. {vote.provision.paragraph}" for vote in orphans]
        if problems:
            raise ValidationError(
                "%(problems)s: remove the vote on the provision's page before taking the judge off the bench.",
                params={"problems": "; ".join(problems)},
            )
        too_many = (
            Provision.objects.filter(decision=self.instance, votes_for__isnull=False)
            .annotate(total=F("votes_for") + F("votes_against"))
            .filter(total__gt=len(remaining))
            .order_by("position")
            .first()
        )
        if too_many is not None:
            raise ValidationError(
                "Para. %(paragraph)s was adopted by %(total)s votes, more than a bench of %(bench)s.",
                params={"paragraph": too_many.paragraph, "total": too_many.total, "bench": len(remaining)},
            )


class BenchMemberForm(VersionedInlineForm):
    class Meta:
        model = BenchMember
        fields = ["judge", "office", "position", "loaded_version"]


class ProvisionInlineForm(VersionedInlineForm):
    class Meta:
        model = Provision
        fields = [
            "paragraph",
            "position",
            "kind",
            "addressees",
            "text",
            "amends",
            "amendment",
            "sources",
            "loaded_version",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].required = False
        self.fields["sources"].help_text = "Leave empty to cite the decision's own sources."


# {field: the model's own message} for each field unique within a decision (paragraph, position).
UNIQUE_WITHIN_DECISION = {
    constraint.fields[1]: constraint.violation_error_message
    for constraint in Provision._meta.constraints
    if isinstance(constraint, UniqueConstraint) and constraint.fields[0] == "decision"
}


class BenchChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, judge):
        return f"{judge.office_display} {judge.name}"


def bench_judges(decision):
    """The judges who sat for a decision, in the Court's order of precedence, each with the office held."""
    judges = []
    for member in decision.bench.in_precedence().select_related("judge"):
        judge = member.judge
        judge.office_display = member.get_office_display()
        judges.append(judge)
    return judges


class ProvisionForm(VersionedModelForm):
    """One provision and its vote, checked by the rules every door shares (decisions.services)."""

    judges_for = BenchChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The judges who voted in favour. Only members of this decision's bench can be chosen.",
    )
    judges_against = BenchChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The judges who voted against.",
    )

    class Meta:
        model = Provision
        fields = [
            "decision",
            "paragraph",
            "position",
            "kind",
            "addressees",
            "text",
            "amends",
            "amendment",
            "unanimous",
            "votes_for",
            "votes_against",
            "sources",
            "confidence",
            "note",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "unanimous": "Adopted unanimously, as a source says. With no judges ticked, every member of the "
            "bench is recorded as voting in favour.",
            "votes_for": "Only where a source gives the tally without the judges' names; otherwise the "
            "counts follow from the judges ticked below.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = self._decision()
        self.bench = bench_judges(self.decision) if self.decision else []
        for name in ("judges_for", "judges_against"):
            field = self.fields[name]
            field.queryset = Person.objects.filter(pk__in=[judge.pk for judge in self.bench])
            # The choices are the bench itself, already read with its offices and order.
            field.choices = [(judge.pk, field.label_from_instance(judge)) for judge in self.bench]
            if self.decision is None:
                field.help_text = "Save the provision first: the judges to pick from are its decision's bench."
        if self.instance.pk is not None:
            votes = list(self.instance.votes.values_list("judge_id", "vote"))
            self.initial.setdefault("judges_for", [j for j, v in votes if v == VoteChoice.FOR])
            self.initial.setdefault("judges_against", [j for j, v in votes if v == VoteChoice.AGAINST])

    def _get_validation_exclusions(self):
        # The decision is read-only on a provision's change page, so Django would leave it out of
        # the model's checks, and with it the uniqueness of the paragraph and position within it.
        exclusions = super()._get_validation_exclusions()
        if self.instance.decision_id:
            exclusions.discard("decision")
        return exclusions

    def _decision(self):
        if self.instance.decision_id:
            return self.instance.decision
        raw = self.data.get(self.add_prefix("decision")) if self.is_bound else self.initial.get("decision")
        try:
            return Decision.objects.get(pk=int(raw)) if raw else None
        except (TypeError, ValueError, Decision.DoesNotExist):
            return None

    def clean(self):
        cleaned_data = super().clean()
        vote_fields = {"unanimous", "votes_for", "votes_against", "judges_for", "judges_against"}
        if self.decision is not None and not vote_fields & set(self.errors):
            self._clean_vote(cleaned_data)
        self._check_unique_within_decision(cleaned_data)
        amends = cleaned_data.get("amends")
        if amends is not None and self.instance.pk is not None and amends.pk == self.instance.pk:
            self.add_error("amends", "A provision cannot amend itself.")
        return cleaned_data

    def _clean_vote(self, cleaned_data):
        """Complete and check the vote as provision_set_votes will record it; its errors land on their fields."""
        probe = Provision(
            pk=self.instance.pk,
            decision=self.decision,
            unanimous=bool(cleaned_data.get("unanimous")),
            votes_for=cleaned_data.get("votes_for"),
            votes_against=cleaned_data.get("votes_against"),
        )
        probe._state.adding = self.instance._state.adding
        try:
            judges_for, judges_against = provision_clean_votes(
                provision=probe,
                judges_for=cleaned_data.get("judges_for") or [],
                judges_against=cleaned_data.get("judges_against") or [],
                bench=self.bench,
                validate_model=False,  # the model's own checks run in _post_clean, on the counts set here
            )
        except ValidationError as error:
            self.add_error(None, error)
            return
        cleaned_data.update(
            judges_for=judges_for,
            judges_against=judges_against,
            votes_for=probe.votes_for,
            votes_against=probe.votes_against,
        )

    def _check_unique_within_decision(self, cleaned_data):
        """A paragraph or position taken by another provision of the decision is an error on that field."""
        if self.decision is None:
            return
        others = Provision.objects.filter(decision=self.decision).exclude(pk=self.instance.pk)
        for field, message in UNIQUE_WITHIN_DECISION.items():
            value = cleaned_data.get(field)
            if value not in (None, "") and others.filter(**{field: value}).exists():
                self.add_error(field, message)
