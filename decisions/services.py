"""Writes that span a provision and its Vote rows."""

from django.db import transaction

from decisions.models import Provision, Vote, VoteChoice


def provision_sync_votes(*, provision: Provision, judges_for, judges_against, history_user=None, reason="") -> bool:
    """Make the provision's Vote rows say exactly who voted for and against; True if any changed.

    Rows are saved one by one (at most a bench of judges) so that each change is in the history.
    """
    wanted = {judge.pk: VoteChoice.FOR for judge in judges_for} | {
        judge.pk: VoteChoice.AGAINST for judge in judges_against
    }
    existing = {vote.judge_id: vote for vote in provision.votes.all()}
    changed = False
    for judge_id, vote in existing.items():
        if judge_id not in wanted:
            _attribute(vote, history_user, reason)
            vote.delete()
            changed = True
    for judge_id, choice in wanted.items():
        vote = existing.get(judge_id) or Vote(provision=provision, judge_id=judge_id)
        if vote._state.adding or vote.vote != choice:
            vote.vote = choice
            _attribute(vote, history_user, reason)
            vote.save()
            changed = True
    return changed


def _attribute(row, history_user, reason) -> None:
    # Only an explicit user overrides the one simple-history takes from the current request.
    if history_user is not None:
        row._history_user = history_user
    if reason:
        row._change_reason = reason


@transaction.atomic
def provision_set_votes(*, provision: Provision, judges_for, judges_against) -> Provision:
    """Record who voted for and against a provision; the counts follow from the names.

    With no names, the counts on the provision stand alone (a source gave the tally but not
    the judges) and any Vote rows are removed. Validates against the decision's bench, then
    saves the provision and its votes in one transaction.
    """
    judges_for, judges_against = list(judges_for), list(judges_against)
    if judges_for or judges_against:
        provision.votes_for, provision.votes_against = len(judges_for), len(judges_against)
    bench = [member.judge for member in provision.decision.bench.select_related("judge")]
    provision.full_clean()
    provision.validate_votes(judges_for, judges_against, bench)
    provision.save()
    # The votes are part of the same edit: they name whoever the provision's change names.
    provision_sync_votes(
        provision=provision,
        judges_for=judges_for,
        judges_against=judges_against,
        history_user=getattr(provision, "_history_user", None),
    )
    return provision
