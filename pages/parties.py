"""Researcher pages about parties: a State's cases, filings, the measures addressed to it and claims."""

from django.shortcuts import get_object_or_404, render

from cases.models import CaseParty
from compliance.models import ComplianceClaim
from decisions.models import Provision
from filings.models import Filing
from parties.models import Party, Person


def party_detail(request, code):
    party = get_object_or_404(Party.objects.with_sources(), code=code.upper())
    context = {
        "party": party,
        "roles": CaseParty.objects.for_party(party),
        "filings": Filing.objects.filter(filed_by=party).with_relations().order_by("filed_on", "due_on", "slug"),
        "claims_made": ComplianceClaim.objects.filter(claimant=party).for_page().order_by("made_on", "slug"),
        "claims_faced": ComplianceClaim.objects.filter(provision__addressees=party)
        .distinct()
        .for_page()
        .order_by("made_on", "slug"),
        "measures": Provision.objects.measures()
        .addressed_to(party)
        .with_decision()
        .order_by("decision__decided_on", "position"),
        "people": Person.objects.filter(nationality=party).order_by("name"),
    }
    return render(request, "pages/party_detail.html", context)
