"""A claim's headline on the shipped dataset: who says what about whom and which measure."""

import pytest

from compliance.models import ComplianceClaim
from parties.models import PartyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def cerd(cerd_dataset, db):
    return None


def headline_of(claimant, paragraph, decision):
    found = ComplianceClaim.objects.with_headline().filter(
        claimant__code=claimant, decision__slug=decision, provision__paragraph=paragraph
    )
    return [c.headline for c in found]


def test_a_party_says_what_the_other_did(cerd):
    assert "Azerbaijan says Armenia did not comply with para. (2) of the Order of 7 December 2021" in headline_of(
        "AZE", "(2)", "2021-12-07-order"
    )


def test_a_newspaper_says_what_a_party_did_with_a_single_paragraph_order(cerd):
    assert headline_of("ASBAREZ", "67", "2023-02-22-order") == [
        "Asbarez says Azerbaijan did not comply with the Order of 22 February 2023 (para. 67)"
    ]


def test_the_courts_own_findings_read_as_findings(cerd):
    (finding,) = headline_of("ICJ", "67", "2023-02-22-order")
    assert (
        finding
        == "The Court found it unclear whether Azerbaijan complied with the Order of 22 February 2023 (para. 67)"
    )


def test_a_claim_about_a_whole_order_says_so(cerd):
    headlines = [
        c.headline for c in ComplianceClaim.objects.with_headline().filter(claimant__code="ARM", provision__isnull=True)
    ]
    assert "Armenia says Azerbaijan did not comply with the Order of 22 February 2023 as a whole" in headlines


def test_a_party_speaking_of_itself_says_it(cerd):
    assert "Azerbaijan says it complied with para. (1)(b) of the Order of 7 December 2021" in headline_of(
        "AZE", "(1)(b)", "2021-12-07-order"
    )
    assert "Azerbaijan disputes that it failed to comply with the Order of 22 February 2023 (para. 67)" in headline_of(
        "AZE", "67", "2023-02-22-order"
    )


def test_every_claim_in_the_dataset_has_a_headline_naming_its_claimant(cerd):
    for each in ComplianceClaim.objects.with_headline():
        expected = "The Court found" if each.claimant.kind == PartyKind.COURT else each.claimant.short_name
        assert each.headline.startswith(expected)
        assert ":" not in each.headline.split(" with ")[0]


def test_the_headline_reads_only_what_was_prefetched(cerd, django_assert_num_queries):
    claims = list(ComplianceClaim.objects.with_headline())
    with django_assert_num_queries(0):
        [c.headline for c in claims]
