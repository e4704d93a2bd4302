"""Full-text search over the text of filings, decisions, provisions, claims, events and sources.

On PostgreSQL each searchable table carries a stored ``search_vector`` tsvector column, generated
from the fields listed in SEARCH_FIELDS and indexed with GIN (see tracker/migrations). The column
is added by a PostgreSQL-only migration and is unknown to Django's model state, so the models and
``makemigrations --check`` stay the same on both databases; it is queried here through RawSQL.

On SQLite (``make run``, tests) each searchable table has an FTS5 virtual table,
``search_fts_<table>``, over the same fields (external content, tokenizer
``porter unicode61 remove_diacritics 2``), kept current by triggers on the table and created by
tracker/migrations/0004_sqlite_full_text_search.py. Both databases take the same query language
(every word must match, ``"a phrase"``, ``-exclude``, ``or``; words are stemmed, so "landmines"
finds "landmine-laying"; a hyphenated term is a phrase, so "booby-traps" finds "booby traps"). The
query is parsed here and rebuilt for each database with every term quoted: the user's syntax never
reaches FTS5 (where a stray ``"`` or ``NEAR(`` would be an error) nor PostgreSQL raw.

Spelling suggestions ("Lachine": did you mean Lachin?) come from ``search_word``, a small table of
the distinct words of the searchable text and of names, rebuilt by ``rebuild_vocabulary()`` (the
dataset loader calls it after every load). Editors' later changes reach it at the next rebuild.
PostgreSQL finds the nearest word with pg_trgm's similarity over a trigram GIN index; SQLite with
``difflib`` over a bounded candidate list (same first letter, similar length).

No search's cost grows with the tables: a match goes through the index; ranking, exact counts
and deep pages are spent only on a search with at most SEARCH_MATCH_LIMIT matches (``narrower_than``, a
LIMITed count); a broader one is listed newest first (the pages) or in the list's own order (the
API), and every query of a search runs under ``search_time_limit`` (SEARCH_TIMEOUT_MS), past which
the reader is asked for a narrower search (SearchTooBroad) instead of waiting or seeing an error.
"""

import difflib
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.models import BooleanField, Case, ExpressionWrapper, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

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


FTS_PREFIX = "search_fts_"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
# Rank weights on SQLite, standing for PostgreSQL's setweight letters.
RANK_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0, "D": 1.0}
VOCABULARY_TABLE = "search_word"

# Short fields that name things, searched by substring (the tables are small: hundreds of rows).
NAME_FIELDS: dict[str, tuple[str, ...]] = {
    "parties.Party": ("short_name", "name", "code", "aliases"),
    "parties.Person": ("name", "aliases"),
    "cases.Case": ("short_title", "title"),
}


def fts_table(db_table: str) -> str:
    return f"{FTS_PREFIX}{db_table}"


def searchable_for(model) -> Searchable:
    try:
        return SEARCH_FIELDS[model._meta.label]
    except KeyError:
        raise ValueError(
            f"{model._meta.label} is not searchable; searchable models: {', '.join(SEARCH_FIELDS)}."
        ) from None


def sqlite_index_statements(table: str, fields: list[str]) -> list[str]:
    fts = fts_table(table)
    columns = ", ".join(f'"{field}"' for field in fields)
    new = ", ".join(f'new."{field}"' for field in fields)
    old = ", ".join(f'old."{field}"' for field in fields)
    # Identifiers from the models only.
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {columns}) VALUES (\'delete\', old.id, {old});'  # noqa: S608
    insert = f'INSERT INTO "{fts}"(rowid, {columns}) VALUES (new.id, {new});'  # noqa: S608
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({columns}, '
        f"content='{table}', content_rowid='id', tokenize='{FTS_TOKENIZER}')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE ON "{table}" BEGIN {delete} {insert} END',
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',  # noqa: S608
    ]


def ensure_sqlite_indexes(using: str = "default") -> list[str]:
    """Recreate the FTS5 tables' triggers where a migration lost them; return the tables repaired.

    Django's SQLite schema editor alters a table by rebuilding it, which drops its triggers; this
    runs after every ``migrate`` (post_migrate) so that any later migration of a searchable table
    leaves its full-text index current. An index whose columns no longer match SEARCH_FIELDS is
    rebuilt from scratch. Only where 0004 created the indexes (never before it, or after reversing).
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        for label, searchable in SEARCH_FIELDS.items():
            table = apps.get_model(label)._meta.db_table
            fts = fts_table(table)
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR tbl_name = %s", [fts, table])
            names = {row[0] for row in cursor.fetchall()}
            if fts not in names:
                continue
            triggers = {f"{fts}_{suffix}" for suffix in ("insert", "delete", "update")}
            cursor.execute("SELECT name FROM pragma_table_info(%s)", [fts])
            columns = [row[0] for row in cursor.fetchall()]
            if triggers <= names and columns == searchable.fields:
                continue
            if columns != searchable.fields:
                for trigger in triggers:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
                cursor.execute(f'DROP TABLE "{fts}"')
            for statement in sqlite_index_statements(table, searchable.fields):
                cursor.execute(statement)
            repaired.append(table)
    return repaired


def _after_migrate(sender, using="default", **kwargs):
    if sender.label == "tracker":
        ensure_sqlite_indexes(using)


# tracker/migrations import this module, so the receiver is connected whenever migrate runs.
post_migrate.connect(_after_migrate, dispatch_uid="core.search.ensure_sqlite_indexes")


def _clean(q: str) -> str:
    # NUL cannot be sent to PostgreSQL and means nothing in a search.
    return (q or "").replace("\x00", " ").strip()


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+")
_INNER_HYPHEN = re.compile(r"(?<=\w)[-‐‑–—](?=\w)")


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


def term_words(term: str) -> list[str]:
    """The words of one term as both databases' tokenizers see them ("booby-traps": booby, traps)."""
    return _WORD.findall(term.replace("_", " "))


def fts5_query(q: str) -> str:
    """`q` as an FTS5 MATCH expression: every term a quoted phrase; "" when nothing can match.

    An alternative made only of exclusions has nothing for FTS5 to start from and is dropped
    (PostgreSQL would match every row without the word; here such a search matches nothing).
    """

    def phrase(term):
        words = term_words(term)
        return '"' + " ".join(words) + '"' if words else ""

    alternatives = []
    for required, excluded in parse_websearch(_clean(q)):
        wanted = [p for p in map(phrase, required) if p]
        if not wanted:
            continue
        expression = " AND ".join(wanted)
        unwanted = [p for p in map(phrase, excluded) if p]
        if unwanted:
            expression = f"({expression}) NOT ({' OR '.join(unwanted)})"
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives)


def websearch_query(q: str) -> str:
    """`q` rebuilt for PostgreSQL's websearch_to_tsquery, a hyphenated term becoming a phrase.

    PostgreSQL indexes "booby-traps" as the compound and its parts, so a query for the compound
    would miss "booby traps"; as the phrase "booby traps" it finds both spellings.
    """
    alternatives = []
    for required, excluded in parse_websearch(_clean(q)):
        terms = []
        for negated, term in [(False, t) for t in required] + [(True, t) for t in excluded]:
            term = _INNER_HYPHEN.sub(" ", term.replace('"', " ")).strip()
            if not term:
                continue
            terms.append(("-" if negated else "") + (f'"{term}"' if " " in term else term))
        # As on SQLite, an alternative of exclusions alone matches nothing (not every other row).
        if any(not term.startswith("-") for term in terms):
            alternatives.append(" ".join(terms))
    return " or ".join(alternatives)


def full_text_filter(queryset: QuerySet, q: str, *, ranked: bool = True) -> QuerySet:
    """Rows of `queryset` matching the search `q`, annotated with `search_rank` (higher is better).

    An empty `q` returns the queryset unchanged (with a rank of 0). The rank is PostgreSQL's
    ts_rank over the weighted vector, or on SQLite the weights of the groups of fields that match.
    With ``ranked=False`` the rows are only filtered: ranking costs a computation per matching row,
    which a broad search cannot afford (see ``with_search_rank`` and ``narrower_than``).
    """
    searchable = searchable_for(queryset.model)
    q = _clean(q)
    if not q:
        return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())) if ranked else queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        query_text = websearch_query(q)
        if not query_text:
            return _nothing(queryset, ranked)
        matches = RawSQL(f"{_pg_column(queryset)} @@ {_PG_QUERY}", (query_text,), output_field=BooleanField())  # noqa: S611
        matching = queryset.filter(matches)
    elif vendor == "sqlite":
        expression = fts5_query(q)
        if not expression:
            return _nothing(queryset, ranked)
        fts = fts_table(queryset.model._meta.db_table)
        # Table names come from the model; the MATCH expression is a parameter built of quoted phrases.
        matching = queryset.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', (expression,))  # noqa: S608, S611
        )
    else:
        matching = _fallback_filter(queryset, searchable.fields, q)
    return with_search_rank(matching, q) if ranked else matching


def with_search_rank(queryset: QuerySet, q: str) -> QuerySet:
    """`queryset` (already filtered by ``full_text_filter``) annotated with each row's `search_rank`."""
    q = _clean(q)
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql" and websearch_query(q):
        # Only the table name (from the model) is interpolated; the user's text is a parameter.
        rank = RawSQL(f"ts_rank({_pg_column(queryset)}, {_PG_QUERY})", (websearch_query(q),), output_field=FloatField())  # noqa: S611
        return queryset.annotate(search_rank=rank)
    if vendor == "sqlite" and fts5_query(q):
        return queryset.annotate(search_rank=_sqlite_rank(queryset, searchable_for(queryset.model), fts5_query(q)))
    return queryset.annotate(search_rank=Value(1.0 if q else 0.0, output_field=FloatField()))


_PG_QUERY = f"websearch_to_tsquery('{SEARCH_CONFIG}'::regconfig, %s)"


def _pg_column(queryset: QuerySet) -> str:
    return f'"{queryset.model._meta.db_table}"."{SEARCH_COLUMN}"'


def _nothing(queryset: QuerySet, ranked: bool) -> QuerySet:
    none = queryset.none()
    return none.annotate(search_rank=Value(0.0, output_field=FloatField())) if ranked else none


def _sqlite_rank(queryset: QuerySet, searchable: Searchable, expression: str) -> ExpressionWrapper:
    # The rank: the sum of the weights of the groups of fields (A, B, C, D) in which the whole
    # query matches, each group's matches found by one more MATCH that SQLite evaluates once.
    # Not bm25: FTS5 computes bm25's statistics afresh for each cursor, so a per-row bm25 is
    # quadratic in the matches (28 s for "the" over 20,000 filings), and a join that keeps one
    # cursor breaks as soon as Django relabels the table in a subquery.
    fts = fts_table(queryset.model._meta.db_table)
    by_weight: dict[str, list[str]] = {}
    for field, weight in searchable.weighted:
        by_weight.setdefault(weight, []).append(field)
    rank = Value(0.0, output_field=FloatField())
    for weight, fields in by_weight.items():
        within = f"{{{' '.join(fields)}}} : ({expression})"
        in_group = RawSQL(f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s', (within,))  # noqa: S608, S611
        rank = rank + Case(When(pk__in=in_group, then=Value(RANK_WEIGHTS[weight])), default=Value(0.0))
    return ExpressionWrapper(rank, output_field=FloatField())


def _fallback_filter(queryset: QuerySet, fields, q: str) -> QuerySet:
    """Every term in one of `fields` (substring, case-insensitive), with -exclude and or."""

    def anywhere(term: str) -> Q:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": term})
        return condition

    combined = None
    for required, excluded in parse_websearch(q):
        if not required:
            continue
        condition = Q()
        for term in required:
            condition &= anywhere(term)
        for term in excluded:
            condition &= ~anywhere(term)
        combined = condition if combined is None else combined | condition
    if combined is None:
        return queryset.none()
    return queryset.filter(combined)


def name_filter(queryset: QuerySet, q: str) -> QuerySet:
    """Parties, people or cases whose names (aliases included) contain every term of `q`.

    Names are short and the tables small, so a substring match serves every script and spelling
    the curators record in ``aliases`` ("Հայաստան", "Arménie") without a stemmer for each language.
    """
    fields = NAME_FIELDS[queryset.model._meta.label]
    q = _clean(q)
    if not q:
        return queryset.none()
    return _fallback_filter(queryset, fields, q)


# Bounds on a search's work -----------------------------------------------------------------------

# Ranking, counting exactly and listing past the first page are affordable up to this many matches
# (SEARCH_MATCH_LIMIT); every query of a search must end within SEARCH_TIMEOUT_MS.
DEFAULT_MATCH_LIMIT = 1000
DEFAULT_TIMEOUT_MS = 1500
# SQLite calls the progress handler every this many virtual machine instructions (a few microseconds).
_SQLITE_CHECK_EVERY = 1000
TOO_BROAD = "This search is too broad to answer in time: add a more specific word, or narrow it by case, kind or date."


class SearchTooBroad(Exception):
    """A search's queries ran past the search time limit (SEARCH_TIMEOUT_MS) and were cancelled."""

    def __init__(self, message: str = TOO_BROAD):
        super().__init__(message)


def match_limit() -> int:
    return int(getattr(settings, "SEARCH_MATCH_LIMIT", DEFAULT_MATCH_LIMIT))


def search_timeout_ms() -> int:
    return int(getattr(settings, "SEARCH_TIMEOUT_MS", DEFAULT_TIMEOUT_MS))


def is_cancelled(error: Exception) -> bool:
    """Whether a database error is a statement stopped by a time limit rather than a fault."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "pgcode", None) == "57014":  # query_canceled
        return True
    text = str(error)
    # PostgreSQL's words for statement_timeout, SQLite's for a progress handler that said stop.
    return "statement timeout" in text or text == "interrupted"


@contextmanager
def search_time_limit(using: str = "default"):
    """Run the block's queries under the search time limit; raise SearchTooBroad when it is reached.

    PostgreSQL: ``SET LOCAL statement_timeout`` in a transaction of its own (a savepoint when one is
    open, after which the previous timeout is put back, since a released savepoint keeps a SET LOCAL).
    SQLite has no statement timeout: a progress handler interrupts any statement once the block's
    time is up. Blocks nest: an inner one runs under the outer one's limit.
    """
    connection = connections[using]
    if getattr(connection, "_search_time_limit", False):
        yield
        return
    milliseconds = search_timeout_ms()
    connection._search_time_limit = True
    try:
        if connection.vendor == "postgresql":
            # Inside a transaction, the block is a savepoint and the SET LOCAL outlives it.
            nested = connection.in_atomic_block
            with transaction.atomic(using=using):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)",
                        [f"{milliseconds}ms"],
                    )
                    previous = cursor.fetchone()[0]
                yield
                if nested:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            deadline = time.monotonic() + milliseconds / 1000
            connection.connection.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_CHECK_EVERY)
            try:
                yield
            finally:
                connection.connection.set_progress_handler(None, _SQLITE_CHECK_EVERY)
        else:
            yield
    except OperationalError as error:
        if is_cancelled(error):
            raise SearchTooBroad() from error
        raise
    finally:
        connection._search_time_limit = False


def matching_ids(queryset: QuerySet, limit: int | None = None) -> list | None:
    """The ids of the rows `queryset` holds when at most `limit` (match_limit()), else None; reads at most limit + 1.

    A search with few matches is then ranked among those ids, read by primary key: ranked over the search
    condition itself, PostgreSQL estimates a rare word's matches from the commonest words, expects hundreds
    where there are a handful, and scans the table to sort them (30 ms over 80,000 claims, where the ids take
    0.1 ms through the GIN index).
    """
    limit = match_limit() if limit is None else limit
    ids = queryset.order_by().select_related(None).prefetch_related(None).values_list("pk", flat=True)
    found = list(ids[: limit + 1])
    return found if len(found) <= limit else None


def narrower_than(queryset: QuerySet, limit: int | None = None) -> int | None:
    """How many rows `queryset` holds when at most `limit` (match_limit()), else None; reads at most limit + 1.

    A LIMITed count stops at the limit, through the GIN index or a scan that ends early, so its cost
    does not grow with the number of matches.
    """
    limit = match_limit() if limit is None else limit
    found = queryset.order_by().select_related(None).prefetch_related(None)[: limit + 1].count()
    return found if found <= limit else None


# Spelling suggestions ----------------------------------------------------------------------------

# The text the vocabulary is built from: every searched field, and the names of cases, parties
# and people (aliases included).
VOCABULARY_SOURCES: dict[str, tuple[str, ...]] = {
    **{label: tuple(searchable.fields) for label, searchable in SEARCH_FIELDS.items()},
    **NAME_FIELDS,
}
MIN_SUGGESTED_LENGTH = 4
MAX_WORD_LENGTH = 60
MAX_CHECKED_WORDS = 4
MAX_CANDIDATES = 5000
_INFLECTIONS = ("s", "es", "ed", "ing", "d")


def vocabulary_words(text: str) -> list[str]:
    """The words of `text` the vocabulary keeps, lower-cased, as often as they occur."""
    return [
        word.lower()
        for word in _WORD.findall(text or "")
        if MIN_SUGGESTED_LENGTH - 1 <= len(word) <= MAX_WORD_LENGTH and "_" not in word
    ]


def rebuild_vocabulary(using: str = "default", models=None) -> int:
    """Refill ``search_word`` with the distinct words of the searchable text; return how many.

    `models` is the app registry to read the models from (a migration passes its own).
    """
    models = models or apps
    connection = connections[using]
    counts: dict[str, int] = {}
    if connection.vendor == "postgresql":
        return _rebuild_vocabulary_postgres(connection, models)
    for label, fields in VOCABULARY_SOURCES.items():
        model = models.get_model(label)
        for row in model._default_manager.using(using).values_list(*fields).iterator(chunk_size=2000):
            for word in vocabulary_words(" ".join(value or "" for value in row)):
                counts[word] = counts.get(word, 0) + 1
    # One transaction: outside one, SQLite would commit (and sync to disk) each word.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_word")
        cursor.executemany("INSERT INTO search_word (word, frequency) VALUES (%s, %s)", sorted(counts.items()))
    return len(counts)


def _rebuild_vocabulary_postgres(connection, models) -> int:
    # Split in the database: the text never travels to Python. [[:alnum:]] is Unicode-aware.
    selects = []
    for label, fields in VOCABULARY_SOURCES.items():
        model = models.get_model(label)
        table = model._meta.db_table
        text = " || ' ' || ".join(f"coalesce(\"{model._meta.get_field(f).column}\", '')" for f in fields)
        selects.append(f'SELECT {text} AS text FROM "{table}"')  # noqa: S608
    union = " UNION ALL ".join(selects)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # A maintenance step, not a request: the requests' statement timeout does not apply.
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("DELETE FROM search_word")
        cursor.execute(
            # Identifiers from the models only.
            "INSERT INTO search_word (word, frequency) "  # noqa: S608
            f"SELECT word, count(*) FROM ({union}) AS texts, "
            f"regexp_split_to_table(lower(texts.text), '[^[:alnum:]]+') AS word "
            f"WHERE char_length(word) BETWEEN %s AND %s GROUP BY word",
            [MIN_SUGGESTED_LENGTH - 1, MAX_WORD_LENGTH],
        )
        return cursor.rowcount


def _is_inflection(word: str, known: str) -> bool:
    return any(word == known + suffix or known == word + suffix for suffix in _INFLECTIONS)


def suggest(q: str, using: str = "default") -> str:
    """`q` with its unknown words replaced by the nearest known ones, or "" when there is none.

    A word is unknown when the vocabulary lacks it; only the first few words of at least four
    letters are checked, one query for all of them and one per unknown word.
    """
    q = _clean(q)
    words = []
    for required, _excluded in parse_websearch(q):
        for term in required:
            words.extend(w.lower() for w in term_words(term) if len(w) >= MIN_SUGGESTED_LENGTH and not w.isdigit())
    words = list(dict.fromkeys(words))[:MAX_CHECKED_WORDS]
    if not words:
        return ""
    connection = connections[using]
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(words))
        cursor.execute(f"SELECT word FROM search_word WHERE word IN ({placeholders})", words)  # noqa: S608
        known = {row[0] for row in cursor.fetchall()}
        replacements = {}
        for word in words:
            if word in known:
                continue
            nearest = _nearest(cursor, connection.vendor, word)
            if nearest and not _is_inflection(word, nearest):
                replacements[word] = nearest
    if not replacements:
        return ""

    def replace(match):
        word = match.group(0)
        nearest = replacements.get(word.lower())
        if not nearest:
            return word
        return nearest.capitalize() if word[:1].isupper() else nearest

    suggestion = re.sub(r"\w+", replace, q)
    return suggestion if suggestion != q else ""


def _nearest(cursor, vendor: str, word: str) -> str:
    if vendor == "postgresql":
        # % uses the trigram GIN index (pg_trgm.similarity_threshold, 0.3 by default).
        cursor.execute(
            "SELECT word FROM search_word WHERE word %% %s AND similarity(word, %s) >= 0.4 AND char_length(word) >= %s "
            "ORDER BY similarity(word, %s) DESC, frequency DESC, word LIMIT 1",
            [word, word, MIN_SUGGESTED_LENGTH, word],
        )
        row = cursor.fetchone()
        return row[0] if row else ""
    cursor.execute(
        "SELECT word FROM search_word WHERE word >= %s AND word < %s "
        "AND length(word) BETWEEN %s AND %s ORDER BY frequency DESC LIMIT %s",
        [word[0], word[0] + "\U0010ffff", max(len(word) - 2, MIN_SUGGESTED_LENGTH), len(word) + 2, MAX_CANDIDATES],
    )
    candidates = [row[0] for row in cursor.fetchall()]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.8)
    return close[0] if close else ""
