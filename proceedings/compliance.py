"""The compliance record across the tracker: every provisional measure, each claimant's latest word beside the others.

One table, rows = measures, columns = claimants (the Court apart), read one page of cases at a time: the
cases are picked first (`compliance_cases()`, walked down the General List's index), then only their
measures, claims and rejected requests are read, with a fixed number of queries. The compliance page and
its CSV both render these rows. A case page's "at a glance" (its stage, the next time-limit, the measures
in force, the rejected requests) is built here too, from what the case page has already read.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Amendment, Provision, ProvisionKind
from filings.models import Filing
from parties.models import Party, PartyKind
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


def claims_about(provision_ids):
    """Claims about these provisions (measures and the later ones reaffirming or modifying them), oldest first.

    With what a claim's headline and link read; not the claim's sources, which the table does not show.
    """
    return (
        ComplianceClaim.objects.filter(provision__in=provision_ids)
        .with_measure_headline()
        .select_related("provision__decision__case")
        .order_by("made_on", "slug")
    )


def _first(queryset):
    """The first row's id of a correlated queryset, or NULL: a probe of the outer row that stops at one match.

    A scalar subquery with LIMIT 1 runs once per outer row through the indexes it names; PostgreSQL would
    answer an EXISTS over a few hundred parties by hashing every row the subquery could match instead.
    """
    return Subquery(queryset.order_by().values("pk")[:1])


def compliance_cases(*, case=None, addressee=None, claimant=None):
    """Cases with a provisional measure or a rejected request for one, in General List order, narrowed like the table.

    Narrowed by case number, and to the cases with a measure addressed to `addressee` and claimed about by
    `claimant` (Parties). Unnarrowed, a page of it (LIMIT/OFFSET) walks the General List's index and probes
    each case's decisions and provisions through theirs; narrowed by a party, it starts from that party's
    rows (the measures addressed to it, the claims it made) through their indexes.
    """
    cases = Case.objects.all()
    if case is not None:
        cases = cases.filter(general_list_number=case)
    if addressee or claimant:
        found = Provision.objects.measures()
        if addressee:
            found = found.filter(addressees=addressee)
        if claimant:
            # Its claims about a measure, or about a later provision reaffirming or modifying one.
            direct = found.filter(compliance_claims__claimant=claimant).values("decision__case_id")
            later = found.filter(amendments__compliance_claims__claimant=claimant).values("decision__case_id")
            return cases.filter(Q(pk__in=direct) | Q(pk__in=later)).order_by("general_list_number")
        return cases.filter(pk__in=found.values("decision__case_id")).order_by("general_list_number")
    # A rejection shows only where its decision answers a request; one that answers none rejected nothing.
    found = Provision.objects.filter(
        Q(kind=ProvisionKind.MEASURE) | Q(kind=ProvisionKind.REJECTION, decision__responds_to__isnull=False),
        decision__case=OuterRef("pk"),
        decision__subject__in=PROVISIONAL_MEASURE_SUBJECTS,
    )
    return cases.filter(Exists(found)).order_by("general_list_number")


def addressees():
    """Every party a provisional measure is addressed to, by name: the addressee filter's choices."""
    addressed = Provision.objects.measures().filter(addressees=OuterRef("pk"))
    return Party.objects.alias(addressed=_first(addressed)).filter(addressed__isnull=False).order_by("short_name", "id")


def claimants(*, addressee=None):
    """Every party other than a court that made a claim about a provisional measure (addressed to `addressee`).

    Or about a later provision reaffirming or modifying one. States (the Parties) first, then organizations,
    officials and the press, each group by name: the claimant filter's choices and the CSV's columns.
    """
    parties = Party.objects.exclude(kind=PartyKind.COURT)
    claims = ComplianceClaim.objects.order_by()
    if addressee:
        # From the measures addressed to the party, through the claims about each.
        addressed = Provision.objects.measures().filter(addressees=addressee).values("pk")
        direct = claims.filter(provision__in=addressed).values("claimant_id")
        later = claims.filter(provision__amends__in=addressed).values("claimant_id")
        parties = parties.filter(Q(pk__in=direct) | Q(pk__in=later))
    else:
        # Each party probed through the index of its claims; the later provisions are few, read through theirs.
        direct = claims.filter(
            claimant=OuterRef("pk"),
            provision__kind=ProvisionKind.MEASURE,
            provision__decision__subject__in=PROVISIONAL_MEASURE_SUBJECTS,
        )
        later = claims.filter(
            provision__amends__isnull=False,
            provision__amends__kind=ProvisionKind.MEASURE,
            provision__amends__decision__subject__in=PROVISIONAL_MEASURE_SUBJECTS,
        ).values("claimant_id")
        parties = parties.alias(claimed=_first(direct)).filter(Q(claimed__isnull=False) | Q(pk__in=later))
    not_a_state = ExpressionWrapper(~Q(kind=PartyKind.STATE), output_field=BooleanField())
    return parties.order_by(not_a_state, "short_name", "id")


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
    all_claimants: list  # every claimant of these rows other than a court: States first, each group by name
    all_rejected: list = field(default_factory=list)  # RejectedRequest: requests the Court rejected
    rows: list = field(default_factory=list)
    claimants: list = field(default_factory=list)  # the columns shown
    rejected: list = field(default_factory=list)

    @property
    def court_claims(self):
        return any(row.findings for row in self.rows)

    def narrow(self, *, case=None, addressee=None, claimant=None, columns=None):
        """The rows and columns narrowed by case number, addressee and claimant (Parties); no query.

        `columns` fixes the claimant columns (a CSV's, the same on each of its pages); otherwise they are
        the narrowed rows' claimants, or the claimant filtered by.
        """
        self.rows = [
            row
            for row in self.all_rows
            if (case is None or row.case.general_list_number == case)
            and (not addressee or addressee.pk in {party.pk for party in row.addressees})
            and (not claimant or claimant.pk in row.latest)
        ]
        if columns is not None:
            self.claimants = list(columns)
        elif claimant:
            self.claimants = [claimant]
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


def compliance_table(cases, *, case=None, addressee=None, claimant=None, columns=None):
    """The table of these cases (a page of compliance_cases()), narrowed; a fixed number of queries.

    Their measures with each claimant's latest claim and the Court's findings, and their rejected requests:
    every query reads only these cases' rows.
    """
    case_ids = [each.pk for each in cases]
    measure_list = list(measures().filter(decision__case__in=case_ids))
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
    for claim in claims_about(list(by_measure)):
        row = rows[by_measure[claim.provision_id].pk]
        if claim.claimant.kind == PartyKind.COURT:
            row.findings.append(claim)
        else:
            row.latest[claim.claimant_id] = claim  # claims come oldest first: the last one wins
            parties[claim.claimant_id] = claim.claimant
    rejected = [
        RejectedRequest(filing, rejection.decision, rejection)
        for rejection in rejections().filter(decision__case__in=case_ids)
        for filing in rejected_requests(rejection)
    ]
    table = ComplianceTable(
        list(rows.values()),
        # States (the Parties) first, then organizations, officials and the press; each by name.
        sorted(parties.values(), key=lambda party: (party.kind != PartyKind.STATE, party.short_name)),
        all_rejected=rejected,
    )
    return table.narrow(case=case, addressee=addressee, claimant=claimant, columns=columns)


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
