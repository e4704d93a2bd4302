from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse

from core.models import Confidence, FactModel, VersionedModel, choices_constraint
from parties.models import Party, PartyKind, Person


class CaseStatus(models.TextChoices):
    PENDING = "pending", "pending"
    CONCLUDED = "concluded", "concluded"
    DISCONTINUED = "discontinued", "discontinued (removed from the General List)"


class PartyRole(models.TextChoices):
    """A party's place in a case: contentious (applicant, respondent, a party to a special agreement,
    intervener) or advisory (the organ that requested the opinion, and those taking part)."""

    APPLICANT = "applicant", "applicant"
    RESPONDENT = "respondent", "respondent"
    # A case brought by special agreement has no applicant: the Court writes it "France/United Kingdom".
    PARTY = "party", "party (special agreement)"
    INTERVENER = "intervener", "intervener"
    REQUESTING_ORGAN = "requesting_organ", "requesting organ"
    PARTICIPANT = "participant", "participant"


class RepresentationRole(models.TextChoices):
    AGENT = "agent", "Agent"
    CO_AGENT = "co_agent", "Co-Agent"
    DEPUTY_AGENT = "deputy_agent", "Deputy Agent"
    COUNSEL = "counsel", "counsel"
    JUDGE_AD_HOC = "judge_ad_hoc", "judge ad hoc"


class HearingSubject(models.TextChoices):
    PROVISIONAL_MEASURES = "provisional_measures", "provisional measures"
    PRELIMINARY_OBJECTIONS = "preliminary_objections", "preliminary objections"
    MERITS = "merits", "merits"
    OTHER = "other", "other"


class CaseQuerySet(models.QuerySet):
    def for_list(self):
        """Cases with their parties, ready for a list of cases."""
        return self.select_related("court").prefetch_related(
            Prefetch("case_parties", queryset=CaseParty.objects.select_related("party"))
        )

    def for_api(self):
        """Cases with their court, parties, related cases and sources, for the API."""
        return self.select_related("court").prefetch_related(
            "sources",
            "related_cases",
            Prefetch("case_parties", queryset=CaseParty.objects.select_related("party")),
        )

    def with_latest_decision(self):
        """Cases for a list, each with `latest_decisions` (newest first) to show the latest one."""
        # Looked up by name: decisions imports cases, never the other way round.
        decision_model = apps.get_model("decisions", "Decision")
        return self.for_list().prefetch_related(
            Prefetch("decisions", queryset=decision_model.objects.latest_first(), to_attr="latest_decisions")
        )

    def for_page(self):
        """Cases with what a case page shows besides decisions: parties, people, hearings, events, sources."""
        # The page reads the sources of the case and of all its items at once (proceedings.items.cite_sources).
        return self.for_list().prefetch_related(
            Prefetch("related_cases", queryset=Case.objects.all()),
            Prefetch("representations", queryset=Representation.objects.select_related("person", "party")),
            "hearings",
            "events",
        )


class Case(FactModel):
    """A case on the Court's General List: contentious proceedings or advisory proceedings."""

    general_list_number = models.PositiveIntegerField(
        unique=True, help_text="The Court's General List number, e.g. 180."
    )
    title = models.CharField(max_length=500, help_text="The Court's full title of the case.")
    short_title = models.CharField(max_length=200, help_text="Short title, e.g. Armenia v. Azerbaijan.")
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in page addresses.")
    court = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="cases_heard",
        limit_choices_to={"kind": PartyKind.COURT},
        help_text="The court seised of the case.",
    )
    instituted_on = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "Date the proceedings were instituted (the application or special agreement was filed, or the "
            "request for an advisory opinion received); empty where no source read gives it."
        ),
    )
    status = models.CharField(max_length=16, choices=CaseStatus, default=CaseStatus.PENDING)
    basis = models.CharField(
        max_length=500, blank=True, help_text="Basis of jurisdiction invoked, e.g. Article 22 of CERD."
    )
    summary = models.TextField(blank=True, help_text="What the case is about, in a few sentences.")
    related_cases = models.ManyToManyField("self", blank=True, symmetrical=True, help_text="Mirror or connected cases.")

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["general_list_number"]
        constraints = [
            choices_constraint("status", CaseStatus, "cases_case_status_valid"),
            choices_constraint("confidence", Confidence, "cases_case_confidence_valid"),
        ]

    def __str__(self):
        return f"{self.short_title} (No. {self.general_list_number})"

    def get_absolute_url(self):
        return reverse("case-detail", kwargs={"number": self.general_list_number})

    def parties_in_role(self, role):
        return [cp.party for cp in self.case_parties.all() if cp.role == role]

    @property
    def applicants(self):
        return self.parties_in_role(PartyRole.APPLICANT)

    @property
    def respondents(self):
        return self.parties_in_role(PartyRole.RESPONDENT)

    @property
    def requesting_organs(self):
        return self.parties_in_role(PartyRole.REQUESTING_ORGAN)

    @property
    def is_advisory(self):
        """Advisory proceedings are the cases an organ asked the Court's opinion in."""
        return bool(self.requesting_organs)


class CasePartyQuerySet(models.QuerySet):
    def for_party(self, party):
        """A party's roles, with their cases, in General List order."""
        return self.filter(party=party).select_related("case").order_by("case__general_list_number")


class CaseParty(VersionedModel):
    """A party's role in a case. A joint application has two applicants."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=16, choices=PartyRole)

    objects = CasePartyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "role", "party__short_name"]
        verbose_name = "party to a case"
        verbose_name_plural = "parties to cases"
        constraints = [
            choices_constraint("role", PartyRole, "cases_caseparty_role_valid"),
            models.UniqueConstraint(
                fields=["case", "party"],
                name="cases_caseparty_one_role_per_case",
                violation_error_message="This party already has a role in this case.",
            ),
        ]

    def __str__(self):
        return f"{self.party} as {self.get_role_display()} in No. {self.case.general_list_number}"


class RepresentationQuerySet(models.QuerySet):
    def for_person(self, person):
        """A person's roles in cases, with the case and the party, oldest first."""
        return (
            self.filter(person=person)
            .select_related("case", "party")
            .order_by("from_date", "case__general_list_number")
        )


class Representation(FactModel):
    """A person acting for a party in a case: agent, counsel, or the judge ad hoc it chose."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="representations")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="representations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="representations")
    role = models.CharField(max_length=16, choices=RepresentationRole)
    from_date = models.DateField(null=True, blank=True, help_text="First day in this role, where known.")
    to_date = models.DateField(null=True, blank=True, help_text="Last day in this role, where known.")

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        ordering = ["case", "party", "role", "from_date", "person__name"]
        constraints = [
            choices_constraint("role", RepresentationRole, "cases_representation_role_valid"),
            choices_constraint("confidence", Confidence, "cases_representation_confidence_valid"),
            models.UniqueConstraint(
                fields=["case", "person", "role"],
                name="cases_representation_unique",
                violation_error_message="This person already holds this role in this case.",
            ),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(from_date__isnull=True) | Q(to_date__gte=F("from_date")),
                name="cases_representation_dates_ordered",
                violation_error_message="A representation cannot end before it begins.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()} for {self.party}, No. {self.case.general_list_number})"

    def clean(self):
        if self.from_date and self.to_date and self.to_date < self.from_date:
            raise ValidationError({"to_date": "A representation cannot end before it begins."})


class HearingQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(case=case)

    def for_calendar(self):
        """Hearings with their case, in date order."""
        return self.select_related("case").order_by("starts_on", "slug")

    def for_api(self):
        """Hearings with their case and sources, for the API."""
        return self.select_related("case").prefetch_related("sources")


class Hearing(FactModel):
    """Public hearings on one phase of a case: one or more sittings with their verbatim records."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings")
    slug = models.SlugField(max_length=120, help_text="Identifier within the case, e.g. 2021-10-pm.")
    starts_on = models.DateField(help_text="First sitting.")
    ends_on = models.DateField(help_text="Last sitting (the same day for a single sitting).")
    subject = models.CharField(max_length=32, choices=HearingSubject)
    record_numbers = models.CharField(
        max_length=300, blank=True, help_text="Verbatim records (CR), e.g. CR 2021/20, CR 2021/21."
    )
    summary = models.TextField(blank=True)

    future_dates = frozenset({"starts_on", "ends_on"})  # the Court announces hearings ahead
    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["case", "starts_on", "slug"]
        indexes = [models.Index(fields=["starts_on", "id"], name="cases_hearing_list_order")]
        constraints = [
            choices_constraint("subject", HearingSubject, "cases_hearing_subject_valid"),
            choices_constraint("confidence", Confidence, "cases_hearing_confidence_valid"),
            models.UniqueConstraint(
                fields=["case", "slug"],
                name="cases_hearing_slug_unique",
                violation_error_message="Another hearing in this case has this identifier.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="cases_hearing_ends_after_start",
                violation_error_message="A hearing cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return (
            f"Hearing on {self.get_subject_display()}, {self.starts_on:%-d %B %Y} (No. {self.case.general_list_number})"
        )

    def get_absolute_url(self):
        return self.case.get_absolute_url() + f"#hearing-{self.slug}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A hearing cannot end before it starts."})


class EventQuerySet(models.QuerySet):
    def with_cases(self):
        return self.prefetch_related("cases")

    def for_api(self):
        """Events with their cases and sources, for the API."""
        return self.prefetch_related("sources", "cases")


class Event(FactModel):
    """Context outside the courtroom that a case's timeline needs (a blockade, an offensive)."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Last day, for an event that lasted.")
    description = models.TextField(blank=True)
    cases = models.ManyToManyField(Case, related_name="events", help_text="Cases this event bears on.")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "slug"]
        indexes = [models.Index(fields=["starts_on", "id"], name="cases_event_list_order")]
        constraints = [
            choices_constraint("confidence", Confidence, "cases_event_confidence_valid"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="cases_event_ends_after_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.starts_on:%-d %B %Y})"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "An event cannot end before it starts."})
