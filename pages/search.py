"""Site-wide researcher pages: search across every kind of record."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import DatabaseError
from django.db.models import Count, Q, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from cases.models import Case, CaseParty, Event
from compliance.models import ComplianceClaim
from core.dates import court_date
from core.search import full_text_filter, name_filter, parse_websearch, suggest, term_words
from decisions.models import Decision, Provision
from filings.models import Filing
from pages.forms import SearchForm
from parties.models import Party, Person
from proceedings.items import claim_item, decision_item, event_item, filing_item
from sources.models import Source

PER_PAGE = 20
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
    """The group's rows matching `q` (and the filters), best first."""
    if group.model is Case:
        parties = name_filter(Party.objects.all(), q)
        queryset = Case.objects.filter(
            Q(pk__in=name_filter(Case.objects.all(), q).values("pk"))
            | Q(pk__in=CaseParty.objects.filter(party__in=parties).values("case_id"))
        )
        return queryset.order_by("-general_list_number")
    if group.by_name:
        order = ("short_name", "code") if group.model is Party else ("name", "slug")
        return name_filter(_base_queryset(group), q).order_by(*order)
    queryset = full_text_filter(_base_queryset(group), q)
    if case:
        if group.model is Source:
            queryset = queryset.filter(pk__in=Source.objects.filter(_source_case_filter(case)).values("pk"))
        else:
            queryset = queryset.filter(pk__in=group.model.objects.filter(**{group.case_filter: case}).values("pk"))
    if data["date_from"]:
        queryset = queryset.filter(**{f"{group.date_field}__gte": data["date_from"]})
    if data["date_to"]:
        queryset = queryset.filter(**{f"{group.date_field}__lte": data["date_to"]})
    return queryset.order_by("-search_rank", f"-{group.date_field}", "pk")


def _page_of(queryset, page):
    """One page of rows and the exact number of matching rows, in one query (a window count)."""
    start = (page - 1) * PER_PAGE
    rows = list(queryset.annotate(found_total=Window(Count("pk")))[start : start + PER_PAGE])
    if rows:
        return rows, rows[0].found_total
    # Past the last page: the window saw no row, so count separately.
    return rows, queryset.count() if page > 1 else 0


def _url(params, **changes):
    merged = {key: value for key, value in {**params, **changes}.items() if value not in (None, "")}
    return reverse("search") + "?" + urlencode(merged)


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
        for group in GROUPS:
            if data["kind"] and data["kind"] != group.key:
                continue
            if group.by_name and filtered:
                continue
            rows, count = _page_of(_matching(group, q, case, data), page if data["kind"] else 1)
            shown_from = (page - 1) * PER_PAGE + 1 if data["kind"] else 1
            entry = {
                "group": group,
                "results": [_result(group, obj, pattern) for obj in rows],
                "count": count,
                "first": shown_from,
                "last": shown_from + len(rows) - 1,
                "more": count > shown_from - 1 + len(rows),
            }
            if data["kind"]:
                entry["previous_url"] = _url(params, page=page - 1) if page > 1 else ""
                entry["next_url"] = _url(params, page=page + 1) if entry["more"] else ""
            else:
                entry["all_url"] = _url(params, kind=group.key, page=2 if entry["more"] else None)
            groups.append(entry)
        suggestion = suggest(q)
    except DatabaseError:
        # The database's statement timeout stopped an over-broad search: say so rather than fail.
        context["error"] = "That search is too broad to answer quickly. Add a word, or narrow it by case, kind or date."
        return render(request, "pages/search_results.html", context, status=200)
    context.update(
        {
            "groups": [g for g in groups if g["count"]],
            "searched": True,
            "total": sum(g["count"] for g in groups),
            "case": case,
            "kind_label": dict(KINDS).get(data["kind"], ""),
            "page": page,
            "suggestion": suggestion,
            "suggestion_url": _url(params, q=suggestion) if suggestion else "",
            "names_left_out": filtered and not data["kind"],
        }
    )
    return render(request, "pages/search_results.html", context)
