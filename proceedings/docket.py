"""A case's docket as flat rows: every filing, hearing and decision in date order (CSV and JSON)."""

from decisions.models import Decision
from filings.models import Filing

DOCKET_COLUMNS = [
    "date",
    "entry",
    "kind",
    "title",
    "party",
    "filed_on",
    "time_limit",
    "ends_on",
    "document_number",
    "document_url",
    "page_url",
]


def _iso(day):
    return day.isoformat() if day else ""


def docket_rows(case, request):
    """The docket of `case` as dictionaries keyed by DOCKET_COLUMNS, all values strings."""
    rows = []
    for filing in Filing.objects.for_case(case).with_relations():
        rows.append(
            {
                "date": _iso(filing.date),
                "entry": "filing",
                "kind": filing.get_kind_display(),
                "title": filing.title,
                "party": filing.filed_by.short_name,
                "filed_on": _iso(filing.filed_on),
                "time_limit": _iso(filing.due_on),
                "ends_on": "",
                "document_number": filing.document_number,
                "document_url": filing.url,
                "page_url": request.build_absolute_uri(filing.get_absolute_url()),
            }
        )
    for hearing in case.hearings.all():
        rows.append(
            {
                "date": _iso(hearing.starts_on),
                "entry": "hearing",
                "kind": f"Public hearings on {hearing.get_subject_display()}",
                "title": hearing.record_numbers,
                "party": "",
                "filed_on": "",
                "time_limit": "",
                "ends_on": _iso(hearing.ends_on),
                "document_number": "",
                "document_url": "",
                "page_url": request.build_absolute_uri(case.get_absolute_url() + f"#hearing-{hearing.slug}"),
            }
        )
    for decision in Decision.objects.for_case(case).select_related("case"):
        rows.append(
            {
                "date": _iso(decision.decided_on),
                "entry": "decision",
                "kind": f"{decision.get_kind_display()} ({decision.get_subject_display()})",
                "title": decision.title,
                "party": "",
                "filed_on": "",
                "time_limit": "",
                "ends_on": "",
                "document_number": decision.document_number,
                "document_url": decision.url,
                "page_url": request.build_absolute_uri(decision.get_absolute_url()),
            }
        )
    order = {"filing": 0, "hearing": 1, "decision": 2}
    return sorted(rows, key=lambda row: (row["date"], order[row["entry"]], row["title"]))
