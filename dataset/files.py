"""The curated dataset: load the JSON files in data/ into the database, and export them back.

The format is described in data/README.md. Loading is an idempotent upsert by natural keys in
one transaction: a record that has not changed is not written again (its version and history
stay as they were), and any error names the file, the record and the field and leaves the
database exactly as it was. Export writes the same files, so that loading data/ and exporting
reproduces it byte for byte.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch

from cases.models import Case, CaseParty, Event, Hearing, PartyRole, Representation
from compliance.models import ComplianceClaim
from decisions.models import BenchMember, Decision, Provision, Vote, VoteChoice
from decisions.services import provision_sync_votes
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "data"

FACT = ("sources", "confidence", "note")
KEYS = {
    "source": ("key", "kind", "title", "publisher", "url", "published_on", "document_number", "excerpt"),
    "party": ("code", "name", "short_name", "kind", *FACT),
    "person": ("slug", "name", "nationality", "description", *FACT),
    "event": ("slug", "title", "starts_on", "ends_on", "description", "cases", *FACT),
    "case": (
        "general_list_number",
        "title",
        "short_title",
        "slug",
        "court",
        "instituted_on",
        "status",
        "basis",
        "summary",
        "related_cases",
        *FACT,
    ),
    "case_party": ("party", "role"),
    "representation": ("party", "person", "role", "from_date", "to_date", *FACT),
    "hearing": ("slug", "subject", "starts_on", "ends_on", "record_numbers", "summary", *FACT),
    "filing": (
        "slug",
        "kind",
        "filed_by",
        "title",
        "filed_on",
        "due_on",
        "document_number",
        "url",
        "summary",
        "requested_measures",
        *FACT,
    ),
    "decision": (
        "slug",
        "kind",
        "subject",
        "issued_by",
        "decided_on",
        "title",
        "document_number",
        "url",
        "responds_to",
        "summary",
        "not_indicated",
        "bench",
        "provisions",
        *FACT,
    ),
    "bench": ("judge", "office"),
    "provision": (
        "paragraph",
        "kind",
        "addressees",
        "text",
        "votes_for",
        "votes_against",
        "unanimous",
        "judges_for",
        "judges_against",
        "amends",
        "amendment",
        *FACT,
    ),
    "amends": ("case", "decision", "paragraph"),
    "claim": (
        "slug",
        "decision",
        "provision",
        "claimant",
        "spokesperson",
        "made_on",
        "assessment",
        "summary",
        "quote",
        *FACT,
    ),
    "case_file": ("case", "parties", "representations", "hearings", "filings", "decisions", "claims"),
}
ROLE_ORDER = {role: i for i, role in enumerate(PartyRole.values)}


class DatasetError(Exception):
    """A problem in the dataset, located by file, record and field."""

    def __init__(self, where: str, message: str):
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.files)} files: {self.created} records created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


# Reading the files ---------------------------------------------------------------------------


def dataset_files(paths: Iterable[Path | str] | None = None) -> list[Path]:
    """The JSON files to load: every .json under each directory given, or the files themselves."""
    found = []
    for path in [Path(p) for p in (paths or [DEFAULT_DATA_DIR])]:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.json")))
        elif path.exists():
            found.append(path)
        else:
            raise DatasetError(str(path), "no such file or directory")
    if not found:
        raise DatasetError(", ".join(map(str, paths or [DEFAULT_DATA_DIR])), "no dataset files found")
    return found


def read_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DatasetError(str(path), f"not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}, line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise DatasetError(str(path), "the file must hold a JSON object")
    return data


def _check_keys(record, kind: str, where: str) -> None:
    if not isinstance(record, dict):
        raise DatasetError(where, f"expected an object, found {type(record).__name__}")
    unknown = [k for k in record if k not in KEYS[kind]]
    if unknown:
        raise DatasetError(where, f"unknown field(s) {', '.join(unknown)}; a {kind} has {', '.join(KEYS[kind])}")


def _list(record: dict, name: str, where: str) -> list:
    value = record.get(name) or []
    if not isinstance(value, list):
        raise DatasetError(f"{where}: {name}", "expected a list")
    return value


# Loading -------------------------------------------------------------------------------------


class Loader:
    """One run of the loader: caches of natural keys, counts, and the history user."""

    def __init__(self, progress: Callable[[int, int, str], None] | None = None):
        self.report = LoadReport()
        self.progress = progress or (lambda done, total, label: None)
        self.user = None
        self.reason = ""

    # -- lookups by natural key, naming the record on failure

    def _lookup(self, model, where: str, name: str, **lookup):
        try:
            return model.objects.get(**lookup)
        except model.DoesNotExist:
            value = ", ".join(f"{v}" for v in lookup.values())
            raise DatasetError(
                f"{where}: {name}", f"no {model._meta.verbose_name} {value!r} (define it first)"
            ) from None

    def source_ids(self, record: dict, where: str, required: bool = True) -> list[int]:
        keys = _list(record, "sources", where)
        if required and not keys:
            raise DatasetError(f"{where}: sources", "every fact needs at least one source")
        ids = dict(Source.objects.filter(key__in=keys).values_list("key", "id"))
        missing = [k for k in keys if k not in ids]
        if missing:
            raise DatasetError(f"{where}: sources", f"unknown source key(s) {', '.join(missing)}")
        return [ids[k] for k in keys]

    def party(self, code, where, name):
        if code is None:
            return None
        return self._lookup(Party, where, name, code=code)

    def person(self, slug, where, name):
        if slug is None:
            return None
        return self._lookup(Person, where, name, slug=slug)

    # -- the one upsert every record goes through

    def upsert(self, model, where: str, lookup: dict, values: dict, m2m: dict | None = None):
        """Create or update one row by its natural key; write only what changed."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        changed = created
        for name, raw in values.items():
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                value = raw.pk if raw is not None else None
            else:
                try:
                    value = model_field.to_python(raw)
                except ValidationError as exc:
                    raise DatasetError(f"{where}: {name}", " ".join(exc.messages)) from None
                text = isinstance(model_field, models.CharField | models.TextField)
                if value is None and text and not model_field.null:
                    value = ""
            if getattr(obj, model_field.attname) != value:
                setattr(obj, model_field.attname, value)
                changed = True
        if changed:
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise DatasetError(where, _describe(exc)) from None
            obj._history_user = self.user
            obj._change_reason = self.reason
            obj.save()
        for name, ids in (m2m or {}).items():
            manager = getattr(obj, name)
            if created or set(manager.values_list("pk", flat=True)) != set(ids):
                manager.set(ids)
                changed = True
        if created:
            self.report.created += 1
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return obj

    def fact_values(self, record: dict) -> dict:
        return {"confidence": record.get("confidence") or "verified", "note": record.get("note") or ""}

    # -- record types

    def load_source(self, record, where):
        _check_keys(record, "source", where)
        key = record.get("key")
        if not key:
            raise DatasetError(f"{where}: key", "a source needs a key")
        values = {name: record.get(name) for name in KEYS["source"][1:]}
        return self.upsert(Source, f"{where} ({key})", {"key": key}, values)

    def load_party(self, record, where):
        _check_keys(record, "party", where)
        code = record.get("code")
        where = f"{where} ({code})"
        values = {name: record.get(name) for name in ("name", "short_name", "kind")}
        values.update(self.fact_values(record))
        # Party.save normalises the code; look it up as it will be stored.
        return self.upsert(Party, where, {"code": code}, values, {"sources": self.source_ids(record, where)})

    def load_person(self, record, where):
        _check_keys(record, "person", where)
        slug = record.get("slug")
        where = f"{where} ({slug})"
        values = {
            "name": record.get("name"),
            "description": record.get("description"),
            "nationality": self.party(record.get("nationality"), where, "nationality"),
            **self.fact_values(record),
        }
        return self.upsert(Person, where, {"slug": slug}, values, {"sources": self.source_ids(record, where)})

    def load_case(self, record, where):
        where = f"{where}: case"
        _check_keys(record, "case", where)
        number = record.get("general_list_number")
        if not isinstance(number, int):
            raise DatasetError(f"{where}: general_list_number", "expected the General List number as an integer")
        where = f"{where} (No. {number})"
        values = {name: record.get(name) for name in ("title", "short_title", "slug", "instituted_on", "status")}
        values.update(
            basis=record.get("basis"),
            summary=record.get("summary"),
            court=self.party(record.get("court"), where, "court"),
            **self.fact_values(record),
        )
        return self.upsert(
            Case, where, {"general_list_number": number}, values, {"sources": self.source_ids(record, where)}
        )

    def load_case_contents(self, case, data, where):
        for i, record in enumerate(_list(data, "parties", where)):
            here = f"{where}: parties[{i}]"
            _check_keys(record, "case_party", here)
            party = self.party(record.get("party"), here, "party")
            self.upsert(CaseParty, here, {"case": case, "party": party}, {"role": record.get("role")})
        for i, record in enumerate(_list(data, "representations", where)):
            here = f"{where}: representations[{i}]"
            _check_keys(record, "representation", here)
            person = self.person(record.get("person"), here, "person")
            lookup = {"case": case, "person": person, "role": record.get("role")}
            values = {
                "party": self.party(record.get("party"), here, "party"),
                "from_date": record.get("from_date"),
                "to_date": record.get("to_date"),
                **self.fact_values(record),
            }
            self.upsert(Representation, here, lookup, values, {"sources": self.source_ids(record, here)})
        for i, record in enumerate(_list(data, "hearings", where)):
            here = f"{where}: hearings[{i}] ({record.get('slug')})"
            _check_keys(record, "hearing", here)
            values = {k: record.get(k) for k in ("subject", "starts_on", "ends_on", "record_numbers", "summary")}
            values.update(self.fact_values(record))
            self.upsert(
                Hearing,
                here,
                {"case": case, "slug": record.get("slug")},
                values,
                {"sources": self.source_ids(record, here)},
            )
        for i, record in enumerate(_list(data, "filings", where)):
            here = f"{where}: filings[{i}] ({record.get('slug')})"
            _check_keys(record, "filing", here)
            names = ("kind", "title", "filed_on", "due_on", "document_number", "url", "summary", "requested_measures")
            values = {k: record.get(k) for k in names}
            values.update(filed_by=self.party(record.get("filed_by"), here, "filed_by"), **self.fact_values(record))
            self.upsert(
                Filing,
                here,
                {"case": case, "slug": record.get("slug")},
                values,
                {"sources": self.source_ids(record, here)},
            )

    def load_decision(self, case, record, where):
        _check_keys(record, "decision", where)
        slug = record.get("slug")
        where = f"{where} ({slug})"
        names = ("kind", "subject", "issued_by", "decided_on", "title", "document_number", "url", "summary")
        values = {k: record.get(k) for k in names}
        values.update(not_indicated=record.get("not_indicated"), **self.fact_values(record))
        filing_slugs = _list(record, "responds_to", where)
        filings = list(Filing.objects.filter(case=case, slug__in=filing_slugs))
        missing = set(filing_slugs) - {f.slug for f in filings}
        if missing:
            raise DatasetError(f"{where}: responds_to", f"no filing {', '.join(sorted(missing))} in this case")
        try:
            decided_on = models.DateField().to_python(values["decided_on"])
            Decision(case=case, decided_on=decided_on).validate_responds_to(filings)
        except ValidationError as exc:
            raise DatasetError(where, _describe(exc)) from None
        decision = self.upsert(
            Decision,
            where,
            {"case": case, "slug": slug},
            values,
            {"sources": self.source_ids(record, where), "responds_to": [f.pk for f in filings]},
        )

        judges = []
        for position, seat in enumerate(_list(record, "bench", where)):
            here = f"{where}: bench[{position}]"
            _check_keys(seat, "bench", here)
            judge = self.person(seat.get("judge"), here, "judge")
            judges.append(judge)
            self.upsert(
                BenchMember,
                f"{here} ({judge.slug})",
                {"decision": decision, "judge": judge},
                {"office": seat.get("office"), "position": position},
            )
        # The file is the record of who sat: a judge it no longer lists leaves the bench.
        for member in decision.bench.exclude(judge__in=judges):
            member._history_user, member._change_reason = self.user, self.reason
            member.delete()
        for position, provision in enumerate(_list(record, "provisions", where), start=1):
            self.load_provision(decision, judges, provision, position, f"{where}: provisions[{position - 1}]")
        return decision

    def load_provision(self, decision, bench, record, position, where):
        _check_keys(record, "provision", where)
        paragraph = record.get("paragraph")
        where = f"{where} ({paragraph})"
        amends = record.get("amends")
        target = None
        if amends:
            _check_keys(amends, "amends", f"{where}: amends")
            target = Provision.objects.filter(
                decision__case__general_list_number=amends.get("case"),
                decision__slug=amends.get("decision"),
                paragraph=amends.get("paragraph"),
            ).first()
            if target is None:
                raise DatasetError(
                    f"{where}: amends",
                    f"no provision {amends.get('paragraph')} in decision {amends.get('decision')} "
                    f"of No. {amends.get('case')} (it must be loaded earlier: an amended provision is older)",
                )
        values = {
            "position": position,
            "kind": record.get("kind"),
            "text": record.get("text"),
            "votes_for": record.get("votes_for"),
            "votes_against": record.get("votes_against"),
            "unanimous": bool(record.get("unanimous")),
            "amends": target,
            "amendment": record.get("amendment"),
            **self.fact_values(record),
        }
        judges_for = [self.person(s, where, "judges_for") for s in _list(record, "judges_for", where)]
        judges_against = [self.person(s, where, "judges_against") for s in _list(record, "judges_against", where)]
        codes = _list(record, "addressees", where)
        addressees = [self.party(code, where, "addressees").pk for code in codes]
        # Check the vote before writing anything, on an unsaved copy carrying the new counts.
        probe = Provision(decision=decision, votes_for=values["votes_for"], votes_against=values["votes_against"])
        probe.unanimous = values["unanimous"]
        try:
            probe.validate_votes(judges_for, judges_against, bench)
        except ValidationError as exc:
            raise DatasetError(where, _describe(exc)) from None
        provision = self.upsert(
            Provision,
            where,
            {"decision": decision, "paragraph": paragraph},
            values,
            {"sources": self.source_ids(record, where), "addressees": addressees},
        )
        provision_sync_votes(
            provision=provision,
            judges_for=judges_for,
            judges_against=judges_against,
            history_user=self.user,
            reason=self.reason,
        )
        return provision

    def load_claim(self, case, record, where):
        _check_keys(record, "claim", where)
        slug = record.get("slug")
        where = f"{where} ({slug})"
        decision = self._lookup(Decision, where, "decision", case=case, slug=record.get("decision"))
        provision = None
        if record.get("provision") is not None:
            provision = self._lookup(Provision, where, "provision", decision=decision, paragraph=record["provision"])
        values = {
            "decision": decision,
            "provision": provision,
            "claimant": self.party(record.get("claimant"), where, "claimant"),
            "spokesperson": self.person(record.get("spokesperson"), where, "spokesperson"),
            **{k: record.get(k) for k in ("made_on", "assessment", "summary", "quote")},
            **self.fact_values(record),
        }
        return self.upsert(ComplianceClaim, where, {"slug": slug}, values, {"sources": self.source_ids(record, where)})

    def load_event(self, record, where):
        _check_keys(record, "event", where)
        slug = record.get("slug")
        where = f"{where} ({slug})"
        numbers = _list(record, "cases", where)
        cases = dict(Case.objects.filter(general_list_number__in=numbers).values_list("general_list_number", "id"))
        missing = [n for n in numbers if n not in cases]
        if missing:
            raise DatasetError(f"{where}: cases", f"no case No. {', '.join(map(str, missing))}")
        values = {k: record.get(k) for k in ("title", "starts_on", "ends_on", "description")}
        values.update(self.fact_values(record))
        return self.upsert(
            Event,
            where,
            {"slug": slug},
            values,
            {"sources": self.source_ids(record, where), "cases": [cases[n] for n in numbers]},
        )

    # -- the whole run

    def run(self, files: list[Path]) -> LoadReport:
        """Plan every step first (so progress knows the total), then load in dependency order."""
        self.user = loader_user()
        sections = ("sources", "parties", "people", "events", "case", "decisions", "claims")
        plan: dict[str, list] = {name: [] for name in sections}
        for path in files:
            data = read_file(path)
            self.report.files.append(str(path))
            if "case" in data:
                unknown = [k for k in data if k not in KEYS["case_file"]]
                if unknown:
                    raise DatasetError(str(path), f"unknown section(s) {', '.join(unknown)} in a case file")
                plan["case"].append((path, str(path), data))
                for i, record in enumerate(_list(data, "decisions", str(path))):
                    plan["decisions"].append((path, f"{path}: decisions[{i}]", record))
                for i, record in enumerate(_list(data, "claims", str(path))):
                    plan["claims"].append((path, f"{path}: claims[{i}]", record))
                continue
            unknown = [k for k in data if k not in {"sources", "parties", "people", "events"}]
            if unknown or not data:
                raise DatasetError(
                    str(path),
                    f"unknown section(s) {', '.join(unknown) or '(none)'}; "
                    "expected sources, parties, people, events, or a case file",
                )
            for section in data:
                for i, record in enumerate(_list(data, section, str(path))):
                    plan[section].append((path, f"{path}: {section}[{i}]", record))
        # Decisions in date order across cases, so that an amended provision always exists first.
        plan["decisions"].sort(key=lambda step: (_text(step[2], "decided_on"), step[1]))

        cases: dict[str, Case] = {}

        def case_of(path):
            return cases[str(path)]

        steps = [
            *[(step, self.load_source) for step in plan["sources"]],
            *[(step, self.load_party) for step in plan["parties"]],
            *[(step, self.load_person) for step in plan["people"]],
            *[
                (step, lambda record, where: cases.__setitem__(where, self.load_case(record["case"], where)))
                for step in plan["case"]
            ],
            *[(step, lambda data, where: self.load_case_contents(cases[where], data, where)) for step in plan["case"]],
            *[
                (step, lambda data, where: self.load_related_cases(cases[where], data["case"], where))
                for step in plan["case"]
            ],
            *[
                (
                    (path, where, record),
                    lambda record, where, path=path: self.load_decision(case_of(path), record, where),
                )
                for path, where, record in plan["decisions"]
            ],
            *[
                ((path, where, record), lambda record, where, path=path: self.load_claim(case_of(path), record, where))
                for path, where, record in plan["claims"]
            ],
            *[(step, self.load_event) for step in plan["events"]],
        ]
        for done, ((path, where, record), load) in enumerate(steps, start=1):
            self.reason = f"load_dataset {path}"
            self.progress(done, len(steps), where)
            load(record, where)
        return self.report

    def load_related_cases(self, case, record, where):
        numbers = _list(record, "related_cases", where)
        related = dict(Case.objects.filter(general_list_number__in=numbers).values_list("general_list_number", "id"))
        missing = [n for n in numbers if n not in related]
        if missing:
            raise DatasetError(f"{where}: case: related_cases", f"no case No. {', '.join(map(str, missing))}")
        if set(case.related_cases.values_list("id", flat=True)) != set(related.values()):
            case.related_cases.set(related.values())


def _text(record, name: str) -> str:
    return str(record.get(name) or "") if isinstance(record, dict) else ""


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def loader_user():
    """The account the loader writes as, so its changes show in the history as the loader's."""
    user, created = get_user_model().objects.get_or_create(
        username=settings.DATASET_LOADER_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def load_dataset(paths=None, progress=None) -> LoadReport:
    """Load the dataset files (default: data/) in one transaction; raise DatasetError on bad input."""
    files = dataset_files(paths)
    with transaction.atomic():
        return Loader(progress).run(files)


# Exporting -----------------------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _facts(obj) -> dict:
    return {
        "sources": sorted(s.key for s in obj.sources.all()),
        "confidence": obj.confidence,
        "note": obj.note,
    }


def _ordered(kind: str, values: dict) -> dict:
    return {key: values[key] for key in KEYS[kind]}


def _export_source(s):
    return _ordered(
        "source",
        {
            "key": s.key,
            "kind": s.kind,
            "title": s.title,
            "publisher": s.publisher,
            "url": s.url,
            "published_on": _date(s.published_on),
            "document_number": s.document_number,
            "excerpt": s.excerpt,
        },
    )


def _export_case(case) -> dict:
    parties = sorted(case.case_parties.all(), key=lambda cp: (ROLE_ORDER.get(cp.role, 99), cp.party.code))
    representations = sorted(
        case.representations.all(),
        key=lambda r: (r.party.code, r.role, r.from_date is not None, r.from_date or "", r.person.slug),
    )
    filings = sorted(case.filings.all(), key=lambda f: (_date(f.filed_on or f.due_on), f.slug))
    decisions = sorted(case.decisions.all(), key=lambda d: (d.decided_on, d.slug))
    claims = sorted(
        (claim for decision in decisions for claim in decision.compliance_claims.all()),
        key=lambda c: (c.made_on, c.slug),
    )
    return _ordered(
        "case_file",
        {
            "case": _ordered(
                "case",
                {
                    "general_list_number": case.general_list_number,
                    "title": case.title,
                    "short_title": case.short_title,
                    "slug": case.slug,
                    "court": case.court.code,
                    "instituted_on": _date(case.instituted_on),
                    "status": case.status,
                    "basis": case.basis,
                    "summary": case.summary,
                    "related_cases": sorted(c.general_list_number for c in case.related_cases.all()),
                    **_facts(case),
                },
            ),
            "parties": [_ordered("case_party", {"party": cp.party.code, "role": cp.role}) for cp in parties],
            "representations": [
                _ordered(
                    "representation",
                    {
                        "party": r.party.code,
                        "person": r.person.slug,
                        "role": r.role,
                        "from_date": _date(r.from_date),
                        "to_date": _date(r.to_date),
                        **_facts(r),
                    },
                )
                for r in representations
            ],
            "hearings": [
                _ordered(
                    "hearing",
                    {
                        "slug": h.slug,
                        "subject": h.subject,
                        "starts_on": _date(h.starts_on),
                        "ends_on": _date(h.ends_on),
                        "record_numbers": h.record_numbers,
                        "summary": h.summary,
                        **_facts(h),
                    },
                )
                for h in sorted(case.hearings.all(), key=lambda h: (h.starts_on, h.slug))
            ],
            "filings": [
                _ordered(
                    "filing",
                    {
                        "slug": f.slug,
                        "kind": f.kind,
                        "filed_by": f.filed_by.code,
                        "title": f.title,
                        "filed_on": _date(f.filed_on),
                        "due_on": _date(f.due_on),
                        "document_number": f.document_number,
                        "url": f.url,
                        "summary": f.summary,
                        "requested_measures": f.requested_measures,
                        **_facts(f),
                    },
                )
                for f in filings
            ],
            "decisions": [_export_decision(d) for d in decisions],
            "claims": [
                _ordered(
                    "claim",
                    {
                        "slug": c.slug,
                        "decision": c.decision.slug,
                        "provision": c.provision.paragraph if c.provision_id else None,
                        "claimant": c.claimant.code,
                        "spokesperson": c.spokesperson.slug if c.spokesperson_id else None,
                        "made_on": _date(c.made_on),
                        "assessment": c.assessment,
                        "summary": c.summary,
                        "quote": c.quote,
                        **_facts(c),
                    },
                )
                for c in claims
            ],
        },
    )


def _export_decision(d) -> dict:
    bench = sorted(d.bench.all(), key=lambda m: (m.position, m.id))
    order = {m.judge_id: i for i, m in enumerate(bench)}

    def judges(provision, choice):
        votes = [v for v in provision.votes.all() if v.vote == choice]
        return [v.judge.slug for v in sorted(votes, key=lambda v: (order.get(v.judge_id, 999), v.judge.slug))]

    return _ordered(
        "decision",
        {
            "slug": d.slug,
            "kind": d.kind,
            "subject": d.subject,
            "issued_by": d.issued_by,
            "decided_on": _date(d.decided_on),
            "title": d.title,
            "document_number": d.document_number,
            "url": d.url,
            "responds_to": sorted(f.slug for f in d.responds_to.all()),
            "summary": d.summary,
            "not_indicated": d.not_indicated,
            "bench": [_ordered("bench", {"judge": m.judge.slug, "office": m.office}) for m in bench],
            "provisions": [
                _ordered(
                    "provision",
                    {
                        "paragraph": p.paragraph,
                        "kind": p.kind,
                        "addressees": sorted(a.code for a in p.addressees.all()),
                        "text": p.text,
                        "votes_for": p.votes_for,
                        "votes_against": p.votes_against,
                        "unanimous": p.unanimous,
                        "judges_for": judges(p, VoteChoice.FOR),
                        "judges_against": judges(p, VoteChoice.AGAINST),
                        "amends": (
                            _ordered(
                                "amends",
                                {
                                    "case": p.amends.decision.case.general_list_number,
                                    "decision": p.amends.decision.slug,
                                    "paragraph": p.amends.paragraph,
                                },
                            )
                            if p.amends_id
                            else None
                        ),
                        "amendment": p.amendment,
                        **_facts(p),
                    },
                )
                for p in sorted(d.provisions.all(), key=lambda p: p.position)
            ],
            **_facts(d),
        },
    )


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_files() -> dict[str, str]:
    """The whole database in the dataset format: {relative path: file text}."""
    sources = Source.objects.order_by("key")
    parties = Party.objects.prefetch_related("sources").order_by("code")
    people = Person.objects.select_related("nationality").prefetch_related("sources").order_by("slug")
    events = Event.objects.prefetch_related("sources", "cases").order_by("starts_on", "slug")
    cases = Case.objects.select_related("court").prefetch_related(
        "sources",
        "related_cases",
        Prefetch("case_parties", queryset=CaseParty.objects.select_related("party")),
        Prefetch(
            "representations",
            queryset=Representation.objects.select_related("party", "person").prefetch_related("sources"),
        ),
        Prefetch("hearings", queryset=Hearing.objects.prefetch_related("sources")),
        Prefetch("filings", queryset=Filing.objects.select_related("filed_by").prefetch_related("sources")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.prefetch_related(
                "sources",
                "responds_to",
                Prefetch("bench", queryset=BenchMember.objects.select_related("judge")),
                Prefetch(
                    "provisions",
                    queryset=Provision.objects.select_related("amends__decision__case").prefetch_related(
                        "sources", "addressees", Prefetch("votes", queryset=Vote.objects.select_related("judge"))
                    ),
                ),
                Prefetch(
                    "compliance_claims",
                    queryset=ComplianceClaim.objects.select_related(
                        "provision", "claimant", "spokesperson"
                    ).prefetch_related("sources"),
                ),
            ),
        ),
    )
    files = {
        "sources.json": _dump({"sources": [_export_source(s) for s in sources]}),
        "actors.json": _dump(
            {
                "parties": [
                    _ordered(
                        "party",
                        {"code": p.code, "name": p.name, "short_name": p.short_name, "kind": p.kind, **_facts(p)},
                    )
                    for p in parties
                ],
                "people": [
                    _ordered(
                        "person",
                        {
                            "slug": p.slug,
                            "name": p.name,
                            "nationality": p.nationality.code if p.nationality_id else None,
                            "description": p.description,
                            **_facts(p),
                        },
                    )
                    for p in people
                ],
            }
        ),
        "events.json": _dump(
            {
                "events": [
                    _ordered(
                        "event",
                        {
                            "slug": e.slug,
                            "title": e.title,
                            "starts_on": _date(e.starts_on),
                            "ends_on": _date(e.ends_on),
                            "description": e.description,
                            "cases": sorted(c.general_list_number for c in e.cases.all()),
                            **_facts(e),
                        },
                    )
                    for e in events
                ]
            }
        ),
    }
    for case in cases:
        files[f"cases/{case.general_list_number}.json"] = _dump(_export_case(case))
    return files


def export_dataset(directory: Path | str) -> list[Path]:
    """Write the dataset files under directory; returns the paths written."""
    directory = Path(directory)
    written = []
    for relative, text in export_files().items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
