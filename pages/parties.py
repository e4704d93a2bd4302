"""Researcher pages about parties and people: a State's cases, filings and claims; a judge's votes."""

from django.shortcuts import get_object_or_404, render

from cases.models import CaseParty, Representation
from compliance.models import ComplianceClaim
from decisions.models import BenchMember, Office, Provision, Vote, VoteChoice
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


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.with_sources(), slug=slug)
    seats = list(BenchMember.objects.for_judge(person))
    offices = {seat.decision_id: seat.office for seat in seats}
    votes = list(Vote.objects.for_judge(person))
    for vote in votes:
        office = offices.get(vote.provision.decision_id)
        vote.judge_as = Office(office).label if office else "not recorded"
    context = {
        "person": person,
        "seats": sorted(seats, key=lambda s: (s.decision.decided_on, s.decision.case.general_list_number)),
        "votes": votes,
        "votes_for": sum(1 for vote in votes if vote.vote == VoteChoice.FOR),
        "votes_against": sum(1 for vote in votes if vote.vote == VoteChoice.AGAINST),
        "representations": Representation.objects.for_person(person),
        "claims": ComplianceClaim.objects.filter(spokesperson=person).for_page().order_by("made_on", "slug"),
    }
    return render(request, "pages/person_detail.html", context)
