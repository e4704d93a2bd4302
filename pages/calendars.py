"""An iCalendar feed of hearings and time-limits, for the whole site or one case."""

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from icalendar import Calendar, Event

from cases.models import Case, Hearing
from filings.models import Filing

PRODID = "-//ICJ case tracker//Hearings and time-limits//EN"


def _event(uid, summary, start, end, description, url, stamp):
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    # All-day events: DTEND is exclusive, so a hearing ending on the 15th ends on the 16th.
    event.add("dtstart", start)
    event.add("dtend", end + datetime.timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(request, case=None):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"ICJ: {case.short_title} (No. {case.general_list_number})" if case else "ICJ case tracker"
    calendar.add("x-wr-calname", f"{name}: hearings and time-limits")
    host = request.get_host().split(":")[0]

    hearings = Hearing.objects.for_calendar()
    filings = Filing.objects.with_relations().filter(due_on__isnull=False).order_by("due_on", "slug")
    if case:
        hearings, filings = hearings.for_case(case), filings.for_case(case)
    for hearing in hearings:
        records = f" Verbatim records: {hearing.record_numbers}." if hearing.record_numbers else ""
        calendar.add_component(
            _event(
                f"hearing-{hearing.case.general_list_number}-{hearing.slug}@{host}",
                f"Public hearings on {hearing.get_subject_display()}: {hearing.case.short_title} "
                f"(No. {hearing.case.general_list_number})",
                hearing.starts_on,
                hearing.ends_on,
                (hearing.summary + records).strip() or f"Public hearings in {hearing.case.title}.",
                request.build_absolute_uri(hearing.case.get_absolute_url() + f"#hearing-{hearing.slug}"),
                hearing.updated_at,
            )
        )
    for filing in filings:
        filed = f" Filed on {filing.filed_on:%-d %B %Y}." if filing.filed_on else ""
        calendar.add_component(
            _event(
                f"time-limit-{filing.case.general_list_number}-{filing.slug}@{host}",
                f"Time-limit: {filing.get_kind_display()} of {filing.filed_by} (No. {filing.case.general_list_number})",
                filing.due_on,
                filing.due_on,
                f"{filing.title}.{filed}",
                request.build_absolute_uri(filing.get_absolute_url()),
                filing.updated_at,
            )
        )
    return calendar


def calendar_view(request, number=None):
    case = get_object_or_404(Case, general_list_number=number) if number is not None else None
    response = HttpResponse(build_calendar(request, case).to_ical(), content_type="text/calendar; charset=utf-8")
    name = f"icj-{case.general_list_number}" if case else "icj-tracker"
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
