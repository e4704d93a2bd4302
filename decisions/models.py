import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Max, Prefetch, Q
from django.urls import reverse
from django.utils.text import slugify

from cases.models import Case
from core.documents import normalize_document_number, parse_document_number, validate_document_number
from core.models import Confidence, FactModel, VersionedModel, choices_constraint
from filings.models import Filing
from parties.models import Party, Person


class DecisionKind(models.TextChoices):
    ORDER = "order", "Order"
    JUDGMENT = "judgment", "Judgment"


class DecisionSubject(models.TextChoices):
    PROVISIONAL_MEASURES = "provisional_measures", "provisional measures"
    MODIFICATION = "modification", "modification of provisional measures"
    TIME_LIMITS = "time_limits", "time-limits"
    PRELIMINARY_OBJECTIONS = "preliminary_objections", "preliminary objections"
    MERITS = "merits", "merits"
    OTHER = "other", "other"


class IssuedBy(models.TextChoices):
    COURT = "court", "the Court"
    PRESIDENT = "president", "the President"


class Office(models.TextChoices):
    PRESIDENT = "president", "President"
    VICE_PRESIDENT = "vice_president", "Vice-President"
    JUDGE = "judge", "Judge"
    JUDGE_AD_HOC = "judge_ad_hoc", "Judge ad hoc"


# The Court's order of precedence (Rules of Court, Arts. 3 and 7): the President, the Vice-President,
# the other Members by seniority, then the judges ad hoc.
OFFICE_PRECEDENCE = [Office.PRESIDENT, Office.VICE_PRESIDENT, Office.JUDGE, Office.JUDGE_AD_HOC]


def office_precedence(field: str = "office") -> models.Case:
    """An expression ranking an office in the Court's order of precedence, 0 for the President."""
    return models.Case(
        *(models.When(**{field: office}, then=models.Value(rank)) for rank, office in enumerate(OFFICE_PRECEDENCE)),
        default=models.Value(len(OFFICE_PRECEDENCE)),
        output_field=models.PositiveSmallIntegerField(),
    )


class ProvisionKind(models.TextChoices):
    MEASURE = "measure", "measure"
    REJECTION = "rejection", "rejection"
    FINDING = "finding", "finding"
    TIME_LIMIT = "time_limit", "time-limit"
    OTHER = "other", "other"


class Amendment(models.TextChoices):
    REAFFIRMS = "reaffirms", "reaffirms"
    MODIFIES = "modifies", "modifies"
    REVOKES = "revokes", "revokes"


class VoteChoice(models.TextChoices):
    FOR = "for", "for"
    AGAINST = "against", "against"


class DecisionQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(case=case)

    def latest_first(self):
        return self.order_by("-decided_on", "-id")

    def with_case(self):
        return self.select_related("case")

    def for_api(self):
        """Decisions with case, bench (in precedence), provisions, opinions, the filings they decide and sources."""
        return self.select_related("case").prefetch_related(
            "sources",
            Prefetch("bench", queryset=BenchMember.objects.in_precedence().select_related("judge")),
            Prefetch("provisions", queryset=Provision.objects.order_by("position")),
            Prefetch("responds_to", queryset=Filing.objects.order_by("filed_on", "id")),
            Prefetch("opinions", queryset=Opinion.objects.summaries()),
        )

    def for_page(self):
        """Decisions as their pages show them: bench in precedence, requests answered, provisions, opinions, sources."""
        return self.select_related("case").prefetch_related(
            "sources",
            Prefetch("bench", queryset=BenchMember.objects.in_precedence().select_related("judge")),
            Prefetch("responds_to", queryset=Filing.objects.with_relations()),
            Prefetch("provisions", queryset=Provision.objects.for_page()),
            Prefetch("opinions", queryset=Opinion.objects.for_page().order_by("position", "id")),
        )

    def for_case_page(self):
        """Decisions as a case page shows them, all of one case: bench, requests answered, provisions and votes.

        The case page sets each decision's case and reads the sources itself, and shows neither opinions nor
        a provision's sources.
        """
        # Of the bench it needs only each judge's office and precedence, to name the voters.
        bench = BenchMember.objects.in_precedence().only("decision_id", "judge_id", "office", "position")
        return self.prefetch_related(
            Prefetch("bench", queryset=bench),
            Prefetch("responds_to", queryset=Filing.objects.with_relations()),
            Prefetch("provisions", queryset=Provision.objects.for_case_page()),
        )


class Decision(FactModel):
    """An order or a judgment of the Court (or of its President) in a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    slug = models.SlugField(max_length=120, help_text="Identifier within the case, e.g. 2023-02-22-order.")
    kind = models.CharField(max_length=16, choices=DecisionKind)
    subject = models.CharField(max_length=32, choices=DecisionSubject)
    issued_by = models.CharField(
        max_length=16, choices=IssuedBy, default=IssuedBy.COURT, help_text="The Court, or its President alone."
    )
    decided_on = models.DateField(help_text="Date of the decision.")
    title = models.CharField(max_length=300, help_text="As the Court titles it, e.g. Order of 22 February 2023.")
    document_number = models.CharField(
        max_length=32, blank=True, validators=[validate_document_number], help_text="ICJ document number."
    )
    url = models.URLField(max_length=500, blank=True, help_text="The decision on the Court's website.")
    responds_to = models.ManyToManyField(
        Filing, blank=True, related_name="decisions", help_text="The applications or requests this decides."
    )
    summary = models.TextField(blank=True)
    not_indicated = models.TextField(
        blank=True, help_text="What was requested but not ordered (measures the Court declined to indicate)."
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "decided_on", "slug"]
        # The API's order and the home page's latest decisions (walked backwards); a case's decisions newest
        # first (the lists' latest decision); the feeds' newest-recorded first. The provision and opinion lists,
        # ordered by their decision's date, walk this first index and each decision's (decision, position).
        indexes = [
            models.Index(fields=["decided_on", "id"], name="decisions_decision_list_order"),
            models.Index(fields=["case", "decided_on", "id"], name="decisions_decision_case_order"),
            models.Index(fields=["created_at", "id"], name="decisions_decision_recorded"),
        ]
        constraints = [
            choices_constraint("kind", DecisionKind, "decisions_decision_kind_valid"),
            choices_constraint("subject", DecisionSubject, "decisions_decision_subject_valid"),
            choices_constraint("issued_by", IssuedBy, "decisions_decision_issued_by_valid"),
            choices_constraint("confidence", Confidence, "decisions_decision_confidence_valid"),
            models.UniqueConstraint(
                fields=["case", "slug"],
                name="decisions_decision_slug_unique",
                violation_error_message="Another decision in this case has this identifier.",
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="decisions_decision_document_number_unique",
                violation_error_message="Another decision already has this ICJ document number.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.JUDGMENT, issued_by=IssuedBy.PRESIDENT),
                name="decisions_decision_judgment_by_court",
                violation_error_message="Only the Court delivers judgments; the President makes orders.",
            ),
        ]

    def __str__(self):
        return f"{self.title} (No. {self.case.general_list_number})"

    def get_absolute_url(self):
        return reverse("decision-detail", kwargs={"number": self.case.general_list_number, "slug": self.slug})

    def clean(self):
        instituted = self.case.instituted_on if self.case_id else None
        if instituted and self.decided_on and self.decided_on < instituted:
            raise ValidationError({"decided_on": "A decision cannot precede the institution of the case."})

    def validate_responds_to(self, filings) -> None:
        """A decision decides filings of its own case, lodged on or before its date."""
        for filing in filings:
            if filing.case_id != self.case_id:
                raise ValidationError({"responds_to": f"{filing} belongs to another case."})
            if filing.filed_on and self.decided_on and filing.filed_on > self.decided_on:
                raise ValidationError(
                    {
                        "responds_to": f"{filing} was filed on {filing.filed_on:%-d %B %Y}, "
                        f"after this decision of {self.decided_on:%-d %B %Y}."
                    }
                )

    def save(self, *args, **kwargs):
        self.document_number = normalize_document_number(self.document_number)
        super().save(*args, **kwargs)


class BenchMemberQuerySet(models.QuerySet):
    def for_judge(self, judge):
        """The seats a judge held, with each decision and its case."""
        return self.filter(judge=judge).select_related("decision__case")

    def in_precedence(self):
        """The bench in the Court's order: President, Vice-President, Judges, Judges ad hoc, each by position."""
        return self.order_by(office_precedence(), "position", "id")


class BenchMember(VersionedModel):
    """A judge who sat for a decision, with the office held."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="bench")
    judge = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bench_seats")
    office = models.CharField(max_length=16, choices=Office, default=Office.JUDGE)
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order of precedence within the office (the President, the Vice-President, the Judges, "
        "the judges ad hoc come in that order; among the Judges, by seniority). Filled in automatically: "
        "a judge added with 0 goes after those already entered, so enter the bench in the Court's order.",
    )

    objects = BenchMemberQuerySet.as_manager()

    class Meta:
        ordering = ["decision", office_precedence(), "position", "id"]
        verbose_name = "member of the bench"
        verbose_name_plural = "bench"
        constraints = [
            choices_constraint("office", Office, "decisions_benchmember_office_valid"),
            models.UniqueConstraint(
                fields=["decision", "judge"],
                name="decisions_benchmember_unique",
                violation_error_message="This judge is already on the bench for this decision.",
            ),
        ]

    def __str__(self):
        return f"{self.get_office_display()} {self.judge}"

    def save(self, *args, **kwargs):
        # A judge added with no position (0) goes after those already entered, never silently first.
        if self._state.adding and not self.position and self.decision_id:
            last = BenchMember.objects.filter(decision_id=self.decision_id).aggregate(last=Max("position"))["last"]
            self.position = 0 if last is None else last + 1
        super().save(*args, **kwargs)


class ProvisionQuerySet(models.QuerySet):
    def measures(self):
        """Provisional measures: measure provisions of provisional-measures orders and their modifications."""
        return self.filter(
            kind=ProvisionKind.MEASURE,
            decision__subject__in=[DecisionSubject.PROVISIONAL_MEASURES, DecisionSubject.MODIFICATION],
        )

    def addressed_to(self, party):
        return self.filter(addressees=party)

    def with_votes(self):
        """Provisions with addressees and votes (judges named), ordered as printed."""
        return self.prefetch_related(
            "addressees", Prefetch("votes", queryset=Vote.objects.select_related("judge"))
        ).order_by("decision_id", "position")

    def with_decision(self):
        return self.select_related("decision", "decision__case", "amends", "amends__decision")

    def for_api(self):
        """Provisions with decision and case, addressees, votes (judges named), claims and sources, for the API."""
        return self.select_related("decision__case", "amends").prefetch_related(
            "sources",
            "addressees",
            Prefetch("votes", queryset=Vote.objects.select_related("judge")),
            "compliance_claims__claimant",
        )

    def for_case_page(self):
        """Provisions with votes (each judge's name), the provision each amends and the later ones amending it."""
        votes = Vote.objects.select_related("judge").only(
            "provision_id", "judge_id", "vote", "judge__name", "judge__slug"
        )
        return (
            self.select_related("amends__decision__case")
            .prefetch_related(
                "addressees",
                Prefetch("votes", queryset=votes),
                Prefetch("amendments", queryset=Provision.objects.select_related("decision__case")),
            )
            .order_by("decision_id", "position")
        )

    def for_page(self):
        """Provisions with votes, the provision each amends, the later ones amending it, and sources."""
        return (
            self.with_votes()
            .select_related("amends__decision__case")
            .prefetch_related(
                "sources",
                Prefetch("amendments", queryset=Provision.objects.select_related("decision__case")),
            )
        )


class Provision(FactModel):
    """One numbered item of a decision's operative clause."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="provisions")
    paragraph = models.CharField(max_length=40, help_text="As printed in the operative clause, e.g. (1)(a).")
    position = models.PositiveSmallIntegerField(help_text="Order within the operative clause, from 1.")
    kind = models.CharField(max_length=16, choices=ProvisionKind)
    addressees = models.ManyToManyField(
        Party, blank=True, related_name="provisions_addressed", help_text="The parties a measure binds."
    )
    text = models.TextField(help_text="The Court's words; a close paraphrase only where the text was not read.")
    votes_for = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Judges in favour; empty where no source gives the vote."
    )
    votes_against = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Judges against; empty where no source gives the vote."
    )
    unanimous = models.BooleanField(default=False, help_text="Adopted unanimously, as a source says.")
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="An earlier provision that this one reaffirms, modifies or revokes.",
    )
    amendment = models.CharField(
        max_length=16, choices=Amendment, blank=True, help_text="What this provision does to the earlier one."
    )

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "position"]
        constraints = [
            choices_constraint("kind", ProvisionKind, "decisions_provision_kind_valid"),
            choices_constraint("amendment", Amendment, "decisions_provision_amendment_valid", allow_blank=True),
            choices_constraint("confidence", Confidence, "decisions_provision_confidence_valid"),
            models.UniqueConstraint(
                fields=["decision", "paragraph"],
                name="decisions_provision_paragraph_unique",
                violation_error_message="This decision already has a provision with this paragraph.",
            ),
            models.UniqueConstraint(
                fields=["decision", "position"],
                name="decisions_provision_position_unique",
                violation_error_message="This decision already has a provision at this position.",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True, votes_against__isnull=True)
                | Q(votes_for__isnull=False, votes_against__isnull=False),
                name="decisions_provision_counts_together",
                violation_error_message="Give both vote counts, for and against, or neither.",
            ),
            models.CheckConstraint(
                condition=Q(unanimous=False) | Q(votes_against__isnull=True) | Q(votes_against=0),
                name="decisions_provision_unanimous_no_dissent",
                violation_error_message="A unanimous provision has no votes against.",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True, amendment="") | Q(amends__isnull=False) & ~Q(amendment=""),
                name="decisions_provision_amendment_with_target",
                violation_error_message="Say what this provision does (reaffirms, modifies, revokes) "
                "to the provision it amends, and name that provision.",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True) | ~Q(amends=F("id")),
                name="decisions_provision_not_self_amending",
                violation_error_message="A provision cannot amend itself.",
            ),
        ]

    def __str__(self):
        return f"{self.decision.title}, para. {self.paragraph} (No. {self.decision.case.general_list_number})"

    def get_absolute_url(self):
        decision = self.decision
        return reverse(
            "provision-detail",
            kwargs={
                "number": decision.case.general_list_number,
                "slug": decision.slug,
                "paragraph": self.paragraph_slug,
            },
        )

    @property
    def paragraph_slug(self):
        """The paragraph as a path segment: (1)(a) becomes 1-a, "67." becomes 67."""
        return "-".join(re.findall(r"[A-Za-z0-9]+", self.paragraph)) or str(self.position)

    @property
    def is_provisional_measure(self):
        return self.kind == ProvisionKind.MEASURE and self.decision.subject in (
            DecisionSubject.PROVISIONAL_MEASURES,
            DecisionSubject.MODIFICATION,
        )

    @property
    def tally(self):
        """The vote as the Court prints it ("13 votes to 2"), or None where it is unknown."""
        if self.votes_for is None:
            return "unanimously" if self.unanimous else None
        if self.unanimous:
            return f"unanimously ({self.votes_for} votes to 0)"
        return f"{self.votes_for} votes to {self.votes_against}"

    def clean(self):
        errors = {}
        if self.amends_id and not self.amendment:
            errors["amendment"] = "Say whether this provision reaffirms, modifies or revokes the earlier one."
        if self.amendment and not self.amends_id:
            errors["amends"] = "Name the earlier provision this one reaffirms, modifies or revokes."
        if self.unanimous and self.votes_against:
            errors["unanimous"] = "A unanimous provision has no votes against."
        if (self.votes_for is None) != (self.votes_against is None):
            errors["votes_against" if self.votes_against is None else "votes_for"] = (
                "Give both vote counts, for and against, or neither."
            )
        if self.amends_id and self.decision_id and self.amends.decision.decided_on > self.decision.decided_on:
            errors["amends"] = "A provision can only amend one of an earlier decision."
        if errors:
            raise ValidationError(errors)

    def validate_votes(self, judges_for, judges_against, bench) -> None:
        """Check a vote against the bench: names agree with counts and every voter sat.

        ``bench`` is the judges (Person) who sat for the decision. Raises ValidationError keyed by
        the field at fault: ``judges_for``/``judges_against`` for the names, ``votes_for`` for the
        counts, ``unanimous``.
        """
        judges_for, judges_against, bench = set(judges_for), set(judges_against), set(bench)
        errors = {}
        both = judges_for & judges_against
        if both:
            errors["judges_against"] = f"{_names(both)} cannot vote both for and against."
        for field, named in (("judges_for", judges_for), ("judges_against", judges_against)):
            outsiders = named - bench
            if outsiders:
                errors.setdefault(field, f"{_names(outsiders)} did not sit for {self.decision.title} and cannot vote.")
        counted = self.votes_for is not None and self.votes_against is not None
        named = (len(judges_for), len(judges_against))
        if named != (0, 0) and counted and (self.votes_for, self.votes_against) != named:
            errors["votes_for"] = (
                f"The counts ({self.votes_for} to {self.votes_against}) do not match the judges named "
                f"({len(judges_for)} for, {len(judges_against)} against)."
            )
        if counted and bench and self.votes_for + self.votes_against > len(bench):
            errors.setdefault(
                "votes_for",
                f"{self.votes_for + self.votes_against} votes exceed the bench of {len(bench)} judges.",
            )
        if self.unanimous and judges_against:
            errors["unanimous"] = "A unanimous provision has no judges against."
        if errors:
            raise ValidationError(errors)


def _names(people) -> str:
    return ", ".join(sorted(map(str, people)))


class VoteQuerySet(models.QuerySet):
    def for_judge(self, judge):
        return (
            self.filter(judge=judge)
            .select_related("provision__decision__case")
            .order_by("provision__decision__decided_on", "provision__position")
        )


class Vote(VersionedModel):
    """How one judge voted on one provision."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="votes")
    judge = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="votes")
    vote = models.CharField(max_length=8, choices=VoteChoice)

    objects = VoteQuerySet.as_manager()

    class Meta:
        ordering = ["provision", "vote", "id"]
        constraints = [
            choices_constraint("vote", VoteChoice, "decisions_vote_vote_valid"),
            models.UniqueConstraint(
                fields=["provision", "judge"],
                name="decisions_vote_one_per_judge",
                violation_error_message="This judge has already voted on this provision.",
            ),
        ]

    def __str__(self):
        return f"{self.judge}: {self.vote}"


class OpinionKind(models.TextChoices):
    DECLARATION = "declaration", "Declaration"
    SEPARATE_OPINION = "separate_opinion", "Separate opinion"
    DISSENTING_OPINION = "dissenting_opinion", "Dissenting opinion"


class OpinionQuerySet(models.QuerySet):
    def in_order(self):
        """In the order the Court lists them: by decision, then position."""
        return self.order_by("decision__decided_on", "decision_id", "position", "id")

    def summaries(self):
        """Opinions as a decision lists them in brief: judges named, in the Court's order."""
        return self.prefetch_related(Prefetch("judges", queryset=Person.objects.order_by("name", "id"))).order_by(
            "position", "id"
        )

    def for_api(self):
        """Opinions with their decision and case, judges and sources, for the API."""
        return self.select_related("decision__case").prefetch_related(
            "sources", Prefetch("judges", queryset=Person.objects.order_by("name", "id"))
        )

    def for_page(self):
        """Opinions as a decision's page lists them: judges and sources, in the Court's order."""
        return self.prefetch_related("sources", Prefetch("judges", queryset=Person.objects.order_by("name", "id")))

    def for_judge(self, person):
        """The opinions a judge wrote or joined, with decision, case and co-authors, oldest first."""
        return (
            self.filter(judges=person)
            .select_related("decision__case")
            .prefetch_related("sources", Prefetch("judges", queryset=Person.objects.order_by("name", "id")))
            .in_order()
        )


class Opinion(FactModel):
    """A declaration, separate opinion or dissenting opinion appended to a decision by one judge or several."""

    # An opinion is part of its decision: it goes with it.
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="opinions")
    kind = models.CharField(max_length=24, choices=OpinionKind)
    judges = models.ManyToManyField(
        Person,
        related_name="opinions",
        help_text="The judge who appends it, or the judges of a joint declaration or opinion.",
    )
    document_number = models.CharField(
        max_length=32,
        blank=True,
        validators=[validate_document_number],
        help_text="ICJ document number of the opinion, e.g. 180-20211207-ORD-01-01-EN.",
    )
    url = models.URLField(max_length=500, blank=True, help_text="The opinion on the Court's website.")
    summary = models.TextField(blank=True, help_text="Which provisions it concerns, and why the judge writes.")
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order among the decision's opinions, as the Court lists them, from 1. "
        "Filled in automatically: an opinion added with 0 goes after those already entered.",
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "position", "id"]
        constraints = [
            choices_constraint("kind", OpinionKind, "decisions_opinion_kind_valid"),
            choices_constraint("confidence", Confidence, "decisions_opinion_confidence_valid"),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="decisions_opinion_document_number_unique",
                violation_error_message="Another opinion already has this ICJ document number.",
            ),
            models.UniqueConstraint(
                fields=["decision", "position"],
                name="decisions_opinion_position_unique",
                violation_error_message="This decision already has an opinion at this position.",
            ),
        ]

    def __str__(self):
        judges = list(self.judges.all()) if self.pk else []
        return f"{self.get_kind_display()} of {_authors(judges, self.decision_id and self.decision)}, {self.decision}"

    def get_absolute_url(self):
        return f"{self.decision.get_absolute_url()}#opinion-{self.position}"

    def clean(self):
        if self.document_number and self.decision_id:
            try:
                number = parse_document_number(self.document_number)
            except ValidationError:
                return  # the field's own validator reports it
            if not number.is_opinion:
                raise ValidationError(
                    {
                        "document_number": "An opinion's number ends in 01, 02, ... before the language (-01-EN); "
                        "-00- is the decision itself."
                    }
                )
            decision = self.decision
            if number.general_list_number != decision.case.general_list_number or number.date != decision.decided_on:
                raise ValidationError(
                    {
                        "document_number": f"{self.document_number} is not a document of the {decision.title} "
                        f"in No. {decision.case.general_list_number}."
                    }
                )

    def validate_judges(self, judges) -> None:
        """At least one judge, and, where the bench is recorded, every one of them sat."""
        judges = list(judges)
        if not judges:
            raise ValidationError({"judges": "Name the judge (or judges) who append it."})
        if not self.decision_id:
            return
        bench = set(self.decision.bench.values_list("judge_id", flat=True))
        outsiders = [judge for judge in judges if bench and judge.pk not in bench]
        if outsiders:
            raise ValidationError(
                {
                    "judges": f"{_names(outsiders)} did not sit for the {self.decision.title} "
                    "and cannot append an opinion."
                }
            )

    def save(self, *args, **kwargs):
        self.document_number = normalize_document_number(self.document_number)
        # An opinion added with no position (0) goes after those already entered, never silently first.
        if self._state.adding and not self.position and self.decision_id:
            last = Opinion.objects.filter(decision_id=self.decision_id).aggregate(last=Max("position"))["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)


def _authors(judges, decision=None) -> str:
    """The authors as the Court names them: "Judge Yusuf", "Judges Charlesworth and Brant", "Judge ad hoc Keith"."""
    if not judges:
        return "(judges not yet named)"
    offices = {m.judge_id: m.office for m in decision.bench.all()} if decision else {}
    ad_hoc = bool(offices) and all(offices.get(judge.pk) == Office.JUDGE_AD_HOC for judge in judges)
    names = [surname(judge) for judge in judges]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{'Judge' if len(names) == 1 else 'Judges'}{' ad hoc' if ad_hoc else ''} {listed}"


def surname(person) -> str:
    """The words of a person's name that their slug spells (Gómez Robledo, Iwasawa, Xue), or the whole name."""
    words = person.name.split()
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            if slugify(" ".join(words[start:end])) == person.slug:
                return " ".join(words[start:end])
    return person.name
