"""What the dataset files hold, declared once for the loader and the exporter alike.

The files in data/ are the curated record of the cases: curators edit them by hand, the loader
reads them into the database and the exporter writes the database back in the same form, byte
for byte. Both sides are driven by the declarations below, so a field of a record is named in
one place: its JSON name, the model field it fills, and how the two correspond (a plain value,
a date, the natural key of another record, a list of natural keys, the judges who voted one way,
or records nested inside it). Records refer to each other by the natural keys the Court and the
curators use (a party's code, a person's slug, a case's General List number, a filing's or
decision's slug within its case, a source's key), never by database ids. data/README.md
describes the same format for the people who edit it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django.conf import settings
from django.db import models

from cases.models import Case, CaseParty, Event, Hearing, PartyRole, Representation
from compliance.models import ComplianceClaim
from decisions.models import BenchMember, Decision, Opinion, Provision, VoteChoice
from filings.models import Filing
from parties.models import Party, Person
from sources.models import Source

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "data"


class How(Enum):
    """How a JSON field corresponds to the model."""

    VALUE = "value"  # a plain model field: text, a choice, a number, true or false
    DATE = "date"  # a DateField, written as an ISO date or null
    REF = "ref"  # a ForeignKey, written as the natural key of the record it points to (or null)
    REFS = "refs"  # a ManyToManyField, written as the sorted list of the natural keys it holds
    VOTES = "votes"  # the judges who voted one way on a provision, as person slugs in bench order
    RECORDS = "records"  # records of another kind that belong to this one, as a list


@dataclass(frozen=True)
class Key:
    """How the files name a record of another kind.

    ``field`` is the model field holding the name (a path with ``__`` for a composite key's
    parts). A key ``within`` a case or a decision is unique only there: a filing's slug is looked
    up among the filings of the case the reference appears in. A composite key (the provision an
    amendment amends) is written as an object whose parts are declared as a record kind.
    """

    model: type[models.Model]
    field: str = ""
    within: str = ""
    parts: str = ""
    pattern: re.Pattern | None = None
    form: str = ""
    missing: str = "define it first"


@dataclass(frozen=True)
class Field:
    """One key of a JSON record and the model field it fills."""

    name: str
    how: How = How.VALUE
    attr: str = ""  # the model field (or path, for a composite key's parts) when not the JSON name
    to: Key | str | None = None  # REF, REFS, VOTES: the Key; RECORDS: the record kind
    required: bool = False  # REFS: at least one is needed
    later: bool = False  # REFS to records of the same kind: set once every one of them is loaded
    check: str = ""  # REFS: the model's method that validates the new set before anything is written
    vote: str = ""  # VOTES: the VoteChoice these judges cast
    pattern: re.Pattern | None = None  # a natural key's required form (party codes)
    form: str = ""  # that form, in words, for the error message

    @property
    def model_attr(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class Record:
    """One kind of record in the files: its fields in the order they are written, and its name.

    ``key`` lists the fields that name the record (within ``parent``, the record it belongs to:
    a filing's slug is unique within its case); a nested record with no key (an opinion) is named
    by its place in the list, its ``position``. ``position`` is the model field that keeps the
    order of the list in the file, and where counting starts. ``order`` is how the exporter sorts
    records that carry no position, stated on the JSON it writes. ``label`` is how an error
    names the record. ``prune``: a record the file no longer lists is deleted. ``load_by``: the
    field by which records of this kind are loaded across all files.
    """

    kind: str
    model: type[models.Model]
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    parent: str = ""
    position: tuple[str, int] | None = None
    order: Callable[[dict], object] | None = None
    label: str = ""
    prune: bool = False
    load_by: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Section:
    """A named part of a file: one record (a case file's case) or a list of records of one kind.

    ``attr`` is where the exporter finds a case file's records, from the case (a ``__`` path
    through related managers); a section of a top-level file holds every record of its kind.
    """

    name: str
    kind: str
    attr: str = ""
    one: bool = False


@dataclass(frozen=True)
class File:
    """A dataset file: its name under data/ and its sections, in the order they are written."""

    name: str
    sections: tuple[Section, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sections)

    @property
    def head(self) -> Section | None:
        """The one record the rest of the file belongs to (a case file's case)."""
        return next((s for s in self.sections if s.one), None)


def value(name: str, **options) -> Field:
    return Field(name, How.VALUE, **options)


def date(name: str) -> Field:
    return Field(name, How.DATE)


def ref(name: str, to: Key, **options) -> Field:
    return Field(name, How.REF, to=to, **options)


def refs(name: str, to: Key, **options) -> Field:
    return Field(name, How.REFS, to=to, **options)


def votes(name: str, choice: str) -> Field:
    return Field(name, How.VOTES, to=PERSON, vote=choice)


def records(name: str, kind: str) -> Field:
    return Field(name, How.RECORDS, to=kind)


# Natural keys ------------------------------------------------------------------------------------

# A party's code is stored as written: ISO 3166 alpha-3 for a State, an upper-case slug otherwise.
# Party.save would rewrite any other form, so the files must already use this one.
PARTY_CODE_PATTERN = re.compile(r"[A-Z0-9]+(?:[-_][A-Z0-9]+)*")
PARTY_CODE_FORM = "upper-case letters and digits, parts joined by - or _, e.g. ARM or AZE-OMBUDSMAN"

SOURCE = Key(Source, "key")
PARTY = Key(Party, "code", pattern=PARTY_CODE_PATTERN, form=PARTY_CODE_FORM)
PERSON = Key(Person, "slug")
CASE = Key(Case, "general_list_number")
FILING = Key(Filing, "slug", within="case")
DECISION = Key(Decision, "slug", within="case")
PARAGRAPH = Key(Provision, "paragraph", within="decision")
AMENDED = Key(
    Provision,
    parts="amends",
    missing="it must be loaded first: an amended provision belongs to an earlier decision",
)

# Every fact-bearing record ends with these: no fact without a source.
FACT = (
    refs("sources", SOURCE, required=True),
    value("confidence"),
    value("note"),
)

ROLE_ORDER = {role: i for i, role in enumerate(PartyRole.values)}


# Records -----------------------------------------------------------------------------------------

RECORDS = {
    record.kind: record
    for record in (
        Record(
            "source",
            Source,
            key=("key",),
            order=lambda r: r["key"],
            fields=(
                value("key"),
                value("kind"),
                value("title"),
                value("publisher"),
                value("url"),
                date("published_on"),
                value("document_number"),
                value("excerpt"),
            ),
        ),
        Record(
            "party",
            Party,
            key=("code",),
            order=lambda r: r["code"],
            fields=(
                value("code", pattern=PARTY_CODE_PATTERN, form=PARTY_CODE_FORM),
                value("name"),
                value("short_name"),
                value("aliases"),
                value("kind"),
                *FACT,
            ),
        ),
        Record(
            "person",
            Person,
            key=("slug",),
            order=lambda r: r["slug"],
            fields=(
                value("slug"),
                value("name"),
                value("aliases"),
                ref("nationality", PARTY),
                value("description"),
                *FACT,
            ),
        ),
        Record(
            "event",
            Event,
            key=("slug",),
            order=lambda r: (r["starts_on"], r["slug"]),
            fields=(
                value("slug"),
                value("title"),
                date("starts_on"),
                date("ends_on"),
                value("description"),
                refs("cases", CASE),
                *FACT,
            ),
        ),
        Record(
            "case",
            Case,
            key=("general_list_number",),
            label="No. {general_list_number}",
            fields=(
                value("general_list_number"),
                value("title"),
                value("short_title"),
                value("slug"),
                ref("court", PARTY),
                date("instituted_on"),
                value("status"),
                value("basis"),
                value("summary"),
                # Cases refer to each other, so these are set once every case exists.
                refs("related_cases", CASE, later=True),
                *FACT,
            ),
        ),
        Record(
            "case_party",
            CaseParty,
            parent="case",
            key=("party",),
            order=lambda r: (ROLE_ORDER.get(r["role"], len(ROLE_ORDER)), r["party"]),
            fields=(ref("party", PARTY), value("role")),
        ),
        Record(
            "representation",
            Representation,
            parent="case",
            key=("person", "role"),
            order=lambda r: (r["party"], r["role"], r["from_date"] is not None, r["from_date"] or "", r["person"]),
            fields=(
                ref("party", PARTY),
                ref("person", PERSON),
                value("role"),
                date("from_date"),
                date("to_date"),
                *FACT,
            ),
        ),
        Record(
            "hearing",
            Hearing,
            parent="case",
            key=("slug",),
            order=lambda r: (r["starts_on"], r["slug"]),
            fields=(
                value("slug"),
                value("subject"),
                date("starts_on"),
                date("ends_on"),
                value("record_numbers"),
                value("summary"),
                *FACT,
            ),
        ),
        Record(
            "filing",
            Filing,
            parent="case",
            key=("slug",),
            order=lambda r: (r["filed_on"] or r["due_on"], r["slug"]),
            fields=(
                value("slug"),
                value("kind"),
                ref("filed_by", PARTY),
                value("title"),
                date("filed_on"),
                date("due_on"),
                value("document_number"),
                value("url"),
                value("summary"),
                value("requested_measures"),
                *FACT,
            ),
        ),
        Record(
            "decision",
            Decision,
            parent="case",
            key=("slug",),
            order=lambda r: (r["decided_on"], r["slug"]),
            # In date order across cases, so that a provision a later decision amends exists first.
            load_by="decided_on",
            fields=(
                value("slug"),
                value("kind"),
                value("subject"),
                value("issued_by"),
                date("decided_on"),
                value("title"),
                value("document_number"),
                value("url"),
                refs("responds_to", FILING, check="validate_responds_to"),
                value("summary"),
                value("not_indicated"),
                records("bench", "bench"),
                records("provisions", "provision"),
                records("opinions", "opinion"),
                *FACT,
            ),
        ),
        Record(
            "bench",
            BenchMember,
            parent="decision",
            key=("judge",),
            # The order of precedence is the order in the file. The file is the record of who
            # sat: a judge it no longer lists leaves the bench.
            position=("position", 0),
            prune=True,
            fields=(ref("judge", PERSON), value("office")),
        ),
        Record(
            "provision",
            Provision,
            parent="decision",
            key=("paragraph",),
            position=("position", 1),
            fields=(
                value("paragraph"),
                value("kind"),
                refs("addressees", PARTY),
                value("text"),
                value("votes_for"),
                value("votes_against"),
                value("unanimous"),
                votes("judges_for", VoteChoice.FOR),
                votes("judges_against", VoteChoice.AGAINST),
                ref("amends", AMENDED),
                value("amendment"),
                *FACT,
            ),
        ),
        Record(
            "opinion",
            Opinion,
            parent="decision",
            # Nothing in an opinion names it but its place in the Court's list: the record at each
            # position is updated in place, and one the file no longer lists is deleted.
            key=(),
            position=("position", 1),
            label="{kind}",
            prune=True,
            fields=(
                value("kind"),
                refs("judges", PERSON, check="validate_judges"),
                value("document_number"),
                value("url"),
                value("summary"),
                *FACT,
            ),
        ),
        # Not stored on its own: the parts of the key naming the provision another one amends.
        Record(
            "amends",
            Provision,
            key=("case", "decision", "paragraph"),
            fields=(
                value("case", attr="decision__case__general_list_number"),
                value("decision", attr="decision__slug"),
                value("paragraph"),
            ),
        ),
        Record(
            "claim",
            ComplianceClaim,
            key=("slug",),
            order=lambda r: (r["made_on"], r["slug"]),
            fields=(
                value("slug"),
                ref("decision", DECISION),
                ref("provision", PARAGRAPH),
                ref("claimant", PARTY),
                ref("spokesperson", PERSON),
                date("made_on"),
                value("assessment"),
                value("summary"),
                value("quote"),
                *FACT,
            ),
        ),
    )
}


# Files -------------------------------------------------------------------------------------------

TOP_LEVEL_FILES = (
    File("sources.json", (Section("sources", "source"),)),
    File("actors.json", (Section("parties", "party"), Section("people", "person"))),
    File("events.json", (Section("events", "event"),)),
)

# A case file holds one case and everything that happens in it; the claims are those made
# about its decisions.
CASE_FILE = File(
    "cases/{general_list_number}.json",
    (
        Section("case", "case", one=True),
        Section("parties", "case_party", attr="case_parties"),
        Section("representations", "representation", attr="representations"),
        Section("hearings", "hearing", attr="hearings"),
        Section("filings", "filing", attr="filings"),
        Section("decisions", "decision", attr="decisions"),
        Section("claims", "claim", attr="decisions__compliance_claims"),
    ),
)

# The order records are loaded in: each kind after every kind it refers to. The records nested
# in a decision (its bench, provisions and opinions) are loaded with it.
LOAD_ORDER = (
    "source",
    "party",
    "person",
    "case",
    "case_party",
    "representation",
    "hearing",
    "filing",
    "decision",
    "claim",
    "event",
)
