"""Researcher journeys on the new pages, on a desktop (1366×900) and a phone (390×844), in Debian's chromium.

The timeline of No. 180 reads on a phone and its marks open their items; every judge named in the
votes of the Order of 22 February 2023 links to the judge's page; the compliance view lists the
Lachin measure with Armenia's and Azerbaijan's latest claims side by side; no page scrolls sideways
on a phone outside a table; a printed case page keeps its content.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from decisions.models import Decision

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def dataset(transactional_db, dataset_committed):
    """The shipped dataset, committed for the live server's thread (tests/browser/conftest.py)."""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sideways_overflow(page) -> int:
    """How far the page itself scrolls sideways (tables and the timeline scroll in their own boxes)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_phone_timeline_mirror_and_pages_fit(live_server, dataset, phone):
    phone.goto(live_server.url + "/cases/180/")
    timeline = phone.locator("#timeline .timeline-svg")
    expect(timeline).to_be_visible()
    # Labels stay readable: the smallest text of the timeline renders at 12 px or more.
    sizes = phone.evaluate(
        """() => Array.from(document.querySelectorAll('#timeline .timeline-svg text'))
            .map(t => t.getBoundingClientRect().height)"""
    )
    font = phone.evaluate(
        """() => { const svg = document.querySelector('#timeline .timeline-svg');
                   const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                   return parseFloat(getComputedStyle(svg).fontSize) * scale; }"""
    )
    assert sizes and font >= 12, font
    assert sideways_overflow(phone) <= 0

    # A decision's mark opens the decision.
    order = Decision.objects.get(case__general_list_number=180, decided_on=datetime.date(2023, 2, 22))
    mark = phone.locator(f'#timeline a.mark-link[href="{order.get_absolute_url()}"]')
    expect(mark).to_have_count(1)
    mark.click()
    expect(phone).to_have_url(re.compile(re.escape(order.get_absolute_url()) + "$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Order of 22 February 2023")

    # The mirror view stacks: both cases visible, one above the other, no sideways scrolling.
    phone.goto(live_server.url + "/cases/180/compare/181/")
    first = phone.locator('td[data-label^="No. 180"]:not(:empty)').first
    second = phone.locator('td[data-label^="No. 181"]:not(:empty)').first
    expect(first).to_be_visible()
    expect(second).to_be_visible()
    assert phone.evaluate("getComputedStyle(document.querySelector('table.mirror td:not(:empty)')).display") == "block"
    assert sideways_overflow(phone) <= 0

    for path in ["/", "/cases/", "/cases/181/", "/judges/", "/people/", "/people/keith/", "/compliance/", "/api/"]:
        phone.goto(live_server.url + path)
        assert sideways_overflow(phone) <= 0, path


def test_desktop_votes_link_judges_and_compliance_side_by_side(live_server, dataset, desktop):
    order = Decision.objects.get(case__general_list_number=180, decided_on=datetime.date(2023, 2, 22))
    desktop.goto(live_server.url + order.get_absolute_url())
    lines = desktop.locator(".votes p")
    expect(lines.first).to_be_visible()
    for i in range(lines.count()):
        line = lines.nth(i)
        names = line.inner_text().split(":", 1)[1].strip()
        if names == "none":
            continue
        links = line.locator("a")
        assert links.count() == len(names.split(";")), names
        for j in range(links.count()):
            assert re.fullmatch(r"/people/[\w-]+/", links.nth(j).get_attribute("href"))
    # Judge ad hoc Keith voted against the Lachin measure: his name opens his record of votes.
    lachin = desktop.locator("article.provision", has_text="Lachin Corridor").first
    lachin.locator(".votes").get_by_role("link", name=re.compile(r"^Judge ad hoc .*Keith$")).click()
    expect(desktop).to_have_url(re.compile(r"/people/keith/$"))
    expect(desktop.get_by_role("heading", name="Record of votes")).to_be_visible()
    expect(desktop.locator("dl.facts")).to_contain_text("With the Party that chose the judge")

    # The compliance view: the Lachin measure, Armenia's and Azerbaijan's latest claims side by side.
    desktop.get_by_role("link", name="Compliance", exact=True).click()
    expect(desktop).to_have_url(re.compile(r"/compliance/$"))
    headers = [h.strip() for h in desktop.locator("table.compliance-table thead th").all_inner_texts()]
    row = desktop.locator("table.compliance-table tbody tr", has_text="Lachin Corridor").first
    cells = row.locator("th, td")
    armenia, azerbaijan = headers.index("Armenia"), headers.index("Azerbaijan")
    expect(cells.nth(armenia)).to_contain_text("Armenia says")
    expect(cells.nth(azerbaijan)).to_contain_text("Azerbaijan")
    assert "None recorded" not in cells.nth(armenia).inner_text()
    assert "None recorded" not in cells.nth(azerbaijan).inner_text()
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Download this table as CSV").click()
    assert download.value.suggested_filename == "icj-compliance.csv"

    # Print keeps the case page's content and hides the navigation.
    desktop.goto(live_server.url + "/cases/180/")
    desktop.emulate_media(media="print")
    expect(desktop.locator(".site-header nav")).to_be_hidden()
    expect(desktop.locator("#glance")).to_be_visible()
    expect(desktop.locator("#timeline .timeline-svg")).to_be_visible()
    assert len(desktop.pdf()) > 10000
