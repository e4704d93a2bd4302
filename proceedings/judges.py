"""A judge's record, read back from the Vote rows: the votes, the majority, the Party that chose a judge ad hoc.

Every function here reads with a fixed number of queries, whatever the number of votes, and the
pages, and any later door, derive a judge's figures from here only.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from cases.models import Representation, RepresentationRole
from decisions.models import BenchMember, Office, Provision, ProvisionKind, Vote, VoteChoice
from filings.models import Filing
from parties.models import Person
from proceedings.votes import rejected_requests

# How a vote of a judge ad hoc stood toward the Party that chose the judge.
WITH_PARTY = "with"
AGAINST_PARTY = "against"
NOT_TOLD = "not_told"

# Votes in the order of the record: by date, then case, then place in the operative clause.
RECORD_ORDER = (
    "provision__decision__decided_on",
    "provision__decision__case__general_list_number",
    "provision__position",
)

WITH_PARTY_DEFINITION = (
    "A judge ad hoc votes with the Party that chose them when they vote for a measure addressed only to the "
    "other Party, against a measure addressed only to the choosing Party, for the rejection of a request made "
    "by the other Party, or against the rejection of a request made by the choosing Party. The opposite votes "
    "count as votes against that Party. A vote on anything else (a measure addressed to both Parties or to "
    "neither, a finding, a time-limit, a rejection whose requesting Party is not recorded) has no direction "
    "that can be told: it is left out of the share and counted apart."
)


def judges():
    """People who sat on a bench, by name (a queryset: the comparison form chooses from it)."""
    return (
        Person.objects.filter(Exists(BenchMember.objects.filter(judge=OuterRef("pk"))))
        .select_related("nationality")
        .order_by("name", "pk")
    )


def judge_index():
    """Every judge with nationality, offices, seats and vote counts, in four queries.

    Each count is one GROUP BY over its own table: joining seats and votes to each person at once would
    multiply a judge's seats by their votes before counting (a cross product that grows as seats x votes).
    """
    votes = {
        row["judge_id"]: row
        for row in Vote.objects.order_by()
        .values("judge_id")
        .annotate(
            total=Count("id"),
            cast_for=Count("id", filter=Q(vote=VoteChoice.FOR)),
            cast_against=Count("id", filter=Q(vote=VoteChoice.AGAINST)),
        )
    }
    seats = defaultdict(int)
    offices = defaultdict(set)
    for judge_id, office, count in (
        BenchMember.objects.order_by()
        .values("judge_id", "office")
        .annotate(n=Count("id"))
        .values_list("judge_id", "office", "n")
    ):
        seats[judge_id] += count
        offices[judge_id].add(office)
    order = {office: rank for rank, office in enumerate(Office.values)}
    people = list(Person.objects.filter(pk__in=list(seats)).select_related("nationality").order_by("name", "pk"))
    for person in people:
        tally = votes.get(person.pk, {})
        person.seat_count = seats[person.pk]
        person.vote_count = tally.get("total", 0)
        person.votes_for = tally.get("cast_for", 0)
        person.votes_against = tally.get("cast_against", 0)
        person.offices = [Office(o).label for o in sorted(offices[person.pk], key=order.get)]
    return people


def counsel_index():
    """Agents, counsel and other representatives (not judges ad hoc), each with their roles, in one query."""
    roles = (
        Representation.objects.exclude(role=RepresentationRole.JUDGE_AD_HOC)
        .select_related("person", "party", "case")
        .order_by("person__name", "person__slug", "case__general_list_number", "role")
    )
    people = {}
    for role in roles:
        if role.person_id not in people:
            people[role.person_id] = role.person
            role.person.roles = []
        people[role.person_id].roles.append(role)
    return list(people.values())


def votes_with_context(queryset):
    """Votes with what a record needs: the provision, its decision and case, addressees, the requests decided."""
    return queryset.select_related("provision__decision__case", "judge").prefetch_related(
        "provision__addressees",
        Prefetch("provision__decision__responds_to", queryset=Filing.objects.select_related("filed_by")),
        Prefetch("provision__decision__provisions", queryset=Provision.objects.only("id", "decision_id", "kind")),
    )


def party_direction(vote, chosen_by):
    """How a judge ad hoc's vote stood toward `chosen_by` (a Party id): WITH_PARTY, AGAINST_PARTY or NOT_TOLD."""
    provision = vote.provision
    voted_for = vote.vote == VoteChoice.FOR
    if provision.kind == ProvisionKind.MEASURE:
        addressees = {party.pk for party in provision.addressees.all()}
        if addressees == {chosen_by}:
            return AGAINST_PARTY if voted_for else WITH_PARTY
        if addressees and chosen_by not in addressees:
            return WITH_PARTY if voted_for else AGAINST_PARTY
        return NOT_TOLD
    if provision.kind == ProvisionKind.REJECTION:
        requesters = {filing.filed_by_id for filing in rejected_requests(provision)}
        if len(requesters) != 1:
            return NOT_TOLD
        if requesters == {chosen_by}:
            return AGAINST_PARTY if voted_for else WITH_PARTY
        return WITH_PARTY if voted_for else AGAINST_PARTY
    return NOT_TOLD


def majority_side(provision):
    """The side that carried a provision, from its counts; None where the counts are unknown or tied."""
    if provision.votes_for is None or provision.votes_for == provision.votes_against:
        return VoteChoice.FOR if provision.unanimous else None
    return VoteChoice.FOR if provision.votes_for > provision.votes_against else VoteChoice.AGAINST


@dataclass
class Share:
    """A count out of a total, and the votes that could not be counted."""

    count: int = 0
    total: int = 0
    left_out: int = 0

    @property
    def percent(self):
        return round(100 * self.count / self.total) if self.total else None


@dataclass
class JudgeRecord:
    person: object
    votes: list
    all_votes: list
    cases: list
    chosen_by: dict = field(default_factory=dict)
    majority: Share = field(default_factory=Share)
    with_party: Share = field(default_factory=Share)

    @property
    def votes_for(self):
        return sum(1 for vote in self.votes if vote.vote == VoteChoice.FOR)

    @property
    def votes_against(self):
        return sum(1 for vote in self.votes if vote.vote == VoteChoice.AGAINST)

    @property
    def ad_hoc(self):
        return bool(self.chosen_by)

    def narrow(self, *, case=None, vote=None, kind=None):
        """The record narrowed to one case (General List number), one vote and one kind of provision; no query."""
        self.votes = [
            each
            for each in self.all_votes
            if (case is None or each.provision.decision.case.general_list_number == case)
            and (not vote or each.vote == vote)
            and (not kind or each.provision.kind == kind)
        ]
        self.majority, self.with_party = Share(), Share()
        for each in self.votes:
            if each.with_majority is None:
                self.majority.left_out += 1
            else:
                self.majority.total += 1
                self.majority.count += each.with_majority
            if each.party_direction == NOT_TOLD:
                self.with_party.left_out += 1
            elif each.party_direction:
                self.with_party.total += 1
                self.with_party.count += each.party_direction == WITH_PARTY
        return self


def judge_record(person, *, case=None, vote=None, kind=None):
    """A judge's votes (narrowed by case number, vote and provision kind), their majority and Party shares.

    Four queries: the votes with their provisions (and two prefetches), the seats, the judge ad hoc roles.
    """
    all_votes = list(votes_with_context(Vote.objects.for_judge(person)).order_by(*RECORD_ORDER))
    offices = dict(BenchMember.objects.filter(judge=person).values_list("decision_id", "office"))
    roles = Representation.objects.filter(person=person, role=RepresentationRole.JUDGE_AD_HOC)
    ad_hoc_roles = list(roles.select_related("party", "case").order_by("case__general_list_number"))
    chosen = {role.case_id: role.party for role in ad_hoc_roles}
    cases = {}
    for each in all_votes:
        decision = each.provision.decision
        cases.setdefault(decision.case.general_list_number, decision.case)
        office = offices.get(decision.pk)
        each.judge_as = Office(office).label if office else "not recorded"
        side = majority_side(each.provision)
        each.with_majority = None if side is None else each.vote == side
        party = chosen.get(decision.case_id)
        each.chosen_by = party
        each.party_direction = party_direction(each, party.pk) if party else None
    record = JudgeRecord(person, all_votes, all_votes, [cases[n] for n in sorted(cases)], chosen_by=chosen)
    record.ad_hoc_roles = ad_hoc_roles
    return record.narrow(case=case, vote=vote, kind=kind)


@dataclass
class Comparison:
    a: object
    b: object
    both: int = 0
    agreed: int = 0
    differed: list = field(default_factory=list)

    @property
    def percent(self):
        return round(100 * self.agreed / self.both) if self.both else None


def compare_judges(a, b):
    """How two judges voted on the provisions both voted on: counts, share in agreement, where they differed.

    One query for the votes of both, with their provisions, decisions and cases.
    """
    rows = (
        Vote.objects.filter(judge__in=[a, b])
        .select_related("provision__decision__case")
        .order_by(
            "provision__decision__decided_on", "provision__decision__case__general_list_number", "provision__position"
        )
    )
    by_provision = defaultdict(dict)
    provisions = {}
    for row in rows:
        by_provision[row.provision_id][row.judge_id] = row.vote
        provisions[row.provision_id] = row.provision
    comparison = Comparison(a, b)
    for provision_id, votes in by_provision.items():
        if len(votes) < 2:
            continue
        comparison.both += 1
        if votes[a.pk] == votes[b.pk]:
            comparison.agreed += 1
        else:
            provision = provisions[provision_id]
            provision.vote_a, provision.vote_b = votes[a.pk], votes[b.pk]
            comparison.differed.append(provision)
    return comparison
