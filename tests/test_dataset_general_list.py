"""The whole General List in the shipped dataset, the corrections to Nos. 180 and 181, and CERD's other cases.

Tested as data: it says what the Court's documents (and, for the rows only it supports, the CD-ICJ table) say.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, CaseParty, Hearing, PartyRole
from dataset.export import export_files
from dataset.load import DEFAULT_DATA_DIR, load_dataset
from decisions.models import Decision, Provision
from filings.models import Filing
from parties.models import Party, PartyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cerd_dataset, db):
    """Every test here reads the shipped dataset, loaded once for the module."""


def parties_of(number, role):
    return sorted(
        CaseParty.objects.filter(case__general_list_number=number, role=role).values_list("party__code", flat=True)
    )


def judges(provision, vote):
    return sorted(v.judge.slug for v in provision.votes.filter(vote=vote))


# The General List ------------------------------------------------------------------------------------


def test_every_number_of_the_list_is_a_case_but_the_blank_no_2(dataset):
    numbers = set(Case.objects.values_list("general_list_number", flat=True))
    assert numbers == set(range(1, 196)) - {2}
    assert Case.objects.count() == 194


def test_the_first_case_on_the_list(dataset):
    corfu = Case.objects.get(general_list_number=1)
    assert corfu.title == "Corfu Channel (United Kingdom of Great Britain and Northern Ireland v. Albania)"
    assert parties_of(1, PartyRole.APPLICANT) == ["GBR"] and parties_of(1, PartyRole.RESPONDENT) == ["ALB"]
    assert corfu.instituted_on == datetime.date(1947, 5, 22)
    assert corfu.sources.filter(url="https://icj-cij.org/index.php/cases").exists()


def test_the_rows_the_table_gets_wrong_are_corrected_from_the_courts_titles(dataset):
    assert parties_of(76, PartyRole.APPLICANT) == ["USA"] and parties_of(76, PartyRole.RESPONDENT) == ["ITA"]
    assert parties_of(114, PartyRole.APPLICANT) == ["YUG"] and parties_of(114, PartyRole.RESPONDENT) == ["USA"]
    assert parties_of(129, PartyRole.APPLICANT) == ["COG"]
    for number in (76, 114, 129):
        assert "CD-ICJ table" in Case.objects.get(general_list_number=number).note


def test_advisory_proceedings_name_the_organ_that_asked(dataset):
    wall = Case.objects.prefetch_related("case_parties__party").get(general_list_number=131)
    assert wall.is_advisory
    assert [p.code for p in wall.requesting_organs] == ["UNGA"]
    assert wall.requesting_organs[0].kind == PartyKind.INTERNATIONAL_ORGANIZATION
    assert not wall.applicants and not wall.respondents
    assert parties_of(53, PartyRole.REQUESTING_ORGAN) == ["UNSC"]
    assert parties_of(57, PartyRole.REQUESTING_ORGAN) == ["CARAT"]
    strike = Case.objects.get(general_list_number=191)
    assert parties_of(191, PartyRole.REQUESTING_ORGAN) == ["ILO"]
    assert set(parties_of(191, PartyRole.PARTICIPANT)) == {"BRA", "OACPS", "USA"}
    assert strike.instituted_on == datetime.date(2023, 11, 13)
    assert not Case.objects.get(general_list_number=1).is_advisory


def test_a_special_agreement_has_parties_and_no_applicant(dataset):
    assert parties_of(17, PartyRole.PARTY) == ["FRA", "GBR"]
    assert parties_of(17, PartyRole.APPLICANT) == [] == parties_of(17, PartyRole.RESPONDENT)
    assert parties_of(75, PartyRole.PARTY) == ["HND", "SLV"]
    assert parties_of(75, PartyRole.INTERVENER) == ["NIC"]
    assert parties_of(94, PartyRole.INTERVENER) == ["GNQ"]


def test_joint_applications_and_former_states(dataset):
    assert parties_of(188, PartyRole.APPLICANT) == ["CAN", "NLD"]
    assert parties_of(190, PartyRole.APPLICANT) == ["CAN", "GBR", "SWE", "UKR"]
    for code, number in (("SUN", 23), ("YUG", 112), ("SCG", 105), ("CSK", 25)):
        assert Party.objects.get(code=code).kind == PartyKind.STATE
        assert code in parties_of(number, PartyRole.APPLICANT) + parties_of(number, PartyRole.RESPONDENT)


def test_states_carry_iso_codes_and_every_case_a_source(dataset):
    for code in Party.objects.filter(kind=PartyKind.STATE).values_list("code", flat=True):
        assert re.fullmatch(r"[A-Z]{3}", code), code
    assert not Case.objects.filter(sources__isnull=True).exists()
    assert not Party.objects.filter(sources__isnull=True).exists()
    table = Case.objects.filter(sources__key="cd-icj-case-names")
    assert table.count() >= 180


def test_what_the_list_does_not_know_it_says(dataset):
    """An undated case or a default status is explained, never invented."""
    undated = Case.objects.filter(instituted_on__isnull=True)
    assert undated.exists()
    for case in undated:
        assert "not read" in case.note, case
    uncertain = Case.objects.get(general_list_number=195)
    assert uncertain.confidence == "uncertain"
    assert uncertain.instituted_on == datetime.date(2024, 4, 29)


def test_the_cases_filed_since_mid_2023(dataset):
    expected = {
        192: (["ZAF"], ["ISR"], datetime.date(2023, 12, 29)),
        193: (["NIC"], ["DEU"], datetime.date(2024, 3, 1)),
        194: (["MEX"], ["ECU"], datetime.date(2024, 4, 11)),
        195: (["ECU"], ["MEX"], datetime.date(2024, 4, 29)),
    }
    for number, (applicants, respondents, day) in expected.items():
        assert parties_of(number, PartyRole.APPLICANT) == applicants
        assert parties_of(number, PartyRole.RESPONDENT) == respondents
        assert Case.objects.get(general_list_number=number).instituted_on == day


# Nos. 180 and 181 -------------------------------------------------------------------------------------


def test_armenias_written_statement_of_21_august_2023(dataset):
    statement = Filing.objects.get(case__general_list_number=180, kind="written_statement")
    assert statement.filed_by.code == "ARM"
    assert statement.filed_on == statement.due_on == datetime.date(2023, 8, 21)
    assert statement.document_number == "180-20230821-WRI-01-00-EN"
    assert statement.url == "https://www.icj-cij.org/node/203925"


def test_the_april_2024_hearings_include_cr_2024_19(dataset):
    hearing = Hearing.objects.get(case__general_list_number=180, subject="preliminary_objections")
    assert hearing.record_numbers == "CR 2024/17, CR 2024/19, CR 2024/20"
    record = hearing.sources.get(key="icj-cr-2024-19")
    assert record.document_number == "180-20240417-ORA-01-00-BI"
    assert record.published_on == datetime.date(2024, 4, 17)


def test_the_time_limits_of_21_january_2022_in_no_181(dataset):
    order = Decision.objects.get(case__general_list_number=181, decided_on=datetime.date(2022, 1, 21))
    memorial, counter = order.provisions.get(paragraph="Memorial"), order.provisions.get(paragraph="Counter-Memorial")
    assert "23 January 2023" in memorial.text and [p.code for p in memorial.addressees.all()] == ["AZE"]
    assert "23 January 2024" in counter.text and [p.code for p in counter.addressees.all()] == ["ARM"]
    assert counter.confidence == "verified"
    assert Filing.objects.get(case__general_list_number=181, kind="memorial").due_on == datetime.date(2023, 1, 23)


def test_the_counter_memorial_order_of_12_november_2024_in_no_181(dataset):
    order = Decision.objects.get(
        case__general_list_number=181, decided_on=datetime.date(2024, 11, 12), kind="order", subject="time_limits"
    )
    assert order.url == "https://icj-cij.org/index.php/fr/node/204354"
    bench = list(order.bench.order_by("position").values_list("judge__slug", "office"))
    assert len(bench) == 13
    assert bench[0] == ("salam", "president") and bench[-2:] == [("daudet", "judge_ad_hoc"), ("koroma", "judge_ad_hoc")]
    assert "79ter" in order.summary
    counter = order.provisions.get(kind="time_limit")
    assert [p.code for p in counter.addressees.all()] == ["ARM"]
    # The date it fixes was not read: flagged, not guessed.
    assert counter.confidence == "uncertain" and "not read" in counter.note
    assert "were not found" not in Case.objects.get(general_list_number=181).note


def test_press_release_2023_11_sources_the_unanimous_rejection(dataset):
    rejection = Provision.objects.get(
        decision__case__general_list_number=181, decision__decided_on=datetime.date(2023, 2, 22), kind="rejection"
    )
    release = rejection.sources.get(key="icj-181-20230222-pre")
    assert release.kind == "press_release"
    assert release.url == "https://icj-cij.org/fr/node/202562"
    assert "unanimité" in release.excerpt
    assert rejection.unanimous and (rejection.votes_for, rejection.votes_against) == (16, 0)


# The rest of CERD at the Court -------------------------------------------------------------------------


def test_georgia_v_russia_measures_of_15_october_2008(dataset):
    order = Decision.objects.get(case__general_list_number=140, decided_on=datetime.date(2008, 10, 15))
    assert order.bench.count() == 15
    assert order.bench.get(office="judge_ad_hoc").judge.slug == "gaja"
    measures = list(order.provisions.filter(kind="measure").order_by("position"))
    assert [m.paragraph for m in measures] == ["A", "B", "C", "D"]
    for measure in measures:
        assert (measure.votes_for, measure.votes_against) == (8, 7)
        assert sorted(p.code for p in measure.addressees.all()) == ["GEO", "RUS"]
        assert judges(measure, "against") == sorted(
            ["al-khasawneh", "ranjeva", "shi", "koroma", "tomka", "bennouna", "skotnikov"]
        )
        assert "higgins" in judges(measure, "for")
    assert "racial discrimination" in measures[0].text


def test_ukraine_v_russia_measures_of_19_april_2017(dataset):
    order = Decision.objects.get(case__general_list_number=166, decided_on=datetime.date(2017, 4, 19))
    measures = {m.paragraph: m for m in order.provisions.filter(kind="measure")}
    assert set(measures) == {"(1)(a)", "(1)(b)", "(2)"}
    assert "Mejlis" in measures["(1)(a)"].text
    assert "Ukrainian language" in measures["(1)(b)"].text
    assert sorted(p.code for p in measures["(2)"].addressees.all()) == ["RUS", "UKR"]
    # No source read gives these votes: unknown is not unanimous.
    assert all(m.votes_for is None and not m.unanimous for m in measures.values())


def test_qatar_v_uae_measure_of_23_july_2018(dataset):
    order = Decision.objects.get(case__general_list_number=172, decided_on=datetime.date(2018, 7, 23))
    assert order.bench.count() == 15
    measure = order.provisions.get(kind="measure")
    assert [p.code for p in measure.addressees.all()] == ["ARE"]
    assert (measure.votes_for, measure.votes_against) == (8, 7)
    assert not measure.votes.exists()


def test_every_cerd_case_has_its_provisional_measures(dataset):
    for number in (140, 166, 172, 180, 181):
        assert Provision.objects.filter(
            decision__case__general_list_number=number, decision__subject="provisional_measures", kind="measure"
        ).exists(), number


# Loading, export and the list page ------------------------------------------------------------------------


def test_loading_the_whole_list_twice_changes_nothing(dataset):
    versions = sorted(Case.objects.values_list("pk", "version"))
    roles = sorted(CaseParty.objects.values_list("pk", "version"))
    report = load_dataset()
    assert report.created == report.updated == 0
    assert sorted(Case.objects.values_list("pk", "version")) == versions
    assert sorted(CaseParty.objects.values_list("pk", "version")) == roles


def test_each_case_of_the_list_is_exported_to_its_own_file(dataset):
    exported = export_files()
    for number in (1, 17, 131, 140, 180, 195):
        relative = f"cases/{number}.json"
        assert exported[relative] == (DEFAULT_DATA_DIR / relative).read_text(encoding="utf-8")


def test_the_case_list_renders_the_whole_list_in_a_constant_number_of_queries(
    dataset, client, django_assert_num_queries
):
    url = reverse("case-list")
    # Each list's count is read once per data version and then kept: measure lists already counted.
    for params in ({"year": 1947}, {"page": 1}):
        client.get(url, params)
    with CaptureQueriesContext(connection) as one:
        page = client.get(url, {"year": 1947})
    assert "1 case" in page.content.decode()
    for page_number in (1, 4):
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(url, {"page": page_number})
        assert "194 cases" in response.content.decode()
