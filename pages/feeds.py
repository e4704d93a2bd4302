"""Atom feeds of new filings, decisions and compliance claims, for the whole site or one case.

A feed tells a subscriber what the tracker has newly recorded: entries come newest-recorded first
(`created_at`), so an old order entered today reaches subscribers, and each entry says the item's
own date. A browser opening a feed gets a readable page through an XSL stylesheet.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from cases.models import Case
from compliance.models import ComplianceClaim
from core.validators import printable
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
    for filing in queryset.order_by("-created_at", "-id")[:LIMIT]:
        yield filing_item(filing, filing.case), filing.summary


def _decisions(case):
    queryset = Decision.objects.with_case()
    if case:
        queryset = queryset.for_case(case)
    for decision in queryset.order_by("-created_at", "-id")[:LIMIT]:
        yield decision_item(decision, decision.case), decision.summary


def _claims(case):
    queryset = ComplianceClaim.objects.for_page()
    if case:
        queryset = queryset.for_case(case)
    for claim in queryset.order_by("-created_at", "-id")[:LIMIT]:
        yield claim_item(claim, claim.decision.case), claim.summary + (f" “{claim.quote}”" if claim.quote else "")


SOURCES = {"filings": (_filings,), "decisions": (_decisions,), "claims": (_claims,)}
SOURCES["all"] = SOURCES["filings"] + SOURCES["decisions"] + SOURCES["claims"]


def _printable(value):
    if isinstance(value, (list, tuple)):
        return type(value)(printable(item) for item in value)
    return printable(value)


class PrintableAtom1Feed(Atom1Feed):
    """Atom that drops the characters XML cannot carry (a control character stored before writes refused them).

    Django's XML writer refuses them with an exception: one such title would take every feed down.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_printable, args), **{key: _printable(value) for key, value in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_printable, args), **{key: _printable(value) for key, value in kwargs.items()})


class StyledAtom1Feed(PrintableAtom1Feed):
    """Atom with an <?xml-stylesheet?> instruction: a browser shows the feed as a page, a feed reader ignores it."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.processingInstruction("xml-stylesheet", f'type="text/xsl" href="{static("feeds/atom.xsl")}"')
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class UpdatesFeed(Feed):
    feed_type = StyledAtom1Feed
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
        # Newest recorded first: what a subscriber has not seen yet, whatever the item's own date.
        entries.sort(key=lambda entry: (entry[0].obj.created_at, entry[0].kind, entry[0].obj.pk), reverse=True)
        return entries[:LIMIT]

    def item_title(self, entry):
        item, _text = entry
        return f"{item.label} {case_context(item.case)}"

    def item_description(self, entry):
        item, text = entry
        return f"{item.detail}, dated {item.dates}. {text}".strip()

    def item_link(self, entry):
        return entry[0].url

    def item_guid(self, entry):
        item, _text = entry
        return f"urn:icj-tracker:{item.kind}:{item.obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        # When the tracker recorded the item; its own date is in the entry's text.
        return entry[0].obj.created_at

    def item_updateddate(self, entry):
        return entry[0].obj.updated_at

    def item_categories(self, entry):
        return [entry[0].kind]
