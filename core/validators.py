"""What a stored value may hold: dates the Court's history can hold, text every renderer can carry.

The checks run from ``VersionedModel`` (its ``clean_fields`` and ``validate_constraints``), so the
admin, the API and the dataset loader refuse the same values with the same field errors, and no
field carries a validator (which would put a migration in every app).
"""

import datetime
import re

from django.utils import timezone

# The Statute of the Court was signed on 26 June 1945: nothing in its history is older.
COURT_STATUTE = datetime.date(1945, 6, 26)
# A source may be older than the Court (a treaty, a boundary convention the parties invoke).
OLDEST_SOURCE = datetime.date(1800, 1, 1)
# A time-limit is fixed months or a few years ahead, never decades.
FUTURE_YEARS = 10
# "Today" in The Hague may already be tomorrow for an editor elsewhere.
TIME_ZONE_SLACK = datetime.timedelta(days=1)

# C0 controls except tab, newline and carriage return; DEL; C1 controls; lone surrogates; and the
# noncharacters U+FFFE/U+FFFF. XML 1.0 cannot carry most of them, iCalendar none of them, and a
# lone surrogate cannot even be encoded as UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def today() -> datetime.date:
    return timezone.localdate()


def date_bounds(*, future: bool, earliest: datetime.date = COURT_STATUTE) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date field may hold."""
    now = today()
    if future:
        try:
            latest = now.replace(year=now.year + FUTURE_YEARS)
        except ValueError:  # 29 February
            latest = now.replace(year=now.year + FUTURE_YEARS, day=28)
    else:
        latest = now + TIME_ZONE_SLACK
    return earliest, latest


def date_error(value: datetime.date, *, future: bool, earliest: datetime.date = COURT_STATUTE) -> str | None:
    """Why a date cannot be right, or None."""
    first, last = date_bounds(future=future, earliest=earliest)
    if value < first:
        if earliest == COURT_STATUTE:
            return (
                f"{value.isoformat()} is before the Statute of the Court (26 June 1945); check the year (YYYY-MM-DD)."
            )
        return f"{value.isoformat()} is before {first:%-d %B %Y}; check the year (YYYY-MM-DD)."
    if value > last:
        if future:
            return (
                f"{value.isoformat()} is more than {FUTURE_YEARS} years ahead; "
                "no time-limit is fixed that far off: check the year."
            )
        return f"{value.isoformat()} is in the future; this is the date something happened: check it."
    return None


def unprintable_characters(value: str) -> list[str]:
    """The characters of `value` that no renderer can carry, named like U+000B, in order and once each."""
    found = dict.fromkeys(f"U+{ord(char):04X}" for char in _UNPRINTABLE.findall(value))
    return list(found)


def text_error(value: str) -> str | None:
    """Why a text cannot be stored, or None."""
    found = unprintable_characters(value)
    if not found:
        return None
    return (
        f"Contains control or invalid characters ({', '.join(found[:5])}); only printable text, tabs and "
        "line breaks are allowed (pasted text sometimes carries them invisibly)."
    )


def printable(value):
    """`value` with the characters no renderer can carry removed; anything but a str unchanged."""
    if isinstance(value, str):
        return _UNPRINTABLE.sub("", value)
    return value


def clamp_date(value: datetime.date, lowest: datetime.date, highest: datetime.date) -> datetime.date:
    return min(max(value, lowest), highest)
