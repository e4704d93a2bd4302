"""Atom feeds of new filings, decisions and compliance claims, for the whole site or one case."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Decision
from filings.models import Filing
from proceedings.items import claim_item, decision_item, filing_item

FEED_KINDS = {
    "all": "filings, decisions and compliance claims",
    "filings": "filings",
    "decisions": "decisions",
    "claims": "compliance claims",
}
LIMIT = 50


def case_context(case) -> str:
    """Where an item belongs, after its label, in lists that span cases: "· No. 180 Armenia v. Azerbaijan"."""
    return f"· No. {case.general_list_number} {case.short_title}"


def _filings(case):
    queryset = Filing.objects.with_relations().filter(filed_on__isnull=False)
    if case:
        queryset = queryset.for_case(case)
    for filing in queryset.order_by("-filed_on", "-id")[:LIMIT]:
        yield filing_item(filing, filing.case), filing.summary


def _decisions(case):
    queryset = Decision.objects.with_case()
    if case:
        queryset = queryset.for_case(case)
    for decision in queryset.latest_first()[:LIMIT]:
        yield decision_item(decision, decision.case), decision.summary


def _claims(case):
    queryset = ComplianceClaim.objects.for_page()
    if case:
        queryset = queryset.for_case(case)
    for claim in queryset.order_by("-made_on", "-id")[:LIMIT]:
        yield claim_item(claim, claim.decision.case), claim.summary + (f" “{claim.quote}”" if claim.quote else "")


SOURCES = {"filings": (_filings,), "decisions": (_decisions,), "claims": (_claims,)}
SOURCES["all"] = SOURCES["filings"] + SOURCES["decisions"] + SOURCES["claims"]


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    author_name = "ICJ case tracker"

    def get_object(self, request, kind="all", number=None):
        if kind not in FEED_KINDS:
            raise Http404(f"There is no feed of {kind}; feeds exist for {', '.join(FEED_KINDS)}.")
        case = get_object_or_404(Case, general_list_number=number) if number is not None else None
        return {"kind": kind, "case": case}

    def title(self, obj):
        where = f"{obj['case'].short_title} (No. {obj['case'].general_list_number})" if obj["case"] else "the ICJ"
        return f"New {FEED_KINDS[obj['kind']]}: {where}"

    def subtitle(self, obj):
        return "From the ICJ case tracker: every item names its source."

    def link(self, obj):
        return obj["case"].get_absolute_url() if obj["case"] else reverse("home")

    def feed_url(self, obj):
        if obj["case"]:
            return reverse("case-feed", kwargs={"number": obj["case"].general_list_number, "kind": obj["kind"]})
        return reverse("feed", kwargs={"kind": obj["kind"]})

    def items(self, obj):
        entries = [entry for source in SOURCES[obj["kind"]] for entry in source(obj["case"])]
        entries.sort(key=lambda entry: (entry[0].start, entry[0].obj.updated_at), reverse=True)
        return entries[:LIMIT]

    def item_title(self, entry):
        item, _text = entry
        return f"{item.label} {case_context(item.case)}"

    def item_description(self, entry):
        item, text = entry
        return f"{item.detail}, {item.dates}. {text}".strip()

    def item_link(self, entry):
        return entry[0].url

    def item_guid(self, entry):
        item, _text = entry
        return f"urn:icj-tracker:{item.kind}:{item.obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        # The date of the filing, decision or claim itself; the Court sits in The Hague.
        return timezone.make_aware(datetime.datetime.combine(entry[0].start, datetime.time(12)))

    def item_updateddate(self, entry):
        return entry[0].obj.updated_at

    def item_categories(self, entry):
        return [entry[0].kind]
