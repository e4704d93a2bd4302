"""The fast paths of the pages keep the facts: the fragments built in Python read as the includes do.

The case page, the decision and provision pages, the party, person, compliance and mirror pages build
their repeated fragments (sources, claims, vote lines, the timeline) in pages/templatetags/page_fragments.py
and read a case's sources in one go (proceedings.items.cite_sources). These tests hold them to the
includes under templates/includes/ (which other pages still render) and to the shipped record.
"""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Decision, Provision, VoteChoice
from filings.models import Filing
from pages.cases import _case_record
from pages.templatetags.page_fragments import (
    claim_cell_html,
    claim_html,
    sources_html,
    timeline_html,
    voters_html,
)
from pages.timeline import build_timeline
from proceedings.items import cite_sources, items_of
from proceedings.votes import annotate_votes
from tests.factories import (
    ComplianceClaimFactory,
    DecisionFactory,
    FilingFactory,
    ProvisionFactory,
    SourceFactory,
    UserFactory,
    VoteFactory,
    mirror_cases_world,
)

pytestmark = pytest.mark.django_db


def squeeze(markup: str) -> str:
    """Markup with whitespace runs made one space and whitespace between tags dropped: what a browser reads."""
    markup = re.sub(r"\s+", " ", markup)
    return re.sub(r"\s*(<|>)\s*", r"\1", markup).strip()


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def world():
    return mirror_cases_world(3)


def test_sources_claims_and_vote_lines_read_as_the_includes_do(world):
    staff = UserFactory(is_staff=True)
    case = Case.objects.for_page().get(pk=world["case"].pk)
    record = _case_record(case)
    claims = record["claims"]
    assert claims
    for claim in claims:
        for show_subject, show_case, user in ((False, False, None), (True, True, staff), (True, False, None)):
            context = {"claim": claim, "show_subject": show_subject, "show_case": show_case, "user": user}
            expected = render_to_string("includes/claim.html", context)
            got = claim_html(claim, user=user, show_subject=show_subject, show_case=show_case)
            assert squeeze(got) == squeeze(expected)
        assert squeeze(claim_cell_html(claim)) == squeeze(
            render_to_string("includes/claim_cell.html", {"claim": claim})
        )
    items = [case, *record["hearings"], *record["events"], *record["filings"], *record["decisions"], *claims]
    assert sum(1 for item in items if item.cited_sources) > 5
    for item in items:
        assert squeeze(sources_html(item)) == squeeze(render_to_string("includes/sources.html", {"item": item}))
    provisions = [p for d in record["decisions"] for p in d.provisions.all()]
    assert any(p.judges_against for p in provisions)
    for provision in provisions:
        for voters in (provision.judges_for, provision.judges_against):
            expected = render_to_string("includes/voters.html", {"voters": voters})
            assert squeeze(voters_html(voters)) == squeeze(expected)


def test_a_note_and_a_doubtful_confidence_show_in_the_sources(world):
    filing = FilingFactory(
        case=world["case"],
        filed_by=world["armenia"],
        note="filed_on is the date <of> the letter",
        confidence="single_source",
    )
    filing.sources.set([SourceFactory(excerpt="“Quoted” & <b>escaped</b>", url="")])
    filing = Filing.objects.with_sources().get(pk=filing.pk)
    html = sources_html(filing)
    assert "Note: the filing date is the date &lt;of&gt; the letter" in html
    assert "&amp; &lt;b&gt;escaped&lt;/b&gt;" in html
    assert squeeze(html) == squeeze(render_to_string("includes/sources.html", {"item": filing}))


def test_the_timeline_reads_as_the_include_does(world):
    case = Case.objects.for_page().get(pk=world["case"].pk)
    record = _case_record(case)
    timeline = build_timeline([(None, items_of(**record)), ("Outside the courtroom", [])])
    assert len(timeline.items) > 20
    context = {"timeline": timeline, "id": "case-timeline", "title": "Timeline of <Armenia>"}
    expected = render_to_string("includes/timeline.html", context)
    assert squeeze(timeline_html(timeline, "case-timeline", "Timeline of <Armenia>")) == squeeze(expected)
    assert timeline_html(build_timeline([(None, [])]), "x", "y") == ""


def test_cite_sources_gives_each_object_its_sources_in_order_in_two_queries(world):
    case = Case.objects.for_page().get(pk=world["case"].pk)
    objects = [
        case,
        *case.hearings.all(),
        *case.events.all(),
        *Filing.objects.for_case(case),
        *Decision.objects.for_case(case),
        *ComplianceClaim.objects.for_case(case),
    ]
    with CaptureQueriesContext(connection) as queries:
        cite_sources(objects)
    assert len(queries) == 2
    for obj in objects:
        assert obj.cited_sources == list(obj.sources.all())
    cite_sources([])


def test_case_page_of_180_lists_every_provision_with_its_vote_line_and_judge_links(client, world):
    html = page(client, reverse("case-detail", args=[180]))
    decisions = [annotate_votes(d) for d in Decision.objects.filter(case__general_list_number=180).for_page()]
    provisions = [p for d in decisions for p in d.provisions.all()]
    assert len(provisions) == 6
    against = 0
    for provision in provisions:
        assert f'href="{provision.get_absolute_url()}"' in html
        tally = provision.tally
        assert (tally[:1].upper() + tally[1:] if tally else "Vote not known") in html
        for judge in provision.judges_against:
            against += 1
            assert f'<a href="{reverse("person-detail", args=[judge.slug])}">{judge.title}</a>' in html
    assert against > 0
    for filing in Filing.objects.filter(case__general_list_number=180):
        assert f'id="filing-{filing.slug}"' in html
    claims = ComplianceClaim.objects.filter(decision__case__general_list_number=180).with_headline()
    for claim in claims:
        assert f'href="{claim.get_absolute_url()}"' in html
    # Every item of the timeline list carries the sources its record cites.
    assert html.count('<details class="sources">') >= claims.count()


def test_case_page_queries_do_not_grow_with_the_record(client, world, django_assert_num_queries):
    url = world["case"].get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    baseline = len(queries)
    case = world["case"]
    decision = DecisionFactory(case=case, slug="2024-11-12-judgment", title="Judgment of 12 November 2024")
    provision = ProvisionFactory(decision=decision, paragraph="(1)", position=1, votes_for=14, votes_against=1)
    VoteFactory(provision=provision, judge=world["yusuf"], vote=VoteChoice.AGAINST)
    for i in range(5):
        FilingFactory(case=case, filed_by=world["armenia"], title=f"Written statement {i}", sources=[SourceFactory()])
        ComplianceClaimFactory(provision=world["measures"][0], claimant=world["azerbaijan"], sources=[SourceFactory()])
    ComplianceClaimFactory(provision=None, decision=decision, claimant=world["armenia"])
    with django_assert_num_queries(baseline):
        html = page(client, url)
    assert "Judgment of 12 November 2024" in html and "Written statement 4" in html


def test_mirror_and_other_pages_render_the_fragments(client, world):
    html = page(client, reverse("case-mirror", args=[180, 181]))
    assert 'id="mirror-timeline-title"' in html and "Outside the courtroom" in html
    measure = Provision.objects.get(pk=world["measures"][0].pk)
    html = page(client, measure.get_absolute_url())
    assert 'id="measure-timeline-title"' in html and 'class="claim claim--' in html
    html = page(client, world["decisions"][0].get_absolute_url())
    assert '<a href="/people/yusuf/">' in html
    assert 'class="claim claim--' in page(client, reverse("party-detail", args=["ARM"]))
    assert 'class="assessment assessment--' in page(client, reverse("compliance"))
