from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Decision


def home(request):
    cases = Case.objects.for_list().prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.latest_first(), to_attr="latest_decisions")
    )
    return render(request, "cases/home.html", {"cases": cases})


def case_detail(request, number):
    case = get_object_or_404(Case.objects.for_list(), general_list_number=number)
    decisions = Decision.objects.for_case(case).with_provisions()
    filings = case.filings.with_relations()
    return render(request, "cases/case_detail.html", {"case": case, "decisions": decisions, "filings": filings})


def decision_detail(request, number, slug):
    decision = get_object_or_404(Decision.objects.with_provisions(), case__general_list_number=number, slug=slug)
    return render(request, "decisions/decision_detail.html", {"decision": decision, "case": decision.case})


def provision_detail(request, number, slug, paragraph):
    decision = get_object_or_404(Decision.objects.with_provisions(), case__general_list_number=number, slug=slug)
    provision = next((p for p in decision.provisions.all() if p.paragraph_slug == paragraph), None)
    if provision is None:
        from django.http import Http404

        raise Http404("No such paragraph in this decision.")
    claims = ComplianceClaim.objects.with_relations().filter(provision=provision).order_by("made_on", "slug")
    return render(
        request,
        "decisions/provision_detail.html",
        {"decision": decision, "case": decision.case, "provision": provision, "claims": claims},
    )
