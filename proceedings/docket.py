"""A case's docket as flat rows (CSV and JSON): every filing, hearing and decision, as the case's dated items."""

from proceedings.items import case_items

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
DOCKET_KINDS = ("filing", "hearing", "decision")


def _iso(day):
    return day.isoformat() if day else ""


def docket_rows(case, request):
    """The docket of `case` as dictionaries keyed by DOCKET_COLUMNS, all values strings."""
    rows = []
    for item in case_items(case, kinds=DOCKET_KINDS):
        obj = item.obj
        row = dict.fromkeys(DOCKET_COLUMNS, "")
        row.update(
            date=_iso(item.start),
            entry=item.kind,
            kind=item.detail,
            title=item.label,
            ends_on=_iso(item.end) if item.kind == "hearing" else "",
            page_url=request.build_absolute_uri(item.url),
        )
        if item.kind == "filing":
            row.update(
                party=obj.filed_by.short_name,
                filed_on=_iso(obj.filed_on),
                time_limit=_iso(obj.due_on),
                document_number=obj.document_number,
                document_url=obj.url,
            )
        elif item.kind == "hearing":
            row.update(document_number=obj.record_numbers)
        else:
            row.update(document_number=obj.document_number, document_url=obj.url)
        rows.append(row)
    return rows
