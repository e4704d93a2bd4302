"""Researcher pages about cases: home, the list of cases, a case, the mirror view, the docket downloads."""

import csv

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from cases.models import Case, RepresentationRole
from compliance.models import ComplianceClaim
from core.api.pagination import CountCachedPaginator, cached_count
from core.csvsafe import csv_safe
from decisions.models import Decision
from filings.models import Filing
from pages.forms import SORT_LABELS, CaseFilterForm
from pages.timeline import build_timeline
from proceedings.compliance import case_glance
from proceedings.docket import DOCKET_COLUMNS, docket_rows
from proceedings.items import case_record, cite_sources, event_item, items_of, ordered
from proceedings.votes import annotate_votes, compliance_record, measures_of

LATEST = 6
# The home page shows the cases the tracker follows in depth (those with filings or decisions recorded), latest on
# the General List first; the case list pages through the whole List.
HOME_CASES = 8
CASES_PER_PAGE = 50


def home(request):
    # Every read is bounded whatever the tables hold: the latest items are the ends of their date indexes,
    # the number of cases is counted once per data version, and the cases followed are found by walking
    # down the General List, probing each case's decisions and then its filings, until HOME_CASES have
    # some. One walk per kind: under an OR of the two, PostgreSQL hashes every decision's case instead.
    latest = Case.objects.order_by("-general_list_number").values("pk")
    with_decisions = latest.filter(Exists(Decision.objects.filter(case=OuterRef("pk"))))[:HOME_CASES]
    with_filings = latest.filter(Exists(Filing.objects.filter(case=OuterRef("pk"))))[:HOME_CASES]
    context = {
        "cases": Case.objects.with_latest_decision()
        .filter(Q(pk__in=with_decisions) | Q(pk__in=with_filings))
        .order_by("-general_list_number")[:HOME_CASES],
        "case_count": cached_count(Case.objects.all()),
        "latest_filings": Filing.objects.with_relations()
        .filter(filed_on__isnull=False)
        .order_by("-filed_on", "-id")[:LATEST],
        "latest_decisions": Decision.objects.with_case().latest_first()[:LATEST],
        "latest_claims": ComplianceClaim.objects.for_page().order_by("-made_on", "-id")[:LATEST],
    }
    return render(request, "pages/case_home.html", context)


def case_list(request):
    form = CaseFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    cases = form.filter(Case.objects.with_latest_decision())
    page = CountCachedPaginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pages/case_list.html",
        {
            "form": form,
            "cases": page.object_list,
            "page": page,
            "sort_labels": SORT_LABELS,
            "filtered": bool(request.GET),
        },
    )


def _case_record(case):
    """Everything a case page draws, fetched with a fixed number of queries whatever the case's size."""
    # The page shows each decision whole (bench, provisions, votes), so it reads them for itself.
    record = case_record(case, kinds=("hearing", "event"))
    record["filings"] = sorted(Filing.objects.for_case(case).with_relations(), key=lambda f: (f.date, f.slug))
    for filing in record["filings"]:
        filing.case = case
    decisions = list(Decision.objects.for_case(case).for_case_page())
    provisions = {}
    for decision in decisions:
        decision.case = case
        annotate_votes(decision)
        provisions.update((provision.pk, provision) for provision in decision.provisions.all())
    # Every claim of the case is about one of these decisions (or one of their provisions): joining them
    # here, instead of reading each claim's decision, measure and addressees again, saves a query per
    # relation and a copy of each decision per claim.
    by_pk = {decision.pk: decision for decision in decisions}
    claims = list(ComplianceClaim.objects.for_case(case).for_case_page())
    for claim in claims:
        claim.decision = by_pk[claim.decision_id]
        if claim.provision_id in provisions:
            claim.provision = provisions[claim.provision_id]
    record["decisions"], record["claims"] = decisions, claims
    cite_sources([case, *record["hearings"], *record["events"], *record["filings"], *decisions, *claims])
    return {"case": case, **record}


def case_detail(request, number):
    case = get_object_or_404(Case.objects.for_page(), general_list_number=number)
    record = _case_record(case)
    items = items_of(**record)
    claims_by_decision = {}
    for claim in record["claims"]:
        if not claim.provision_id:
            claims_by_decision.setdefault(claim.decision_id, []).append(claim)
    for decision in record["decisions"]:
        decision.order_claims = claims_by_decision.get(decision.pk, [])
    representations = case.representations.all()
    compliance = [
        compliance_record(m, record["claims"], {cp.party_id for cp in case.case_parties.all()})
        for m in measures_of(record["decisions"])
    ]
    context = {
        **record,
        "timeline": build_timeline([(None, items)]),
        "compliance": compliance,
        "glance": case_glance(case, record, compliance),
        "agents": [r for r in representations if r.role != RepresentationRole.JUDGE_AD_HOC],
        "judges_ad_hoc": [r for r in representations if r.role == RepresentationRole.JUDGE_AD_HOC],
        "related_cases": case.related_cases.all(),
    }
    return render(request, "pages/case_detail.html", context)


def case_mirror(request, number, other):
    """Two cases side by side on one time axis: a case and one of its related (mirror) cases."""
    case = get_object_or_404(Case.objects.for_page(), general_list_number=number)
    mirror = next((c for c in case.related_cases.all() if c.general_list_number == other), None)
    if mirror is None:
        raise Http404(f"No. {other} is not recorded as a case related to No. {number}.")
    mirror = Case.objects.for_page().get(pk=mirror.pk)
    groups, columns, events = [], [], {}
    for each in (case, mirror):
        record = _case_record(each)
        # Context events are drawn once, in a group of their own below.
        items = items_of(**{**record, "events": ()})
        groups.append((f"No. {each.general_list_number} {each.short_title}", items))
        columns.append({"case": each, "items": items, "measures": measures_of(record["decisions"])})
        events.update({event.pk: event for event in record["events"]})
    context_items = ordered(event_item(e) for e in events.values())
    groups.append(("Outside the courtroom", context_items))
    timeline = build_timeline(groups)
    # Rows of the side-by-side table: one per date, each case's items in its own column.
    dates = sorted({item.start for _, items in groups for item in items})
    rows = [
        {
            "date": day,
            "cells": [[item for item in column["items"] if item.start == day] for column in columns],
            "context": [item for item in context_items if item.start == day],
        }
        for day in dates
    ]
    return render(
        request,
        "pages/case_mirror.html",
        {"case": case, "mirror": mirror, "columns": columns, "timeline": timeline, "rows": rows},
    )


def _docket_case(number):
    return get_object_or_404(Case.objects.all(), general_list_number=number)


def docket_csv(request, number):
    case = _docket_case(number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="icj-{case.general_list_number}-docket.csv"'
    writer = csv.DictWriter(response, fieldnames=DOCKET_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({column: csv_safe(value) for column, value in row.items()} for row in docket_rows(case, request))
    return response


def docket_json(request, number):
    case = _docket_case(number)
    payload = {
        "case": {
            "general_list_number": case.general_list_number,
            "title": case.title,
            "short_title": case.short_title,
            "url": request.build_absolute_uri(case.get_absolute_url()),
        },
        "columns": DOCKET_COLUMNS,
        "entries": docket_rows(case, request),
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="icj-{case.general_list_number}-docket.json"'
    return response
