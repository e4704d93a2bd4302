"""The loader and exporter: idempotent, all or nothing, precise errors, byte-for-byte round trip."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, Event
from compliance.models import ComplianceClaim
from dataset.export import export_dataset, export_files
from dataset.load import DatasetError, load_dataset
from dataset.spec import CASE_FILE, RECORDS, TOP_LEVEL_FILES, How
from decisions.models import BenchMember, Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source
from tests.dataset_sample import FACT, JUDGES, sample_copy, write_sample

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


def decision(files):
    return files["cases/900.json"]["decisions"][0]


@pytest.mark.parametrize(
    ("break_it", "where", "says"),
    [
        (
            lambda f: f["actors.json"]["parties"][1].update(code="xaa"),
            "actors.json: parties[1] (xaa): code",
            "'xaa' is not a well-formed party code (upper-case letters and digits",
        ),
        (
            lambda f: f["actors.json"]["parties"][1].update(code="Applicantia Republic"),
            "actors.json: parties[1] (Applicantia Republic): code",
            "did you mean 'APPLICANTIA-REPUBLIC'?",
        ),
        (
            lambda f: f["cases/900.json"]["filings"][0].update(filed_by="xaa"),
            "cases/900.json: filings[0] (2022-12-28-request): filed_by",
            "did you mean 'XAA'?",
        ),
        (
            lambda f: decision(f)["provisions"][0].update(addressees=["xbb"]),
            "provisions[0] ((1)): addressees",
            "'xbb' is not a well-formed party code",
        ),
        (
            lambda f: decision(f)["bench"][1].update(judge="nobody"),
            "cases/900.json: decisions[0] (2023-02-22-order): bench[1] (nobody): judge",
            "no person 'nobody' (define it first)",
        ),
        (
            lambda f: f["cases/900.json"]["hearings"][0].update(sources=["icj-order-2023-02-22", "nowhere"]),
            "cases/900.json: hearings[0] (2023-01-pm): sources",
            "no source 'nowhere'",
        ),
        (
            lambda f: f["events.json"]["events"][0].update(cases=[900, 901]),
            "events.json: events[0] (blockade): cases",
            "no case 901",
        ),
        (
            lambda f: decision(f).update(responds_to=["2022-12-27-request"]),
            "decisions[0] (2023-02-22-order): responds_to",
            "no filing '2022-12-27-request' in this case",
        ),
        (
            lambda f: f["actors.json"]["parties"].append({**f["actors.json"]["parties"][1], "name": "Another"}),
            "actors.json: parties[3] (XAA): code",
            "XAA is given twice; it is also",
        ),
        (
            lambda f: f["cases/900.json"]["filings"].append(dict(f["cases/900.json"]["filings"][0])),
            "cases/900.json: filings[1] (2022-12-28-request): slug",
            "given twice; it is also",
        ),
        (
            lambda f: decision(f)["bench"].append({"judge": "alpha", "office": "judge"}),
            "bench[4] (alpha): judge",
            "alpha is given twice",
        ),
        (
            lambda f: f["cases/900.json"]["case"].update(general_list_number="900"),
            "cases/900.json: case (No. 900): general_list_number",
            "expected a whole number, found text",
        ),
    ],
)
def test_a_bad_natural_key_is_named_and_nothing_is_loaded(tmp_path, break_it, where, says):
    """A key the files cannot name a record by is the loader's error, never the database's."""
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
    assert not Party.objects.filter(code__in=["XAA", "xaa"]).exclude(name="Republic of Applicantia").exists()


def test_a_lower_case_party_code_in_an_empty_database_is_refused(tmp_path):
    files = sample_copy()
    files["actors.json"]["parties"][1]["code"] = "xaa"
    with pytest.raises(DatasetError) as error:
        load_dataset([write_sample(tmp_path, files)])
    assert "actors.json: parties[1] (xaa): code" in str(error.value)
    assert all(n == 0 for n in counts().values())


def walk(kind, record, seen):
    """Every record in an exported record, with its kind: the bench, provisions and amendments within."""
    seen.append((kind, record))
    spec = RECORDS[kind]
    for f in spec.fields:
        if f.how is How.RECORDS:
            for child in record[f.name]:
                walk(f.to, child, seen)
        elif f.how is How.REF and f.to.parts and record[f.name] is not None:
            walk(f.to.parts, record[f.name], seen)
    return seen


def test_the_exporter_writes_exactly_the_fields_of_the_spec():
    """The spec is the one list of fields: every record the exporter writes has its kind's, in order."""
    load_dataset()
    seen = []
    for relative, text in export_files().items():
        data = json.loads(text)
        file = CASE_FILE if relative.startswith("cases/") else next(f for f in TOP_LEVEL_FILES if f.name == relative)
        assert tuple(data) == file.names, relative
        for section in file.sections:
            for record in [data[section.name]] if section.one else data[section.name]:
                walk(section.kind, record, seen)
    assert {kind for kind, _ in seen} == set(RECORDS)
    for kind, record in seen:
        assert tuple(record) == RECORDS[kind].names, kind


def locate(kind):
    """Where a record of each kind is in the sample (a representation and an amendment are added)."""
    return {
        "source": lambda f: f["sources.json"]["sources"][0],
        "party": lambda f: f["actors.json"]["parties"][0],
        "person": lambda f: f["actors.json"]["people"][0],
        "event": lambda f: f["events.json"]["events"][0],
        "case": lambda f: f["cases/900.json"]["case"],
        "case_party": lambda f: f["cases/900.json"]["parties"][0],
        "representation": lambda f: f["cases/900.json"]["representations"][0],
        "hearing": lambda f: f["cases/900.json"]["hearings"][0],
        "filing": lambda f: f["cases/900.json"]["filings"][0],
        "decision": lambda f: decision(f),
        "bench": lambda f: decision(f)["bench"][0],
        "provision": lambda f: decision(f)["provisions"][0],
        "opinion": lambda f: decision(f)["opinions"][0],
        "amends": lambda f: decision(f)["provisions"][0]["amends"],
        "claim": lambda f: f["cases/900.json"]["claims"][0],
    }[kind]


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_an_unknown_field_is_refused_naming_the_fields_of_the_spec(tmp_path, kind):
    files = sample_copy()
    files["cases/900.json"]["representations"].append(
        {"party": "XAA", "person": "alpha", "role": "agent", "from_date": None, "to_date": None, **FACT}
    )
    if kind == "amends":
        decision(files)["provisions"][0]["amends"] = {"case": 900, "decision": "2023-02-22-order", "paragraph": "(1)"}
    locate(kind)(files)["filer"] = "XAA"
    with pytest.raises(DatasetError) as error:
        load_dataset([write_sample(tmp_path, files)])
    assert f"unknown field(s) filer; a {kind} has {', '.join(RECORDS[kind].names)}" in str(error.value)
    assert all(n == 0 for n in counts().values())


def test_an_unknown_section_of_a_case_file_is_refused_naming_the_sections(tmp_path):
    files = sample_copy()
    files["cases/900.json"]["orders"] = []
    with pytest.raises(DatasetError) as error:
        load_dataset([write_sample(tmp_path, files)])
    assert f"unknown section(s) orders in a case file; it has {', '.join(CASE_FILE.names)}" in str(error.value)


def test_a_unanimous_provision_naming_no_judges_credits_the_whole_bench(tmp_path):
    """The loader records votes through the vote service, as the admin and the API do."""
    files = sample_copy()
    decision(files)["provisions"][0].update(
        votes_for=None, votes_against=None, unanimous=True, judges_for=[], judges_against=[]
    )
    load_dataset([write_sample(tmp_path / "in", files)])
    provision = Provision.objects.get()
    assert (provision.votes_for, provision.votes_against) == (4, 0)
    assert sorted(v.judge.slug for v in provision.votes.filter(vote="for")) == JUDGES
    vote = Vote.history.filter(provision_id=provision.pk).first()
    assert vote.history_user.username == "dataset-loader"
    assert vote.history_change_reason.startswith("load_dataset ")
    exported = json.loads(export_files()["cases/900.json"])["decisions"][0]["provisions"][0]
    assert (exported["votes_for"], exported["votes_against"], exported["judges_for"]) == (4, 0, JUDGES)
    versions = snapshot()
    assert load_dataset([write_sample(tmp_path / "in", files)]).updated == 0
    assert snapshot() == versions


def test_the_bench_keeps_the_order_of_the_file_when_a_judge_is_added_at_its_head(tmp_path):
    load_dataset([write_sample(tmp_path / "a")])
    files = sample_copy()
    files["actors.json"]["people"].append(
        {"slug": "echo", "name": "Judge Echo", "aliases": "", "nationality": None, "description": "", **FACT}
    )
    decision(files)["bench"][0]["office"] = "judge"
    decision(files)["bench"].insert(0, {"judge": "echo", "office": "president"})
    source = write_sample(tmp_path / "b", files)
    load_dataset([source])
    bench = Decision.objects.get().bench.order_by("position")
    assert [m.judge.slug for m in bench] == ["echo", *JUDGES]
    assert [m.position for m in bench] == [0, 1, 2, 3, 4]
    written = export_dataset(tmp_path / "out")
    for path in written:
        relative = path.relative_to(tmp_path / "out")
        assert path.read_bytes() == (source / relative).read_bytes(), relative
