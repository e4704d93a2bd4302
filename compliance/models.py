from django.core.exceptions import ValidationError
from django.db import models

from core.models import Confidence, FactModel, choices_constraint
from decisions.models import Decision, Provision
from parties.models import Party, Person


class Assessment(models.TextChoices):
    COMPLIED = "complied", "complied"
    PARTLY_COMPLIED = "partly_complied", "partly complied"
    NOT_COMPLIED = "not_complied", "did not comply"
    DISPUTED = "disputed", "disputed"
    UNCLEAR = "unclear", "unclear"


class ComplianceClaimQuerySet(models.QuerySet):
    def with_relations(self):
        """Claims with what they are about and who made them."""
        return self.select_related(
            "decision", "decision__case", "provision", "claimant", "spokesperson"
        ).prefetch_related("sources")

    def for_case(self, case):
        return self.filter(decision__case=case)

    def for_page(self):
        """Claims with everything a page links to (the measure's own decision and case) and their sources."""
        return self.select_related(
            "decision__case", "provision__decision__case", "claimant", "spokesperson"
        ).prefetch_related("sources")

    def by_court(self):
        """The Court's own findings on compliance."""
        return self.filter(claimant__kind="court")

    def for_api(self):
        """Claims with their decision and case, measure, claimant, spokesperson and sources, for the API."""
        return self.select_related("decision__case", "provision", "claimant", "spokesperson").prefetch_related(
            "sources"
        )


class ComplianceClaim(FactModel):
    """Someone's statement that a party did or did not comply with a measure or an order."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable identifier, e.g. 2023-06-08-kirakosyan.")
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="compliance_claims",
        help_text="The order the claim is about.",
    )
    provision = models.ForeignKey(
        Provision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_claims",
        help_text="The measure the claim is about; empty for a claim about the order as a whole.",
    )
    claimant = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="compliance_claims", help_text="Who makes the claim."
    )
    spokesperson = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_claims",
        help_text="Who spoke for the claimant, where known.",
    )
    made_on = models.DateField(help_text="When the claim was made.")
    assessment = models.CharField(max_length=16, choices=Assessment, help_text="What the claimant says.")
    summary = models.TextField(help_text="What was claimed, in a sentence or two.")
    quote = models.TextField(max_length=600, blank=True, help_text="The claimant's own words, briefly.")

    objects = ComplianceClaimQuerySet.as_manager()

    class Meta:
        ordering = ["made_on", "slug"]
        constraints = [
            choices_constraint("assessment", Assessment, "compliance_compliance_claim_assessment_valid"),
            choices_constraint("confidence", Confidence, "compliance_compliance_claim_confidence_valid"),
        ]

    def __str__(self):
        about = f"para. {self.provision.paragraph} of " if self.provision_id else ""
        return (
            f"{self.claimant}, {self.made_on:%-d %B %Y}: {self.get_assessment_display()} ({about}{self.decision.title})"
        )

    def get_absolute_url(self):
        if self.provision_id:
            return self.provision.get_absolute_url() + f"#claim-{self.slug}"
        return self.decision.get_absolute_url() + f"#claim-{self.slug}"

    def clean(self):
        if self.provision_id and self.decision_id and self.provision.decision_id != self.decision_id:
            raise ValidationError({"provision": "This provision belongs to another decision."})
        if self.decision_id and self.made_on and self.made_on < self.decision.decided_on:
            raise ValidationError({"made_on": "A claim about compliance cannot precede the decision it is about."})

    def save(self, *args, **kwargs):
        if self.provision_id and not self.decision_id:
            self.decision_id = self.provision.decision_id
        super().save(*args, **kwargs)
