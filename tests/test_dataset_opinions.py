"""The judges' opinions in the shipped dataset say what the Court's documents say, on every door.

Kept apart from tests/test_opinions.py: the shipped dataset holds Nos. 180 and 181, which the
factory-built cases there would clash with.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from dataset.export import export_files
from decisions.models import Decision, Opinion

DATA = Path(settings.BASE_DIR) / "data"


@pytest.fixture
def dataset(cerd_dataset, db):
    """The shipped dataset, loaded once for the module."""


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def opinions_of(number, slug):
    decision = Decision.objects.get(case__general_list_number=number, slug=slug)
    return [
        (opinion.kind, sorted(judge.slug for judge in opinion.judges.all()), opinion.document_number)
        for opinion in decision.opinions.order_by("position")
    ]


def test_the_order_of_22_february_2023_in_no_181_lists_its_three_declarations(dataset):
    # Press release No. 2023/11: Judge Sebutinde; Judges Charlesworth and Brant jointly; Judge ad hoc Keith.
    assert opinions_of(181, "2023-02-22-order") == [
        ("declaration", ["sebutinde"], ""),
        ("declaration", ["brant", "charlesworth"], "181-20230222-ORD-01-02-EN"),
        ("declaration", ["keith"], ""),
    ]


def test_no_180s_orders_carry_the_opinions_the_court_published(dataset):
    assert opinions_of(180, "2021-12-07-order") == [
        ("dissenting_opinion", ["yusuf"], "180-20211207-ORD-01-01-EN"),
        ("declaration", ["keith"], "180-20211207-ORD-01-03-EN"),
    ]
    assert [kind for kind, judges, _ in opinions_of(180, "2022-10-12-order")] == [
        "separate_opinion",
        "dissenting_opinion",
        "separate_opinion",
        "declaration",
    ]
    assert opinions_of(180, "2023-11-17-order") == [
        ("dissenting_opinion", ["yusuf"], "180-20231117-ORD-01-01-EN"),
        ("dissenting_opinion", ["koroma"], "180-20231117-ORD-01-02-EN"),
    ]


def test_the_joint_dissent_of_12_november_2024_in_no_181(dataset):
    kind, judges, number = opinions_of(181, "2024-11-12-judgment")[0]

    assert (kind, judges, number) == (
        "dissenting_opinion",
        ["charlesworth", "cleveland", "nolte", "tladi"],
        "181-20241112-JUD-01-04-EN",
    )


def test_every_opinion_names_sources_judges_of_the_bench_and_its_decisions_document(dataset):
    opinions = Opinion.objects.select_related("decision__case").prefetch_related("judges", "sources")

    assert opinions.count() >= 17
    for opinion in opinions:
        assert opinion.sources.exists(), opinion
        bench = set(opinion.decision.bench.values_list("judge__slug", flat=True))
        assert {judge.slug for judge in opinion.judges.all()} <= bench, opinion
        if opinion.document_number:
            prefix = f"{opinion.decision.case.general_list_number}-{opinion.decision.decided_on:%Y%m%d}-"
            assert opinion.document_number.startswith(prefix), opinion
        if opinion.confidence != "verified":
            assert opinion.note, opinion


def test_judge_yusufs_page_lists_his_opinions(client, dataset):
    page = client.get(reverse("person-detail", args=["yusuf"])).content.decode()

    assert "Declarations and opinions appended" in page
    assert page.count("opinion--dissenting_opinion") == 3
    assert page.count("opinion--declaration") == 1
    assert "Order of 17 November 2023" in page


def test_the_api_answers_judge_yusuf_with_his_opinions(api_client, dataset):
    response = api_client.get(reverse("api:opinion-list"), {"judge": "yusuf"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(o["decision"]["title"], o["kind"]) for o in results] == [
        ("Order of 7 December 2021", "dissenting_opinion"),
        ("Order of 22 February 2023", "declaration"),
        ("Order of 17 November 2023", "dissenting_opinion"),
        ("Judgment of 12 November 2024", "dissenting_opinion"),
    ]
    assert all([j["slug"] for j in o["judges"]] == ["yusuf"] for o in results)


def test_the_decision_page_lists_the_declarations_of_22_february_2023(client, dataset):
    decision = Decision.objects.get(case__general_list_number=181, slug="2023-02-22-order")

    page = client.get(decision.get_absolute_url()).content.decode()

    assert "Declarations and opinions" in page
    assert "Joint declaration" in page
    assert reverse("person-detail", args=["sebutinde"]) in page


@pytest.mark.parametrize("relative", ["cases/180.json", "cases/181.json", "sources.json"])
def test_the_opinions_export_byte_for_byte(dataset, relative):
    exported = export_files()[relative]

    assert exported.encode("utf-8") == (DATA / relative).read_bytes()
    if relative.startswith("cases/"):
        assert all("opinions" in decision for decision in json.loads(exported)["decisions"])
