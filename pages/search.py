"""Site-wide researcher pages: search across every kind of record."""

import re
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import Q
from django.shortcuts import render
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cases.models import Case, Event
from compliance.models import ComplianceClaim
from core.dates import court_date
from core.search import full_text_filter, parse_websearch
from decisions.models import Decision, Provision
from filings.models import Filing
from pages.forms import SearchForm
from proceedings.items import claim_item, decision_item, event_item, filing_item
from sources.models import Source

PER_GROUP = 20
SNIPPET = 110


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    model: type
    date_field: str
    case_filter: str
    text_fields: tuple


GROUPS = [
    Group("filings", "Filings", Filing, "filed_on", "case", ("title", "summary", "requested_measures")),
    Group("decisions", "Decisions", Decision, "decided_on", "case", ("title", "summary", "not_indicated")),
    Group(
        "provisions",
        "Provisions of operative clauses",
        Provision,
        "decision__decided_on",
        "decision__case",
        ("text", "note"),
    ),
    Group("claims", "Compliance claims", ComplianceClaim, "made_on", "decision__case", ("summary", "quote", "note")),
    Group("events", "Context events", Event, "starts_on", "cases", ("title", "description")),
    Group("sources", "Sources", Source, "published_on", "", ("title", "excerpt", "publisher")),
]
KINDS = [(group.key, group.label) for group in GROUPS]


def _base_queryset(group):
    model = group.model
    if model is Filing:
        return Filing.objects.with_relations()
    if model is Decision:
        return Decision.objects.with_case()
    if model is Provision:
        return Provision.objects.with_decision()
    if model is ComplianceClaim:
        return ComplianceClaim.objects.for_page()
    if model is Event:
        return Event.objects.with_cases()
    return Source.objects.all()


def _source_case_filter(case):
    # A source belongs to a case through the facts that cite it.
    return (
        Q(cases_case_set=case)
        | Q(filings_filing_set__case=case)
        | Q(decisions_decision_set__case=case)
        | Q(decisions_provision_set__decision__case=case)
        | Q(compliance_complianceclaim_set__decision__case=case)
        | Q(cases_event_set__cases=case)
    )


def highlight_terms(q):
    """The words to mark in results: every term asked for, not the excluded ones."""
    terms = {term for required, _excluded in parse_websearch(q) for term in required if term.lower() != "or"}
    return sorted(terms, key=len, reverse=True)


def _stem(term):
    # PostgreSQL matches "landmines" to "landmine": mark any word that begins with the term's stem.
    for suffix in ("ing", "es", "ed", "s"):
        if len(term) > len(suffix) + 3 and term.lower().endswith(suffix):
            return term[: -len(suffix)]
    return term


def _pattern(terms):
    if not terms:
        return None
    alternatives = "|".join(re.escape(_stem(term)) + (r"\w*" if " " not in term else "") for term in terms)
    return re.compile(rf"({alternatives})", re.IGNORECASE)


def highlight(text, pattern, shorten=True):
    """`text` escaped, cut around the first match when long, with matches wrapped in <mark>."""
    text = text or ""
    match = pattern.search(text) if pattern else None
    if shorten and len(text) > 2 * SNIPPET:
        start = max(0, (match.start() if match else 0) - SNIPPET)
        end = min(len(text), start + 2 * SNIPPET)
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    if not pattern:
        return escape(text)
    pieces, last = [], 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 (every piece is escaped above)


@dataclass
class Result:
    title: str
    url: str
    date: str
    context: str
    snippet: str
    external: bool = False


def _case_label(case):
    return f"No. {case.general_list_number} {case.short_title}"


def _item_result(item, snippet, pattern, context):
    """A search result for one of a case's dated items: its one label, its dates and its page."""
    return Result(highlight(item.label, pattern, False), item.url, item.dates, context, snippet)


def _result(group, obj, pattern):
    text = next(
        (getattr(obj, field) for field in group.text_fields if pattern and pattern.search(getattr(obj, field) or "")),
        "",
    )
    text = text or getattr(obj, group.text_fields[0]) or ""
    snippet = highlight(text, pattern)
    if isinstance(obj, Filing):
        return _item_result(
            filing_item(obj, obj.case), snippet, pattern, f"{obj.get_kind_display()} · {_case_label(obj.case)}"
        )
    if isinstance(obj, Decision):
        item = decision_item(obj, obj.case)
        return _item_result(item, snippet, pattern, f"{item.detail} · {_case_label(obj.case)}")
    if isinstance(obj, ComplianceClaim):
        case = obj.decision.case
        return _item_result(claim_item(obj, case), snippet, pattern, f"Compliance claim · {_case_label(case)}")
    if isinstance(obj, Event):
        cases = list(obj.cases.all())
        item = event_item(obj, cases[0] if cases else None)
        return _item_result(
            item, snippet, pattern, "Bears on " + ", ".join(f"No. {c.general_list_number}" for c in cases)
        )
    if isinstance(obj, Provision):
        decision = obj.decision
        return Result(
            format_html("{}, paragraph {}", decision.title, obj.paragraph),
            obj.get_absolute_url(),
            court_date(decision.decided_on),
            f"{obj.get_kind_display().capitalize()} · {_case_label(decision.case)}",
            snippet,
        )
    return Result(
        highlight(obj.title, pattern, False),
        obj.url,
        court_date(obj.published_on),
        f"{obj.get_kind_display().capitalize()}" + (f" · {obj.publisher}" if obj.publisher else ""),
        snippet,
        external=bool(obj.url),
    )


def search(request):
    cases = list(Case.objects.order_by("general_list_number"))
    form = SearchForm(request.GET or None, cases=cases, kinds=KINDS)
    context = {"form": form, "groups": [], "searched": False, "total": 0, "error": ""}
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"].strip():
        return render(request, "pages/search_results.html", context)
    data = form.cleaned_data
    q = data["q"]
    case = next((c for c in cases if c.general_list_number == data["case"]), None)
    pattern = _pattern(highlight_terms(q))
    groups = []
    try:
        for group in GROUPS:
            if data["kind"] and data["kind"] != group.key:
                continue
            queryset = full_text_filter(_base_queryset(group), q)
            if case:
                if group.model is Source:
                    queryset = queryset.filter(pk__in=Source.objects.filter(_source_case_filter(case)).values("pk"))
                else:
                    queryset = queryset.filter(
                        pk__in=group.model.objects.filter(**{group.case_filter: case}).values("pk")
                    )
            if data["date_from"]:
                queryset = queryset.filter(**{f"{group.date_field}__gte": data["date_from"]})
            if data["date_to"]:
                queryset = queryset.filter(**{f"{group.date_field}__lte": data["date_to"]})
            found = list(queryset.order_by("-search_rank", f"-{group.date_field}", "pk")[: PER_GROUP + 1])
            groups.append(
                {
                    "group": group,
                    "results": [_result(group, obj, pattern) for obj in found[:PER_GROUP]],
                    "more": len(found) > PER_GROUP,
                }
            )
    except DatabaseError:
        # The database's statement timeout stopped an over-broad search: say so rather than fail.
        context["error"] = "That search is too broad to answer quickly. Add a word, or narrow it by case, kind or date."
        return render(request, "pages/search_results.html", context, status=200)
    context.update(
        {
            "groups": [g for g in groups if g["results"]],
            "searched": True,
            "total": sum(len(g["results"]) for g in groups),
            "case": case,
        }
    )
    return render(request, "pages/search_results.html", context)
