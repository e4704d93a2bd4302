"""Site-wide researcher pages: search across every kind of record."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cases.models import Case, CaseParty, Event
from compliance.models import ComplianceClaim
from core.dates import court_date
from core.search import (
    SearchTooBroad,
    full_text_filter,
    match_limit,
    matching_ids,
    name_filter,
    parse_websearch,
    search_time_limit,
    suggest,
    term_words,
    with_search_rank,
)
from decisions.models import Decision, Provision
from filings.models import Filing
from pages.forms import SearchForm
from parties.models import Party, Person
from proceedings.items import claim_item, decision_item, event_item, filing_item
from sources.models import Source

PER_PAGE = 20
TOO_BROAD = "That search is too broad to answer quickly. Add a word, or narrow it by case, kind or date."
SNIPPET = 110


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    model: type
    date_field: str
    case_filter: str
    text_fields: tuple
    by_name: bool = False  # matched on names and aliases, undated: left out when filtering by case or date


GROUPS = [
    Group("parties", "Parties and other actors", Party, "", "", ("short_name", "name", "aliases"), by_name=True),
    Group("people", "Judges and other people", Person, "", "", ("name", "aliases", "description"), by_name=True),
    Group("cases", "Cases", Case, "", "", ("short_title", "title"), by_name=True),
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
    if model is Party:
        return Party.objects.all()
    if model is Person:
        return Person.objects.select_related("nationality")
    if model is Case:
        return Case.objects.all()
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
    # A source belongs to a case through the facts that cite it. One subquery per kind of fact: a
    # single condition across all six joins multiplies their rows (5 s on a test database).
    paths = (
        "cases_case_set",
        "filings_filing_set__case",
        "decisions_decision_set__case",
        "decisions_provision_set__decision__case",
        "compliance_complianceclaim_set__decision__case",
        "cases_event_set__cases",
    )
    condition = Q()
    for path in paths:
        condition |= Q(pk__in=Source.objects.filter(**{path: case}).values("pk"))
    return condition


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


def _term_pattern(term):
    # Words as the search matched them: "booby-traps" marks "booby traps" and "booby-traps".
    words = term_words(term)
    if not words:
        return ""
    return r"[\W_]+".join([re.escape(word) for word in words[:-1]] + [re.escape(_stem(words[-1])) + r"\w*"])


def _pattern(terms):
    alternatives = "|".join(piece for piece in map(_term_pattern, terms) if piece)
    if not alternatives:
        return None
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


def _name_result(obj, pattern):
    if isinstance(obj, Party):
        aliases = ", ".join(line.strip() for line in obj.aliases.splitlines() if line.strip())
        context = obj.get_kind_display().capitalize() + (f" · {obj.name}" if obj.name != obj.short_name else "")
        return Result(
            highlight(obj.short_name, pattern, False),
            reverse("party-detail", args=[obj.code]),
            "",
            context,
            highlight(f"Also: {aliases}", pattern) if aliases else "",
        )
    if isinstance(obj, Person):
        aliases = ", ".join(line.strip() for line in obj.aliases.splitlines() if line.strip())
        nationality = f" ({obj.nationality.short_name})" if obj.nationality else ""
        return Result(
            highlight(obj.name, pattern, False),
            reverse("person-detail", args=[obj.slug]),
            "",
            (obj.description or "Person") + nationality,
            highlight(f"Also: {aliases}", pattern) if aliases else "",
        )
    return Result(
        highlight(_case_label(obj), pattern, False),
        obj.get_absolute_url(),
        court_date(obj.instituted_on) if obj.instituted_on else "",
        "Case",
        highlight(obj.title, pattern),
    )


def _result(group, obj, pattern):
    if group.by_name:
        return _name_result(obj, pattern)
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


def _matching(group, q, case, data):
    """The group's rows matching `q` (and the filters), in no order and unranked."""
    if group.model is Case:
        parties = name_filter(Party.objects.all(), q)
        return Case.objects.filter(
            Q(pk__in=name_filter(Case.objects.all(), q).values("pk"))
            | Q(pk__in=CaseParty.objects.filter(party__in=parties).values("case_id"))
        )
    if group.by_name:
        return name_filter(_base_queryset(group), q)
    queryset = full_text_filter(_base_queryset(group), q, ranked=False)
    if case:
        if group.model is Source:
            queryset = queryset.filter(_source_case_filter(case))
        else:
            queryset = queryset.filter(pk__in=group.model.objects.filter(**{group.case_filter: case}).values("pk"))
    if data["date_from"]:
        queryset = queryset.filter(**{f"{group.date_field}__gte": data["date_from"]})
    if data["date_to"]:
        queryset = queryset.filter(**{f"{group.date_field}__lte": data["date_to"]})
    return queryset


def _ordered(group, queryset, q, ranked):
    if group.model is Case:
        return queryset.order_by("-general_list_number")
    if group.by_name:
        return queryset.order_by(*(("short_name", "code") if group.model is Party else ("name", "slug")))
    if ranked:
        return with_search_rank(queryset, q).order_by("-search_rank", f"-{group.date_field}", "pk")
    # Too many matches to rank each: the newest first, read backwards through the index on the date.
    return queryset.order_by(f"-{group.date_field}", "-pk")


def _page_of(group, queryset, q, page):
    """One page of the group's rows and how many match: a number up to match_limit(), None past it.

    Both queries stop early (the ids of at most match_limit() + 1 matches, a LIMITed page), so neither grows
    with the table; only a search with at most match_limit() matches is ranked by relevance, among those ids.
    """
    ids = matching_ids(queryset)
    if ids == []:
        return [], 0
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    start = (page - 1) * PER_PAGE
    rows = list(_ordered(group, queryset, q, ids is not None)[start : start + PER_PAGE])
    return rows, None if ids is None else len(ids)


def _url(params, **changes):
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return reverse("search") + "?" + urlencode(merged)


def _entry(group, rows, count, pattern, params, page):
    """One kind's section: its results, where they start and end, and the links to more.

    `page` is None on the page of every kind (first results only, and a link to the rest).
    """
    first = (page - 1) * PER_PAGE + 1 if page else 1
    last = first + len(rows) - 1
    # Past match_limit() the number is not known: offer pages up to there, then ask for a narrower search.
    more = last < count if count is not None else last < match_limit()
    entry = {
        "group": group,
        "results": [_result(group, obj, pattern) for obj in rows],
        "count": count,
        "count_label": f"{count:,}" if count is not None else f"more than {match_limit():,}",
        "first": first,
        "last": last,
        "more": more,
    }
    if page:
        entry["previous_url"] = _url(params, page=page - 1) if page > 1 else ""
        entry["next_url"] = _url(params, page=page + 1) if more else ""
    else:
        entry["all_url"] = _url(params, kind=group.key, page=2 if more else None)
    return entry


def search(request):
    form = SearchForm(request.GET or None, kinds=KINDS)
    context = {"form": form, "groups": [], "searched": False, "total": 0, "error": "", "suggestion": ""}
    if not form.is_bound or not form.is_valid() or not form.cleaned_data["q"].strip():
        return render(request, "pages/search_results.html", context)
    data = form.cleaned_data
    q = data["q"]
    case = None
    if data["case"]:
        case = Case.objects.filter(general_list_number=data["case"]).first()
        if case is None:
            form.add_error("case", f"There is no case No. {data['case']} in the tracker.")
            return render(request, "pages/search_results.html", context)
    page = data["page"] or 1
    filtered = bool(case or data["date_from"] or data["date_to"])
    params = {
        "q": q,
        "case": data["case"],
        "kind": data["kind"],
        "date_from": data["date_from"].isoformat() if data["date_from"] else "",
        "date_to": data["date_to"].isoformat() if data["date_to"] else "",
    }
    pattern = _pattern(highlight_terms(q))
    groups = []
    try:
        # One time limit for the whole search: past it, a message instead of a long wait or an error.
        with search_time_limit():
            for group in GROUPS:
                if data["kind"] and data["kind"] != group.key:
                    continue
                if group.by_name and filtered:
                    continue
                rows, count = _page_of(group, _matching(group, q, case, data), q, page if data["kind"] else 1)
                groups.append(_entry(group, rows, count, pattern, params, page if data["kind"] else None))
            suggestion = suggest(q)
    except SearchTooBroad:
        context["error"] = TOO_BROAD
        return render(request, "pages/search_results.html", context, status=200)
    found = [g for g in groups if g["count"] != 0]
    capped = any(g["count"] is None for g in found)
    context.update(
        {
            "groups": found,
            "searched": True,
            "total": sum(g["count"] or 0 for g in found),
            "total_capped": capped,
            "match_limit": f"{match_limit():,}",
            "case": case,
            "kind_label": dict(KINDS).get(data["kind"], ""),
            "page": page,
            "suggestion": suggestion,
            "suggestion_url": _url(params, q=suggestion) if suggestion else "",
            "names_left_out": filtered and not data["kind"],
        }
    )
    return render(request, "pages/search_results.html", context)
