"""Recording a provision's vote: the one write path of the admin, the API and the dataset loader."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from decisions.models import BenchMember, Provision, Vote, VoteChoice
from parties.models import Person

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
