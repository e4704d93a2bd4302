"""The loader and exporter: idempotent, all or nothing, precise errors, byte-for-byte round trip."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, Event
from compliance.models import ComplianceClaim
from dataset.files import DatasetError, export_dataset, export_files, load_dataset
from decisions.models import BenchMember, Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source
from tests.dataset_sample import sample_copy, write_sample

pytestmark = pytest.mark.django_db

MODELS = [Source, Party, Person, Case, Filing, Decision, BenchMember, Provision, Vote, ComplianceClaim, Event]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Every row's version, to prove an unchanged record is not written again."""
    return {model.__name__: sorted(model.objects.values_list("pk", "version")) for model in MODELS}


def test_loads_the_sample_with_every_relation(tmp_path):
    report = load_dataset([write_sample(tmp_path)])
    assert report.created > 0
    provision = Provision.objects.get(decision__slug="2023-02-22-order", paragraph="(1)")
    assert (provision.votes_for, provision.votes_against) == (3, 1)
    assert [v.judge.slug for v in provision.votes.filter(vote="against")] == ["delta"]
    assert [p.code for p in provision.addressees.all()] == ["XBB"]
    assert provision.sources.get().key == "icj-order-2023-02-22"
    decision = provision.decision
    assert [f.slug for f in decision.responds_to.all()] == ["2022-12-28-request"]
    assert [m.judge.slug for m in decision.bench.order_by("position")] == ["alpha", "bravo", "charlie", "delta"]
    assert ComplianceClaim.objects.get().provision == provision
    assert Event.objects.get().cases.get().general_list_number == 900


def test_loading_twice_changes_nothing(tmp_path):
    directory = write_sample(tmp_path)
    load_dataset([directory])
    before, versions = counts(), snapshot()
    report = load_dataset([directory])
    assert counts() == before
    assert snapshot() == versions
    assert report.created == report.updated == 0


def test_a_changed_record_is_updated_in_place(tmp_path):
    load_dataset([write_sample(tmp_path / "a")])
    files = sample_copy()
    files["cases/900.json"]["filings"][0]["summary"] = "Asks for the corridor to be reopened."
    report = load_dataset([write_sample(tmp_path / "b", files)])
    assert report.updated == 1
    filing = Filing.objects.get()
    assert filing.summary == "Asks for the corridor to be reopened."
    assert filing.version == 2
    assert Case.objects.get().version == 1


def test_loader_writes_appear_in_the_history_as_the_loaders(tmp_path):
    load_dataset([write_sample(tmp_path)])
    record = Filing.history.get()
    assert record.history_user.username == "dataset-loader"
    assert record.history_change_reason.startswith("load_dataset")
    assert not record.history_user.has_usable_password()


@pytest.mark.parametrize(
    ("break_it", "where", "says"),
    [
        (
            lambda f: f["cases/900.json"]["decisions"][0]["provisions"][0].update(votes_for=4),
            "decisions[0] (2023-02-22-order): provisions[0] ((1))",
            "do not match",
        ),
        (
            lambda f: f["cases/900.json"]["decisions"][0]["provisions"][0]["judges_for"].append("nobody"),
            "provisions[0] ((1)): judges_for",
            "no person 'nobody'",
        ),
        (
            lambda f: f["cases/900.json"]["hearings"][0].update(ends_on="2023-01-01"),
            "hearings[0] (2023-01-pm)",
            "ends_on: A hearing cannot end before it starts.",
        ),
        (
            lambda f: f["cases/900.json"]["filings"][0].update(filed_on="2022-02-30"),
            "filings[0] (2022-12-28-request): filed_on",
            "invalid date",
        ),
        (
            lambda f: f["cases/900.json"]["filings"][0].update(sources=[]),
            "filings[0] (2022-12-28-request): sources",
            "at least one source",
        ),
        (
            lambda f: f["cases/900.json"]["filings"][0].update(kind="pamphlet"),
            "filings[0] (2022-12-28-request)",
            "kind: Value 'pamphlet' is not a valid choice.",
        ),
        (
            lambda f: f["cases/900.json"]["decisions"][0].update(decided_on="2022-12-01"),
            "decisions[0] (2023-02-22-order)",
            "after this decision",
        ),
        (
            lambda f: f["sources.json"]["sources"][0].update(document_number="ORD-2023"),
            "sources[0] (icj-order-2023-02-22)",
            "document_number",
        ),
        (
            lambda f: f["cases/900.json"]["claims"][0].update(provision="(9)"),
            "claims[0] (2023-06-08-applicantia): provision",
            "no provision",
        ),
        (
            lambda f: f["cases/900.json"]["filings"][0].update(filer="XAA"),
            "filings[0] (2022-12-28-request)",
            "unknown field(s) filer",
        ),
    ],
)
def test_a_broken_record_is_named_and_nothing_is_loaded(tmp_path, break_it, where, says):
    load_dataset([write_sample(tmp_path / "good")])
    before, versions = counts(), snapshot()
    files = sample_copy()
    files["cases/900.json"]["case"]["summary"] = "This change must not land either."
    break_it(files)
    with pytest.raises(DatasetError) as error:
        load_dataset([write_sample(tmp_path / "bad", files)])
    message = str(error.value)
    assert where in message
    assert says in message
    assert counts() == before
    assert snapshot() == versions
    assert Case.objects.get().summary == ""


def test_an_empty_database_stays_empty_after_a_failed_load(tmp_path):
    files = sample_copy()
    files["cases/900.json"]["claims"][0]["claimant"] = "ZZZ"
    with pytest.raises(DatasetError) as error:
        load_dataset([write_sample(tmp_path, files)])
    assert "claims[0] (2023-06-08-applicantia): claimant" in str(error.value)
    assert all(n == 0 for n in counts().values())


def test_invalid_json_names_the_file_and_line(tmp_path):
    directory = write_sample(tmp_path)
    (directory / "events.json").write_text('{"events": [\n  {"slug": "x",}\n]}\n')
    with pytest.raises(DatasetError) as error:
        load_dataset([directory])
    assert "events.json, line 2" in str(error.value)


def test_the_command_fails_with_the_message_and_exit_status(tmp_path):
    files = sample_copy()
    files["actors.json"]["parties"][1]["kind"] = "empire"
    with pytest.raises(CommandError) as error:
        call_command("load_dataset", str(write_sample(tmp_path, files)), stdout=io.StringIO())
    assert "Nothing was loaded" in str(error.value)
    assert "parties[1] (XAA)" in str(error.value)


def test_the_command_prints_plain_lines_when_piped(tmp_path):
    out = io.StringIO()
    call_command("load_dataset", str(write_sample(tmp_path)), stdout=out, verbosity=2)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("1/")
    assert "\r" not in out.getvalue()
    assert lines[-1].startswith("Loaded 4 files")


def test_export_reproduces_the_files_byte_for_byte(tmp_path):
    source = write_sample(tmp_path / "in")
    load_dataset([source])
    written = export_dataset(tmp_path / "out")
    assert len(written) == 4
    for path in written:
        relative = path.relative_to(tmp_path / "out")
        assert path.read_bytes() == (source / relative).read_bytes(), relative


def test_export_after_an_edit_carries_the_edit(tmp_path):
    load_dataset([write_sample(tmp_path)])
    filing = Filing.objects.get()
    filing.summary = "Edited in the admin."
    filing.save()
    exported = json.loads(export_files()["cases/900.json"])
    assert exported["filings"][0]["summary"] == "Edited in the admin."
    assert "id" not in exported["filings"][0] and "version" not in exported["filings"][0]
