"""A case at a glance: status and stage, the next time-limit, the measures in force, rejected requests; the feeds."""

import datetime

import pytest
from django.urls import reverse

from decisions.models import Amendment, DecisionSubject, ProvisionKind
from filings.models import FilingKind
from tests.factories import DecisionFactory, FilingFactory, ProvisionFactory, mirror_cases_world

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def world():
    return mirror_cases_world(2)


def glance(page):
    return page.split('id="glance"')[1].split("</section>")[0]


def test_top_of_the_case_page_says_where_the_case_stands(client, world):
    page = html(client.get(world["case"].get_absolute_url()))
    top = glance(page)
    assert "Status" in top and "Pending" in top
    assert "Latest decision" in top and "Order of 23 February 2023" in top
    assert "last public hearings" in top
    assert "Next time-limit" in top and "None pending in the record" in top
    assert "Provisional measures in force" in top and "<dd>2" in top
    # The latest claim from each side and from the Court, for each measure in force.
    assert "Did not comply" in top and "Complied" in top and "Unclear" in top
    assert page.index('id="glance"') < page.index('id="parties"')


def test_table_of_contents_and_collapsible_long_lists(client, world):
    page = html(client.get(world["case"].get_absolute_url()))
    toc = page.split('class="on-this-page toc"')[1].split("</nav>")[0]
    for anchor in ("#glance", "#parties", "#timeline", "#filings", "#decisions", "#compliance", "#downloads"):
        assert f'href="{anchor}"' in toc
        assert f'id="{anchor[1:]}"' in page
    assert '<details class="long-list"' in page


def test_next_time_limit_is_the_nearest_future_one_not_yet_filed(client, world):
    today = datetime.date.today()
    FilingFactory(
        case=world["case"],
        filed_by=world["armenia"],
        kind=FilingKind.REPLY,
        title="Reply",
        filed_on=None,
        due_on=today + datetime.timedelta(days=90),
    )
    FilingFactory(
        case=world["case"],
        filed_by=world["azerbaijan"],
        kind=FilingKind.REJOINDER,
        title="Rejoinder",
        filed_on=None,
        due_on=today + datetime.timedelta(days=200),
    )
    top = glance(html(client.get(world["case"].get_absolute_url())))
    assert "Reply" in top and "Rejoinder" not in top


def test_a_revoked_measure_is_not_in_force(client, world):
    measure = world["measures"][0]
    later = DecisionFactory(
        case=world["case"], subject=DecisionSubject.MODIFICATION, decided_on=datetime.date(2024, 1, 5)
    )
    ProvisionFactory(decision=later, position=1, kind=ProvisionKind.OTHER, amends=measure, amendment=Amendment.REVOKES)
    top = glance(html(client.get(world["case"].get_absolute_url())))
    assert '<dd>1 <span class="muted">(1 revoked)</span>' in top


def test_a_rejected_request_says_so_where_its_compliance_record_would_be(client, world):
    mirror = world["mirror"]
    decision = DecisionFactory(
        case=mirror,
        subject=DecisionSubject.PROVISIONAL_MEASURES,
        decided_on=datetime.date(2023, 2, 22),
        title="Order of 22 February 2023",
    )
    decision.responds_to.add(world["mirror_filing"])
    ProvisionFactory(decision=decision, position=1, paragraph="27", kind=ProvisionKind.REJECTION)
    page = html(client.get(mirror.get_absolute_url()))
    record = page.split('id="compliance"')[1]
    assert "Azerbaijan</a>&#x27;s <a" in record or "Azerbaijan</a>'s <a" in record
    assert "request of 4 January 2023</a> was rejected" in record
    assert "no measure exists to comply with" in record
    assert "request rejected (Order of 22 February 2023)" in glance(page)
    rejection = decision.provisions.get()
    measure_page = html(client.get(rejection.get_absolute_url()))
    assert "request of 4 January 2023</a> was rejected" in measure_page
    assert "No claims about compliance with this measure are recorded." not in measure_page
    compliance = html(client.get(reverse("compliance"), {"case": "181"}))
    assert "Requests the Court rejected" in compliance and "no measure exists to comply with" in compliance
    assert "Some filters could not be used" not in compliance


def test_feeds_put_what_was_recorded_last_first(client, world):
    import feedparser

    old = FilingFactory(
        case=world["case"],
        filed_by=world["armenia"],
        title="An old letter entered today",
        filed_on=datetime.date(2021, 9, 20),
    )
    feed = feedparser.parse(client.get(reverse("feed", args=["all"])).content)
    assert feed.entries[0].link.endswith(old.get_absolute_url())
    assert "dated 20 September 2021" in feed.entries[0].summary


def test_feed_opens_as_a_readable_page(client, world):
    response = client.get(reverse("feed", args=["all"]))
    assert b'<?xml-stylesheet type="text/xsl" href="/static/feeds/atom.xsl"?>' in response.content
    page = html(client.get(reverse("feed-about", args=["all"])))
    assert "How to subscribe" in page and "http://testserver/feeds/all.atom" in page
    page = html(client.get(reverse("case-feed-about", args=[180, "claims"])))
    assert "http://testserver/cases/180/feeds/claims.atom" in page
    assert client.get(reverse("feed-about", args=["judges"])).status_code == 404


def test_api_page_explains_the_api(client, world):
    page = html(client.get(reverse("api-home")))
    for name in ("api:docs", "api:schema", "api:dataset", "api-root", "home"):
        assert f'href="{reverse(name)}"' in page
    assert "curl" in page
    assert f'href="{reverse("api-home")}">API</a>' in html(client.get(reverse("home")))


def test_timeline_marks_link_to_their_items(client, world):
    page = html(client.get(world["case"].get_absolute_url()))
    assert f'<a href="{world["decisions"][0].get_absolute_url()}" class="mark-link"' in page
    assert 'class="timeline-scroll"' in page


def test_mirror_view_labels_each_cell_with_its_case(client, world):
    page = html(client.get(reverse("case-mirror", args=[180, 181])))
    assert 'data-label="No. 180 Armenia v. Azerbaijan"' in page and 'data-label="No. 181 Azerbaijan v. Armenia"' in page


QUERIES = {"case-detail": 17, "feed-about": 8, "api-home": 0}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow(client, django_assert_num_queries, name, rows):
    world = mirror_cases_world(rows)
    url = {
        "case-detail": world["case"].get_absolute_url(),
        "feed-about": reverse("feed-about", args=["all"]),
        "api-home": reverse("api-home"),
    }[name]
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200
