"""Reading the Court's operative clause and its "Present:" line: pure functions, no database.

The Court prints each operative paragraph with its vote in a fixed form ("(1) By thirteen votes to
two, ... IN FAVOUR: ...; AGAINST: ...;", "1) Par treize voix contre deux, ... POUR : ...", "(3)
Unanimously, ...", "A l'unanimité, ...") and opens each decision with the bench ("Present: President
Donoghue; ... Registrar Gautier.", "Présents : Mme Donoghue, présidente ; ..."). What is read here is
only what the Court printed; the caller matches it to the record: ``match_judges`` for the bench,
the case's parties for ``addressee_names``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from decisions.models import Office, ProvisionKind

__all__ = [
    "BenchSeat",
    "OperativeParseError",
    "ParsedProvision",
    "PresentLine",
    "PrintedName",
    "match_judges",
    "parse_operative_clause",
    "parse_present",
]

# Not an office of the bench (the model has no such value): the Registrar is read and left out.
_REGISTRAR = "registrar"


class OperativeParseError(ValueError):
    """The text cannot be read as an operative clause or a Present line; the message says what and where."""


class PrintedName(NamedTuple):
    """A judge as the Court printed the name: the office held (an ``Office`` value) and the surname."""

    office: str
    surname: str


@dataclass
class PresentLine:
    """The bench of a decision, in the order the Court printed it (the Registrar left out)."""

    members: list[PrintedName]
    registrar: str = ""
    language: str = "en"


@dataclass
class ParsedProvision:
    """One provision of an operative clause as the Court printed it, with anything inconsistent in it."""

    paragraph: str
    position: int
    text: str
    kind: str
    unanimous: bool = False
    votes_for: int | None = None
    votes_against: int | None = None
    in_favour: list[PrintedName] = field(default_factory=list)
    against: list[PrintedName] = field(default_factory=list)
    addressee_names: list[str] = field(default_factory=list)
    both_parties: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def canonical_paragraph(self) -> str:
        """The paragraph in the English form the dataset uses: French "1) a)" becomes "(1)(a)"."""
        if re.fullmatch(r"(?:\s*\(?(?:\d{1,2}|[a-z])\))+\s*", self.paragraph):
            return "".join(f"({label})" for label in re.findall(r"(\d{1,2}|[a-z])\)", self.paragraph))
        return self.paragraph


class _Person(Protocol):
    @property
    def name(self) -> str: ...


class BenchSeat(Protocol):
    """What ``match_judges`` needs of a member of the bench (``BenchMember`` has it)."""

    @property
    def judge(self) -> _Person: ...

    @property
    def office(self) -> str: ...


# --- text ----------------------------------------------------------------------------------------

_CHARACTERS = str.maketrans(
    {
        "\u00a0": " ",  # no-break space, which the Court prints before French ":" and ";"
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        "\r": "\n",
        "\u2010": "-",
        "\u2011": "-",  # non-breaking hyphen, as in "Vice‑President" copied from the PDFs
        "\u00ad": None,  # soft hyphen
        "\ufeff": None,
    }
)
# A page number line ("- 19 -") left by copying a PDF, which is no part of the Court's sentences.
_PAGE_NUMBER_RE = re.compile(r"^[ ]*-[ ]*\d{1,3}[ ]*-[ ]*$\n?", re.M)


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_CHARACTERS)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    """Accents and case off, for comparing what the Court printed in capitals or without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold().replace("’", "'")


def _excerpt(text: str, width: int = 60) -> str:
    squashed = _squash(text)
    return squashed if len(squashed) <= width else squashed[: width - 1] + "…"


# --- names ---------------------------------------------------------------------------------------

_EN_OFFICE_RE = re.compile(
    r"^(?P<office>acting\s+registrar|deputy[-\s]registrar|registrar|acting\s+president|vice-president|president"
    r"|judges?\s+ad\s+hoc|judges?)(?=\s|$)",
    re.I,
)
_EN_OFFICES = {
    "acting registrar": _REGISTRAR,
    "deputy-registrar": _REGISTRAR,
    "deputy registrar": _REGISTRAR,
    "registrar": _REGISTRAR,
    # An Acting President presides over the decision: the office held on the bench is the President's.
    "acting president": Office.PRESIDENT.value,
    "vice-president": Office.VICE_PRESIDENT.value,
    "president": Office.PRESIDENT.value,
    "judges ad hoc": Office.JUDGE_AD_HOC.value,
    "judge ad hoc": Office.JUDGE_AD_HOC.value,
    "judges": Office.JUDGE.value,
    "judge": Office.JUDGE.value,
}
_FR_OFFICES = {
    "president": Office.PRESIDENT.value,
    "presidente": Office.PRESIDENT.value,
    "president en exercice": Office.PRESIDENT.value,
    "presidente en exercice": Office.PRESIDENT.value,
    "vice-president": Office.VICE_PRESIDENT.value,
    "vice-presidente": Office.VICE_PRESIDENT.value,
    "juge": Office.JUDGE.value,
    "juges": Office.JUDGE.value,
    "juge ad hoc": Office.JUDGE_AD_HOC.value,
    "juges ad hoc": Office.JUDGE_AD_HOC.value,
    "greffier": _REGISTRAR,
    "greffiere": _REGISTRAR,
    "greffier en exercice": _REGISTRAR,
    "greffiere en exercice": _REGISTRAR,
    "greffier adjoint": _REGISTRAR,
    "greffiere adjointe": _REGISTRAR,
}
_HONORIFIC_RE = re.compile(r"^(?:MM\.|MMES|Mmes|MME|Mme|M\.)\s*")
_EN_OFFICE_HELP = "President, Vice-President, Judge(s), Judge(s) ad hoc"
_FR_OFFICE_HELP = "président(e), vice-président(e), juges, juge(s) ad hoc, greffier"


@dataclass
class _Names:
    names: list[PrintedName]
    registrar: str
    issues: list[tuple[int, str]]


def _name_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _fold(name))


def _tokens(text: str, offset: int) -> list[tuple[int, str]]:
    # An order prints the bench on one line with ";" between offices, and a PDF breaks that line
    # anywhere; a verbatim record prints one judge a line, with no ";" at all.
    pattern = r"[^;,]+" if ";" in text else r"[^;,\n]+"
    tokens = []
    for match in re.finditer(pattern, text):
        token = _squash(match.group())
        token = token[:-1].rstrip() if token.endswith(".") and not _HONORIFIC_RE.fullmatch(token) else token
        if token:
            tokens.append((offset + match.start() + len(match.group()) - len(match.group().lstrip()), token))
    return tokens


# Lower-case words that may stand in a surname ("al-Khasawneh", "de Castro", "van den Wyngaert").
_PARTICLES = {"de", "da", "das", "do", "dos", "du", "der", "den", "van", "von", "al", "el", "bin", "ben", "le", "la"}


def _looks_like_name(name: str) -> bool:
    """A surname is a few capitalised words: anything longer is the Court's prose swallowed by a name line."""
    words = name.split()
    return 0 < len(words) <= 4 and all(
        word.casefold() in _PARTICLES or any(char.isupper() for char in word) for word in words
    )


def _looks_french(tokens: list[tuple[int, str]]) -> bool:
    return any(_HONORIFIC_RE.match(token) or _fold(token) in _FR_OFFICES for _, token in tokens)


def _read_names(text: str, offset: int, *, french: bool | None) -> _Names:
    """The judges of a Present line or of an IN FAVOUR / AGAINST (POUR / CONTRE) line, in printed order."""
    tokens = _tokens(text, offset)
    if french is None:
        french = _looks_french(tokens)
    return _read_french_names(tokens) if french else _read_english_names(tokens)


def _read_english_names(tokens: list[tuple[int, str]]) -> _Names:
    # English puts the office before the names it governs: "Judges Tomka, Abraham; Judge ad hoc Daudet".
    result = _Names([], "", [])
    office: str | None = None
    open_prefix: tuple[int, str] | None = None
    for position, token in tokens:
        match = _EN_OFFICE_RE.match(token)
        if match:
            if open_prefix:
                result.issues.append((open_prefix[0], f"{open_prefix[1]!r} is followed by no name"))
            office = _EN_OFFICES[_squash(match.group("office")).lower()]
            name = token[match.end() :].strip()
            open_prefix = None if name else (position, token)
            if not name:
                continue
        else:
            name = token
            open_prefix = None
        if not _looks_like_name(name):
            result.issues.append((position, f"{_excerpt(name, 40)!r} does not look like a name"))
            break
        if office is None:
            result.issues.append((position, f"{name!r} has no office ({_EN_OFFICE_HELP}) before it"))
            result.names.append(PrintedName("", name))
        elif office == _REGISTRAR:
            result.registrar = result.registrar or name
        else:
            result.names.append(PrintedName(office, name))
    if open_prefix:
        result.issues.append((open_prefix[0], f"{open_prefix[1]!r} is followed by no name"))
    return result


def _read_french_names(tokens: list[tuple[int, str]]) -> _Names:
    # French puts the office after the names it governs: "MM. Tomka, Abraham, juges ; M. Daudet, juge ad hoc".
    result = _Names([], "", [])
    pending: list[tuple[int, str]] = []
    for position, token in tokens:
        bare = _HONORIFIC_RE.sub("", token, count=1).strip()
        office = _FR_OFFICES.get(_fold(bare))
        if office is None:
            if bare and not _looks_like_name(bare):
                result.issues.append((position, f"{_excerpt(bare, 40)!r} does not look like a name"))
                break
            if bare:
                pending.append((position, bare))
            continue
        if not pending:
            result.issues.append((position, f"{token!r} follows no name"))
        for _, name in pending:
            if office == _REGISTRAR:
                result.registrar = result.registrar or name
            else:
                result.names.append(PrintedName(office, name))
        pending = []
    for position, name in pending[:1]:
        result.issues.append((position, f"{name!r} has no office ({_FR_OFFICE_HELP}) after it"))
    result.names.extend(PrintedName("", name) for _, name in pending)
    return result


# --- the Present line ----------------------------------------------------------------------------

_PRESENT_LABEL_RE = re.compile(r"(?<!\w)(?P<label>Present|PRESENT|Présents|Présent|PRÉSENTS|Presents)\s*:")
_PRESENT_END_RE = re.compile(
    r"\n[ ]*\n|The International Court of Justice|La Cour internationale de Justice|Composed as above|Ainsi compos"
)


def parse_present(text: str) -> PresentLine:
    """The bench printed in a decision's "Present:" ("Présents :") line, in the printed order.

    Raises OperativeParseError, saying what it could not read and at which character.
    """
    if not text or not text.strip():
        raise OperativeParseError("the Present line is empty")
    clean = _clean(text)
    label = _PRESENT_LABEL_RE.search(clean)
    start = label.end() if label else 0
    end = _PRESENT_END_RE.search(clean, start)
    segment = clean[start : end.start() if end else len(clean)]
    french = None if label is None else label.group("label") not in ("Present", "PRESENT")
    names = _read_names(segment, start, french=french)
    where = "the Present line" if label else "the Present line (no “Present:” or “Présents :” label found)"
    if names.issues:
        position, issue = names.issues[0]
        raise OperativeParseError(f"could not read {where} at character {position}: {issue}")
    if not names.names:
        raise OperativeParseError(f"found no judge in {where}: {_excerpt(segment)!r}")
    seen: dict[str, PrintedName] = {}
    for member in names.names:
        key = _name_key(member.surname)
        if key in seen:
            raise OperativeParseError(f"could not read {where}: {member.surname!r} is printed twice")
        seen[key] = member
    language = "fr" if (french if french is not None else _looks_french(_tokens(segment, start))) else "en"
    return PresentLine(members=names.names, registrar=names.registrar, language=language)


# --- the operative clause ------------------------------------------------------------------------

_ENGLISH_NUMBERS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
)
_FRENCH_NUMBERS = (
    "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept dix-huit "
    "dix-neuf vingt"
)
_NUMBERS = {
    word: value for words in (_ENGLISH_NUMBERS, _FRENCH_NUMBERS) for value, word in enumerate(words.split(" "), 1)
}
_NUMBERS["une"] = 1

_NUMBER = r"[^\W\d_]+(?:-[^\W\d_]+)*|\d{1,2}"
# Capitalised on purpose: the vote opens a provision, while "by thirteen votes to two" or "à
# l'unanimité" in a press release's narrative is prose about it.
_VOTE_RE = re.compile(
    r"(?<!\w)(?:"
    rf"By\s+(?P<en_for>{_NUMBER})\s+votes?\s+to\s+(?P<en_against>{_NUMBER})"
    rf"|Par\s+(?P<fr_for>{_NUMBER})\s+voix\s+contre\s+(?P<fr_against>{_NUMBER})"
    r"|(?P<en_unanimous>Unanimously|UNANIMOUSLY)"
    r"|(?P<fr_unanimous>[AÀ]\s+l['’]\s?unanimit[ée]|[AÀ]\s+L['’]\s?UNANIMIT[ÉE])"
    r")\s*,?"
)
# A paragraph number opens a provision only where a sentence can start (never "point (1) above").
_MARKER_RE = re.compile(
    r"(?:^|(?<=[\n;:.]))[ ]*"
    r"(?P<marker>\((?P<num>\d{1,2})\)|\((?P<letter>[a-z])\)|(?P<fnum>\d{1,2})\)|(?P<fletter>[a-z])\))"
    r"[ \n]*",
    re.M,
)
_NAMES_RE = re.compile(r"(?:^|(?<=[\n;,.:]))[ ]*(?P<keyword>in\s+favour|against|pour|contre)[ ]*:", re.I | re.M)
_MEASURES_HEADING = (
    r"(?i:(?<!\w)(?:indicates?|indique)\s+(?:the\s+following\s+provisional\s+measures?"
    r"|(?:les|la)\s+mesures?\s+conservatoires?\s+suivantes?))"
)
_MEASURES_HEADING_RE = re.compile(_MEASURES_HEADING)
_HEADING_RE = re.compile(
    r"(?:^|(?<=\s))(?:(?P<number>\d{1,3})\.\s+)?(?:For these reasons|FOR THESE REASONS|Par ces motifs|PAR CES MOTIFS)"
    r"\s*,?"
    r"|^[ ]*(?:THE COURT|The Court|LA COUR|La Cour)[ ]*,[ ]*$"
    r"|(?<!\w)(?:THE COURT|LA COUR)\s*,"
    r"|(?<!\w)(?:the Court|The Court|la Cour|La Cour)\s*:"
    rf"|{_MEASURES_HEADING}\s*:?",
    re.M,
)
_TAIL_RE = re.compile(
    r"Done in (?:English|French)|Fait en (?:anglais|français)|\((?:Signed|Signé)\)"
    r"|^[ ]*\*[ ]*$|(?<=\s)\*(?=\s)|_{5,}"
    r"|(?P<sentence>\bappends?\s+(?:a|an|his|her|their)\s+(?:joint\s+)?(?:declaration|separate|dissenting|opinion)"
    r"|\bjoin(?:t|gnent)\s+(?:une|à)\s)",
    re.M,
)
_VERB_RE = re.compile(
    r"(?:^|(?<=[\n;:.]))[ ]*(?P<verb>Fixes|Reserves|Decides|Finds|Rejects|Indicates|Authorizes|Authorises|Declares"
    r"|Upholds|Reaffirms|Extends|Fixe|Réserve|Décide|Dit|Rejette|Indique|Autorise|Déclare|Réaffirme|Retient"
    r"|Proroge)\b",
    re.M,
)
_SUBJECT_RE = re.compile(r"^(?P<subject>[^,;:()]{2,120}?)\s+(?:shall|doit|doivent)\b")
_BOTH_PARTIES_RE = re.compile(r"(?:both|the\s+two)\s+parties|les\s+deux\s+parties|chacune\s+des\s+parties")
_ARTICLE_RE = re.compile(r"^(?:The|the|La|la|Le|le|Les|les)\s+|^[Ll]['’]")

_REJECTIONS = {"rejects", "rejette", "dismisses"}
_FIXES = {"fixes", "fixe", "extends", "proroge"}
_FINDINGS = {"finds", "decides", "upholds", "declares", "dit", "decide", "retient", "declare"}
_TIME_LIMIT_WORDS = ("time-limit", "time limit", "delai", "date d'expiration", "dates d'expiration")


@dataclass
class _Start:
    position: int
    marker: re.Match[str] | None
    vote: re.Match[str] | None


def _marker_label(marker: re.Match[str]) -> tuple[str, bool]:
    """The printed paragraph label and whether it is a top-level number (not a lettered sub-paragraph)."""
    return marker.group("marker"), bool(marker.group("num") or marker.group("fnum"))


def _tail_start(text: str, after: int) -> int:
    """Where the signature, the declarations and the press release's notes begin: no part of the clause."""
    match = _TAIL_RE.search(text, after)
    if not match:
        return len(text)
    if match.group("sentence") is None:
        return match.start()
    boundary = max(text.rfind(mark, 0, match.start()) for mark in ("\n", ". ", "; ", "* "))
    return boundary + 1 if boundary >= 0 else match.start()


def _clause_start(text: str, limit: int) -> tuple[int, str]:
    """Where the provisions begin (after "For these reasons, THE COURT, ..."), and the clause's number."""
    start, number = 0, ""
    for heading in _HEADING_RE.finditer(text, 0, limit):
        start = heading.end()
        if heading.group("number"):
            number = heading.group("number")
    return start, number


def _kind(lead: str, measures_heading: bool) -> str:
    words = lead.split()
    verb = _fold(words[0]).strip(",;:") if words else ""
    folded = _fold(lead)
    if verb in _REJECTIONS:
        return ProvisionKind.REJECTION.value
    if verb in _FIXES and any(word in folded for word in _TIME_LIMIT_WORDS):
        return ProvisionKind.TIME_LIMIT.value
    if verb in _FINDINGS:
        return ProvisionKind.FINDING.value
    if measures_heading and (verb in {"indicates", "indique"} or _SUBJECT_RE.match(lead)):
        return ProvisionKind.MEASURE.value
    return ProvisionKind.OTHER.value


def _addressees(lead: str) -> tuple[list[str], bool]:
    """The Parties named as the subject of a measure ("The Russian Federation shall ..."), or both."""
    match = _SUBJECT_RE.match(lead)
    if not match:
        return [], False
    subject = match.group("subject").strip()
    if _BOTH_PARTIES_RE.fullmatch(_fold(subject)):
        return [], True
    names = [_ARTICLE_RE.sub("", part).strip() for part in re.split(r"\s+(?:and|et)\s+", subject)]
    return [name for name in names if name[:1].isupper()], False


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBERS.get(_fold(word))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class _ProvisionBuilder:
    """Reads one provision's vote, words and name lines, and notes what disagrees."""

    def __init__(self, *, measures_heading: bool, bench_size: int | None) -> None:
        self.measures_heading = measures_heading
        self.bench_size = bench_size
        self.provisions: list[ParsedProvision] = []

    def add(self, *, paragraph: str, lead: str, text: str, vote: re.Match[str] | None, rest: str) -> ParsedProvision:
        position = len(self.provisions) + 1
        label = paragraph or f"provision {position}"
        keywords = list(_NAMES_RE.finditer(rest))
        words = _squash(rest[: keywords[0].start()] if keywords else rest)
        full_text = _squash(f"{text} {words}") if text else words
        lead = _squash(lead) if lead else full_text
        kind = _kind(lead, self.measures_heading)
        provision = ParsedProvision(paragraph=paragraph, position=position, text=full_text, kind=kind)
        if kind == ProvisionKind.MEASURE.value:
            provision.addressee_names, provision.both_parties = _addressees(lead)
        if not full_text:
            provision.problems.append(f"{label}: no words after the vote")
        self._read_vote(provision, label, vote)
        self._read_name_lines(provision, label, vote, rest, keywords)
        self.provisions.append(provision)
        return provision

    def _read_vote(self, provision: ParsedProvision, label: str, vote: re.Match[str] | None) -> None:
        if vote is None:
            return
        if vote.group("en_unanimous") or vote.group("fr_unanimous"):
            provision.unanimous = True
            provision.votes_against = 0
            provision.votes_for = self.bench_size
            return
        for side, group in (("votes_for", "for"), ("votes_against", "against")):
            word = vote.group(f"en_{group}") or vote.group(f"fr_{group}")
            value = _number(word)
            if value is None:
                provision.problems.append(f"{label}: could not read the number {word!r} in {_squash(vote.group())!r}")
            setattr(provision, side, value)
        total = (provision.votes_for or 0) + (provision.votes_against or 0)
        if self.bench_size and None not in (provision.votes_for, provision.votes_against) and total != self.bench_size:
            provision.problems.append(
                f"{label}: {self._words(vote)} make {total} votes but the bench has {self.bench_size}"
            )

    @staticmethod
    def _words(vote: re.Match[str]) -> str:
        return re.sub(r"^(?:By|Par)\s+", "", _squash(vote.group()).rstrip(", "))

    def _read_name_lines(
        self,
        provision: ParsedProvision,
        label: str,
        vote: re.Match[str] | None,
        rest: str,
        keywords: list[re.Match[str]],
    ) -> None:
        seen: set[str] = set()
        for index, keyword in enumerate(keywords):
            name = _squash(keyword.group("keyword")).upper()
            side = "in_favour" if name in ("IN FAVOUR", "POUR") else "against"
            end = keywords[index + 1].start() if index + 1 < len(keywords) else len(rest)
            if vote is None:
                provision.problems.append(f"{label}: {name} line but no vote line (“By … votes to …”, “Unanimously”)")
            elif side in seen:
                provision.problems.append(f"{label}: a second {name} line, with no vote line of its own")
                continue
            seen.add(side)
            names = _read_names(rest[keyword.end() : end], 0, french=name in ("POUR", "CONTRE"))
            for _, issue in names.issues:
                provision.problems.append(f"{label}, {name} line: {issue}")
            getattr(provision, side).extend(names.names)
        if vote is None:
            return
        french = bool(vote.group("fr_for") or vote.group("fr_unanimous"))
        in_favour_word, against_word = ("POUR", "CONTRE") if french else ("IN FAVOUR", "AGAINST")
        if provision.unanimous:
            if provision.against:
                provision.problems.append(f"{label}: unanimous but {_plural(len(provision.against), 'name')} against")
        else:
            words = self._words(vote)
            for side, word, noun in (
                ("in_favour", in_favour_word, "in favour"),
                ("against", against_word, "against"),
            ):
                names = getattr(provision, side)
                count = provision.votes_for if side == "in_favour" else provision.votes_against
                if side not in seen:
                    if count:
                        provision.problems.append(f"{label}: {words} but no {word} line")
                elif count is not None and len(names) != count:
                    provision.problems.append(f"{label}: {words} but {_plural(len(names), 'name')} {noun}")
        both = {_name_key(n.surname) for n in provision.in_favour} & {_name_key(n.surname) for n in provision.against}
        for name in provision.in_favour:
            if _name_key(name.surname) in both:
                provision.problems.append(f"{label}: {name.surname!r} is both in favour and against")


def parse_operative_clause(text: str, *, bench_size: int | None = None) -> list[ParsedProvision]:
    """The provisions of an operative clause, in the order printed, each with its vote and its problems.

    ``bench_size``, when given, is the number of judges who sat: it gives a unanimous vote its count
    and is checked against "By X votes to Y". Raises OperativeParseError when no provision can be read.
    """
    if not text or not text.strip():
        raise OperativeParseError("the operative clause is empty")
    clean = _PAGE_NUMBER_RE.sub("", _clean(text))
    first_vote = _VOTE_RE.search(clean)
    first_verb = _VERB_RE.search(clean)
    limit = first_vote.start() if first_vote else (first_verb.start("verb") if first_verb else len(clean))
    clean = clean[: _tail_start(clean, limit)]
    start, clause_number = _clause_start(clean, limit)
    measures_heading = bool(_MEASURES_HEADING_RE.search(clean, 0, max(limit, start)))
    body = clean[start:]
    builder = _ProvisionBuilder(measures_heading=measures_heading, bench_size=bench_size)
    if first_vote:
        _read_voted(body, clause_number, builder)
    elif first_verb:
        _read_unvoted(body, clause_number, builder)
    if not builder.provisions:
        raise OperativeParseError(
            f"could not read an operative clause in {_excerpt(text)!r}: found no vote (“By … votes to …”, "
            "“Unanimously”, “Par … voix contre …”, “À l’unanimité”) and no operative verb (Finds, Decides, "
            "Rejects, Fixes, Indicates, …)"
        )
    return builder.provisions


def _read_voted(body: str, clause_number: str, builder: _ProvisionBuilder) -> None:
    votes = {vote.start(): vote for vote in _VOTE_RE.finditer(body)}
    starts: list[_Start] = []
    for marker in _MARKER_RE.finditer(body):
        vote = votes.pop(marker.end(), None)
        if vote is not None or marker.group("num") or marker.group("fnum"):
            starts.append(_Start(marker.start("marker"), marker, vote))
    starts.extend(_Start(vote.start(), None, vote) for vote in votes.values())
    starts.sort(key=lambda item: item.position)
    preamble_problems = [
        f"a {_squash(keyword.group('keyword')).upper()} line before any vote line"
        for keyword in _NAMES_RE.finditer(body[: starts[0].position] if starts else body)
    ]
    top = chapeau = ""
    for index, item in enumerate(starts):
        end = starts[index + 1].position if index + 1 < len(starts) else len(body)
        following = starts[index + 1] if index + 1 < len(starts) else None
        if item.marker is None:
            # An unnumbered vote: the whole clause is one paragraph ("67. ... THE COURT, Unanimously, ...").
            builder.add(paragraph=clause_number, lead="", text="", vote=item.vote, rest=body[item.vote.end() : end])
            continue
        label, numbered = _marker_label(item.marker)
        if numbered:
            top, chapeau, paragraph = label, "", label
        else:
            paragraph = f"{top} {label}" if top and not label.startswith("(") else f"{top}{label}"
        if item.vote is None:
            words = _squash(body[item.marker.end() : end])
            if following and following.marker and following.vote and not _marker_label(following.marker)[1]:
                # "(1) The Republic of Azerbaijan shall, ...": the words that each lettered
                # sub-paragraph below it completes.
                chapeau = words
            else:
                builder.add(paragraph=paragraph, lead=words, text="", vote=None, rest=body[item.marker.end() : end])
            continue
        prefix = f"{chapeau} {label}" if chapeau and not numbered else ""
        builder.add(
            paragraph=paragraph,
            lead=chapeau if prefix else "",
            text=prefix,
            vote=item.vote,
            rest=body[item.vote.end() : end],
        )
    if builder.provisions:
        builder.provisions[0].problems[:0] = preamble_problems


def _read_unvoted(body: str, clause_number: str, builder: _ProvisionBuilder) -> None:
    # Orders fixing time-limits and the like print no vote: each operative verb opens a provision.
    verbs = list(_VERB_RE.finditer(body))
    for index, verb in enumerate(verbs):
        end = verbs[index + 1].start("verb") if index + 1 < len(verbs) else len(body)
        paragraph = clause_number if len(verbs) == 1 else ""
        builder.add(paragraph=paragraph, lead="", text="", vote=None, rest=body[verb.start("verb") : end])


# --- matching to the bench -----------------------------------------------------------------------


def _name_keys(full_name: str) -> tuple[set[str], set[str]]:
    """The keys a printed surname may take: the last words of a full name, or its first words."""
    words = full_name.split()
    suffixes = {_name_key("".join(words[index:])) for index in range(len(words))}
    prefixes = {_name_key("".join(words[:index])) for index in range(1, len(words) + 1)}
    return suffixes - {""}, prefixes - {""}


def _office_label(office: str) -> str:
    return Office(office).label if office in Office.values else office


def match_judges(
    names: Iterable[tuple[str, str]], bench: Sequence[BenchSeat]
) -> tuple[list[tuple[PrintedName, BenchSeat]], list[tuple[PrintedName, str]]]:
    """Match printed ``(office, surname)`` pairs to the bench; what cannot be matched comes back with a reason.

    A surname matches the last words of a judge's full name ("Yusuf", "Gómez Robledo") or, failing
    that, the first words, for names printed surname first ("Xue" for Xue Hanqin, "Iwasawa" for
    Iwasawa Yuji); accents, case, spaces and hyphens do not count. The office must agree, unless
    none was printed.
    """
    seats = list(bench)
    keys = [_name_keys(seat.judge.name) for seat in seats]
    matched: list[tuple[PrintedName, BenchSeat]] = []
    unmatched: list[tuple[PrintedName, str]] = []
    taken: dict[int, PrintedName] = {}
    for raw in names:
        printed = PrintedName(*raw)
        key = _name_key(printed.surname)
        if not key:
            unmatched.append((printed, "no surname printed"))
            continue
        candidates = [index for index, (suffixes, _) in enumerate(keys) if key in suffixes] or [
            index for index, (_, prefixes) in enumerate(keys) if key in prefixes
        ]
        if not candidates:
            unmatched.append((printed, f"no judge named {printed.surname!r} on the bench"))
            continue
        if printed.office:
            same_office = [index for index in candidates if seats[index].office == printed.office]
            if not same_office:
                held = ", ".join(
                    f"{seats[index].judge.name} as {_office_label(seats[index].office)}" for index in candidates
                )
                unmatched.append(
                    (
                        printed,
                        f"{printed.surname!r} is printed as {_office_label(printed.office)}, but the bench has {held}",
                    )
                )
                continue
            candidates = same_office
        if len(candidates) > 1:
            who = ", ".join(seats[index].judge.name for index in candidates)
            unmatched.append((printed, f"{printed.surname!r} is ambiguous: it could be any of {who}"))
            continue
        index = candidates[0]
        if index in taken:
            unmatched.append(
                (
                    printed,
                    f"{printed.surname!r} names {seats[index].judge.name}, already matched to {taken[index].surname!r}",
                )
            )
            continue
        taken[index] = printed
        matched.append((printed, seats[index]))
    return matched, unmatched
