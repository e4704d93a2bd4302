"""Dates as the Court writes them."""

import datetime

from django.utils.dateformat import format as format_date


def court_date(value) -> str:
    """A date as the Court writes it: 22 February 2023 (empty for anything that is not a date)."""
    if not isinstance(value, datetime.date):
        return ""
    return format_date(value, "j F Y")


def court_span(start, end=None) -> str:
    """One day, or a span of days: "14 October 2021 to 15 October 2021"."""
    if end and end != start:
        return f"{court_date(start)} to {court_date(end)}"
    return court_date(start)
