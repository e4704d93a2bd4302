"""The shipped dataset, tested as data: it loads, it round-trips, and it says what the Court's documents say."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, Event, Representation
from compliance.models import ComplianceClaim
from dataset.export import export_files
from dataset.load import DEFAULT_DATA_DIR, load_dataset
from decisions.models import Decision, Provision
from filings.models import Filing
from parties.models import Party
from sources.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(cerd_dataset, db):
    """Every test here reads the shipped dataset, loaded once for the module."""


def order(number, day, subject=None):
    decisions = Decision.objects.filter(case__general_list_number=number, decided_on=day, kind="order")
    if subject:
        decisions = decisions.filter(subject=subject)
    return decisions.get()


def judges(provision, vote):
    return sorted(v.judge.slug for v in provision.votes.filter(vote=vote))


def test_loading_the_dataset_twice_changes_nothing(dataset):
    versions = sorted(Provision.objects.values_list("pk", "version"))
    report = load_dataset()
    assert report.created == report.updated == 0
    assert sorted(Provision.objects.values_list("pk", "version")) == versions


def test_export_reproduces_data_byte_for_byte(dataset):
    exported = export_files()
    on_disk = {str(p.relative_to(DEFAULT_DATA_DIR)): p for p in DEFAULT_DATA_DIR.rglob("*.json")}
    assert set(exported) == set(on_disk)
    for relative, text in exported.items():
        assert text == on_disk[relative].read_text(encoding="utf-8"), relative


def test_the_two_mirror_cases(dataset):
    armenia, azerbaijan = Party.objects.get(code="ARM"), Party.objects.get(code="AZE")
    first, second = Case.objects.get(general_list_number=180), Case.objects.get(general_list_number=181)
    assert first.title.startswith("Application of the International Convention on the Elimination of All Forms")
    assert first.title.endswith("(Armenia v. Azerbaijan)")
    assert second.title.endswith("(Azerbaijan v. Armenia)")
    assert first.applicants == [armenia] and first.respondents == [azerbaijan]
    assert second.applicants == [azerbaijan] and second.respondents == [armenia]
    assert first.instituted_on == datetime.date(2021, 9, 16)
    assert second.instituted_on == datetime.date(2021, 9, 23)
    assert list(first.related_cases.all()) == [second]
    assert first.court.code == "ICJ"


def test_the_lachin_corridor_order_of_22_february_2023(dataset):
    decision = order(180, datetime.date(2023, 2, 22))
    measures = list(decision.provisions.filter(kind="measure"))
    assert len(measures) == 1
    lachin = measures[0]
    assert "Lachin Corridor" in lachin.text
    assert [p.code for p in lachin.addressees.all()] == ["AZE"]
    assert (lachin.votes_for, lachin.votes_against, lachin.unanimous) == (13, 2, False)
    assert judges(lachin, "against") == ["keith", "yusuf"]
    bench = {m.judge.slug for m in decision.bench.all()}
    assert len(bench) == 15
    assert "sebutinde" not in bench and "bhandari" not in bench
    assert lachin.confidence == "verified"


def test_azerbaijans_request_decided_the_same_day_was_rejected(dataset):
    decision = order(181, datetime.date(2023, 2, 22))
    assert not decision.provisions.filter(kind="measure").exists()
    rejection = decision.provisions.get(kind="rejection")
    assert rejection.unanimous
    assert (rejection.votes_for, rejection.votes_against) == (16, 0)
    request = decision.responds_to.get()
    assert request.kind == "provisional_measures_request"
    assert request.filed_by.code == "AZE"


def test_the_first_orders_of_7_december_2021(dataset):
    first = order(180, datetime.date(2021, 12, 7))
    assert [p.paragraph for p in first.provisions.order_by("position")] == ["(1)(a)", "(1)(b)", "(1)(c)", "(2)"]
    heritage = first.provisions.get(paragraph="(1)(c)")
    assert (heritage.votes_for, heritage.votes_against) == (13, 2)
    assert judges(heritage, "against") == ["keith", "yusuf"]
    non_aggravation = first.provisions.get(paragraph="(2)")
    assert sorted(p.code for p in non_aggravation.addressees.all()) == ["ARM", "AZE"]
    second = order(181, datetime.date(2021, 12, 7))
    assert [p.paragraph for p in second.provisions.order_by("position")] == ["(1)", "(2)"]
    assert [p.code for p in second.provisions.get(paragraph="(1)").addressees.all()] == ["ARM"]


def test_votes_no_source_gives_stay_unknown(dataset):
    """Unknown is not unanimous: a provision without a sourced vote carries no counts."""
    for provision in Provision.objects.filter(votes_for__isnull=True):
        assert not provision.votes.exists(), provision
    # No source read gives the vote on (1)(b) of 7 December 2021; it was only presumed unanimous.
    presumed = order(180, datetime.date(2021, 12, 7)).provisions.get(paragraph="(1)(b)")
    assert not presumed.unanimous
    assert presumed.votes_for is None


def test_the_reaffirmation_of_6_july_2023(dataset):
    decision = order(180, datetime.date(2023, 7, 6))
    reaffirming = decision.provisions.get(amends__isnull=False)
    assert reaffirming.amendment == "reaffirms"
    assert reaffirming.amends.decision == order(180, datetime.date(2023, 2, 22))
    assert all(p.unanimous for p in decision.provisions.all())
    bench = {m.judge.slug for m in decision.bench.all()}
    assert "koroma" in bench and "keith" not in bench


def test_the_order_of_17_november_2023(dataset):
    decision = order(180, datetime.date(2023, 11, 17))
    provisions = list(decision.provisions.order_by("position"))
    assert [p.paragraph for p in provisions] == ["(1)", "(2)", "(3)"]
    for provision in provisions:
        assert (provision.votes_for, provision.votes_against) == (13, 2)
        assert judges(provision, "against") == ["koroma", "yusuf"]
    bench = {m.judge.slug for m in decision.bench.all()}
    assert "abraham" not in bench and "robinson" not in bench


def test_the_judgments_on_preliminary_objections(dataset):
    for number in (180, 181):
        judgment = Decision.objects.get(case__general_list_number=number, kind="judgment")
        assert judgment.decided_on == datetime.date(2024, 11, 12)
        assert judgment.subject == "preliminary_objections"
    texts = " ".join(
        p.text.lower()
        for p in Provision.objects.filter(decision__case__general_list_number=181, decision__kind="judgment")
    )
    assert "upholds" in texts and "rejects" in texts


def test_the_agents(dataset):
    kirakosyan = Representation.objects.get(case__general_list_number=180, person__slug="kirakosyan")
    assert kirakosyan.role == "agent"
    assert kirakosyan.party.code == "ARM"
    assert kirakosyan.from_date == datetime.date(2021, 9, 16)
    assert Representation.objects.get(case__general_list_number=181, person__slug="mammadov").role == "agent"


def test_azerbaijans_second_request_on_landmines(dataset):
    request = Filing.objects.get(
        case__general_list_number=181, kind="provisional_measures_request", filed_on=datetime.date(2023, 1, 4)
    )
    assert request.filed_by.code == "AZE"
    assert "mine" in (request.requested_measures + request.summary).lower()


def test_compliance_claims_about_the_lachin_measure(dataset):
    lachin = order(180, datetime.date(2023, 2, 22)).provisions.get(kind="measure")
    claims = ComplianceClaim.objects.filter(provision=lachin)
    claimants = {c.claimant.code for c in claims}
    assert {"ARM", "AZE", "ASBAREZ"} <= claimants
    asbarez = claims.get(claimant__code="ASBAREZ")
    assert asbarez.assessment == "not_complied"
    assert asbarez.claimant.kind == "media"
    assert ComplianceClaim.objects.filter(claimant__code="ICJ").exists()


def test_context_events(dataset):
    assert Event.objects.filter(starts_on=datetime.date(2022, 12, 12), cases__general_list_number=180).exists()
    assert Event.objects.filter(starts_on=datetime.date(2023, 9, 19)).exists()
    assert Event.objects.filter(starts_on=datetime.date(2020, 11, 10)).exists()


def test_every_fact_names_a_source_and_every_seed_article_is_one(dataset):
    for model in (Case, Filing, Decision, Provision, ComplianceClaim, Event, Representation, Party):
        assert not model.objects.filter(sources__isnull=True).exists(), model.__name__
    news = Source.objects.filter(kind="news_article")
    for url in (
        "https://www.rferl.org/a/armenia-azerbaijan-international-court-justice-ethnic-cleansing/32634791.html",
        "https://asbarez.com/international-court-of-justice-orders-baku-to-ensure-safe-return-of-artsakh-residents/",
        "http://www.today.az/news/politics/230248.html",
    ):
        assert news.filter(url=url).exists(), url


def test_uncertain_facts_say_why(dataset):
    for model in (Filing, Decision, Provision, ComplianceClaim, Event, Representation, Case):
        for record in model.objects.filter(confidence="uncertain"):
            assert record.note.strip(), f"{model.__name__} {record} is uncertain without a note"


def test_the_home_page_lists_both_cases(dataset, client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Armenia v. Azerbaijan" in page and "Azerbaijan v. Armenia" in page
