"""Researcher pages about decisions: a decision with its operative clause, one measure, citations."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from compliance.models import ComplianceClaim
from decisions.models import Decision, ProvisionKind
from pages.citation import bibtex, citation_key, citation_text, csl_json
from pages.timeline import build_timeline
from proceedings.items import claim_item, decision_item, ordered
from proceedings.votes import annotate_votes, judge_title, rejected_requests


def _decision(number, slug):
    decision = get_object_or_404(Decision.objects.for_page(), case__general_list_number=number, slug=slug)
    return annotate_votes(decision)


def decision_detail(request, number, slug):
    decision = _decision(number, slug)
    provisions = list(decision.provisions.all())
    context = {
        "decision": decision,
        "case": decision.case,
        "bench": [(judge_title(m.office, m.judge), m) for m in decision.bench.all()],
        "provisions": provisions,
        "rejections": [p for p in provisions if p.kind == ProvisionKind.REJECTION],
        "claims": ComplianceClaim.objects.filter(decision=decision).for_page(),
        "citation": citation_text(decision),
    }
    return render(request, "pages/decision_detail.html", context)


def provision_detail(request, number, slug, paragraph):
    decision = _decision(number, slug)
    provision = next((p for p in decision.provisions.all() if p.paragraph_slug == paragraph), None)
    if provision is None:
        raise Http404(f"The {decision.title} has no paragraph {paragraph} in its operative clause.")
    # Claims about this measure and about the provisions that later reaffirmed or modified it.
    related = [provision, *provision.amendments.all()]
    claims = list(ComplianceClaim.objects.filter(provision__in=related).for_page().order_by("made_on", "slug"))
    items = [decision_item(decision)] + [claim_item(claim) for claim in claims]
    items += [decision_item(later.decision) for later in provision.amendments.all()]
    return render(
        request,
        "pages/provision_detail.html",
        {
            "decision": decision,
            "case": decision.case,
            "provision": provision,
            "rejected": rejected_requests(provision) if provision.kind == ProvisionKind.REJECTION else [],
            "claims": claims,
            "timeline": build_timeline([(None, ordered(items))]),
            "citation": f"{citation_text(decision)}, operative clause, para. {provision.paragraph}",
        },
    )


def decision_bibtex(request, number, slug):
    decision = _decision(number, slug)
    response = HttpResponse(
        bibtex(decision, request.build_absolute_uri(decision.get_absolute_url())),
        content_type="application/x-bibtex; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{citation_key(decision)}.bib"'
    return response


def decision_csl(request, number, slug):
    decision = _decision(number, slug)
    body = json.dumps(
        csl_json(decision, request.build_absolute_uri(decision.get_absolute_url())), ensure_ascii=False, indent=2
    )
    response = HttpResponse(body + "\n", content_type="application/vnd.citationstyles.csl+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{citation_key(decision)}.json"'
    return response
