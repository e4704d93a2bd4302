"""Exporting the dataset: the tracker's records written back as the files in data/.

Edits made in the admin or through the API reach the curated files by exporting, and anyone can
mirror the tracker from the download. The export is the canonical form of the files: loading
data/ and exporting it reproduces data/ byte for byte, so a curator's diff shows only real
changes. What each record holds, in what order, and how records are sorted is declared once, in
dataset.spec; this module only walks it, reading each case in a fixed number of queries.
"""

import json
from pathlib import Path

from django.db.models import Prefetch

from dataset.spec import CASE_FILE, RECORDS, TOP_LEVEL_FILES, File, How, Key
from decisions.models import Vote

__all__ = ["export_dataset", "export_files"]


def _walk(obj, path: str):
    """Follow a ``__`` path of attributes from obj; None as soon as a step is missing."""
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _each(obj, path: str) -> list:
    """The records at the end of a ``__`` path through related managers, in order."""
    found = [obj]
    for name in path.split("__"):
        found = [item for parent in found for item in getattr(parent, name).all()]
    return found


def _key(key: Key, target):
    if target is None:
        return None
    if key.parts:
        return export_record(key.parts, target)
    return _walk(target, key.field)


def _voters(provision, choice: str, key: Key) -> list:
    """The judges who voted this way, in the order of precedence on the bench."""
    # The bench comes in the Court's order (office, then order of entry): BenchMember's own ordering.
    bench = {member.judge_id: rank for rank, member in enumerate(provision.decision.bench.all())}
    voters = [vote.judge for vote in provision.votes.all() if vote.vote == choice]
    return [_key(key, judge) for judge in sorted(voters, key=lambda j: (bench.get(j.pk, len(bench)), j.slug))]


def export_record(kind: str, obj) -> dict:
    """One record as the files hold it: every field of its kind, in the declared order."""
    spec = RECORDS[kind]
    data = {}
    for f in spec.fields:
        attr = f.model_attr
        if f.how is How.VALUE:
            data[f.name] = _walk(obj, attr)
        elif f.how is How.DATE:
            day = getattr(obj, attr)
            data[f.name] = day.isoformat() if day else None
        elif f.how is How.REF:
            data[f.name] = _key(f.to, getattr(obj, attr))
        elif f.how is How.REFS:
            data[f.name] = sorted(_key(f.to, target) for target in getattr(obj, attr).all())
        elif f.how is How.VOTES:
            data[f.name] = _voters(obj, f.vote, f.to)
        elif f.how is How.RECORDS:
            data[f.name] = export_records(f.to, getattr(obj, attr).all())
    return data


def export_records(kind: str, objs) -> list[dict]:
    """Records of one kind in the files' order: by their position, or as the spec sorts them."""
    spec = RECORDS[kind]
    if spec.position:
        name, _ = spec.position
        return [export_record(kind, obj) for obj in sorted(objs, key=lambda o: (getattr(o, name), o.pk))]
    return sorted((export_record(kind, obj) for obj in objs), key=spec.order)


def queryset(kind: str):
    """Records of a kind with everything their export reads, so each relation is one query."""
    spec = RECORDS[kind]
    select, prefetch, votes = [], [], None
    for f in spec.fields:
        attr = f.model_attr
        if f.how is How.REF:
            select.append(attr)
            if f.to.parts:
                for part in RECORDS[f.to.parts].fields:
                    *relations, _ = part.model_attr.split("__")
                    if relations:
                        select.append("__".join([attr, *relations]))
        elif f.how is How.REFS:
            prefetch.append(attr)
        elif f.how is How.VOTES:
            votes = Prefetch("votes", queryset=Vote.objects.select_related("judge"))
        elif f.how is How.RECORDS:
            prefetch.append(Prefetch(attr, queryset=queryset(f.to)))
    if votes:
        prefetch.append(votes)
    return spec.model.objects.select_related(*select).prefetch_related(*prefetch)


def _file_queryset(file: File):
    lookups = [Prefetch(s.attr, queryset=queryset(s.kind)) for s in file.sections if not s.one]
    return queryset(file.head.kind).prefetch_related(*lookups)


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_files() -> dict[str, str]:
    """The whole database in the dataset format: {relative path: file text}."""
    files = {}
    for file in TOP_LEVEL_FILES:
        files[file.name] = _dump({s.name: export_records(s.kind, queryset(s.kind)) for s in file.sections})
    for case in _file_queryset(CASE_FILE).order_by(*RECORDS[CASE_FILE.head.kind].key):
        data = {
            s.name: export_record(s.kind, case) if s.one else export_records(s.kind, _each(case, s.attr))
            for s in CASE_FILE.sections
        }
        files[CASE_FILE.name.format(**data[CASE_FILE.head.name])] = _dump(data)
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
