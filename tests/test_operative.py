"""The reader of the operative clause and of the "Present:" line, tested on the Court's own texts.

Every text is stored in tests/operative_texts/ as the stored copy printed it, its first line
"# source: URL" (further "#" lines say what the copy is and where it is damaged or breaks off).
The dataset (data/cases/180.json, 181.json, data/actors.json) gives the bench and the votes that
the names are matched against. No database: the bench is made of plain stand-ins.
"""

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from decisions.operative import (
    OperativeParseError,
    ParsedProvision,
    PrintedName,
    match_judges,
    parse_operative_clause,
    parse_present,
)

TEXTS = Path(__file__).parent / "operative_texts"
DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Judge:
    slug: str
    name: str


@dataclass(frozen=True)
class Seat:
    judge: Judge
    office: str


def court_text(name: str) -> str:
    """A stored text without its leading "#" lines (the source and the notes on the copy)."""
    lines = (TEXTS / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(itertools.dropwhile(lambda line: line.startswith("#"), lines))


PEOPLE = {
    person["slug"]: person["name"]
    for person in json.loads((DATA / "actors.json").read_text(encoding="utf-8"))["people"]
}


def decision(number: int, slug: str) -> dict:
    case = json.loads((DATA / "cases" / f"{number}.json").read_text(encoding="utf-8"))
    return next(record for record in case["decisions"] if record["slug"] == slug)


def bench_of(record: dict) -> list[Seat]:
    return [Seat(Judge(seat["judge"], PEOPLE[seat["judge"]]), seat["office"]) for seat in record["bench"]]


def provision_of(record: dict, paragraph: str) -> dict:
    return next(provision for provision in record["provisions"] if provision["paragraph"] == paragraph)


def slugs(matched: list[tuple[PrintedName, Seat]]) -> list[str]:
    return [seat.judge.slug for _, seat in matched]


def words(text: str) -> str:
    return " ".join(text.split()).casefold()


# The bench of the Orders of 16 and 23 March 2022 in No. 182, in the Court's order, with the full names
# of data/actors.json (No. 182 is not in the dataset).
JUDGES_182 = ["tomka", "abraham", "bennouna", "yusuf", "xue", "sebutinde", "bhandari", "robinson", "salam", "iwasawa"]
JUDGES_182 += ["nolte", "charlesworth"]
BENCH_182 = [
    Seat(Judge(slug, PEOPLE[slug]), office)
    for slug, office in [
        ("donoghue", "president"),
        ("gevorgian", "vice_president"),
        *((slug, "judge") for slug in JUDGES_182),
        ("daudet", "judge_ad_hoc"),
    ]
]
# The IN FAVOUR line of paragraphs (1) and (2), as printed: the bench less Gevorgian and Xue.
IN_FAVOUR_16_MARCH_2022 = [
    ("president", "Donoghue"),
    *(("judge", slug.capitalize()) for slug in JUDGES_182 if slug != "xue"),
    ("judge_ad_hoc", "Daudet"),
]
AGAINST_16_MARCH_2022 = [("vice_president", "Gevorgian"), ("judge", "Xue")]


# --- (a) the Order of 16 March 2022 in No. 182 -----------------------------------------------------


def test_order_of_16_march_2022_operative_clause_in_english():
    provisions = parse_operative_clause(court_text("182-2022-03-16-order-operative-en.txt"))

    assert [p.paragraph for p in provisions] == ["(1)", "(2)", "(3)"]
    assert [p.position for p in provisions] == [1, 2, 3]
    assert [p.kind for p in provisions] == ["measure", "measure", "measure"]
    first, second, third = provisions
    assert first.text == (
        "The Russian Federation shall immediately suspend the military operations that it commenced on "
        "24 February 2022 in the territory of Ukraine;"
    )
    # "point (1) above" is the Court's words, not a new paragraph.
    assert second.text.endswith(
        "take no steps in furtherance of the military operations referred to in point (1) above;"
    )
    assert third.text == (
        "Both Parties shall refrain from any action which might aggravate or extend the dispute before the Court "
        "or make it more difficult to resolve."
    )
    for provision in (first, second):
        assert (provision.unanimous, provision.votes_for, provision.votes_against) == (False, 13, 2)
        assert provision.in_favour == IN_FAVOUR_16_MARCH_2022
        assert provision.against == AGAINST_16_MARCH_2022
        assert provision.addressee_names == ["Russian Federation"]
        assert not provision.both_parties
        assert provision.problems == []
    assert (third.unanimous, third.votes_for, third.votes_against) == (True, None, 0)
    assert (third.in_favour, third.against) == ([], [])
    assert third.addressee_names == [] and third.both_parties
    assert third.problems == []
    # Nothing of the closing formula or the signatures is read as a provision.
    assert "Done in English" not in third.text


def test_order_of_16_march_2022_unanimous_vote_counts_the_bench_when_given():
    provisions = parse_operative_clause(court_text("182-2022-03-16-order-operative-en.txt"), bench_size=15)

    assert [(p.votes_for, p.votes_against) for p in provisions] == [(13, 2), (13, 2), (15, 0)]
    assert all(p.problems == [] for p in provisions)


def test_order_of_16_march_2022_votes_match_the_bench():
    first = parse_operative_clause(court_text("182-2022-03-16-order-operative-en.txt"))[0]

    in_favour, not_found = match_judges(first.in_favour, BENCH_182)
    against, not_found_against = match_judges(first.against, BENCH_182)

    assert not_found == [] and not_found_against == []
    assert slugs(against) == ["gevorgian", "xue"]
    # Xue Hanqin and Iwasawa Yuji are printed by the first word of their names, Yusuf by the last.
    assert sorted(slugs(in_favour) + slugs(against)) == sorted(seat.judge.slug for seat in BENCH_182)


def test_order_of_16_march_2022_present_line_in_english():
    present = parse_present(court_text("182-2022-03-16-order-present-en.txt"))

    assert present.language == "en"
    assert present.registrar == "GAUTIER"
    assert present.members[:2] == [("president", "DONOGHUE"), ("vice_president", "GEVORGIAN")]
    assert present.members[-1] == ("judge_ad_hoc", "DAUDET")
    assert len(present.members) == 15
    matched, unmatched = match_judges(present.members, BENCH_182)
    assert unmatched == []
    assert slugs(matched) == [seat.judge.slug for seat in BENCH_182]


def test_orders_of_march_2022_present_line_in_french_reads_as_the_english():
    french = parse_present(court_text("182-2022-03-23-order-present-fr.txt"))
    english = parse_present(court_text("182-2022-03-23-order-present-en.txt"))

    assert french.language == "fr"
    assert french.registrar == "GAUTIER"
    assert french.members == english.members
    assert english.members == parse_present(court_text("182-2022-03-16-order-present-en.txt")).members
    assert [office for office, _ in french.members].count("judge") == 12


# --- (b) the orders of Nos. 180 and 181 whose texts were found -------------------------------------


@pytest.mark.parametrize(
    ("name", "number", "slug"),
    [
        ("180-2021-12-07-order-present-en.txt", 180, "2021-12-07-order"),
        ("181-2021-12-07-order-present-en.txt", 181, "2021-12-07-order"),
        ("180-2022-01-21-order-present-en.txt", 180, "2022-01-21-order"),
        ("181-2022-01-21-order-present-en.txt", 181, "2022-01-21-order"),
        ("180-2022-10-12-order-present-fr.txt", 180, "2022-10-12-order"),
        ("180-2023-02-22-order-present-en.txt", 180, "2023-02-22-order"),
        ("181-2023-02-22-order-present-en.txt", 181, "2023-02-22-order"),
        ("180-2023-11-17-order-present-en.txt", 180, "2023-11-17-order"),
    ],
)
def test_present_line_is_the_dataset_bench(name, number, slug):
    record = decision(number, slug)
    bench = bench_of(record)

    present = parse_present(court_text(name))
    matched, unmatched = match_judges(present.members, bench)

    assert unmatched == []
    # The Court prints the bench in its order of precedence, as the dataset records it.
    assert slugs(matched) == [seat.judge.slug for seat in bench]
    assert [printed.office for printed, _ in matched] == [seat.office for seat in bench]


def test_present_line_copied_from_a_pdf_keeps_its_hyphens_as_printed():
    present = parse_present(court_text("180-2021-12-07-order-present-en.txt"))

    # The non-breaking hyphen of "Vice‑President" is read as the office; "Tom-ka" is kept as printed
    # and still matches Peter Tomka.
    assert present.members[1] == ("vice_president", "Gevorgian")
    assert present.members[2] == ("judge", "Tom-ka")
    assert present.registrar == "Gautier"


def test_present_line_with_an_acting_registrar_leaves_him_out():
    present = parse_present(court_text("180-2022-10-12-order-present-fr.txt"))

    assert present.registrar == "PUNZHIN"
    assert "PUNZHIN" not in [surname for _, surname in present.members]
    assert present.members[-2:] == [("judge_ad_hoc", "KEITH"), ("judge_ad_hoc", "DAUDET")]


def test_order_of_17_november_2023_paragraph_1_is_the_dataset_provision():
    record = decision(180, "2023-11-17-order")
    bench = bench_of(record)
    expected = provision_of(record, "(1)")

    first = parse_operative_clause(court_text("180-2023-11-17-order-operative-en.txt"), bench_size=len(bench))[0]

    assert (first.paragraph, first.position, first.kind) == ("(1)", 1, expected["kind"])
    # The Court's non-breaking hyphen in "Nagorno‑Karabakh" is read as a hyphen; (i), (ii), (iii) stay in the text.
    assert first.text == expected["text"]
    assert (first.unanimous, first.votes_for, first.votes_against) == (False, 13, 2)
    assert (first.votes_for, first.votes_against) == (expected["votes_for"], expected["votes_against"])
    assert first.addressee_names == ["Republic of Azerbaijan"]
    assert first.problems == []
    in_favour, not_found = match_judges(first.in_favour, bench)
    against, not_found_against = match_judges(first.against, bench)
    assert not_found == [] and not_found_against == []
    assert slugs(in_favour) == expected["judges_for"]
    assert slugs(against) == expected["judges_against"]


def test_order_of_17_november_2023_copy_breaking_off_in_paragraph_2_is_reported():
    second = parse_operative_clause(court_text("180-2023-11-17-order-operative-en.txt"))[1]

    assert (second.paragraph, second.votes_for, second.votes_against) == ("(2)", 13, 2)
    assert second.text == "The Republic of Azerbaijan shall, in accordance with its obligatio"
    assert second.problems == [
        "(2): thirteen votes to two but no IN FAVOUR line",
        "(2): thirteen votes to two but no AGAINST line",
    ]


def test_order_of_22_february_2023_in_no_180_damaged_copy_is_caught():
    record = decision(180, "2023-02-22-order")
    bench = bench_of(record)
    expected = provision_of(record, "67")

    provisions = parse_operative_clause(court_text("180-2023-02-22-order-operative-en.txt"), bench_size=len(bench))

    assert len(provisions) == 1
    measure = provisions[0]
    # The press release prints the measure without the Order's paragraph number (67).
    assert (measure.paragraph, measure.kind) == ("", "measure")
    assert words(measure.text) == words(expected["text"])
    assert (measure.votes_for, measure.votes_against) == (expected["votes_for"], expected["votes_against"]) == (13, 2)
    assert measure.addressee_names == ["Republic of Azerbaijan"]
    # The copy lost Judge ad hoc Daudet's name: both the empty office and the count say so.
    assert measure.problems == [
        "provision 1, IN FAVOUR line: 'Judge ad hoc' is followed by no name",
        "provision 1: thirteen votes to two but 12 names in favour",
    ]
    in_favour, not_found = match_judges(measure.in_favour, bench)
    against, not_found_against = match_judges(measure.against, bench)
    assert not_found == [] and not_found_against == []
    assert set(expected["judges_for"]) - set(slugs(in_favour)) == {"daudet"}
    assert slugs(against) == expected["judges_against"] == ["yusuf", "keith"]


def test_order_of_22_february_2023_in_no_181_rejection_in_french():
    record = decision(181, "2023-02-22-order")
    bench = bench_of(record)
    expected = provision_of(record, "27")

    provisions = parse_operative_clause(court_text("181-2023-02-22-order-operative-fr.txt"), bench_size=len(bench))

    assert len(provisions) == 1
    rejection = provisions[0]
    assert (rejection.paragraph, rejection.kind) == ("", "rejection")
    assert rejection.kind == expected["kind"]
    assert rejection.text == (
        "Rejette la demande en indication de mesures conservatoires présentée par la République d’Azerbaïdjan "
        "le 4 janvier 2023."
    )
    # "A l’unanimité", as the Court prints it (no accent on the capital).
    assert rejection.unanimous and expected["unanimous"]
    assert (
        (rejection.votes_for, rejection.votes_against) == (expected["votes_for"], expected["votes_against"]) == (16, 0)
    )
    assert rejection.problems == []


def test_order_of_7_december_2021_in_no_181_in_french():
    record = decision(181, "2021-12-07-order")
    expected = provision_of(record, "(1)")

    provisions = parse_operative_clause(court_text("181-2021-12-07-order-operative-fr.txt"))

    assert len(provisions) == 1
    measure = provisions[0]
    assert (measure.paragraph, measure.canonical_paragraph, measure.kind) == ("1)", "(1)", "measure")
    assert measure.kind == expected["kind"]
    assert measure.text.startswith("La République d’Arménie doit, conformément aux obligations")
    assert measure.addressee_names == ["République d’Arménie"]
    assert expected["addressees"] == ["ARM"]
    # The Court printed "A l’unanimité": the dataset, which had not read the vote, must not say otherwise.
    assert measure.unanimous and (measure.votes_for, measure.votes_against) == (None, 0)
    assert expected["votes_against"] in (None, 0)
    assert measure.problems == []


def test_order_of_21_january_2022_time_limits_without_votes():
    record = decision(180, "2022-01-21-order")

    provisions = parse_operative_clause(court_text("180-2022-01-21-order-operative-en.txt"))

    assert [(p.paragraph, p.kind) for p in provisions] == [("", "time_limit"), ("", "other")]
    assert provisions[0].text == "Fixes the following time-limits for the filing of the written pleadings:"
    assert provisions[1].text == provision_of(record, "Reserves")["text"]
    assert all(p.votes_for is None and not p.unanimous and p.problems == [] for p in provisions)
    # The dataset records the Memorial's and the Counter-Memorial's time-limits as two provisions of
    # that kind; the Court prints one paragraph fixing both.
    assert {provision["kind"] for provision in record["provisions"]} == {"time_limit", "other"}


@pytest.mark.parametrize("record", ["cr-2021-24", "cr-2024-20"])
def test_verbatim_record_present_lines_one_judge_a_line(record):
    english = parse_present(court_text(f"{record}-present-en.txt"))
    french = parse_present(court_text(f"{record}-present-fr.txt"))

    assert (english.language, french.language) == ("en", "fr")
    assert english.members == french.members
    assert english.registrar == french.registrar == "Gautier"
    assert len(english.members) == 15


def test_verbatim_record_of_2024_matches_gomez_robledo():
    present = parse_present(court_text("cr-2024-20-present-en.txt"))
    bench = [
        Seat(Judge("gomez-robledo", PEOPLE["gomez-robledo"]), "judge"),
        Seat(Judge("brant", PEOPLE["brant"]), "judge"),
    ]

    matched, unmatched = match_judges(
        [("judge", "Gómez Robledo"), ("judge", "GOMEZ-ROBLEDO"), ("judge", "Brant")], bench
    )

    assert ("judge", "Gómez Robledo") in present.members
    assert slugs(matched) == ["gomez-robledo", "brant"]
    # The same judge printed twice is matched once.
    assert unmatched == [
        (
            ("judge", "GOMEZ-ROBLEDO"),
            "'GOMEZ-ROBLEDO' names Juan Manuel Gómez Robledo, already matched to 'Gómez Robledo'",
        )
    ]


def test_every_stored_text_names_its_source():
    names = sorted(path.name for path in TEXTS.glob("*.txt"))

    assert len(names) >= 20
    for name in names:
        first_line = (TEXTS / name).read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# source: https://"), name


def test_lettered_sub_paragraphs_are_provisions_of_their_own():
    # A constructed layout, not a clause of the Court (the stored copies of the Orders of 7 December 2021
    # in No. 180, which are printed this way, did not reach their operative clause): the numbered
    # paragraph's opening words carry into each lettered sub-paragraph, which has its own vote.
    text = (
        "THE COURT,\nIndicates the following provisional measures:\n"
        "(1) The Respondent shall, in accordance with its obligations,\n"
        "(a) By fourteen votes to one,\nDo the first thing;\n"
        "IN FAVOUR: President Alpha; Judge ad hoc Gamma;\nAGAINST: Judge Beta;\n"
        "(b) Unanimously,\nDo the second thing;\n"
        "(2) Unanimously,\nBoth Parties shall refrain from any action which might aggravate the dispute.\n"
    )

    provisions = parse_operative_clause(text)

    assert [p.paragraph for p in provisions] == ["(1)(a)", "(1)(b)", "(2)"]
    assert provisions[0].text == "The Respondent shall, in accordance with its obligations, (a) Do the first thing;"
    assert provisions[1].text == "The Respondent shall, in accordance with its obligations, (b) Do the second thing;"
    assert [p.kind for p in provisions] == ["measure", "measure", "measure"]
    assert provisions[0].addressee_names == ["Respondent"] and provisions[2].both_parties
    assert (provisions[0].votes_for, provisions[0].votes_against) == (14, 1)
    assert provisions[0].problems == ["(1)(a): fourteen votes to one but 2 names in favour"]
    assert [p.unanimous for p in provisions] == [False, True, True]


@pytest.mark.parametrize(
    ("vote", "provision", "kind"),
    [
        ("Unanimously,", "Finds that it has jurisdiction to entertain the Application.", "finding"),
        ("Unanimously,", "Upholds the first preliminary objection.", "finding"),
        ("Unanimously,", "Decides that the written pleadings shall be filed.", "finding"),
        ("By fifteen votes to two,", "Rejects the first preliminary objection.", "rejection"),
        ("Unanimously,", "Fixes 21 August 2023 as the time-limit for the written statement.", "time_limit"),
        ("Unanimously,", "Reaffirms the provisional measure indicated in its Order.", "other"),
        ("À l’unanimité,", "Dit qu’elle a compétence.", "finding"),
        ("A l’unanimité,", "Fixe au 21 août 2023 la date d’expiration du délai.", "time_limit"),
    ],
)
def test_the_verb_gives_the_kind(vote, provision, kind):
    # Constructed one-provision clauses with no provisional-measures heading: only the verbs are tested.
    assert parse_operative_clause(f"THE COURT,\n{vote}\n{provision}\n")[0].kind == kind


# --- (c) broken input ------------------------------------------------------------------------------


def test_a_name_not_on_the_bench_is_unmatched_with_the_name():
    matched, unmatched = match_judges([("judge", "Tomka"), ("judge", "Higgins")], BENCH_182)

    assert slugs(matched) == ["tomka"]
    assert unmatched == [(("judge", "Higgins"), "no judge named 'Higgins' on the bench")]


def test_an_office_that_disagrees_with_the_bench_is_unmatched_with_a_reason():
    matched, unmatched = match_judges([("judge", "Donoghue")], BENCH_182)

    assert matched == []
    assert unmatched == [
        (("judge", "Donoghue"), "'Donoghue' is printed as Judge, but the bench has Joan E. Donoghue as President")
    ]


def test_a_surname_two_judges_share_is_unmatched_as_ambiguous():
    bench = [
        Seat(Judge("robinson", PEOPLE["robinson"]), "judge"),
        Seat(Judge("another-robinson", "Mary Robinson"), "judge"),
    ]

    matched, unmatched = match_judges([("judge", "Robinson")], bench)

    assert matched == []
    assert unmatched == [
        (("judge", "Robinson"), "'Robinson' is ambiguous: it could be any of Patrick Lipton Robinson, Mary Robinson")
    ]


def test_a_name_printed_without_an_office_matches_by_surname():
    matched, unmatched = match_judges([("", "iwasawa"), ("", "")], BENCH_182)

    assert slugs(matched) == ["iwasawa"]
    assert unmatched == [(("", ""), "no surname printed")]


def test_a_count_that_disagrees_with_the_names_is_a_problem():
    text = court_text("182-2022-03-16-order-operative-en.txt").replace(
        "Charlesworth; Judge ad hoc Daudet;\nagainst: Vice-President Gevorgian; Judge Xue;\n(2)",
        "Charlesworth, Gevorgian; Judge ad hoc Daudet;\nagainst: Vice-President Gevorgian; Judge Xue;\n(2)",
        1,
    )

    first = parse_operative_clause(text)[0]

    assert first.problems == [
        "(1): thirteen votes to two but 14 names in favour",
        "(1): 'Gevorgian' is both in favour and against",
    ]


def test_a_missing_against_line_is_a_problem():
    text = court_text("182-2022-03-16-order-operative-en.txt").replace(
        "against: Vice-President Gevorgian; Judge Xue;\n(2)", "(2)", 1
    )

    first, second, _ = parse_operative_clause(text)

    assert first.against == []
    assert first.problems == ["(1): thirteen votes to two but no AGAINST line"]
    assert second.problems == []


def test_a_name_line_without_its_vote_line_is_a_problem():
    text = court_text("182-2022-03-16-order-operative-en.txt").replace("(2) By thirteen votes to two,\n", "", 1)

    provisions = parse_operative_clause(text)

    assert [p.paragraph for p in provisions] == ["(1)", "(3)"]
    first = provisions[0]
    # The words of (2) now sit in (1)'s AGAINST line: they are no names, and reading stops there.
    assert first.against == AGAINST_16_MARCH_2022
    assert first.problems == [
        "(1), AGAINST line: 'The Russian Federation shall ensure tha…' does not look like a name",
        "(1): a second IN FAVOUR line, with no vote line of its own",
        "(1): a second AGAINST line, with no vote line of its own",
    ]


def test_a_name_line_in_a_clause_without_votes_is_a_problem():
    text = court_text("180-2022-01-21-order-operative-en.txt").replace(
        "written pleadings:\n", "written pleadings:\nIN FAVOUR: President Donoghue;\n", 1
    )

    fixing = parse_operative_clause(text)[0]

    assert fixing.kind == "time_limit"
    assert fixing.in_favour == [("president", "Donoghue")]
    assert fixing.problems == ["provision 1: IN FAVOUR line but no vote line (“By … votes to …”, “Unanimously”)"]


def test_a_number_it_cannot_read_is_a_problem():
    text = court_text("182-2022-03-16-order-operative-en.txt").replace("By thirteen votes", "By thirtteen votes", 1)

    first = parse_operative_clause(text)[0]

    assert first.votes_for is None and first.votes_against == 2
    assert first.problems[0] == "(1): could not read the number 'thirtteen' in 'By thirtteen votes to two,'"


def test_votes_that_do_not_add_up_to_the_bench_are_a_problem():
    first = parse_operative_clause(court_text("182-2022-03-16-order-operative-en.txt"), bench_size=16)[0]

    assert "(1): thirteen votes to two make 15 votes but the bench has 16" in first.problems


def test_a_vote_changed_to_a_majority_in_french_needs_pour_and_contre_lines():
    text = court_text("181-2023-02-22-order-operative-fr.txt").replace("A l’unanimité", "Par quinze voix contre une", 1)

    rejection = parse_operative_clause(text)[0]

    assert (rejection.unanimous, rejection.votes_for, rejection.votes_against) == (False, 15, 1)
    assert rejection.problems == [
        "provision 1: quinze voix contre une but no POUR line",
        "provision 1: quinze voix contre une but no CONTRE line",
    ]


def test_french_pour_and_contre_lines_are_read():
    # A constructed vote, not the Court's: the names and offices are the Présents line of 12 October
    # 2022, split into a POUR and a CONTRE line to test the French format.
    presents = court_text("180-2022-10-12-order-present-fr.txt")
    names = presents.split(":", 1)[1].split("; MM. KEITH")[0]
    text = (
        "LA COUR,\n1) Par quinze voix contre une,\nRejette la demande.\n"
        f"POUR :{names}; M. DAUDET, juge ad hoc ;\nCONTRE : M. KEITH, juge ad hoc ;\n"
    )

    rejection = parse_operative_clause(text)[0]

    assert (rejection.paragraph, rejection.kind, rejection.votes_for, rejection.votes_against) == (
        "1)",
        "rejection",
        15,
        1,
    )
    assert rejection.in_favour[:2] == [("president", "DONOGHUE"), ("vice_president", "GEVORGIAN")]
    assert rejection.in_favour[-1] == ("judge_ad_hoc", "DAUDET")
    assert rejection.against == [("judge_ad_hoc", "KEITH")]
    assert rejection.problems == []


def test_an_operative_clause_it_cannot_read_raises():
    with pytest.raises(OperativeParseError, match="found no vote .* and no operative verb") as raised:
        parse_operative_clause("Lorem ipsum dolor sit amet, consectetur adipiscing elit.")

    assert "'Lorem ipsum dolor sit amet" in str(raised.value)
    with pytest.raises(OperativeParseError, match="the operative clause is empty"):
        parse_operative_clause("  \n")


def test_a_present_line_it_cannot_read_raises_saying_where():
    with pytest.raises(OperativeParseError, match=r"at character 9: 'TOMKA' has no office \(President"):
        parse_present("Present: TOMKA, ABRAHAM; Registrar GAUTIER.")
    with pytest.raises(OperativeParseError, match=r"'Judges' is followed by no name"):
        parse_present("Present: President DONOGHUE; Judges; Registrar GAUTIER.")
    with pytest.raises(OperativeParseError, match=r"at character 38: 'TOMKA' has no office \(président\(e\)"):
        parse_present("Présents : MME DONOGHUE, présidente ; MM. TOMKA, ABRAHAM")
    with pytest.raises(OperativeParseError, match="no “Present:” or “Présents :” label found"):
        parse_present("Lorem ipsum dolor sit amet")
    with pytest.raises(OperativeParseError, match="'TOMKA' is printed twice"):
        parse_present("Present: President DONOGHUE; Judges TOMKA, TOMKA.")
    with pytest.raises(OperativeParseError, match="the Present line is empty"):
        parse_present("")


def test_operative_parse_error_is_a_value_error():
    assert issubclass(OperativeParseError, ValueError)


@pytest.mark.parametrize(
    "variant",
    [
        # Non-breaking spaces, as the Court's French typography and web pages use.
        lambda line: line.replace(" ", "\u00a0"),
        # No trailing period, and the line broken anywhere.
        lambda line: line.rstrip(".\n").replace(", ", ",\n   "),
        # "Judge" for a single judge, "Judges" for several.
        lambda line: line.replace("Judges TOMKA, ABRAHAM", "Judge TOMKA; Judge ABRAHAM; Judges"),
        # An Acting Registrar instead of the Registrar.
        lambda line: line.replace("Registrar GAUTIER", "Acting Registrar PUNZHIN"),
    ],
)
def test_present_line_variants_read_the_same(variant):
    line = court_text("182-2022-03-16-order-present-en.txt")

    present = parse_present(variant(line))

    assert present.members == parse_present(line).members


def test_an_acting_president_holds_the_presidents_seat():
    line = court_text("182-2022-03-16-order-present-en.txt").replace("President DONOGHUE", "Acting President DONOGHUE")

    assert parse_present(line).members[0] == ("president", "DONOGHUE")


def test_canonical_paragraph_reads_french_numbering_the_english_way():
    def provision(paragraph: str) -> ParsedProvision:
        return ParsedProvision(paragraph=paragraph, position=1, text="", kind="other")

    assert provision("1)").canonical_paragraph == "(1)"
    assert provision("1) a)").canonical_paragraph == "(1)(a)"
    assert provision("(1)(a)").canonical_paragraph == "(1)(a)"
    assert provision("67").canonical_paragraph == "67"
    assert provision("").canonical_paragraph == ""
