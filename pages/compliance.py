"""The compliance view: every provisional measure with each claimant's latest assessment side by side, and its CSV."""

import csv

from django.http import HttpResponse
from django.shortcuts import render

from core.csvsafe import csv_safe
from pages.forms import ComplianceFilterForm, bound_form, valid_value
from proceedings.compliance import compliance_table, csv_rows


def _table(request):
    table = compliance_table()
    form = bound_form(ComplianceFilterForm, request, table=table)
    filters = {name: valid_value(form, name) for name in ("case", "addressee", "claimant")}
    table.narrow(**filters)
    return form, table


def compliance(request):
    form, table = _table(request)
    return render(request, "pages/compliance.html", {"form": form, "table": table})


def compliance_csv(request):
    _form, table = _table(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="icj-compliance.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerows([csv_safe(cell) for cell in row] for row in csv_rows(table))
    return response
