"""Synthetic volume for benchmarks: cases, parties, people, filings, decisions, votes and claims in bulk.

    manage.py generate_synthetic --cases 300 --filings 10000        # the benchmark's small scale
    manage.py generate_synthetic --cases 10000 --filings 1000000    # the large scale
    manage.py generate_synthetic --replace ...                      # first delete the synthetic rows

Every row is written in bulk (COPY on PostgreSQL, bulk_create elsewhere), bypassing the models'
save(): no history rows, no conditional UPDATE, so the command sets ``version``, ``created_at`` and
``updated_at`` itself. Rows carry explicit ids taken above the current maximum (the sequences are
reset afterwards), which lets a filing name its case before the case is in the database. On
PostgreSQL the whole write is one transaction that drops the written tables' foreign keys and
secondary indexes first and builds them again at the end (so the tables are locked meanwhile: use
a database of its own), then VACUUM (ANALYZE) gives the planner its statistics. ``-v 2`` prints
where the time went.

What is written is deterministic (no randomness) and clearly marked:

- every fact's ``note`` is "Synthetic data for benchmarks";
- cases have General List numbers from 1000 up (the Court's own are in the hundreds) and titles
  "... (Synthetic Xabland v. Synthetic Xacland)";
- parties are States with codes XAA-XZZ (ISO 3166's user-assigned range, XK* left out), people are
  named "Synthetic ...", and every synthetic Source has kind "other", a key starting "synthetic-"
  and a title starting "Synthetic".

Ratios for a case with n filings (the filings are spread evenly over the cases): an application,
a request for provisional measures, then pleadings, letters and reports, the last one a time-limit
not yet met; one decision per 10 filings (at least one): every fifth, starting with the first, an
order on provisional measures with a bench of 15, four measures with roll-call votes and a
compliance claim on each; the others orders of the President fixing time-limits (one provision, no
bench); one source per 10 filings plus one per decision and a docket source; two agents and one
hearing. A pool of 20 judges and one party per 15 cases (at most 650) serve every case.

It refuses to run when DJANGO_DEBUG is off and the database's name does not contain "benchmark",
so that it cannot fill a production database.
"""

import os
import queue
import re
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import Case, CaseParty, Hearing, Representation
from compliance.models import ComplianceClaim
from core.dataversion import bump
from decisions.models import BenchMember, Decision, Provision, Vote
from filings.models import Filing
from parties.models import Party, PartyKind, Person
from sources.models import Source

MARKER = "Synthetic data for benchmarks"
FIRST_GENERAL_LIST_NUMBER = 1000
SOURCE_KEY_PREFIX = "synthetic-"
JUDGES = 20
BENCH = 15
FILINGS_PER_DECISION = 10
FILINGS_PER_SOURCE = 10
MEASURES_PER_ORDER = 4
CASES_PER_PARTY = 15
SPAN_DAYS = 3650  # a case's filings spread over ten years

# Chunk of rows per write: one COPY buffer, or one bulk_create call.
CHUNK = 20_000

SUBJECTS = [
    "Application of the International Convention on the Elimination of All Forms of Racial Discrimination",
    "Alleged Violations of the Synthetic Treaty of Amity",
    "Obligations concerning the Clearance of Landmines",
    "Maritime Delimitation in the Synthetic Sea",
    "Land and Maritime Boundary",
    "Alleged Breaches of Certain International Obligations",
    "Questions relating to the Obligation to Prosecute or Extradite",
    "Certain Activities carried out in the Border Area",
]
TOPICS = [
    "the clearance of landmines",
    "the treatment of detainees",
    "freedom of movement along the corridor",
    "the protection of cultural heritage",
    "incitement to racial hatred",
    "the return of displaced persons",
    "access for humanitarian organizations",
    "the preservation of evidence",
    "the situation of civilians in the border area",
    "the delimitation of the continental shelf",
    "environmental damage to shared rivers",
    "the release of prisoners of war",
    "the closure of schools and media outlets",
    "the exchange of information on missing persons",
    "the non-aggravation of the dispute",
    "consular access to nationals",
]
# (kind, label, filed by the applicant?) for the filings after the application and the request.
LATER_FILINGS = [
    ("letter", "Letter", True),
    ("memorial", "Memorial", True),
    ("letter", "Letter", False),
    ("counter_memorial", "Counter-Memorial", False),
    ("report", "Report on the implementation of the Order", False),
    ("letter", "Letter", True),
    ("reply", "Reply", True),
    ("rejoinder", "Rejoinder", False),
    ("written_statement", "Written statement", True),
    ("other", "Communication", False),
]
ASSESSMENTS = ["not_complied", "partly_complied", "disputed", "complied", "unclear"]


def refusal(debug: str | None, database_name: str) -> str | None:
    """Why the command must not write to this database, or None when it may."""
    if (debug or "").strip().lower() in {"1", "true", "yes", "on"}:
        return None
    if "benchmark" in str(database_name).lower():
        return None
    return (
        f"Refusing to write synthetic data to {database_name!r}: DJANGO_DEBUG is off and the database's "
        "name does not contain 'benchmark'. Use a database of its own (e.g. tracker_benchmark)."
    )


def party_codes(taken: set[str]) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [f"X{a}{b}" for a in letters if a != "K" for b in letters if f"X{a}{b}" not in taken]


def party_name(code: str) -> str:
    return f"Synthetic {code[1:].capitalize()}land"


def plan_counts(cases: int, filings: int, parties: int, court: bool = False) -> dict[str, int]:
    """How many rows the command writes, by model, before writing anything (``rows``: all tables).

    ``parties``: how many synthetic States; ``court``: whether a synthetic court is needed too.
    """
    counts = dict.fromkeys(["sources", "cases", "filings", "decisions", "bench", "provisions", "votes", "claims"], 0)
    links = 2 * (parties + JUDGES + court)  # parties, judges and the court with their sources
    for i in range(cases):
        n_filings = filings // cases + (1 if i < filings % cases else 0)
        n_decisions = max(1, n_filings // FILINGS_PER_DECISION)
        orders = len(range(0, n_decisions, 5))
        provisions = orders * MEASURES_PER_ORDER + (n_decisions - orders)
        counts["cases"] += 1
        counts["filings"] += n_filings
        counts["sources"] += 1 + ceil(n_filings / FILINGS_PER_SOURCE) + n_decisions
        counts["decisions"] += n_decisions
        counts["bench"] += orders * BENCH
        counts["provisions"] += provisions
        counts["votes"] += orders * MEASURES_PER_ORDER * BENCH
        counts["claims"] += orders * MEASURES_PER_ORDER
        links += 1 + 2 + 2 * 2 + 2 * 2  # case sources, its parties, agents and representations with sources
        links += 2 * n_filings - ceil(n_filings / 4)  # filing sources: one for every fourth filing, two otherwise
        links += 2 if n_filings > 1 else 0  # a hearing and its source
        links += 2 * n_decisions + provisions  # decision sources and requests answered; provision sources
        links += orders * (6 + MEASURES_PER_ORDER)  # addressees (2, 1, 1, 2) and claim sources
    counts["sources"] += 1
    counts["rows"] = sum(counts.values()) + links
    return counts


# --- writing ---------------------------------------------------------------------------------------


_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value) -> str:
    kind = type(value)
    if kind is str:
        if _COPY_SPECIAL.search(value):
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if isinstance(value, str):  # a choice: a str subclass
        return _copy_text(str(value))
    return value.isoformat()


def _plain(value):
    """A choice (a str subclass) as the plain str it stands for."""
    return str(value) if isinstance(value, str) else value


class Table:
    """One table's columns, defaults and next id; rows are lists in column order."""

    def __init__(self, model, now):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.index = {name: i for i, name in enumerate(self.attnames)}
        stamps = {"created_at": now, "updated_at": now, "version": 1}
        self.defaults = [_plain(stamps.get(f.attname, f.get_default())) for f in self.fields]
        current = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
        self.next_id = current + 1
        self.rows: list[list] = []
        self.written = 0

    def add(self, **values) -> int:
        row = self.defaults.copy()
        pk = self.next_id
        self.next_id += 1
        row[0] = pk
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)
        return pk


class Writer:
    """Streams rows into the database: COPY on PostgreSQL (psycopg2), bulk_create elsewhere.

    On PostgreSQL, inside the command's transaction, the foreign keys and the secondary indexes
    (not the primary keys or unique constraints) of the tables written are dropped first and
    created again at the end, as PostgreSQL's manual advises for bulk loads: one pass to build an
    index or check a foreign key is far cheaper than a million single-row updates and deferred
    checks. The transaction keeps it all or nothing.
    """

    def __init__(self, using: str, progress, now):
        self.using = using
        self.progress = progress
        self.now = now
        self.connection = connections[using]
        self.copy = self.connection.vendor == "postgresql"
        self.tables: dict = {}
        self.restore: list[str] = []
        # COPY chunks waiting for the sending thread: two at most, to bound memory.
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.sender: threading.Thread | None = None
        self.failure: Exception | None = None
        self.seconds: dict[str, float] = {}  # seconds PostgreSQL spent per table, for -v 2

    def table(self, model) -> Table:
        if model not in self.tables:
            table = Table(model, self.now)
            if table.attnames[0] != model._meta.pk.attname:
                raise CommandError(f"{model._meta.label}: the primary key is not the first column.")
            self.tables[model] = table
        return self.tables[model]

    def prepare(self, models):
        """Make the tables ready for a bulk load (PostgreSQL: suspend foreign keys and secondary indexes)."""
        if not self.copy:
            return
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # A table with pending deferred checks (rows just deleted by --replace) cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in models:
                name = model._meta.db_table
                quoted = self.connection.ops.quote_name(name)
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [quoted],
                )
                for constraint, definition in cursor.fetchall():
                    quoted_constraint = self.connection.ops.quote_name(constraint)
                    cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {quoted_constraint}")
                    self.restore.append(f"ALTER TABLE {quoted} ADD CONSTRAINT {quoted_constraint} {definition}")
                cursor.execute(
                    "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid "
                    "AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x')) ORDER BY i.relname",
                    [quoted],
                )
                for index, definition in cursor.fetchall():
                    cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(index)}")
                    # Indexes first, then the foreign keys, whose checks may use them.
                    self.restore.insert(0, definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def flush(self, table: Table, force: bool = False):
        if not table.rows or (len(table.rows) < CHUNK and not force):
            return
        rows, table.rows = table.rows, []
        self._check_required(table, rows[0])
        if self.copy:
            self._copy(table, rows)
        else:
            model, names = table.model, table.attnames
            model._base_manager.using(self.using).bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=CHUNK
            )
        table.written += len(rows)
        self.progress(len(rows))

    @staticmethod
    def _check_required(table: Table, row):
        for column, value in zip(table.fields, row, strict=True):
            if value is None and not column.null:
                raise CommandError(f"{table.model._meta.label}.{column.name}: no value for a column that needs one.")

    def _copy(self, table: Table, rows):
        # Rows are encoded here and sent by a thread of their own, so that PostgreSQL works on one
        # chunk while Python builds the next (psycopg2 releases the GIL while it waits on the server).
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(column.column) for column in table.fields)
        text = "".join("\t".join([_copy_text(v) for v in row]) + "\n" for row in rows)
        statement = f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN"
        if self.sender is None:
            self.connection.ensure_connection()
            raw = self.connection.connection
            if not hasattr(raw, "cursor") or not hasattr(raw.cursor(), "copy_expert"):
                raise CommandError("COPY needs psycopg2 (the database driver in requirements.txt).")
            self.sender = threading.Thread(target=self._send, args=(raw,), name="generate_synthetic-copy", daemon=True)
            self.sender.start()
        if self.failure is not None:
            raise self.failure
        self.queue.put((table.model, statement, text))

    def _send(self, raw):
        while (item := self.queue.get()) is not None:
            model, statement, text = item
            if self.failure is not None:
                continue
            started = time.monotonic()
            try:
                with raw.cursor() as cursor:
                    cursor.copy_expert(statement, _Text(text))
            except Exception as error:  # raised again in the main thread
                self.failure = error
            self.seconds[model._meta.db_table] = self.seconds.get(model._meta.db_table, 0) + time.monotonic() - started

    def _drain(self):
        if self.sender is not None:
            self.queue.put(None)
            self.sender.join()
            self.sender = None
        if self.failure is not None:
            raise self.failure

    def finish(self, rebuilding=None):
        """Write what is left, restore indexes and foreign keys, and move the id sequences past the new rows."""
        for table in self.tables.values():
            self.flush(table, force=True)
        self._drain()
        with self.connection.cursor() as cursor:
            if self.restore and rebuilding:
                rebuilding()
            started = time.monotonic()
            for statement in self.restore:
                cursor.execute(statement)
            self.seconds["(indexes and foreign keys)"] = time.monotonic() - started
            models = [table.model for table in self.tables.values()]
            for statement in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)

    def abandon(self):
        """Stop the sending thread after a failure in the main thread (the transaction rolls back)."""
        if self.sender is not None:
            self.queue.put(None)
            self.sender.join()
            self.sender = None

    @property
    def written(self) -> int:
        return sum(table.written for table in self.tables.values())


class _Text:
    """A file-like object over one string, read in one piece by psycopg2's copy_expert."""

    def __init__(self, text: str):
        self.text = text

    def read(self, size=-1):
        text, self.text = self.text, ""
        return text


# --- generating ------------------------------------------------------------------------------------


@dataclass
class Docket:
    """What every row of one synthetic case refers to."""

    index: int
    number: int
    pk: int
    instituted: date
    step: int
    n_filings: int
    applicant: int
    respondent: int
    names: tuple[str, str]
    docket_source: int
    bundles: list[int]

    @property
    def short_title(self) -> str:
        return f"{self.names[0]} v. {self.names[1]}"


# Every model the command writes, parents first; with the many-to-many tables below.
MODELS = [Source, Party, Person, Case, CaseParty, Representation, Hearing, Filing, Decision, BenchMember]
MODELS += [Provision, Vote, ComplianceClaim]
M2M = [(model, "sources") for model in (Party, Person, Case, Representation, Hearing, Filing, Decision)]
M2M += [(Provision, "sources"), (ComplianceClaim, "sources"), (Decision, "responds_to"), (Provision, "addressees")]


def written_models() -> list:
    return MODELS + [getattr(model, name).through for model, name in M2M]


class Generator:
    """Builds the rows in dependency order, flushing each table as its chunk fills."""

    def __init__(self, writer: Writer, cases: int, filings: int):
        self.w = writer
        self.n_cases = cases
        self.n_filings = filings

    def add(self, model, **values) -> int:
        table = self.w.table(model)
        pk = table.add(**values)
        if len(table.rows) >= CHUNK:
            self.w.flush(table)
        return pk

    def link(self, model, name, owner_pk: int, target_pks):
        through = getattr(model, name).through
        field = getattr(model, name).field
        owner, target = field.m2m_column_name(), field.m2m_reverse_name()
        for target_pk in target_pks:
            self.add(through, **{owner: owner_pk, target: target_pk})

    def sourced(self, model, source_pks, **values) -> int:
        pk = self.add(model, note=MARKER, **values)
        self.link(model, "sources", pk, source_pks)
        return pk

    def source(self, key: str, title: str, published_on=None) -> int:
        return self.add(
            Source,
            key=f"{SOURCE_KEY_PREFIX}{key}",
            kind="other",
            title=title,
            publisher="Synthetic Registry",
            published_on=published_on,
        )

    def run(self):
        register = self.source("register", "Synthetic register of parties and people")
        court = self.court(register)
        parties = self.parties(register)
        judges = self.judges(parties, register)
        for i in range(self.n_cases):
            docket = self.case(i, court, parties, register)
            dates = self.filings(docket)
            self.decisions(docket, dates, judges)

    def existing_court(self) -> int | None:
        """The court of the real cases (the ICJ), if the database has one."""
        return (
            Party.objects.using(self.w.using)
            .filter(kind=PartyKind.COURT)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    def court(self, register) -> int:
        court = self.existing_court()
        if court is not None:
            return court
        return self.sourced(
            Party,
            [register],
            name="Synthetic Court of Justice",
            short_name="Synthetic Court",
            code="SYNTHETIC-COURT",
            kind="court",
        )

    def party_codes(self) -> list[str]:
        taken = set(Party.objects.using(self.w.using).values_list("code", flat=True))
        codes = party_codes(taken)
        return codes[: min(len(codes), max(2, self.n_cases // CASES_PER_PARTY + 2))]

    def party_count(self) -> int:
        return len(self.party_codes())

    def parties(self, register) -> list[tuple[int, str]]:
        parties = []
        for code in self.party_codes():
            name = party_name(code)
            pk = self.sourced(Party, [register], name=f"Republic of {name}", short_name=name, code=code, kind="state")
            parties.append((pk, name))
        return parties

    def judges(self, parties, register) -> list[int]:
        return [
            self.sourced(
                Person,
                [register],
                name=f"Synthetic Judge {n + 1:02d}",
                slug=f"synthetic-judge-{n + 1:02d}",
                nationality_id=parties[n % len(parties)][0],
                description="Member of the Court (synthetic)",
            )
            for n in range(JUDGES)
        ]

    def case(self, i, court, parties, register) -> Docket:
        number = FIRST_GENERAL_LIST_NUMBER + i
        n_filings = self.n_filings // self.n_cases + (1 if i < self.n_filings % self.n_cases else 0)
        applicant = parties[(2 * i) % len(parties)]
        respondent = parties[(2 * i + 1 + i // len(parties)) % len(parties)]
        if respondent == applicant:
            respondent = parties[(2 * i + 1) % len(parties)]
        instituted = date(1995, 1, 1) + timedelta(days=(i * 7) % 7300)
        step = max(1, SPAN_DAYS // n_filings)
        short_title = f"{applicant[1]} v. {respondent[1]}"
        docket_source = self.source(f"{number}-docket", f"Synthetic docket of case No. {number}")
        bundles = [
            self.source(
                f"{number}-documents-{b + 1}",
                f"Synthetic documents {b + 1} of case No. {number} ({short_title})",
                instituted + timedelta(days=b * step * FILINGS_PER_SOURCE),
            )
            for b in range(ceil(n_filings / FILINGS_PER_SOURCE))
        ]
        pk = self.sourced(
            Case,
            [docket_source],
            general_list_number=number,
            title=f"{SUBJECTS[i % len(SUBJECTS)]} ({short_title})",
            short_title=short_title,
            slug=f"synthetic-{number}",
            court_id=court,
            instituted_on=instituted,
            status="concluded" if i % 5 == 4 else "pending",
            basis="Article 22 of the Synthetic Convention",
            summary=f"A synthetic dispute about {TOPICS[i % len(TOPICS)]}.",
        )
        for (party, _name), role, suffix in ((applicant, "applicant", "a"), (respondent, "respondent", "b")):
            self.add(CaseParty, case_id=pk, party_id=party, role=role)
            agent = self.sourced(
                Person,
                [register],
                name=f"Synthetic Agent {number}-{suffix.upper()}",
                slug=f"synthetic-agent-{number}-{suffix}",
                nationality_id=party,
                description="Agent (synthetic)",
            )
            self.sourced(
                Representation,
                [docket_source],
                case_id=pk,
                party_id=party,
                person_id=agent,
                role="agent",
                from_date=instituted,
            )
        return Docket(
            index=i,
            number=number,
            pk=pk,
            instituted=instituted,
            step=step,
            n_filings=n_filings,
            applicant=applicant[0],
            respondent=respondent[0],
            names=(applicant[1], respondent[1]),
            docket_source=docket_source,
            bundles=bundles,
        )

    def filings(self, d: Docket) -> list[tuple[int, date]]:
        """The case's filings, oldest first, as (id, date); the last one only has a time-limit."""
        filed = []
        for k in range(d.n_filings):
            if k == 0:
                kind, label, by_applicant = "application", "Application instituting proceedings", True
            elif k == 1:
                kind, label, by_applicant = "provisional_measures_request", "Request for provisional measures", True
            else:
                kind, label, by_applicant = LATER_FILINGS[(k - 2) % len(LATER_FILINGS)]
            when = d.instituted + timedelta(days=k * d.step)
            pending = k == d.n_filings - 1 and d.n_filings > 2
            topic, other = TOPICS[(d.number + k) % len(TOPICS)], TOPICS[(d.number + 3 * k + 1) % len(TOPICS)]
            bundle = d.bundles[k // FILINGS_PER_SOURCE]
            pk = self.sourced(
                Filing,
                [bundle] if k % 4 == 0 else [bundle, d.docket_source],
                case_id=d.pk,
                slug=f"{k + 1:05d}-{kind.replace('_', '-')}",
                filed_by_id=d.applicant if by_applicant else d.respondent,
                kind=kind,
                title=f"{label} of {d.names[0] if by_applicant else d.names[1]} (No. {d.number}, document {k + 1})",
                filed_on=None if pending else when,
                due_on=when if pending else None,
                summary=f"Concerns {topic} and {other}.",
                requested_measures=f"Measures to ensure {topic}." if kind == "provisional_measures_request" else "",
            )
            filed.append((pk, when))
        if d.n_filings > 1:
            self.sourced(
                Hearing,
                [d.docket_source],
                case_id=d.pk,
                slug="provisional-measures",
                starts_on=filed[1][1] + timedelta(days=10),
                ends_on=filed[1][1] + timedelta(days=12),
                subject="provisional_measures",
                record_numbers=f"CR {filed[1][1].year}/{d.index % 50 + 1}",
            )
        return filed

    def decisions(self, d: Docket, filed, judges):
        """One decision per FILINGS_PER_DECISION filings: every fifth a provisional-measures order with a
        bench, measures, votes and claims; the others the President's orders fixing time-limits."""
        for j in range(max(1, d.n_filings // FILINGS_PER_DECISION)):
            answered, answered_on = filed[min(j * FILINGS_PER_DECISION + 1, len(filed) - 1)]
            decided = answered_on + timedelta(days=d.step // 2 + 1)
            order = j % 5 == 0
            when = f"{decided.day} {decided:%B %Y}"
            source = self.source(f"{d.number}-order-{j + 1}", f"Synthetic Order of {when} ({d.short_title})", decided)
            decision = self.sourced(
                Decision,
                [source],
                case_id=d.pk,
                slug=f"{decided.isoformat()}-order-{j + 1}",
                kind="order",
                subject="provisional_measures" if order else "time_limits",
                issued_by="court" if order else "president",
                decided_on=decided,
                title=f"Order of {when}",
                summary=(
                    f"The Court indicates provisional measures on {TOPICS[(d.index + j) % len(TOPICS)]}."
                    if order
                    else "The President fixes time-limits for the written pleadings."
                ),
            )
            self.link(Decision, "responds_to", decision, [answered])
            if order:
                self.measures(d, j, decision, decided, source, judges)
            else:
                self.sourced(
                    Provision,
                    [source],
                    decision_id=decision,
                    paragraph="(1)",
                    position=1,
                    kind="time_limit",
                    text=f"Fixes {decided + timedelta(days=180):%-d %B %Y} as the time-limit for the next pleading.",
                )

    def measures(self, d: Docket, j, decision, decided, source, judges):
        seated = [judges[(d.index + j + k) % len(judges)] for k in range(BENCH)]
        for k, judge in enumerate(seated):
            office = "president" if k == 0 else "vice_president" if k == 1 else "judge"
            self.add(BenchMember, decision_id=decision, judge_id=judge, office=office, position=k)
        for p in range(MEASURES_PER_ORDER):
            against = (d.index + p) % 3
            topic = TOPICS[(d.index + j + p) % len(TOPICS)]
            provision = self.sourced(
                Provision,
                [source],
                decision_id=decision,
                paragraph=f"({p + 1})",
                position=p + 1,
                kind="measure",
                text=f"The Parties shall take all measures at their disposal concerning {topic}.",
                votes_for=BENCH - against,
                votes_against=against,
                unanimous=against == 0,
            )
            bound = [[d.applicant, d.respondent], [d.respondent], [d.applicant]][p % 3]
            self.link(Provision, "addressees", provision, bound)
            for k, judge in enumerate(seated):
                vote = "against" if k >= BENCH - against else "for"
                self.add(Vote, provision_id=provision, judge_id=judge, vote=vote)
            self.sourced(
                ComplianceClaim,
                [d.docket_source],
                slug=f"synthetic-{d.number}-{j + 1}-{p + 1}",
                decision_id=decision,
                provision_id=provision,
                claimant_id=d.applicant if d.respondent in bound else d.respondent,
                made_on=decided + timedelta(days=30 + p),
                assessment=ASSESSMENTS[(d.index + p) % len(ASSESSMENTS)],
                summary=f"Says the measure on {topic} is not being implemented.",
            )


# --- deleting --------------------------------------------------------------------------------------


def delete_synthetic(using: str) -> int:
    """Delete every synthetic row, children first; the rest of the database is left as it was."""
    connection = connections[using]
    quote = connection.ops.quote_name

    def marked(model) -> str:
        return f"SELECT id FROM {quote(model._meta.db_table)} WHERE note = %s"  # noqa: S608

    steps = []
    for model, name in M2M:
        field = getattr(model, name).field
        steps.append((field.remote_field.through, f"{quote(field.m2m_column_name())} IN ({marked(model)})"))
    steps += [
        (Vote, f"provision_id IN ({marked(Provision)})"),
        (BenchMember, f"decision_id IN ({marked(Decision)})"),
        (CaseParty, f"case_id IN ({marked(Case)})"),
    ]
    steps += [(model, "note = %s") for model in reversed(MODELS) if model not in (Source, CaseParty, BenchMember, Vote)]
    deleted = 0
    with connection.cursor() as cursor:
        for model, condition in steps:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {condition}", [MARKER])  # noqa: S608
            deleted += cursor.rowcount
        cursor.execute(
            f"DELETE FROM {quote(Source._meta.db_table)} WHERE kind = %s AND key LIKE %s",  # noqa: S608
            ["other", SOURCE_KEY_PREFIX + "%"],
        )
        deleted += cursor.rowcount
    return deleted


def synthetic_cases(using: str) -> int:
    return Case.objects.using(using).filter(general_list_number__gte=FIRST_GENERAL_LIST_NUMBER, note=MARKER).count()


# --- the command -----------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Write synthetic cases, parties, people, filings (with sources), decisions (bench, provisions, votes) "
        "and compliance claims in bulk, marked as synthetic, for benchmarks. Refuses a database not named "
        "*benchmark* unless DJANGO_DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=300, help="Synthetic cases (default 300).")
        parser.add_argument(
            "--filings", type=int, default=10_000, help="Synthetic filings, spread over the cases (default 10000)."
        )
        parser.add_argument("--replace", action="store_true", help="Delete the synthetic rows already there first.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, cases, filings, replace, database, **options):
        connection = connections[database]
        reason = refusal(os.environ.get("DJANGO_DEBUG"), connection.settings_dict["NAME"])
        if reason:
            raise CommandError(reason)
        if cases < 1 or filings < cases:
            raise CommandError("Give at least one case and at least one filing per case (--filings >= --cases).")
        if not replace and synthetic_cases(database):
            raise CommandError(
                f"The database already holds {synthetic_cases(database)} synthetic cases: "
                "run with --replace to delete them first, or use a fresh database."
            )
        interactive = self.stdout.isatty() and options["verbosity"] > 0
        started = time.monotonic()
        done = 0

        def progress(rows):
            nonlocal done
            done += rows
            if interactive:
                width = 30
                filled = min(width, width * done // max(counts["rows"], 1))
                rate = done / max(time.monotonic() - started, 1e-6)
                bar = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{counts['rows']:,} rows, {rate:,.0f}/s"
                self.stdout.write(f"\r{bar}   ", ending="")
                self.stdout.flush()

        def rebuilding():
            if interactive:
                self.stdout.write("\nRebuilding indexes and checking foreign keys...", ending="")
                self.stdout.flush()

        with transaction.atomic(using=database):
            if replace:
                removed = delete_synthetic(database)
                if options["verbosity"] > 0 and removed:
                    self.stdout.write(f"Deleted {removed:,} synthetic rows.")
            writer = Writer(database, progress, timezone.now())
            generator = Generator(writer, cases, filings)
            counts = plan_counts(cases, filings, generator.party_count(), court=generator.existing_court() is None)
            writer.prepare(written_models())
            try:
                generator.run()
                writer.finish(rebuilding)
                # COPY sends no signals: mark the data as changed so no cached page or count outlives it.
                bump(database)
            except BaseException:
                writer.abandon()
                raise
        loaded = time.monotonic() - started
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics for the planner and a visibility map for index-only scans, as a database
            # that has been running for a while would have them.
            if interactive:
                self.stdout.write("\nVacuuming and analysing...", ending="")
                self.stdout.flush()
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in written_models())
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
                cursor.execute(f"VACUUM (ANALYZE) {tables}")
                cursor.execute("RESET statement_timeout")
        elapsed = time.monotonic() - started
        if interactive:
            self.stdout.write("")
        if options["verbosity"] > 1:
            for name, seconds in sorted(writer.seconds.items(), key=lambda item: -item[1]):
                self.stdout.write(f"{seconds:8.1f} s  {name}")
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Wrote {writer.written:,} rows ({counts['cases']:,} cases, {counts['filings']:,} filings, "
                    f"{counts['decisions']:,} decisions, {counts['votes']:,} votes) in {loaded:.1f} s; "
                    f"{elapsed:.1f} s with VACUUM (ANALYZE)."
                )
            )
