"""The ICJ's document numbering scheme, parsed in one place.

The Court numbers every case document as ``CCC-YYYYMMDD-TYP-SS-NN-LL``::

    180-20211207-ORD-01-00-EN
    |   |        |   |  |  +- language: EN, FR, or BI (bilingual edition)
    |   |        |   |  +---- 00 for the document itself, 01, 02, ... for opinions appended to it
    |   |        |   +------- sequence of documents of that type on that date
    |   |        +----------- document type (ORD order, JUD judgment, APP application, ...)
    |   +-------------------- date of the document
    +------------------------ general list number, zero-padded to three digits

Variants seen in the wild and accepted here: lower case, a general list number without its
leading zeros (``3-19490409-JUD-01-00-EN``), a trailing ``.pdf``, and surrounding white space.
They are normalised to the Court's canonical form.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

DOCUMENT_TYPES = {
    "APP": "application instituting proceedings",
    "REQ": "request (provisional measures, modification, interpretation, revision)",
    "ORD": "order",
    "JUD": "judgment",
    "ADV": "advisory opinion",
    "SUM": "summary of a judgment, advisory opinion or order",
    "WRI": "written proceedings (memorials, objections, written statements, reports)",
    "ORA": "oral proceedings (verbatim records)",
    "PRE": "press release",
    "COR": "correspondence",
    "INT": "intervention",
    "OTH": "other document",
}
LANGUAGES = {"EN": "English", "FR": "French", "BI": "bilingual"}

_PATTERN = re.compile(
    r"^(?P<case>\d{1,3})-(?P<date>\d{8})-(?P<type>[A-Z]{3})-(?P<sequence>\d{2})-(?P<part>\d{2})"
    r"-(?P<language>[A-Z]{2})(?:\.PDF)?$"
)


@dataclass(frozen=True)
class DocumentNumber:
    general_list_number: int
    date: datetime.date
    document_type: str
    sequence: int
    part: int
    language: str

    @property
    def is_opinion(self) -> bool:
        """True for a separate or dissenting opinion or declaration appended to a decision."""
        return self.part > 0

    def __str__(self) -> str:
        return (
            f"{self.general_list_number:03d}-{self.date:%Y%m%d}-{self.document_type}"
            f"-{self.sequence:02d}-{self.part:02d}-{self.language}"
        )


def parse_document_number(value: str) -> DocumentNumber:
    """Parse an ICJ document number, or raise ValidationError saying which part is wrong."""
    text = (value or "").strip().upper()
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            "%(value)s is not an ICJ document number: expected the Court's form "
            "CCC-YYYYMMDD-TYP-NN-NN-LL, for example 180-20211207-ORD-01-00-EN.",
            code="invalid_document_number",
            params={"value": value},
        )
    try:
        date = datetime.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        raise ValidationError(
            "%(value)s has an impossible date (%(date)s).",
            code="invalid_document_date",
            params={"value": value, "date": match["date"]},
        ) from None
    if match["type"] not in DOCUMENT_TYPES:
        raise ValidationError(
            "%(value)s has an unknown document type %(type)s; the Court uses %(known)s.",
            code="invalid_document_type",
            params={"value": value, "type": match["type"], "known": ", ".join(DOCUMENT_TYPES)},
        )
    if match["language"] not in LANGUAGES:
        raise ValidationError(
            "%(value)s has an unknown language %(language)s; the Court uses EN, FR or BI.",
            code="invalid_document_language",
            params={"value": value, "language": match["language"]},
        )
    if int(match["case"]) == 0:
        raise ValidationError(
            "%(value)s has general list number 0.", code="invalid_document_case", params={"value": value}
        )
    return DocumentNumber(
        general_list_number=int(match["case"]),
        date=date,
        document_type=match["type"],
        sequence=int(match["sequence"]),
        part=int(match["part"]),
        language=match["language"],
    )


def normalize_document_number(value: str) -> str:
    """The canonical form of a document number; empty stays empty."""
    if not (value or "").strip():
        return ""
    return str(parse_document_number(value))


def validate_document_number(value: str) -> None:
    """Field validator: an empty value is allowed, anything else must parse."""
    if (value or "").strip():
        parse_document_number(value)
