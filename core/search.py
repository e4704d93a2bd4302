"""Full-text search over the text of filings, decisions, provisions, claims, events and sources.

On PostgreSQL each searchable table carries a stored ``search_vector`` tsvector column, generated
from the fields listed in SEARCH_FIELDS and indexed with GIN (see tracker/migrations). The column
is added by a PostgreSQL-only migration and is unknown to Django's model state, so the models and
``makemigrations --check`` stay the same on both databases; it is queried here through RawSQL.

On SQLite (development, tests) the same query is answered by ``icontains`` over the same fields:
every word must occur in one of them, ``"a phrase"`` must occur as written, ``-word`` excludes and
``or`` separates alternatives, mirroring PostgreSQL's ``websearch_to_tsquery``.
"""

import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
SEARCH_COLUMN = "search_vector"


@dataclass(frozen=True)
class Searchable:
    """Which text fields of a model are searched, the most telling (weight A) first."""

    weighted: tuple[tuple[str, str], ...]

    @property
    def fields(self) -> list[str]:
        return [field for field, _weight in self.weighted]


# Keyed by "app_label.ModelName". The PostgreSQL columns are built from a frozen copy of these lists
# in tracker/migrations/0001_full_text_search.py: a change here needs a new migration that rebuilds
# the column, or the two databases would search different fields.
SEARCH_FIELDS: dict[str, Searchable] = {
    "filings.Filing": Searchable(
        (("title", "A"), ("document_number", "A"), ("summary", "B"), ("requested_measures", "C"))
    ),
    "decisions.Decision": Searchable(
        (("title", "A"), ("document_number", "A"), ("summary", "B"), ("not_indicated", "C"))
    ),
    "decisions.Provision": Searchable((("paragraph", "A"), ("text", "B"), ("note", "D"))),
    "compliance.ComplianceClaim": Searchable((("summary", "A"), ("quote", "B"), ("note", "D"))),
    "cases.Event": Searchable((("title", "A"), ("description", "B"), ("note", "D"))),
    "sources.Source": Searchable((("title", "A"), ("document_number", "A"), ("publisher", "B"), ("excerpt", "C"))),
}


def searchable_for(model) -> Searchable:
    try:
        return SEARCH_FIELDS[model._meta.label]
    except KeyError:
        raise ValueError(
            f"{model._meta.label} is not searchable; searchable models: {', '.join(SEARCH_FIELDS)}."
        ) from None


def _clean(q: str) -> str:
    # NUL cannot be sent to PostgreSQL and means nothing in a search.
    return (q or "").replace("\x00", " ").strip()


def full_text_filter(queryset: QuerySet, q: str) -> QuerySet:
    """Rows of `queryset` matching the search `q`, annotated with `search_rank` (higher is better).

    An empty `q` returns the queryset unchanged (with a rank of 0). The rank is PostgreSQL's
    ts_rank over the weighted vector; on SQLite every match ranks 1.
    """
    searchable = searchable_for(queryset.model)
    q = _clean(q)
    if not q:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connections[queryset.db].vendor == "postgresql":
        return _postgres_filter(queryset, q)
    return _fallback_filter(queryset, searchable.fields, q).annotate(search_rank=Value(1.0, output_field=FloatField()))


def _postgres_filter(queryset: QuerySet, q: str) -> QuerySet:
    table = queryset.model._meta.db_table
    column = f'"{table}"."{SEARCH_COLUMN}"'
    query = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"
    # Only the table name (from the model) is interpolated; the user's text is a parameter.
    rank = RawSQL(f"ts_rank({column}, {query})", (q,), output_field=FloatField())  # noqa: S611
    matches = RawSQL(f"{column} @@ {query}", (q,), output_field=BooleanField())  # noqa: S611
    return queryset.annotate(search_rank=rank).filter(matches)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def parse_websearch(q: str) -> list[tuple[list[str], list[str]]]:
    """Split a websearch-style query into alternatives, each (terms required, terms excluded)."""
    alternatives: list[tuple[list[str], list[str]]] = [([], [])]
    for match in _TOKEN.finditer(q):
        negated = bool(match.group(1) or match.group(3))
        term = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        if not term:
            continue
        if not negated and term.lower() == "or" and match.group(4) is not None:
            alternatives.append(([], []))
            continue
        required, excluded = alternatives[-1]
        (excluded if negated else required).append(term)
    return [alt for alt in alternatives if alt[0] or alt[1]]


def _fallback_filter(queryset: QuerySet, fields: list[str], q: str) -> QuerySet:
    def anywhere(term: str) -> Q:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        return condition

    combined = None
    for required, excluded in parse_websearch(q):
        condition = Q()
        for term in required:
            condition &= anywhere(term)
        for term in excluded:
            condition &= ~anywhere(term)
        combined = condition if combined is None else combined | condition
    if combined is None:
        return queryset.none()
    return queryset.filter(combined)
