"""The compliance view: every provisional measure with each claimant's latest assessment side by side, and its CSV.

Both are paged by case, in General List order: a page's cases are picked first (one LIMITed query down the
General List's index), then only their measures, claims and rejected requests are read, so neither grows
with the record.
"""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core.api.pagination import CountCachedPaginator
from core.csvsafe import csv_safe
from pages.forms import ComplianceFilterForm, bound_form, valid_value
from proceedings.compliance import addressees, claimants, compliance_cases, compliance_table, csv_rows

# A case holds a handful of measures (seven at most in the dataset), so ten cases make a page of some tens
# of rows, with a column for each claimant on the page.
CASES_PER_PAGE = 10
# The CSV is paged too, rather than streamed: a stream of the whole table would hold a worker for as long as
# the table takes to write (past gunicorn's timeout at scale), while a page is one bounded request and a
# script follows the Link header. The dataset's cases with measures (five today) fit in one file; a file of
# the synthetic volume's cases (eight measures each) is some 800 rows.
CSV_CASES_PER_PAGE = 100
# General List numbers stay below the case filter's bound, so no page of cases starts past this many.
MAX_CASES = 100_000


def _filters(request):
    """The filter form, validated, and its valid filters (case number, addressee and claimant Parties)."""
    form = bound_form(
        ComplianceFilterForm, request, cases=compliance_cases(), addressees=addressees(), claimants=claimants()
    )
    return form, {name: valid_value(form, name) for name in ("case", "addressee", "claimant")}


def _with_page(request, path, number):
    """`path` with the request's query string (its filters kept), at page `number` (the first without one)."""
    params = request.GET.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = number
    return f"{path}?{params.urlencode()}" if params else path


def compliance(request):
    form, filters = _filters(request)
    # Django's own paging, as the list of cases: a page that is not a number is the first, one past the end the last.
    page = CountCachedPaginator(compliance_cases(**filters), CASES_PER_PAGE).get_page(request.GET.get("page"))
    table = compliance_table(page.object_list, **filters)
    csv_file = (page.number - 1) * CASES_PER_PAGE // CSV_CASES_PER_PAGE + 1
    context = {
        "form": form,
        "table": table,
        "page": page,
        "cases_per_page": CASES_PER_PAGE,
        # The CSV file that holds this page's cases, with the same filters.
        "csv_url": _with_page(request, reverse("compliance-csv"), csv_file),
        "csv_file": csv_file,
        "csv_files": max(1, -(-page.paginator.count // CSV_CASES_PER_PAGE)),
        "csv_cases_per_page": CSV_CASES_PER_PAGE,
    }
    return render(request, "pages/compliance.html", context)


def compliance_csv(request):
    raw = request.GET.get("page") or "1"
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    start = (number - 1) * CSV_CASES_PER_PAGE
    # A script asking past the end (or for no number at all) is told so, not handed some other page.
    not_found = "No such page of the compliance CSV: pages are numbered from 1, each names the next in its Link."
    if not 0 <= start < MAX_CASES:
        raise Http404(not_found)
    form, filters = _filters(request)
    # One case more than a page says whether there is a next page, without counting every case.
    cases = list(compliance_cases(**filters)[start : start + CSV_CASES_PER_PAGE + 1])
    if number > 1 and not cases:
        raise Http404(not_found)
    has_next = len(cases) > CSV_CASES_PER_PAGE
    # The claimant columns are the same on every page of one export, so that its files can be joined: the
    # claimant filtered by, or else every claimant about a measure of the narrowed table (all of its pages).
    # A case number narrows the table to one case, one file: its own claimants are its columns.
    columns = None
    if not filters["claimant"] and filters["case"] is None:
        columns = form.claimant_choices if not filters["addressee"] else claimants(addressee=filters["addressee"])
    table = compliance_table(cases[:CSV_CASES_PER_PAGE], **filters, columns=columns)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = "icj-compliance.csv" if number == 1 else f"icj-compliance-page-{number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    links = []
    if number > 1:
        links.append(f'<{request.build_absolute_uri(_with_page(request, request.path, number - 1))}>; rel="prev"')
    if has_next:
        links.append(f'<{request.build_absolute_uri(_with_page(request, request.path, number + 1))}>; rel="next"')
    if links:
        response["Link"] = ", ".join(links)
    writer = csv.writer(response, lineterminator="\n")
    writer.writerows([csv_safe(cell) for cell in row] for row in csv_rows(table))
    return response
