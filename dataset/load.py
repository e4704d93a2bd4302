"""Loading the curated dataset: the files in data/ become the tracker's records.

Curators correct and extend the record of the cases by editing the files and loading them again,
so a load must be safe to repeat and must never leave half an edit behind. It is an upsert by
the natural keys the files use, in one transaction: a record that has not changed is not written
again (its version and history stay as they were), and any problem is reported as a DatasetError
naming the file, the record and the field, with the database left exactly as it was. Every write
is the dataset loader's in the history, with the file it came from as the reason, and a
provision's votes are recorded through the same vote service as the admin's and the API's.

What each record holds is declared once, in dataset.spec; this module only walks it.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from core.dataversion import deferred
from core.search import rebuild_vocabulary
from dataset.spec import CASE_FILE, DEFAULT_DATA_DIR, LOAD_ORDER, RECORDS, TOP_LEVEL_FILES, How, Key, Record
from decisions.models import VoteChoice
from decisions.services import provision_set_votes

__all__ = ["DEFAULT_DATA_DIR", "DatasetError", "LoadReport", "load_dataset", "loader_user"]


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


# Reading the files -------------------------------------------------------------------------------


def dataset_files(paths: Iterable[Path | str] | None = None) -> list[Path]:
    """The JSON files to load: every .json under each directory given, or the files themselves."""
    paths = [Path(p) for p in (paths or [DEFAULT_DATA_DIR])]
    found = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.rglob("*.json")))
        elif path.exists():
            found.append(path)
        else:
            raise DatasetError(str(path), "no such file or directory")
    if not found:
        raise DatasetError(", ".join(map(str, paths)), "no dataset files found")
    # A file named twice (a directory and a file in it) is read once.
    unique = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


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


def _json_type(value) -> str:
    if value is None:
        return "null"
    names = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DatasetError(where, f"expected a list, found {_json_type(value)}")
    return value


def _object(record, where: str) -> dict:
    if not isinstance(record, dict):
        raise DatasetError(where, f"expected an object, found {_json_type(record)}")
    return record


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def _label(spec: Record, record: dict) -> str:
    if spec.label:
        return spec.label.format(**{name: record.get(name) for name in (*spec.key, *spec.names)})
    return ", ".join(str(record.get(name)) for name in spec.key)


def _check_fields(spec: Record, record: dict, where: str) -> None:
    unknown = [name for name in record if name not in spec.names]
    if unknown:
        raise DatasetError(where, f"unknown field(s) {', '.join(unknown)}; a {spec.kind} has {', '.join(spec.names)}")


# The JSON a model field takes, checked before Django's own conversion (which would turn 5 into "5").
_EXPECTED = (
    (models.BooleanField, bool, "true or false"),
    (models.IntegerField, int, "a whole number"),
    (models.DateField, str, "an ISO date (YYYY-MM-DD)"),
    (models.CharField, str, "text"),
    (models.TextField, str, "text"),
)


def _convert(model_field: models.Field, raw, where: str):
    """A JSON value as the model field stores it; null is the field's default when it is required."""
    if raw is None:
        return None if model_field.null else model_field.get_default()
    for field_class, json_type, words in _EXPECTED:
        if isinstance(model_field, field_class):
            if not isinstance(raw, json_type) or (json_type is int and isinstance(raw, bool)):
                raise DatasetError(where, f"expected {words}, found {_json_type(raw)}")
            break
    try:
        return model_field.to_python(raw)
    except ValidationError as exc:
        raise DatasetError(where, " ".join(exc.messages)) from None


def _check_form(raw, pattern, form: str, what: str, where: str) -> None:
    if pattern is not None and isinstance(raw, str) and not pattern.fullmatch(raw):
        suggestion = slugify(raw).upper()
        hint = f"; did you mean {suggestion!r}?" if suggestion and pattern.fullmatch(suggestion) else ""
        raise DatasetError(where, f"{raw!r} is not a well-formed {what} ({form}){hint}")


# Loading -----------------------------------------------------------------------------------------


@dataclass
class Step:
    """One record to load, or one pass over a loaded record's later fields."""

    path: Path
    where: str
    kind: str
    record: dict
    later: bool = False


@dataclass
class Read:
    """One record's fields, read: model values, many-to-many ids, checks to run, votes, nested lists."""

    values: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    ballots: dict = field(default_factory=dict)
    nested: list = field(default_factory=list)


class Loader:
    """One run of the loader: the plan, the natural keys seen, the counts and the history user."""

    def __init__(self, progress: Callable[[int, int, str], None] | None = None):
        self.report = LoadReport()
        self.progress = progress or (lambda done, total, label: None)
        self.user = None
        self.reason = ""
        self.heads: dict[Path, models.Model] = {}  # the case of each case file, once loaded
        self.loaded: dict[str, models.Model] = {}  # where a record is given -> the record loaded
        self.seen: dict[tuple, str] = {}  # natural key -> where it was first given
        self.created: set[tuple] = set()  # (model, pk) of the records this run created
        self.found: dict[tuple, models.Model] = {}  # natural key -> the record it names

    # -- the plan

    def run(self, files: list[Path]) -> LoadReport:
        """Plan every step first (so progress knows the total), then load in dependency order."""
        self.user = loader_user()
        steps: dict[str, list[Step]] = {kind: [] for kind in LOAD_ORDER}
        for path in files:
            data = read_file(path)
            self.report.files.append(str(path))
            for kind, where, record in self._sections(path, data):
                steps[kind].append(Step(path, where, kind, record))
        plan = []
        for kind in LOAD_ORDER:
            spec = RECORDS[kind]
            if spec.load_by:
                steps[kind].sort(key=lambda s, by=spec.load_by: _sort_text(s.record, by))
            plan.extend(steps[kind])
            if any(f.later for f in spec.fields):
                plan.extend(Step(s.path, s.where, s.kind, s.record, later=True) for s in steps[kind])
        for done, step in enumerate(plan, start=1):
            self.reason = f"load_dataset {step.path}"
            self.progress(done, len(plan), step.where)
            head = self.heads.get(step.path)
            context = {CASE_FILE.head.kind: head} if head is not None else {}
            if step.later:
                self.load_later(step, context)
                continue
            obj = self.load_record(step.kind, step.record, step.where, context)
            self.loaded[step.where] = obj
            if step.kind == CASE_FILE.head.kind:
                self.heads[step.path] = obj
        return self.report

    def _sections(self, path: Path, data: dict):
        """The records of one file, as (kind, where, record), checking its sections against the spec."""
        if "case" in data:
            unknown = [name for name in data if name not in CASE_FILE.names]
            if unknown:
                raise DatasetError(
                    str(path),
                    f"unknown section(s) {', '.join(unknown)} in a case file; it has {', '.join(CASE_FILE.names)}",
                )
            sections = CASE_FILE.sections
        else:
            allowed = {s.name: s for file in TOP_LEVEL_FILES for s in file.sections}
            unknown = [name for name in data if name not in allowed]
            if unknown or not data:
                raise DatasetError(
                    str(path),
                    f"unknown section(s) {', '.join(unknown) or '(none)'}; "
                    f"expected {', '.join(allowed)}, or a case file",
                )
            sections = [allowed[name] for name in data]
        for section in sections:
            if section.one:
                yield section.kind, f"{path}: {section.name}", data.get(section.name)
                continue
            for i, record in enumerate(_list(data.get(section.name), f"{path}: {section.name}")):
                yield section.kind, f"{path}: {section.name}[{i}]", record

    # -- natural keys

    def resolve(self, key: Key, raw, where: str, scope: dict):
        """The record a natural key names, or None for null; a DatasetError if there is none."""
        if raw is None:
            return None
        lookup = {}
        if key.parts:
            parts = RECORDS[key.parts]
            _check_fields(parts, _object(raw, where), where)
            lookup = {f.model_attr: raw.get(f.name) for f in parts.fields}
            shown = ", ".join(f"{f.name} {raw.get(f.name)!r}" for f in parts.fields)
        else:
            if isinstance(raw, list | dict | bool | float):
                raise DatasetError(where, f"expected a {key.model._meta.verbose_name} key, found {_json_type(raw)}")
            what = f"{key.model._meta.verbose_name} {key.field.replace('_', ' ')}"
            _check_form(raw, key.pattern, key.form, what, where)
            lookup = {key.field: raw}
            shown = repr(raw)
        if key.within:
            lookup[key.within] = scope.get(key.within)
        cache = (key, repr(raw), getattr(lookup.get(key.within), "pk", None))
        if cache not in self.found:
            obj = key.model.objects.filter(**lookup).first()
            if obj is None:
                within = f" in this {key.within}" if key.within else ""
                raise DatasetError(where, f"no {key.model._meta.verbose_name} {shown}{within} ({key.missing})")
            self.found[cache] = obj
        return self.found[cache]

    def resolve_all(self, key: Key, raw, where: str, scope: dict) -> list:
        targets = []
        for item in _list(raw, where):
            if item is None:
                raise DatasetError(where, "null in a list of keys")
            targets.append(self.resolve(key, item, where, scope))
        return targets

    def check_key(self, spec: Record, record: dict, where: str, context: dict) -> None:
        """Each field naming the record is given, in the required form, and names it only once."""
        if not spec.key:
            return  # named by its place in its list (an opinion), which is unique by construction
        for name in spec.key:
            if record.get(name) is None:
                raise DatasetError(f"{where}: {name}", f"a {spec.kind} needs a {name.replace('_', ' ')}")
            field_spec = spec.field(name)
            if field_spec.pattern is not None:
                what = f"{spec.model._meta.verbose_name} {name.replace('_', ' ')}"
                _check_form(record[name], field_spec.pattern, field_spec.form, what, f"{where}: {name}")
        parent = context.get(spec.parent)
        natural = (spec.kind, getattr(parent, "pk", None), *(json.dumps(record[n], sort_keys=True) for n in spec.key))
        if natural in self.seen:
            names = ", ".join(spec.key)
            given = ", ".join(str(record[n]) for n in spec.key)
            raise DatasetError(f"{where}: {names}", f"{given} is given twice; it is also {self.seen[natural]}")
        self.seen[natural] = where

    # -- the one upsert every record goes through

    def load_record(self, kind: str, record, where: str, context: dict, index: int = 0):
        """Create or update one record (and those nested in it) by its natural key; write only what changed."""
        spec = RECORDS[kind]
        _object(record, where)
        where = f"{where} ({_label(spec, record)})"
        _check_fields(spec, record, where)
        self.check_key(spec, record, where, context)
        read = self.read(spec, record, where, context, index)

        names = [spec.parent] if spec.parent else []
        keys = [spec.field(n).model_attr for n in spec.key] or [spec.position[0]]
        identity = {name: read.values[name] for name in [*names, *keys]}
        obj = spec.model.objects.filter(**identity).first()
        created = obj is None
        if created:
            obj = spec.model(**identity)
        changed = created
        for name, value in read.values.items():
            model_field = spec.model._meta.get_field(name)
            if model_field.is_relation:
                value = value.pk if value is not None else None
            if getattr(obj, model_field.attname) != value:
                setattr(obj, model_field.attname, value)
                changed = True
        for method, targets in read.checks:
            try:
                getattr(obj, method)(targets)
            except ValidationError as exc:
                raise DatasetError(where, _describe(exc)) from None

        if any(f.how is How.VOTES for f in spec.fields):
            # The vote service writes the row and its many-to-many values, only if they differ.
            changed = self.record_votes(obj, read.ballots, read.m2m, where) or created
        else:
            if changed:
                self.save(obj, spec, read.values, where)
            changed = self.set_m2m(obj, read.m2m, created) or changed

        for f, children in read.nested:
            self.load_nested(RECORDS[f.to], children, f"{where}: {f.name}", {**context, kind: obj})

        if created:
            self.created.add((spec.model, obj.pk))
            self.report.created += 1
        elif changed:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return obj

    def read(self, spec: Record, record: dict, where: str, context: dict, index: int) -> "Read":
        """The record's fields as the model takes them: converted values, records its keys name, and so on."""
        read = Read()
        scope = dict(context)  # what a key "within" a case or a decision is looked up in
        for f in spec.fields:
            raw, here = record.get(f.name), f"{where}: {f.name}"
            if f.how in (How.VALUE, How.DATE):
                read.values[f.model_attr] = _convert(spec.model._meta.get_field(f.model_attr), raw, here)
            elif f.how is How.REF:
                read.values[f.model_attr] = scope[f.name] = self.resolve(f.to, raw, here, scope)
            elif f.how is How.REFS and not f.later:
                targets = self.resolve_all(f.to, raw, here, scope)
                if f.required and not targets:
                    raise DatasetError(here, f"every fact needs at least one {f.to.model._meta.verbose_name}")
                read.m2m[f.model_attr] = [t.pk for t in targets]
                if f.check:
                    read.checks.append((f.check, targets))
            elif f.how is How.VOTES:
                read.ballots[f.vote] = self.resolve_all(f.to, raw, here, scope)
            elif f.how is How.RECORDS:
                read.nested.append((f, _list(raw, here)))
        if spec.parent:
            read.values[spec.parent] = context[spec.parent]
        if spec.position:
            name, start = spec.position
            read.values[name] = start + index
        return read

    def load_nested(self, spec: Record, children: list, where: str, context: dict) -> None:
        kept = [
            self.load_record(spec.kind, child, f"{where}[{i}]", context, index=i).pk for i, child in enumerate(children)
        ]
        if spec.prune:
            for stale in spec.model.objects.filter(**{spec.parent: context[spec.parent]}).exclude(pk__in=kept):
                self.attribute(stale)
                stale.delete()

    def save(self, obj, spec: Record, values: dict, where: str) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise DatasetError(where, _describe(exc)) from None
        self.attribute(obj)
        obj.save()
        if spec.position:
            # A model may number a new record itself (a judge added to a bench goes last); the
            # order in the file is the record's position.
            name, _ = spec.position
            if getattr(obj, name) != values[name]:
                setattr(obj, name, values[name])
                obj.save(update_fields=[name])

    def load_later(self, step: Step, context: dict) -> None:
        """Set the fields that refer to records of the same kind, now that every one of them is loaded."""
        spec, obj = RECORDS[step.kind], self.loaded[step.where]
        where = f"{step.where} ({_label(spec, step.record)})"
        m2m = {}
        for f in spec.fields:
            if f.later:
                here = f"{where}: {f.name}"
                m2m[f.model_attr] = [t.pk for t in self.resolve_all(f.to, step.record.get(f.name), here, context)]
        created = (spec.model, obj.pk) in self.created
        if self.set_m2m(obj, m2m, created) and not created:
            self.report.updated += 1

    def set_m2m(self, obj, m2m: dict, created: bool) -> bool:
        changed = False
        for name, ids in m2m.items():
            manager = getattr(obj, name)
            if created or set(manager.values_list("pk", flat=True)) != set(ids):
                manager.set(ids)
                changed = True
        return changed

    def record_votes(self, provision, ballots: dict, m2m: dict, where: str) -> bool:
        """Save a provision, its votes and its many-to-many values through the vote service.

        The one service the admin and the API use too: it checks the vote against the bench,
        credits the whole bench with a unanimous vote that names no judges, and writes only
        what differs from the stored rows. Where the file gives the counts, they must be what
        the service records, since the file is exported back as the database holds it.
        True if anything was written.
        """
        counts = (provision.votes_for, provision.votes_against)
        before = (provision.version, self.ballots(provision))
        try:
            provision_set_votes(
                provision=provision,
                judges_for=ballots.get(VoteChoice.FOR, []),
                judges_against=ballots.get(VoteChoice.AGAINST, []),
                history_user=self.user,
                reason=self.reason,
                relations=m2m,
            )
        except ValidationError as exc:
            raise DatasetError(where, _describe(exc)) from None
        recorded = (provision.votes_for, provision.votes_against)
        if counts[0] is not None and recorded != counts:
            raise DatasetError(
                f"{where}: votes_for",
                f"The counts ({counts[0]} to {counts[1]}) do not match the judges recorded as voting "
                f"({recorded[0]} for, {recorded[1]} against).",
            )
        return before != (provision.version, self.ballots(provision))

    @staticmethod
    def ballots(provision) -> set:
        return set() if provision.pk is None else set(provision.votes.values_list("judge", "vote"))

    def attribute(self, obj) -> None:
        obj._history_user = self.user
        obj._change_reason = self.reason


def _sort_text(record, name: str) -> str:
    return str(record.get(name) or "") if isinstance(record, dict) else ""


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
    # One version bump for the whole load (some steps write in bulk, without the signals that bump it).
    with transaction.atomic(), deferred():
        report = Loader(progress).run(files)
        # The words search suggestions are drawn from follow the text just loaded.
        rebuild_vocabulary()
    return report
