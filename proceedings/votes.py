"""How decisions read on the pages: judges named with their office, measures with their claims."""

from decisions.models import DecisionSubject, Office, ProvisionKind, VoteChoice
from parties.models import PartyKind

PROVISIONAL_MEASURE_SUBJECTS = {DecisionSubject.PROVISIONAL_MEASURES, DecisionSubject.MODIFICATION}


def judge_title(office, person):
    """A judge as the Court names one in a vote: "President Donoghue", "Judge ad hoc Keith"."""
    return f"{Office(office).label} {person.name}" if office else person.name


class Voter(str):
    """A judge as named in a vote line ("Judge Yusuf"), carrying the person's slug so a page can link the name."""

    slug: str

    def __new__(cls, title, slug=""):
        voter = super().__new__(cls, title)
        voter.slug = slug
        return voter

    @property
    def title(self) -> str:
        return str(self)


def voter(office, person) -> Voter:
    return Voter(judge_title(office, person), person.slug)


def annotate_votes(decision):
    """Give each prefetched provision `judges_for` and `judges_against`: named with their office, in bench precedence.

    Each name is a `Voter`: it reads as the title ("Judge Yusuf") and carries the judge's `slug`.

    The bench comes in the Court's order (``DecisionQuerySet.for_page()`` prefetches it so, and it is
    BenchMember's default order), and the judges on each side of a vote are listed in that order.
    """
    bench = list(decision.bench.all())
    offices = {member.judge_id: member.office for member in bench}
    precedence = {member.judge_id: rank for rank, member in enumerate(bench)}
    for provision in decision.provisions.all():
        votes = sorted(provision.votes.all(), key=lambda v: (precedence.get(v.judge_id, len(bench)), v.judge.name))
        provision.judges_for = [voter(offices.get(v.judge_id), v.judge) for v in votes if v.vote == VoteChoice.FOR]
        provision.judges_against = [
            voter(offices.get(v.judge_id), v.judge) for v in votes if v.vote == VoteChoice.AGAINST
        ]
    return decision


def measures_of(decisions):
    """The provisional measures among prefetched decisions, in the order the Court indicated them."""
    return [
        provision
        for decision in decisions
        if decision.subject in PROVISIONAL_MEASURE_SUBJECTS
        for provision in decision.provisions.all()
        if provision.kind == ProvisionKind.MEASURE
    ]


def compliance_record(measure, claims, party_ids=()):
    """For one measure: each Party's latest claim, the Court's findings, and the latest claim of each other actor.

    `party_ids` are the parties to the case: their claims are the two sides' positions; everyone
    else (other States, organizations, the press) is shown apart.
    """
    about = [claim for claim in claims if claim.provision_id == measure.pk]
    findings = [claim for claim in about if claim.claimant.kind == PartyKind.COURT]
    latest = {}
    for claim in sorted(about, key=lambda c: (c.made_on, c.slug)):
        if claim.claimant.kind != PartyKind.COURT:
            latest[claim.claimant_id] = claim
    by_name = sorted(latest.values(), key=lambda c: c.claimant.short_name)
    return {
        "measure": measure,
        "findings": findings,
        "latest_by_party": [claim for claim in by_name if claim.claimant_id in party_ids],
        "latest_by_others": sorted(
            (claim for claim in by_name if claim.claimant_id not in party_ids), key=lambda c: c.made_on, reverse=True
        ),
        "count": len(about),
    }


def rejected_requests(rejection) -> list:
    """The requests (Filings) a provision of kind rejection rejected, as far as the record tells.

    A decision that indicated nothing rejected every request it answers. One that indicated some
    measures and rejected a request says whose: the requesting Party named in the rejection's text.
    Reads the decision's prefetched `responds_to` (with `filed_by`) and `provisions`.
    """
    decision = rejection.decision
    requests = list(decision.responds_to.all())
    named = [f for f in requests if f.filed_by.short_name in rejection.text or f.filed_by.name in rejection.text]
    if named:
        return named
    if any(p.kind == ProvisionKind.MEASURE for p in decision.provisions.all()):
        return []
    return requests
