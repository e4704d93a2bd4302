"""The compliance record across the tracker: every provisional measure, each claimant's latest word beside the others.

One table, rows = measures, columns = claimants (the Court apart), read with a fixed number of queries;
the compliance page and its CSV both render these rows. A case page's "at a glance" (its stage, the
next time-limit, the measures in force, the rejected requests) is built here too, from what the case
page has already read.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from compliance.models import ComplianceClaim
from decisions.models import Amendment, Provision, ProvisionKind
from filings.models import Filing
from parties.models import PartyKind
from proceedings.votes import PROVISIONAL_MEASURE_SUBJECTS, rejected_requests

IN_FORCE = "in force"
REVOKED = "revoked"


def measures():
    """Every provisional measure with its decision, case, addressees and the later provisions amending it."""
    return (
        Provision.objects.measures()
        .with_decision()
        .prefetch_related(
            "addressees",
            Prefetch("amendments", queryset=Provision.objects.select_related("decision__case").order_by("id")),
        )
        .order_by("decision__case__general_list_number", "decision__decided_on", "position")
    )


def rejections():
    """Rejections in provisional-measures decisions, with the decision's case, requests answered and provisions."""
    return (
        Provision.objects.filter(kind=ProvisionKind.REJECTION, decision__subject__in=PROVISIONAL_MEASURE_SUBJECTS)
        .select_related("decision__case")
        .prefetch_related(
            Prefetch("decision__responds_to", queryset=Filing.objects.select_related("filed_by")),
            Prefetch("decision__provisions", queryset=Provision.objects.only("id", "decision_id", "kind")),
        )
        .order_by("decision__case__general_list_number", "decision__decided_on", "position")
    )


def claims_about(measure_queryset):
    """Claims about the measures, or about the later provisions reaffirming or modifying them, with headlines."""
    return (
        ComplianceClaim.objects.filter(Q(provision__in=measure_queryset) | Q(provision__amends__in=measure_queryset))
        .for_page()
        .order_by("made_on", "slug")
    )


@dataclass
class Row:
    measure: object
    status: str
    revoked_by: object
    latest: dict = field(default_factory=dict)  # claimant id -> that claimant's latest claim
    findings: list = field(default_factory=list)  # the Court's claims, oldest first

    @property
    def case(self):
        return self.measure.decision.case

    @property
    def addressees(self):
        return list(self.measure.addressees.all())

    @property
    def latest_finding(self):
        return self.findings[-1] if self.findings else None


@dataclass
class ComplianceTable:
    all_rows: list
    all_claimants: list  # every claimant other than a court: States first, each group by name
    all_rejected: list = field(default_factory=list)  # RejectedRequest: requests the Court rejected
    rows: list = field(default_factory=list)
    claimants: list = field(default_factory=list)  # the columns shown
    rejected: list = field(default_factory=list)

    @property
    def cases(self):
        cases = {row.case.general_list_number: row.case for row in self.all_rows}
        cases.update({each.decision.case.general_list_number: each.decision.case for each in self.all_rejected})
        return [cases[number] for number in sorted(cases)]

    @property
    def addressees(self):
        parties = {party.code: party for row in self.all_rows for party in row.addressees}
        return sorted(parties.values(), key=lambda party: party.short_name)

    @property
    def court_claims(self):
        return any(row.findings for row in self.rows)

    def narrow(self, *, case=None, addressee=None, claimant=None):
        """The rows and columns narrowed by case number, addressee code and claimant code; no query."""
        self.rows = [
            row
            for row in self.all_rows
            if (case is None or row.case.general_list_number == case)
            and (not addressee or addressee in {party.code for party in row.addressees})
            and (not claimant or any(claim.claimant.code == claimant for claim in row.latest.values()))
        ]
        if claimant:
            self.claimants = [party for party in self.all_claimants if party.code == claimant]
        else:
            shown = {party_id for row in self.rows for party_id in row.latest}
            self.claimants = [party for party in self.all_claimants if party.pk in shown]
        for row in self.rows:
            row.cells = [row.latest.get(party.pk) for party in self.claimants]
        self.rejected = [
            each
            for each in self.all_rejected
            if (case is None or each.decision.case.general_list_number == case) and not addressee and not claimant
        ]
        return self


def compliance_table(*, case=None, addressee=None, claimant=None):
    """Every provisional measure with each claimant's latest claim and the Court's findings (a fixed number of queries).

    Narrowed by case number, addressee code and claimant code; `narrow()` narrows it again without a query.
    """
    measure_list = list(measures())
    by_measure = {}
    for measure in measure_list:
        by_measure[measure.pk] = measure
        for later in measure.amendments.all():
            by_measure.setdefault(later.pk, measure)
    rows = {}
    for measure in measure_list:
        revoked_by = next((p for p in measure.amendments.all() if p.amendment == Amendment.REVOKES), None)
        rows[measure.pk] = Row(measure, REVOKED if revoked_by else IN_FORCE, revoked_by)
    parties = {}
    for claim in claims_about(Provision.objects.measures()):
        measure = by_measure.get(claim.provision_id)
        if measure is None:
            continue
        row = rows[measure.pk]
        if claim.claimant.kind == PartyKind.COURT:
            row.findings.append(claim)
        else:
            row.latest[claim.claimant_id] = claim  # claims come oldest first: the last one wins
            parties[claim.claimant_id] = claim.claimant
    rejected = [
        RejectedRequest(filing, rejection.decision, rejection)
        for rejection in rejections()
        for filing in rejected_requests(rejection)
    ]
    table = ComplianceTable(
        list(rows.values()),
        # States (the Parties) first, then organizations, officials and the press; each by name.
        sorted(parties.values(), key=lambda party: (party.kind != PartyKind.STATE, party.short_name)),
        all_rejected=rejected,
    )
    return table.narrow(case=case, addressee=addressee, claimant=claimant)


def _claim_text(claim):
    if claim is None:
        return ""
    return f"{claim.made_on:%Y-%m-%d}: {claim.get_assessment_display()}. {claim.headline}"


def csv_rows(table):
    """The compliance table as CSV records: one per measure, one column per claimant and one for the Court."""
    header = ["Case", "Decision", "Decided on", "Paragraph", "Addressed to", "Status", "Measure", "URL"]
    header += [f"Latest claim by {party.short_name}" for party in table.claimants]
    header += ["Latest finding of the Court"]
    yield header
    for row in table.rows:
        measure = row.measure
        yield [
            f"No. {row.case.general_list_number} {row.case.short_title}",
            measure.decision.title,
            f"{measure.decision.decided_on:%Y-%m-%d}",
            measure.paragraph,
            " and ".join(party.short_name for party in row.addressees),
            row.status,
            measure.text,
            measure.get_absolute_url(),
            *(_claim_text(claim) for claim in row.cells),
            _claim_text(row.latest_finding),
        ]


@dataclass
class RejectedRequest:
    """A request for provisional measures that the Court rejected: no measure exists to comply with."""

    filing: object
    decision: object
    provision: object

    @property
    def requester(self):
        return self.filing.filed_by


@dataclass
class Glance:
    latest_decision: object = None
    last_hearing: object = None
    next_hearing: object = None
    next_time_limit: object = None
    in_force: list = field(default_factory=list)  # compliance records of the measures in force
    revoked: int = 0
    rejected: list = field(default_factory=list)


def revoked(measure) -> bool:
    """A measure is no longer in force once a later provision revokes it."""
    return any(later.amendment == Amendment.REVOKES for later in measure.amendments.all())


def requests_rejected(decisions) -> list[RejectedRequest]:
    """Requests for provisional measures that a decision rejected, from the decisions' prefetched provisions."""
    found = []
    for decision in decisions:
        if decision.subject not in PROVISIONAL_MEASURE_SUBJECTS:
            continue
        for provision in decision.provisions.all():
            if provision.kind == ProvisionKind.REJECTION:
                found += [RejectedRequest(filing, decision, provision) for filing in rejected_requests(provision)]
    return found


def case_glance(case, record, compliance, today=None) -> Glance:
    """The top of a case page, from `record` (the case's filings, hearings, decisions) and its compliance records."""
    today = today or datetime.date.today()
    decisions = sorted(record["decisions"], key=lambda d: (d.decided_on, d.slug))
    hearings = sorted(record["hearings"], key=lambda h: h.starts_on)
    pending = [f for f in record["filings"] if f.filed_on is None and f.due_on and f.due_on >= today]
    return Glance(
        latest_decision=decisions[-1] if decisions else None,
        last_hearing=next((h for h in reversed(hearings) if h.starts_on <= today), None),
        next_hearing=next((h for h in hearings if h.starts_on > today), None),
        next_time_limit=min(pending, key=lambda f: f.due_on, default=None),
        in_force=[entry for entry in compliance if not revoked(entry["measure"])],
        revoked=sum(1 for entry in compliance if revoked(entry["measure"])),
        rejected=requests_rejected(decisions),
    )
