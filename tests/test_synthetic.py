"""generate_synthetic: the benchmark's volume, bulk-written, clearly marked, and kept away from real data."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cases.models import Case, CaseParty, Hearing, Representation
from compliance.models import ComplianceClaim
from dataset.management.commands.generate_synthetic import (
    FIRST_GENERAL_LIST_NUMBER,
    MARKER,
    party_codes,
    plan_counts,
    refusal,
)
from decisions.models import BenchMember, Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source
from tests.dataset_sample import write_sample

pytestmark = pytest.mark.django_db

MODELS = [Source, Party, Person, Case, CaseParty, Representation, Hearing, Filing, Decision, BenchMember]
MODELS += [Provision, Vote, ComplianceClaim]
FACTS = [Party, Person, Case, Representation, Hearing, Filing, Decision, Provision, ComplianceClaim]


def snapshot():
    """Every row as it is: id, version and last change, by model."""
    return {model: set(model.objects.values_list("pk", "version", "updated_at")) for model in MODELS}


def generate(**options):
    out = io.StringIO()
    call_command("generate_synthetic", stdout=out, **{"cases": 3, "filings": 30, **options})
    return out.getvalue()


@pytest.fixture
def dataset(tmp_path):
    """A small dataset in the data/ format, loaded by load_dataset (its court and parties XAA, XBB)."""
    call_command("load_dataset", str(write_sample(tmp_path)), verbosity=0)


@pytest.fixture
def debug_env(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "1")


def test_writes_the_planned_rows_marked_as_synthetic(dataset, debug_env):
    real_cases = Case.objects.count()
    generate()
    cases = Case.objects.filter(note=MARKER)
    assert cases.count() == 3
    assert Case.objects.count() == real_cases + 3
    assert sorted(cases.values_list("general_list_number", flat=True)) == [1000, 1001, 1002]
    assert sorted(Party.objects.filter(note=MARKER).values_list("code", flat=True)) == ["XAB", "XAC"]
    planned = plan_counts(3, 30, parties=2)
    assert Filing.objects.filter(note=MARKER).count() == planned["filings"] == 30
    assert Decision.objects.filter(note=MARKER).count() == planned["decisions"]
    assert Provision.objects.filter(note=MARKER).count() == planned["provisions"]
    assert BenchMember.objects.filter(decision__note=MARKER).count() == planned["bench"]
    assert Vote.objects.filter(provision__note=MARKER).count() == planned["votes"] > 0
    assert ComplianceClaim.objects.filter(note=MARKER).count() == planned["claims"] > 0
    assert Source.objects.filter(key__startswith="synthetic-").count() == planned["sources"]

    for case in cases:
        assert re.fullmatch(r".+ \(Synthetic \w+ v\. Synthetic \w+\)", case.title), case.title
        assert case.general_list_number >= FIRST_GENERAL_LIST_NUMBER
        assert case.version == 1 and case.created_at and case.updated_at
    for source in Source.objects.filter(key__startswith="synthetic-"):
        assert source.kind == "other" and source.title.startswith("Synthetic")
    for party in Party.objects.filter(note=MARKER):
        assert re.fullmatch(r"X[A-Z]{2}", party.code) and party.short_name.startswith("Synthetic ")
    assert all(p.name.startswith("Synthetic ") for p in Person.objects.filter(note=MARKER))
    synthetic_cases = set(cases.values_list("pk", flat=True))
    for model in (Filing, Decision, Hearing, Representation):
        rows = model.objects.filter(case__in=synthetic_cases)
        assert rows.exists() and not rows.exclude(note=MARKER).exists(), model
    for filing in Filing.objects.filter(note=MARKER).prefetch_related("sources"):
        sources = list(filing.sources.all())
        assert sources and all(s.key.startswith("synthetic-") for s in sources)
    assert Provision.objects.filter(note=MARKER, kind="measure", addressees__isnull=True).count() == 0


def test_synthetic_rows_pass_the_models_own_validation(dataset, debug_env):
    generate()
    for model in FACTS + [Source, CaseParty, BenchMember, Vote]:
        rows = model.objects.filter(note=MARKER) if model in FACTS else model.objects.order_by("-pk")
        for row in rows[:5]:
            row.full_clean()
    decision = Decision.objects.filter(note=MARKER, subject="provisional_measures").first()
    decision.validate_responds_to(decision.responds_to.all())
    bench = [member.judge for member in decision.bench.all()]
    for provision in decision.provisions.all():
        votes = list(provision.votes.all())
        provision.validate_votes(
            [v.judge for v in votes if v.vote == "for"], [v.judge for v in votes if v.vote == "against"], bench
        )


def test_leaves_the_loaded_dataset_untouched(dataset, debug_env):
    before = snapshot()
    generate()
    after = snapshot()
    for model, rows in before.items():
        assert rows <= after[model], model
    generate(replace=True)
    replaced = snapshot()
    for model, rows in before.items():
        assert rows <= replaced[model], model
        new = {row[0] for row in replaced[model]} - {row[0] for row in rows}
        assert len(new) == len(after[model]) - len(rows), model


def test_the_api_and_the_pages_read_synthetic_cases(dataset, debug_env, client):
    generate()
    response = client.get(reverse("api:filing-list"), {"case_number": 1000})
    assert response.status_code == 200
    assert response.json()["count"] == 10
    assert client.get(reverse("case-detail", kwargs={"number": 1001})).status_code == 200


def test_a_second_run_needs_replace(dataset, debug_env):
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    output = generate(replace=True)
    assert "Deleted" in output
    assert Case.objects.filter(note=MARKER).count() == 3


def test_refuses_a_production_looking_database(dataset, monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    # Named as production would be (the test database may be named after a benchmark database).
    monkeypatch.setitem(connection.settings_dict, "NAME", "tracker")
    before = snapshot()
    with pytest.raises(CommandError, match="Refusing to write synthetic data to 'tracker'"):
        generate()
    assert snapshot() == before
    assert refusal("0", "tracker") is not None
    assert refusal(None, "/srv/tracker.sqlite3") is not None
    assert refusal("", "tracker_benchmark") is None
    assert refusal("1", "tracker") is None


def test_refuses_nonsense_sizes(debug_env):
    with pytest.raises(CommandError, match="at least one"):
        generate(cases=5, filings=4)


def test_party_codes_avoid_codes_in_use():
    codes = party_codes({"XAA", "XBB"})
    assert "XAA" not in codes and "XBB" not in codes and "XAB" in codes
    assert not any(code.startswith("XK") for code in codes)
    assert len(codes) == 26 * 25 - 2
