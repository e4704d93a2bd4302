"""A researcher's walk through the real dataset in Debian's chromium, with a screenshot of each page.

Home → No. 180 → the Order of 22 February 2023 → its Lachin Corridor measure (13 votes to 2,
Judge Yusuf and Judge ad hoc Keith against) → the claims about it → its citation → a search for
"landmines" that lands on No. 181.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dataset(transactional_db, dataset_committed):
    """The shipped dataset, committed for the live server's thread (tests/browser/conftest.py)."""


def test_researcher_walk(live_server, dataset, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("ICJ case tracker"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("International Court of Justice")
    screenshot("researcher-01-home")

    # Find No. 180 from the home page.
    page.get_by_role("link", name="Armenia v. Azerbaijan", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/cases/180/$"))
    expect(page.get_by_text("General List No. 180").first).to_be_visible()
    expect(page.locator("#timeline svg[role=img]")).to_be_visible()
    screenshot("researcher-02-case-180")

    # The Order of 22 February 2023.
    page.locator("#decisions").get_by_role("link", name="Order of 22 February 2023", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/180/decisions/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Order of 22 February 2023")
    citation = page.locator("#citation-text")
    expect(citation).to_contain_text(
        "Application of the International Convention on the Elimination of All Forms of Racial Discrimination "
        "(Armenia v. Azerbaijan), Provisional Measures, Order of 22 February 2023"
    )
    screenshot("researcher-03-order-2023-02-22")

    # Its citation, downloadable.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="BibTeX").click()
    bibtex = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert bibtex.startswith("@misc{") and "Order of 22 February 2023" in bibtex

    # Its Lachin Corridor measure: the vote and the two judges against.
    lachin = page.locator("article.provision", has_text="Lachin Corridor").first
    expect(lachin).to_contain_text("13 votes to 2")
    lachin.get_by_role("heading").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/provisions/[\w-]+/$"))
    expect(page.locator("blockquote.court-text")).to_contain_text("Lachin Corridor")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("13 votes to 2")
    against = facts.locator("dt:text-is('Against') + dd")
    expect(against).to_contain_text("Yusuf")
    expect(against).to_contain_text("Judge ad hoc")
    expect(against).to_contain_text("Keith")
    screenshot("researcher-04-lachin-measure")

    # The claims about it, on a small timeline.
    record = page.locator("#compliance")
    expect(record.locator("svg[role=img]")).to_be_visible()
    claims = record.locator("article.claim")
    assert claims.count() >= 5
    expect(record).to_contain_text("did not comply")
    expect(record).to_contain_text("the Court")
    record.scroll_into_view_if_needed()
    screenshot("researcher-05-lachin-claims")

    # Search for "landmines" and land on No. 181.
    page.get_by_label("Search the tracker").fill("landmines")
    page.get_by_label("Search the tracker").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=landmines"))
    expect(page.locator("mark").first).to_have_text(re.compile("landmine", re.IGNORECASE))
    screenshot("researcher-06-search-landmines")
    page.locator("ol.results a[href^='/cases/181/']").first.click()
    expect(page).to_have_url(re.compile(r"/cases/181/"))
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Azerbaijan v. Armenia")
    screenshot("researcher-07-case-181")


def test_mirror_view_and_phone_layout(live_server, dataset, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/cases/180/")
    # Nothing but the wide tables (which scroll in their own box) may overflow a phone's width.
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    phone.get_by_role("link", name="compare the two side by side").click()
    expect(phone).to_have_url(re.compile(r"/cases/180/compare/181/$"))
    expect(phone.locator("table.mirror")).to_contain_text("Azerbaijan v. Armenia")
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "researcher-08-mirror-phone.png"), full_page=True)
    context.close()
