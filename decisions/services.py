"""Writes that span a provision and its Vote rows."""

from django.db import transaction

from decisions.models import Provision, Vote, VoteChoice


@transaction.atomic
def provision_set_votes(*, provision: Provision, judges_for, judges_against) -> Provision:
    """Record who voted for and against a provision; the counts follow from the names.

    With no names, the counts on the provision stand alone (a source gave the tally but not
    the judges) and any Vote rows are removed. Validates against the decision's bench and
    saves the provision (if it changed) and its votes in one transaction.
    """
    judges_for, judges_against = list(judges_for), list(judges_against)
    if judges_for or judges_against:
        provision.votes_for, provision.votes_against = len(judges_for), len(judges_against)
    bench = [member.judge for member in provision.decision.bench.select_related("judge")]
    provision.full_clean()
    provision.validate_votes(judges_for, judges_against, bench)
    provision.save()
    wanted = {judge.pk: VoteChoice.FOR for judge in judges_for} | {
        judge.pk: VoteChoice.AGAINST for judge in judges_against
    }
    existing = {vote.judge_id: vote for vote in provision.votes.all()}
    for judge_id, vote in existing.items():
        if judge_id not in wanted:
            vote.delete()
        elif vote.vote != wanted[judge_id]:
            vote.vote = wanted[judge_id]
            vote.save()
    Vote.objects.bulk_create(
        [
            Vote(provision=provision, judge_id=judge_id, vote=choice)
            for judge_id, choice in wanted.items()
            if judge_id not in existing
        ]
    )
    return provision
