import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch

from cases.models import CaseParty
from core.models import Confidence, FactModel, choices_constraint
from decisions.models import Decision, Provision
from parties.models import Party, PartyKind, Person


class Assessment(models.TextChoices):
    COMPLIED = "complied", "complied"
    PARTLY_COMPLIED = "partly_complied", "partly complied"
    NOT_COMPLIED = "not_complied", "did not comply"
    DISPUTED = "disputed", "disputed"
    UNCLEAR = "unclear", "unclear"


# What a claimant says, with {whom} (the party said to have complied or not) and {what} (the measure
# or order). A claim by the Court is a finding: "The Court found that ...".
CLAUSES = {
    Assessment.COMPLIED: "{whom} complied with {what}",
    Assessment.PARTLY_COMPLIED: "{whom} partly complied with {what}",
    Assessment.NOT_COMPLIED: "{whom} did not comply with {what}",
    Assessment.DISPUTED: "{whose} compliance with {what} is disputed",
    Assessment.UNCLEAR: "it is unclear whether {whom} complied with {what}",
}
CLAIMANT_CLAUSES = {
    # A party disputing a charge says so in its own voice: "Azerbaijan disputes that it failed to comply".
    Assessment.DISPUTED: "{claimant} disputes that {whom} failed to comply with {what}",
}
COURT_CLAUSES = {
    Assessment.UNCLEAR: "The Court found it unclear whether {whom} complied with {what}",
    Assessment.DISPUTED: "The Court found {whose} compliance with {what} disputed",
}


class ComplianceClaimQuerySet(models.QuerySet):
    def for_case(self, case):
        return self.filter(decision__case=case)

    def with_headline(self):
        """Claims with what their headline names: the claimant, the measure's or order's addressees, the parties."""
        return self.with_measure_headline().prefetch_related(
            Prefetch("decision__provisions", queryset=Provision.objects.prefetch_related("addressees")),
        )

    def with_measure_headline(self):
        """Claims each about a measure (a provision), with what their headline names.

        Such a headline reads the measure's addressees, never the whole order's provisions.
        """
        return self.select_related("claimant", "provision__decision", "decision__case").prefetch_related(
            "provision__addressees",
            Prefetch("decision__case__case_parties", queryset=CaseParty.objects.select_related("party")),
        )

    def for_page(self):
        """Claims with their headline, everything a page links to (the measure's own decision and case) and sources."""
        return (
            self.with_headline()
            .select_related("decision__case", "provision__decision__case", "claimant", "spokesperson")
            .prefetch_related("sources")
        )

    def for_case_page(self):
        """Claims with claimant and spokesperson; the case page joins them to its decisions and reads the sources."""
        return self.select_related("claimant", "spokesperson")

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
        blank=True,
        related_name="compliance_claims",
        help_text="The order the claim is about; taken from the measure when one is named, so only needed "
        "for a claim about the order as a whole.",
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
        # The API's order and the home page's latest claims (walked backwards); the feeds' newest-recorded first.
        indexes = [
            models.Index(fields=["made_on", "id"], name="compliance_claim_list_order"),
            models.Index(fields=["created_at", "id"], name="compliance_claim_recorded"),
        ]
        constraints = [
            choices_constraint("assessment", Assessment, "compliance_compliance_claim_assessment_valid"),
            choices_constraint("confidence", Confidence, "compliance_compliance_claim_confidence_valid"),
        ]

    def __str__(self):
        about = f"para. {self.provision.paragraph} of " if self.provision_id else ""
        return (
            f"{self.claimant}, {self.made_on:%-d %B %Y}: {self.get_assessment_display()} ({about}{self.decision.title})"
        )

    @property
    def headline(self) -> str:
        """Who says what about whom and which measure: "Azerbaijan says Armenia did not comply with ...".

        The one wording of a claim, used wherever claims are listed (pages, feeds, search, the API
        timeline, the admin). Reads only what ``with_headline()`` prefetches.
        """
        court = self.claimant.kind == PartyKind.COURT
        whom = self._about_whom()
        names = [party.short_name for party in whom]
        is_claimant = [party.pk for party in whom] == [self.claimant_id]
        values = {
            "claimant": self.claimant.short_name,
            "whom": "it" if is_claimant and not court else " and ".join(names) or "the Parties",
            "whose": "its" if is_claimant and not court else _possessive(" and ".join(names) or "the Parties"),
            "what": self.subject,
        }
        if court:
            template = COURT_CLAUSES.get(self.assessment) or "The Court found that " + CLAUSES[self.assessment]
        elif self.assessment in CLAIMANT_CLAUSES:
            template = CLAIMANT_CLAUSES[self.assessment]
        else:
            template = "{claimant} says " + CLAUSES[self.assessment]
        text = template.format(**values)
        return text[:1].upper() + text[1:]

    @property
    def subject(self) -> str:
        """The measure or order a claim is about, as a reader would cite it."""
        title = self.decision.title
        if not self.provision_id:
            return f"the {title} as a whole"
        paragraph = self.provision.paragraph
        if re.fullmatch(r"\d+\.?", paragraph):
            # The Court numbers some orders' operative clause as one paragraph of the whole order.
            return f"the {title} (para. {paragraph.rstrip('.')})"
        return f"para. {paragraph} of the {title}"

    def _about_whom(self) -> list:
        """The parties the claim is about: the measure's addressees (or the order's), less the claimant."""
        if self.provision_id:
            candidates = list(self.provision.addressees.all())
        else:
            seen = {}
            for provision in self.decision.provisions.all():
                for party in provision.addressees.all():
                    seen.setdefault(party.pk, party)
            candidates = list(seen.values())
        if not candidates:
            candidates = [case_party.party for case_party in self.decision.case.case_parties.all()]
        others = [party for party in candidates if party.pk != self.claimant_id]
        return sorted(others or candidates, key=lambda party: party.short_name)

    def get_absolute_url(self):
        if self.provision_id:
            return self.provision.get_absolute_url() + f"#claim-{self.slug}"
        return self.decision.get_absolute_url() + f"#claim-{self.slug}"

    def clean(self):
        self._take_decision_from_provision()
        if not self.provision_id and not self.decision_id:
            raise ValidationError(
                {"provision": "Pick the measure the claim is about (or, for the whole order, the order)."}
            )
        if self.provision_id and self.decision_id and self.provision.decision_id != self.decision_id:
            raise ValidationError({"provision": "This provision belongs to another decision."})
        if self.decision_id and self.made_on and self.made_on < self.decision.decided_on:
            raise ValidationError({"made_on": "A claim about compliance cannot precede the decision it is about."})

    def save(self, *args, **kwargs):
        self._take_decision_from_provision()
        super().save(*args, **kwargs)

    def _take_decision_from_provision(self) -> None:
        """A claim about a measure is about the measure's order: the one place the decision is derived."""
        if self.provision_id and not self.decision_id:
            self.decision = self.provision.decision


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")
