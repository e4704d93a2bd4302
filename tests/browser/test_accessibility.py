"""axe-core (bundled with axe-playwright-python, no CDN) on the main pages: no serious or critical violations."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from decisions.models import Decision

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/",
    "/cases/",
    "/cases/?party=XXX&year=abc",
    "/cases/180/",
    "/cases/181/",
    "/cases/180/compare/181/",
    "/parties/AZE/",
    "/people/yusuf/",
    "/search/?q=landmines",
    "/search/?q=Lachin&date_from=2023-99-01",
    "/cases/999/",
    "/people/keith/",
    "/people/keith/?vote=maybe",
    "/judges/",
    "/people/",
    "/judges/compare/?a=yusuf&b=keith",
    "/judges/compare/?a=yusuf&b=nobody",
    "/compliance/",
    "/compliance/?case=999",
    "/api/",
    "/feeds/all/",
]


@pytest.fixture
def dataset(transactional_db, dataset_committed):
    """The shipped dataset, committed for the live server's thread (tests/browser/conftest.py)."""


def test_main_pages_have_no_serious_accessibility_violations(live_server, dataset, page):
    order = Decision.objects.get(case__general_list_number=180, decided_on=datetime.date(2023, 2, 22))
    lachin = next(p for p in order.provisions.all() if "Lachin" in p.text)
    axe = Axe()
    problems = []
    for path in [*PAGES, order.get_absolute_url(), lachin.get_absolute_url()]:
        page.goto(live_server.url + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"][:3]]
                problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
    assert not problems, "\n".join(problems)
