"""Citations of decisions in the Court's own style, with BibTeX and CSL-JSON for reference managers.

I.C.J. Reports page numbers are not in the data, so no citation gives them.
"""

from core.dates import court_date
from decisions.models import DecisionKind, DecisionSubject, IssuedBy

COURT = "International Court of Justice"

PHASES = {
    DecisionSubject.PROVISIONAL_MEASURES: "Provisional Measures",
    DecisionSubject.PRELIMINARY_OBJECTIONS: "Preliminary Objections",
}


def phase(decision, amended=None):
    """The phase as the Court names it in a citation, or "" where the Court names none."""
    if decision.subject == DecisionSubject.MODIFICATION:
        if amended is not None:
            order = court_date(amended.decided_on)
            return f"Request for the Modification of the Order of {order} Indicating Provisional Measures"
        return "Request for the Modification of Provisional Measures"
    return PHASES.get(decision.subject, "")


def amended_decision(decision):
    """The earlier order a modification decision's provisions refer to, from prefetched provisions."""
    for provision in decision.provisions.all():
        if provision.amends_id:
            return provision.amends.decision
    return None


def citation_text(decision):
    """E.g. "Application of ... (Armenia v. Azerbaijan), Provisional Measures, Order of 22 February 2023"."""
    parts = [decision.case.title, phase(decision, amended_decision(decision)), decision.title]
    return ", ".join(part for part in parts if part)


def citation_key(decision):
    return f"icj{decision.case.general_list_number}-{decision.decided_on:%Y-%m-%d}-{decision.kind}"


def _bibtex_escape(text):
    out = text
    for char in "\\{}":
        out = out.replace(char, f"\\{char}")
    for char in "&%$#_":
        out = out.replace(char, f"\\{char}")
    return out


def bibtex(decision, url):
    """A BibTeX @misc entry (plain BibTeX has no type for judicial decisions; biber reads @misc too)."""
    fields = [
        ("title", "{" + _bibtex_escape(citation_text(decision)) + "}"),
        ("author", "{{" + COURT + "}}"),
        ("institution", "{" + COURT + "}"),
        ("year", decision.decided_on.strftime("%Y")),
        ("month", decision.decided_on.strftime("%b").lower()),
        ("date", "{" + decision.decided_on.isoformat() + "}"),
        ("note", "{" + _bibtex_escape(_note(decision)) + "}"),
        ("url", "{" + (decision.url or url) + "}"),
    ]
    if decision.document_number:
        fields.insert(5, ("number", "{" + _bibtex_escape(decision.document_number) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{citation_key(decision)},\n{body}\n}}\n"


def _note(decision):
    issuer = "" if decision.issued_by == IssuedBy.COURT else f", made by {decision.get_issued_by_display()}"
    return f"General List No. {decision.case.general_list_number}{issuer}"


def csl_json(decision, url):
    """One CSL-JSON item (a list of one, as reference managers import it)."""
    day = decision.decided_on
    item = {
        "id": citation_key(decision),
        "type": "legal_case",
        "title": citation_text(decision),
        "authority": COURT,
        "genre": "Judgment" if decision.kind == DecisionKind.JUDGMENT else "Order",
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "URL": decision.url or url,
        "note": _note(decision),
    }
    if decision.document_number:
        item["number"] = decision.document_number
    return [item]
