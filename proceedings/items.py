"""A case's dated items, built in one place.

A filing, a hearing, a decision, a compliance claim and a context event each become one dated item
with one label, one date rule and one place in the day's order. The case page's timeline and list,
the API timeline, the docket downloads, the Atom feeds, the iCalendar files and the search results
all render these items, so an item reads the same wherever it appears.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Value
from django.urls import reverse

from cases.models import HearingSubject
from compliance.models import ComplianceClaim
from core.templatetags.tracker_tags import court_day
from decisions.models import Decision
from filings.models import Filing
from sources.models import Source


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    plural: str
    api_basename: str


# In the order things happen on one day of proceedings: the context, what is filed, what is heard,
# what is decided, and what is claimed about it afterwards.
KINDS = [
    Kind("event", "Context event", "Context events", "event"),
    Kind("filing", "Filing", "Filings", "filing"),
    Kind("hearing", "Hearing", "Hearings", "hearing"),
    Kind("decision", "Decision", "Decisions", "decision"),
    Kind("claim", "Compliance claim", "Compliance claims", "claim"),
]
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
DAY_ORDER = {kind.key: position for position, kind in enumerate(KINDS)}


@dataclass
class DatedItem:
    """One dated item of a case's record."""

    kind: str
    obj: object
    start: datetime.date
    label: str
    url: str
    end: datetime.date | None = None
    case: object = None
    # What the item is, in a word or two: a filing's or decision's kind, a hearing's phase.
    detail: str = ""
    # A filing not yet lodged is dated by its time-limit.
    time_limit: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_BY_KEY[self.kind].label

    @cached_property
    def dates(self) -> str:
        # A page prints an item's dates several times (its mark, the mark's label, the list), and the same
        # days recur across items: each day is formatted once (court_day remembers it).
        if self.end and self.end != self.start:
            return f"{court_day(self.start)} to {court_day(self.end)}"
        return court_day(self.start)

    @property
    def anchor(self) -> str:
        if self.kind == "event":
            return f"event-{self.obj.slug}"
        return f"timeline-{self.kind}-{self.obj.pk}"

    @property
    def api_url(self) -> str:
        return reverse(f"api:{KIND_BY_KEY[self.kind].api_basename}-detail", kwargs={"pk": self.obj.pk})

    @property
    def sort_key(self):
        return (self.start, DAY_ORDER[self.kind], self.label, self.obj.pk)


def filing_label(filing, time_limit=None) -> str:
    """A filing as its items read: its title, the party where the title does not name it, a time-limit said so."""
    party = filing.filed_by
    named = party.short_name.lower() in filing.title.lower() or party.name.lower() in filing.title.lower()
    label = filing.title if named else f"{filing.title}, by {party.short_name}"
    if time_limit is None:
        time_limit = filing.filed_on is None
    return f"Time-limit: {label}" if time_limit else label


def hearing_label(hearing) -> str:
    if hearing.subject == HearingSubject.OTHER:
        return "Public hearings"
    return f"Public hearings on {hearing.get_subject_display()}"


def filing_item(filing, case=None) -> DatedItem:
    return DatedItem(
        "filing",
        filing,
        filing.date,
        filing_label(filing),
        filing.get_absolute_url(),
        case=case,
        detail=filing.get_kind_display(),
        time_limit=filing.filed_on is None,
    )


def time_limit_item(filing, case=None) -> DatedItem:
    """The time-limit the Court fixed for a filing, as an item of its own day (calendars list these)."""
    return DatedItem(
        "filing",
        filing,
        filing.due_on,
        filing_label(filing, time_limit=True),
        filing.get_absolute_url(),
        case=case,
        detail=filing.get_kind_display(),
        time_limit=True,
    )


def hearing_item(hearing, case=None) -> DatedItem:
    return DatedItem(
        "hearing",
        hearing,
        hearing.starts_on,
        hearing_label(hearing),
        hearing.get_absolute_url(),
        end=hearing.ends_on,
        case=case,
        detail=hearing.get_subject_display(),
    )


def decision_item(decision, case=None) -> DatedItem:
    return DatedItem(
        "decision",
        decision,
        decision.decided_on,
        decision.title,
        decision.get_absolute_url(),
        case=case,
        detail=f"{decision.get_kind_display()} on {decision.get_subject_display()}",
    )


def claim_item(claim, case=None) -> DatedItem:
    return DatedItem(
        "claim",
        claim,
        claim.made_on,
        claim.headline,
        claim.get_absolute_url(),
        case=case,
        detail=claim.get_assessment_display(),
    )


def event_item(event, case=None) -> DatedItem:
    return DatedItem(
        "event",
        event,
        event.starts_on,
        event.title,
        (case.get_absolute_url() if case else "") + f"#event-{event.slug}",
        end=event.ends_on,
        case=case,
        detail="Context event",
    )


BUILDERS = {
    "filing": filing_item,
    "hearing": hearing_item,
    "decision": decision_item,
    "claim": claim_item,
    "event": event_item,
}


def ordered(items) -> list[DatedItem]:
    """Items by date, then in the day's order of proceedings."""
    return sorted(items, key=lambda item: item.sort_key)


def items_of(case=None, *, filings=(), hearings=(), decisions=(), claims=(), events=()) -> list[DatedItem]:
    """The dated items of objects already fetched, in order (costs no query beyond what was prefetched)."""
    items = [filing_item(f, case) for f in filings if f.date]
    items += [hearing_item(h, case) for h in hearings]
    items += [decision_item(d, case) for d in decisions]
    items += [claim_item(c, case) for c in claims]
    items += [event_item(e, case) for e in events]
    return ordered(items)


def case_record(case, kinds=tuple(KIND_BY_KEY)) -> dict:
    """The objects behind a case's items, each kind read through its QuerySet method (a fixed number of queries)."""
    return {
        "filings": list(Filing.objects.for_case(case).with_sources()) if "filing" in kinds else [],
        "hearings": list(case.hearings.all()) if "hearing" in kinds else [],
        "decisions": list(Decision.objects.for_case(case).with_case()) if "decision" in kinds else [],
        "claims": list(ComplianceClaim.objects.for_case(case).for_page()) if "claim" in kinds else [],
        "events": list(case.events.all()) if "event" in kinds else [],
    }


def cite_sources(objects) -> None:
    """Give each object (of models with a `sources` many-to-many) its `cited_sources`, in two queries in all.

    A case page cites the sources of the case, its hearings, events, filings, decisions and claims:
    one prefetch per kind would cost a query each. The links of every kind are read in one UNION, the
    sources in one more, each list in the sources' own order.
    """
    by_model = defaultdict(lambda: defaultdict(list))
    for obj in objects:
        by_model[type(obj)][obj.pk].append(obj)
        obj.cited_sources = []
    links = None
    models = list(by_model)
    for position, model in enumerate(models):
        field = model._meta.get_field("sources")
        owner = field.m2m_field_name()
        rows = (
            field.remote_field.through.objects.filter(**{f"{owner}__in": list(by_model[model])})
            .annotate(model=Value(position))
            .values_list("model", f"{owner}_id", "source_id")
        )
        links = rows if links is None else links.union(rows, all=True)
    if links is None:
        return
    links = list(links)
    cited = defaultdict(set)
    for position, owner_id, source_id in links:
        cited[source_id].add((position, owner_id))
    for source in Source.objects.filter(pk__in=list(cited)):
        for position, owner_id in sorted(cited[source.pk]):
            for obj in by_model[models[position]][owner_id]:
                obj.cited_sources.append(source)


def case_items(case, kinds=tuple(KIND_BY_KEY)) -> list[DatedItem]:
    """Every dated item of a case (or of the kinds named), in order."""
    return items_of(case, **case_record(case, kinds))
