from django.db import models
from django.db.models import Q

from core.documents import normalize_document_number, validate_document_number
from core.models import VersionedModel, choices_constraint


class SourceKind(models.TextChoices):
    ICJ_DOCUMENT = "icj_document", "ICJ document"
    PRESS_RELEASE = "press_release", "press release"
    NEWS_ARTICLE = "news_article", "news article"
    GOVERNMENT_STATEMENT = "government_statement", "government statement"
    OTHER = "other", "other"


class SourceQuerySet(models.QuerySet):
    def for_api(self):
        return self.order_by("-published_on", "key")


class Source(VersionedModel):
    """Where a fact comes from: an ICJ document, a press release, an article, a statement."""

    key = models.SlugField(
        max_length=120,
        unique=True,
        help_text="Stable identifier used by the dataset files, e.g. icj-180-20230222-ord.",
    )
    kind = models.CharField(max_length=24, choices=SourceKind, help_text="What sort of source this is.")
    title = models.CharField(max_length=500, help_text="The document's or article's own title.")
    publisher = models.CharField(
        max_length=200, blank=True, help_text="Who published it (the Court, a ministry, a newspaper)."
    )
    url = models.URLField(max_length=500, blank=True, help_text="Where it can be read.")
    published_on = models.DateField(null=True, blank=True, help_text="Date of publication, where known.")
    document_number = models.CharField(
        max_length=32,
        blank=True,
        validators=[validate_document_number],
        help_text="ICJ document number, e.g. 180-20211207-ORD-01-00-EN.",
    )
    excerpt = models.TextField(
        max_length=1500, blank=True, help_text="A short quotation supporting the facts cited to it."
    )

    historic_dates = frozenset({"published_on"})  # a treaty may predate the Court; see VersionedModel
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "key"]
        indexes = [models.Index(fields=["-published_on", "key", "id"], name="sources_source_list_order")]
        constraints = [
            choices_constraint("kind", SourceKind, "sources_source_kind_valid"),
            models.UniqueConstraint(
                fields=["url"],
                condition=~Q(url=""),
                name="sources_source_url_unique",
                violation_error_message="Another source already has this URL.",
            ),
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~Q(document_number=""),
                name="sources_source_document_number_unique",
                violation_error_message="Another source already has this ICJ document number.",
            ),
        ]

    def __str__(self):
        date = f", {self.published_on:%-d %B %Y}" if self.published_on else ""
        publisher = f"{self.publisher}: " if self.publisher else ""
        return f"{publisher}{self.title}{date}"

    def save(self, *args, **kwargs):
        self.document_number = normalize_document_number(self.document_number)
        super().save(*args, **kwargs)
