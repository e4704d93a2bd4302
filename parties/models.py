from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from core.models import Confidence, FactModel, choices_constraint


class PartyKind(models.TextChoices):
    STATE = "state", "State"
    INTERNATIONAL_ORGANIZATION = "international_organization", "international organization"
    COURT = "court", "court"
    NGO = "ngo", "non-governmental organization"
    GOVERNMENT_BODY = "government_body", "government body"
    MEDIA = "media", "media outlet"
    OTHER = "other", "other"


class PartyQuerySet(models.QuerySet):
    def states(self):
        """Parties that are States."""
        return self.filter(kind=PartyKind.STATE)

    def courts(self):
        return self.filter(kind=PartyKind.COURT)

    def with_sources(self):
        """Parties with their sources: what the API and a party's page show."""
        return self.prefetch_related("sources")

    def for_api(self):
        return self.with_sources()


class Party(FactModel):
    """A State or another actor that files, is addressed by a measure, or makes claims."""

    name = models.CharField(max_length=200, help_text="Full name, e.g. Republic of Armenia.")
    short_name = models.CharField(max_length=100, help_text="Name in running text, e.g. Armenia.")
    code = models.CharField(
        max_length=40,
        unique=True,
        help_text="ISO 3166 alpha-3 code for a State (ARM, AZE); a short slug otherwise.",
    )
    kind = models.CharField(max_length=32, choices=PartyKind, default=PartyKind.STATE)
    aliases = models.TextField(
        blank=True,
        help_text="Other names the party goes by, one a line: in its own language and script, in "
        "French, former names (e.g. Հայաստան, Arménie). Searched with the name.",
    )

    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["short_name", "code"]
        indexes = [models.Index(fields=["short_name", "id"], name="parties_party_list_order")]
        verbose_name_plural = "parties"
        constraints = [
            choices_constraint("kind", PartyKind, "parties_party_kind_valid"),
            choices_constraint("confidence", Confidence, "parties_party_confidence_valid"),
        ]

    def __str__(self):
        return self.short_name

    def clean(self):
        if self.kind == PartyKind.STATE and not (len(self.code) == 3 and self.code.isalpha()):
            raise ValidationError({"code": "A State's code is its ISO 3166 alpha-3 code, e.g. ARM."})

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper() if self.kind == PartyKind.STATE else slugify(self.code).upper()
        super().save(*args, **kwargs)


class PersonQuerySet(models.QuerySet):
    def with_sources(self):
        """People with their nationality and sources: what the API and a person's page show."""
        return self.select_related("nationality").prefetch_related("sources")

    def for_api(self):
        return self.with_sources()


class Person(FactModel):
    """A judge, agent, counsel, minister or spokesperson."""

    name = models.CharField(max_length=200, help_text="Name as the Court prints it, e.g. Joan E. Donoghue.")
    slug = models.SlugField(max_length=120, unique=True, help_text="Stable identifier, e.g. donoghue.")
    nationality = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nationals",
        limit_choices_to={"kind": PartyKind.STATE},
        help_text="The State of nationality, where relevant.",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="Office or function, e.g. Deputy Minister for Foreign Affairs."
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other spellings of the name, one a line (transliterations, the name in another "
        "script). Searched with the name.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="parties_person_list_order")]
        verbose_name_plural = "people"
        constraints = [
            choices_constraint("confidence", Confidence, "parties_person_confidence_valid"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)
