"""An iCalendar feed of hearings and time-limits, for the whole site or one case."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from icalendar import Calendar, Event

from cases.models import Case, Hearing
from core.dates import court_date
from core.validators import printable
from filings.models import Filing
from pages.feeds import case_context
from proceedings.items import hearing_item, ordered, time_limit_item

PRODID = "-//ICJ case tracker//Hearings and time-limits//EN"


def _event(uid, summary, start, end, description, url, stamp):
    event = Event()
    # Text stored before control characters were refused must not reach the calendar.
    event.add("uid", printable(uid))
    event.add("summary", printable(summary))
    # All-day events: DTEND is exclusive, so a hearing ending on the 15th ends on the 16th; a
    # stored 9999-12-31 (which no write accepts now) ends on itself instead of overflowing.
    event.add("dtstart", start)
    event.add("dtend", end + datetime.timedelta(days=1) if end < datetime.date.max else end)
    event.add("dtstamp", stamp)
    event.add("description", printable(description))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(request, case=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"ICJ: {case.short_title} (No. {case.general_list_number})" if case else "ICJ case tracker"
    calendar.add("x-wr-calname", printable(f"{name}: hearings and time-limits"))
    host = request.get_host().split(":")[0]

    hearings = Hearing.objects.for_calendar()
    filings = Filing.objects.with_relations().filter(due_on__isnull=False).order_by("due_on", "slug")
    if case:
        hearings, filings = hearings.for_case(case), filings.for_case(case)
    items = [hearing_item(hearing, hearing.case) for hearing in hearings]
    items += [time_limit_item(filing, filing.case) for filing in filings]
    for item in ordered(items):
        obj = item.obj
        if item.kind == "hearing":
            records = f" Verbatim records: {obj.record_numbers}." if obj.record_numbers else ""
            description = (obj.summary + records).strip() or f"Public hearings in {item.case.title}."
            uid = f"hearing-{item.case.general_list_number}-{obj.slug}@{host}"
        else:
            filed = f" Filed on {court_date(obj.filed_on)}." if obj.filed_on else ""
            description = f"{obj.title}.{filed}"
            uid = f"time-limit-{item.case.general_list_number}-{obj.slug}@{host}"
        calendar.add_component(
            _event(
                uid,
                f"{item.label} {case_context(item.case)}",
                item.start,
                item.end or item.start,
                description,
                request.build_absolute_uri(item.url),
                obj.updated_at,
            )
        )
    return calendar


def calendar_view(request, number=None):
    case = get_object_or_404(Case, general_list_number=number) if number is not None else None
    response = HttpResponse(build_calendar(request, case).to_ical(), content_type="text/calendar; charset=utf-8")
    name = f"icj-{case.general_list_number}" if case else "icj-tracker"
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
