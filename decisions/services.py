"""Recording a provision's vote: the one write path of the admin, the API and the dataset loader."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from cases.models import PartyRole
from decisions.models import BenchMember, Decision, Office, Provision, Vote, VoteChoice
from decisions.operative import ParsedProvision, PresentLine, PrintedName, match_judges
from parties.models import Party, Person

# Columns every save writes by itself: a difference in them is not a change of the provision.
_NOT_COMPARED = {"created_at", "updated_at"}


def provision_bench(provision: Provision) -> list[Person]:
    """The judges who sat for the provision's decision, in the Court's order of precedence."""
    if provision.decision_id is None:
        return []
    members = BenchMember.objects.filter(decision_id=provision.decision_id).in_precedence().select_related("judge")
    return [member.judge for member in members]


def provision_clean_votes(
    *,
    provision: Provision,
    judges_for: Iterable[Person],
    judges_against: Iterable[Person],
    bench: list[Person] | None = None,
    validate_model: bool = True,
) -> tuple[list[Person], list[Person]]:
    """The vote as it will be recorded, checked: sets the provision's counts, returns (for, against).

    - A unanimous provision naming no judges, on a known bench, with no counts or those of the
      whole bench (n to 0), is a vote for by every member of the bench.
    - Names given set the counts, unless this write states other counts (new ones, or changed from
      the stored row): those are kept, and refused for not matching the names.
    - Then the model's checks (``full_clean()``) and ``Provision.validate_votes()`` against the bench,
      all errors together: a ValidationError keyed by field (judges_for, judges_against, votes_for,
      unanimous, ...). ``validate_model=False`` leaves the model's checks to a ModelForm, which runs
      them itself after its clean().

    ``bench`` defaults to ``provision_bench(provision)``.
    """
    return _clean_votes(
        provision,
        list(judges_for),
        list(judges_against),
        provision_bench(provision) if bench is None else list(bench),
        _stored(provision),
        validate_model=validate_model,
    )


@transaction.atomic
def provision_set_votes(
    *,
    provision: Provision,
    judges_for: Iterable[Person],
    judges_against: Iterable[Person],
    history_user=None,
    reason: str = "",
    relations: dict[str, Iterable] | None = None,
) -> Provision:
    """Record a provision with who voted for and against it: the one way every door writes a vote.

    The vote is completed and checked by ``provision_clean_votes``. The provision is saved only if
    it is new or something about it changed (a column, who voted, or one of ``relations``: the
    many-to-many values to set, e.g. addressees and sources), so an unchanged load bumps no
    version and writes no history. Each Vote row is saved singly so that each change is in the
    history, under ``history_user`` (else the provision's own ``_history_user``) and ``reason``.
    """
    stored = _stored(provision)
    judges_for, judges_against = _clean_votes(
        provision, list(judges_for), list(judges_against), provision_bench(provision), stored, validate_model=True
    )
    history_user = history_user if history_user is not None else getattr(provision, "_history_user", None)
    _attribute(provision, history_user, reason)
    relations = relations or {}
    deleted, saved = _vote_changes(provision, judges_for, judges_against)
    changed = (
        stored is None
        or deleted
        or saved
        or _differs(provision, stored)
        or any(_ids(getattr(provision, name).all()) != _ids(values) for name, values in relations.items())
    )
    if changed:
        provision.save()
    for name, values in relations.items():
        getattr(provision, name).set(values)
    _write_votes(provision, deleted, saved, history_user, reason)
    return provision


def _clean_votes(provision, judges_for, judges_against, bench, stored, *, validate_model):
    counts = (provision.votes_for, provision.votes_against)
    # "Unanimously" with no names, on a known bench, is a vote for by every judge who sat, unless
    # the counts say fewer voted.
    if (
        provision.unanimous
        and not (judges_for or judges_against)
        and bench
        and counts in ((None, None), (len(bench), 0))
    ):
        judges_for = list(bench)
    if judges_for or judges_against:
        # Names set the counts, except counts stated in this very write: those must agree with the
        # names (checked below), not be silently replaced.
        stated = counts != (None, None) and (stored is None or counts != (stored.votes_for, stored.votes_against))
        if not stated:
            provision.votes_for, provision.votes_against = len(judges_for), len(judges_against)
    errors: dict = {}
    checks = [provision.full_clean] if validate_model else []
    if provision.decision_id is not None:
        checks.append(lambda: provision.validate_votes(judges_for, judges_against, bench))
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    return judges_for, judges_against


def _stored(provision: Provision) -> Provision | None:
    """The provision's row as the database holds it, or None for a new one."""
    if provision._state.adding or provision.pk is None:
        return None
    return Provision._base_manager.filter(pk=provision.pk).first()


def _differs(provision: Provision, stored: Provision) -> bool:
    return any(
        getattr(provision, field.attname) != getattr(stored, field.attname)
        for field in Provision._meta.concrete_fields
        if field.attname not in _NOT_COMPARED
    )


def _ids(values) -> set:
    return {getattr(value, "pk", value) for value in values}


def _vote_changes(provision, judges_for, judges_against) -> tuple[list[Vote], list[Vote]]:
    """The Vote rows to delete and to save so that they say exactly who voted for and against."""
    wanted = {judge.pk: VoteChoice.FOR for judge in judges_for} | {
        judge.pk: VoteChoice.AGAINST for judge in judges_against
    }
    # Read afresh, not from a prefetched list that may predate this write.
    existing = {vote.judge_id: vote for vote in Vote.objects.filter(provision_id=provision.pk)} if provision.pk else {}
    deleted = [vote for judge_id, vote in existing.items() if judge_id not in wanted]
    saved = []
    for judge_id, choice in wanted.items():
        vote = existing.get(judge_id) or Vote(judge_id=judge_id)
        if vote._state.adding or vote.vote != choice:
            vote.vote = choice
            saved.append(vote)
    return deleted, saved


def _write_votes(provision, deleted, saved, history_user, reason) -> None:
    for vote in deleted:
        _attribute(vote, history_user, reason)
        vote.delete()
    for vote in saved:
        vote.provision = provision
        _attribute(vote, history_user, reason)
        vote.save()
    # A list of votes prefetched before this write would now be out of date.
    getattr(provision, "_prefetched_objects_cache", {}).pop("votes", None)


def _attribute(row, history_user, reason) -> None:
    # Only an explicit user overrides the one simple-history takes from the current request.
    if history_user is not None:
        row._history_user = history_user
    if reason:
        row._change_reason = reason


# --- pasting the Court's text: the Present line and the operative clause --------------------------

PASTE_REASON = "Entered by pasting the operative clause"
PRESENT_REASON = "Bench entered by pasting the Present line"
NEW_JUDGE_NOTE = "Created from the Present line of {decision}: only the surname is known; complete the full name."


@dataclass
class PlannedSeat:
    """A member of the bench a Present line names: an existing Person, or one to create (``judge.pk`` is None)."""

    printed: PrintedName
    judge: Person
    office: str
    position: int

    @property
    def office_label(self) -> str:
        return Office(self.office).label


@dataclass
class PlannedProvision:
    """A pasted provision as it will be recorded: names matched to the bench, addressees to the Parties."""

    parsed: ParsedProvision
    paragraph: str
    judges_for: list[Person] = field(default_factory=list)
    judges_against: list[Person] = field(default_factory=list)
    addressees: list[Party] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    existing: Provision | None = None

    @property
    def tally(self) -> str:
        parsed = self.parsed
        if parsed.votes_for is None:
            return "unanimously" if parsed.unanimous else "no vote printed"
        if parsed.unanimous:
            return f"unanimously ({parsed.votes_for} votes to 0)"
        return f"{parsed.votes_for} votes to {parsed.votes_against}"


def _fold_name(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _printed_surname(surname: str) -> str:
    """A surname printed in capitals ("DONOGHUE") as it is written in running text ("Donoghue")."""
    return surname.title() if surname.isupper() else surname


def present_line_plan(present: PresentLine) -> tuple[list[PlannedSeat], list[str]]:
    """The bench a Present line names, each judge matched by surname (accents aside) to an existing Person.

    Judges who have sat before are preferred; a surname matching nobody is a Person to create (pk
    None); a surname matching several people is a problem for the editor to settle.
    """
    seats: list[PlannedSeat] = []
    problems: list[str] = []
    judges = list(Person.objects.filter(bench_seats__isnull=False).distinct())
    everyone = None
    positions: dict[str, int] = {}
    for printed in present.members:
        surname = _printed_surname(printed.surname)
        found = _people_named(surname, judges)
        if not found:
            everyone = everyone if everyone is not None else list(Person.objects.all())
            found = _people_named(surname, everyone)
        if len(found) > 1:
            problems.append(
                f"{surname!r} could be any of {', '.join(sorted(p.name for p in found))}: "
                "enter this judge on the bench below instead"
            )
            continue
        judge = found[0] if found else Person(name=surname)
        position = positions.get(printed.office, 0) + 1
        positions[printed.office] = position
        seats.append(PlannedSeat(printed=printed, judge=judge, office=printed.office, position=position))
    return seats, problems


def _people_named(surname: str, people: list[Person]) -> list[Person]:
    """The people whose name ends (or, surname first, starts) with the surname, accents and case aside."""
    key = _fold_name(surname)
    last = [p for p in people if _fold_name(p.name).endswith(key) and _word_boundary(p.name, surname, end=True)]
    if last:
        return last
    return [p for p in people if _fold_name(p.name).startswith(key) and _word_boundary(p.name, surname, end=False)]


def _word_boundary(name: str, surname: str, *, end: bool) -> bool:
    words = [_fold_name(word) for word in name.split()]
    key = _fold_name(surname)
    return any("".join(words[index:] if end else words[: index + 1]) == key for index in range(len(words)))


@transaction.atomic
def decision_apply_present_line(
    *, decision: Decision, seats: list[PlannedSeat], history_user=None
) -> list[BenchMember]:
    """Record the bench a Present line names, in the Court's order, creating the judges not yet known.

    A judge already on the bench keeps the seat (office and position updated); a member not named
    is taken off the bench unless the judge voted, which is refused.
    """
    sources = list(decision.sources.all())
    members = {member.judge_id: member for member in decision.bench.all()}
    named: set[int] = set()
    result = []
    for seat in seats:
        judge = seat.judge
        if judge.pk is None:
            judge.slug = _free_person_slug(judge.name)
            judge.note = NEW_JUDGE_NOTE.format(decision=decision.title)
            _attribute(judge, history_user, PRESENT_REASON)
            judge.full_clean()
            judge.save()
            judge.sources.set(sources)
        named.add(judge.pk)
        member = members.get(judge.pk) or BenchMember(decision=decision, judge=judge)
        if member._state.adding or (member.office, member.position) != (seat.office, seat.position):
            member.office, member.position = seat.office, seat.position
            _attribute(member, history_user, PRESENT_REASON)
            member.full_clean()
            member.save()
        result.append(member)
    for judge_id, member in members.items():
        if judge_id in named:
            continue
        if Vote.objects.filter(provision__decision=decision, judge_id=judge_id).exists():
            raise ValidationError(
                f"{member.judge} is on the bench and voted, but is not in the Present line: "
                "remove the votes first, or check the line."
            )
        _attribute(member, history_user, PRESENT_REASON)
        member.delete()
    return result


def _free_person_slug(name: str) -> str:
    base = slugify(name)[:110] or "judge"
    taken = set(Person.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def operative_clause_plan(
    *, parsed: list[ParsedProvision], bench: list, parties: list[Party], existing: dict[str, Provision] | None = None
) -> list[PlannedProvision]:
    """The pasted provisions matched to the record: each name to a seat of ``bench``, each addressee to a Party.

    ``bench`` is BenchMembers (or anything with ``judge`` and ``office``) in precedence; ``parties``
    the case's Parties, the first two the applicant and respondent meant by "Both Parties".
    Everything that does not match or does not add up is in each plan's ``problems``.
    """
    existing = existing or {}
    plans = []
    for provision in parsed:
        paragraph = provision.canonical_paragraph or str(provision.position)
        plan = PlannedProvision(parsed=provision, paragraph=paragraph, existing=existing.get(paragraph))
        plan.problems.extend(provision.problems)
        for names, target in ((provision.in_favour, plan.judges_for), (provision.against, plan.judges_against)):
            matched, unmatched = match_judges(names, bench)
            target.extend(seat.judge for _, seat in matched)
            plan.problems.extend(f"para. {paragraph}: {reason}" for _, reason in unmatched)
        if not bench and (provision.in_favour or provision.against or provision.unanimous):
            plan.problems.append(f"para. {paragraph}: the decision has no bench yet; paste the Present line too")
        if provision.both_parties:
            plan.addressees = list(parties)
        for name in provision.addressee_names:
            party = _party_named(name, parties)
            if party is None:
                plan.problems.append(f"para. {paragraph}: {name!r} is not a Party to this case")
            else:
                plan.addressees.append(party)
        plans.append(plan)
    return plans


def _party_named(name: str, parties: list[Party]) -> Party | None:
    key = _fold_name(name)
    for party in parties:
        if key in {_fold_name(party.name), _fold_name(party.short_name), _fold_name(party.code)}:
            return party
    # A French text names the Party in French ("la République d'Arménie", "la Fédération de Russie"):
    # its own name, shorn of the form of State, begins as the English short name does.
    core = _fold_name(
        re.sub(
            r"^(?:r[ée]publique|f[ée]d[ée]ration|royaume|[ée]tat)\s+(?:de\s+la|des|du|de|d['’])\s*",
            "",
            name,
            flags=re.I,
        )
    )
    stem = core[:5]
    candidates = [party for party in parties if len(stem) == 5 and _fold_name(party.short_name).startswith(stem)]
    return candidates[0] if len(candidates) == 1 else None


def case_parties_for_addressees(case) -> list[Party]:
    """The Parties a measure may bind, applicant(s) first: "Both Parties" means these."""
    order = {PartyRole.APPLICANT: 0, PartyRole.RESPONDENT: 1, PartyRole.PARTY: 0}
    rows = case.case_parties.select_related("party").filter(role__in=list(order))
    return [row.party for row in sorted(rows, key=lambda row: (order[row.role], row.pk))]


@transaction.atomic
def decision_apply_operative_clause(
    *, decision: Decision, parsed: list[ParsedProvision], history_user
) -> list[Provision]:
    """Record a pasted operative clause: each provision with its vote, its addressees and the decision's sources.

    Names are matched to the decision's bench and addressees to its case's Parties; anything that does
    not match or add up is refused (ValidationError) and nothing is written. A provision whose
    paragraph is already recorded is updated in place, so pasting the same clause twice changes nothing.
    """
    bench = list(decision.bench.in_precedence().select_related("judge"))
    existing = {provision.paragraph: provision for provision in decision.provisions.all()}
    plans = operative_clause_plan(
        parsed=parsed, bench=bench, parties=case_parties_for_addressees(decision.case), existing=existing
    )
    problems = [problem for plan in plans for problem in plan.problems]
    if problems:
        raise ValidationError(problems)
    sources = list(decision.sources.all())
    saved = []
    for plan in plans:
        provision = plan.existing or Provision(decision=decision)
        parsed_provision = plan.parsed
        provision.paragraph = plan.paragraph
        provision.position = parsed_provision.position
        provision.kind = parsed_provision.kind
        provision.text = parsed_provision.text
        provision.unanimous = parsed_provision.unanimous
        provision.votes_for = parsed_provision.votes_for
        provision.votes_against = parsed_provision.votes_against
        relations = {"addressees": plan.addressees}
        if provision.pk is None or not provision.sources.exists():
            relations["sources"] = sources
        saved.append(
            provision_set_votes(
                provision=provision,
                judges_for=plan.judges_for,
                judges_against=plan.judges_against,
                history_user=history_user,
                reason=PASTE_REASON,
                relations=relations,
            )
        )
    return saved
