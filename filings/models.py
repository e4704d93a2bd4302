from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import Case
from core.documents import normalize_document_number, validate_document_number
from core.models import Confidence, FactModel, choices_constraint
from filings.validators import validate_pdf
from parties.models import Party


class FilingKind(models.TextChoices):
    APPLICATION = "application", "Application instituting proceedings"
    PROVISIONAL_MEASURES_REQUEST = "provisional_measures_request", "Request for the indication of provisional measures"
    MODIFICATION_REQUEST = "modification_request", "Request for the modification of provisional measures"
    MEMORIAL = "memorial", "Memorial"
    COUNTER_MEMORIAL = "counter_memorial", "Counter-Memorial"
    PRELIMINARY_OBJECTIONS = "preliminary_objections", "Preliminary objections"
    WRITTEN_STATEMENT = "written_statement", "Written statement on preliminary objections"
    REPLY = "reply", "Reply"
    REJOINDER = "rejoinder", "Rejoinder"
    REPORT = "report", "Report"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class FilingQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(case=case)

    def with_relations(self):
        """Filings with their case and filing party, for lists."""
        return self.select_related("case", "filed_by")

    def with_sources(self):
        """Filings with their case, filing party and sources: the API and the pages show them so."""
        return self.with_relations().prefetch_related("sources")


def filing_upload_to(instance, filename):
    return f"filings/{instance.case.general_list_number}/{filename}"


class Filing(FactModel):
    """A document lodged in a case: an application, a request, a pleading, a report, a letter."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="filings")
    slug = models.SlugField(max_length=120, help_text="Identifier within the case, e.g. 2022-12-27-pm-request.")
    filed_by = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="filings")
    kind = models.CharField(max_length=32, choices=FilingKind)
    title = models.CharField(max_length=500, help_text="The document's title as the Court lists it.")
    filed_on = models.DateField(
        null=True, blank=True, help_text="Date filed in the Registry; empty while only a time-limit is known."
    )
    due_on = models.DateField(null=True, blank=True, help_text="Time-limit fixed by the Court, where one was.")
    document_number = models.CharField(
        max_length=32,
        blank=True,
        validators=[validate_document_number],
        help_text="ICJ document number, e.g. 181-20230103-WRI-01-00-EN.",
    )
    url = models.URLField(max_length=500, blank=True, help_text="The document on the Court's website.")
    document = models.FileField(
        upload_to=filing_upload_to,
        blank=True,
        validators=[validate_pdf],
        help_text="The document itself, as a PDF (optional).",
    )
    summary = models.TextField(blank=True)
    requested_measures = models.TextField(
        blank=True, help_text="For a request: the measures asked for, in the requesting party's words."
    )

    future_dates = frozenset({"due_on"})  # a time-limit is fixed ahead; see VersionedModel
    objects = FilingQuerySet.as_manager()

    class Meta:
        ordering = ["case", "filed_on", "slug"]
        # Each list's ordering has an index that matches it, id last, so a page reads only its own rows: the
        # API's (filed_on, due_on, id), the home page's latest filings (walked backwards), a case's or a
        # party's filings in the API's order, and the feeds' newest-recorded first.
        indexes = [
            models.Index(fields=["filed_on", "due_on", "id"], name="filings_filing_list_order"),
            models.Index(fields=["filed_on", "id"], name="filings_filing_latest"),
            models.Index(fields=["case", "filed_on", "due_on", "id"], name="filings_filing_case_order"),
            models.Index(fields=["filed_by", "filed_on", "due_on", "id"], name="filings_filing_party_order"),
            models.Index(fields=["created_at", "id"], name="filings_filing_recorded"),
        ]
        constraints = [
            choices_constraint("kind", FilingKind, "filings_filing_kind_valid"),
            choices_constraint("confidence", Confidence, "filings_filing_confidence_valid"),
            models.UniqueConstraint(
                fields=["case", "slug"],
                name="filings_filing_slug_unique",
                violation_error_message="Another filing in this case has this identifier.",
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="filings_filing_document_number_unique",
                violation_error_message="Another filing already has this ICJ document number.",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=False) | Q(due_on__isnull=False),
                name="filings_filing_dated",
                violation_error_message="A filing needs the date it was filed or the time-limit for it.",
            ),
        ]

    def __str__(self):
        when = f"{self.filed_on:%-d %B %Y}" if self.filed_on else f"due {self.due_on:%-d %B %Y}"
        return f"{self.get_kind_display()} of {self.filed_by}, {when} (No. {self.case.general_list_number})"

    def get_absolute_url(self):
        return reverse("case-detail", kwargs={"number": self.case.general_list_number}) + f"#filing-{self.slug}"

    @property
    def date(self):
        return self.filed_on or self.due_on

    def clean(self):
        if self.filed_on is None and self.due_on is None:
            raise ValidationError({"filed_on": "Give the date it was filed, or the time-limit for it."})
        if (
            self.case_id
            and self.filed_on
            and self.case.instituted_on
            and self.filed_on < self.case.instituted_on
            and self.kind != FilingKind.APPLICATION
        ):
            raise ValidationError({"filed_on": "A filing cannot precede the institution of the case."})

    def save(self, *args, **kwargs):
        self.document_number = normalize_document_number(self.document_number)
        super().save(*args, **kwargs)
