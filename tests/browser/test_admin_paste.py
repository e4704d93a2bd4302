"""An order with its votes entered in minutes, by pasting what the Court printed.

An editor made by ``createeditor`` enters No. 182's Order of 16 March 2022 (bench of 15, three
measures, two of them by 13 votes to 2) from the case's admin page: the bench by pasting the
"Present:" line, the provisions and their votes by pasting the operative clause. The test counts
every interaction (page loads, clicks, fields filled, pastes) and allows at most 40.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import CaseParty, PartyRole
from decisions.models import Decision, Office, VoteChoice
from parties.models import Person
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_admin_order_entry import clerk, sign_in  # noqa: F401 (clerk is a fixture)
from tests.factories import (
    CaseFactory,
    CourtFactory,
    PartyFactory,
    PersonFactory,
    RepresentationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

TEXTS = Path(__file__).resolve().parents[1] / "operative_texts"
WINDOW = 1366
MAX_INTERACTIONS = 40


def court_text(name: str) -> str:
    return "\n".join(line for line in (TEXTS / name).read_text().splitlines() if not line.startswith("#"))


class Counted:
    """The editor's hands: every page load, click, fill, choice and tick is counted."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def goto(self, url):
        self.count += 1
        self.page.goto(url)

    def click(self, locator):
        self.count += 1
        locator.click()

    def fill(self, locator, text):
        self.count += 1
        locator.fill(text)

    def select(self, locator, label):
        self.count += 1
        locator.select_option(label=label)

    def check(self, locator):
        self.count += 1
        locator.check()


@pytest.fixture
def screenshot(wide_page):
    """screenshot("name") saves the 1,366 px page under artifacts/screenshots/ (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        wide_page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": WINDOW, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def no_182():
    """No. 182 and its two Parties, with the source the order will cite; no judge is known yet."""
    source = SourceFactory(
        key="icj-182-20220316-ord",
        title="Order of 16 March 2022 (182-20220316-ORD-01-00-EN)",
        published_on=datetime.date(2022, 3, 16),
    )
    case = CaseFactory(
        general_list_number=182,
        title="Allegations of Genocide under the Convention on the Prevention and Punishment of the Crime of "
        "Genocide (Ukraine v. Russian Federation)",
        short_title="Ukraine v. Russian Federation",
        slug="ukraine-v-russian-federation",
        court=CourtFactory(),
        instituted_on=datetime.date(2022, 2, 26),
        sources=[source],
    )
    for name, code, role in [
        ("Ukraine", "UKR", PartyRole.APPLICANT),
        ("Russian Federation", "RUS", PartyRole.RESPONDENT),
    ]:
        CaseParty.objects.create(
            case=case, party=PartyFactory(name=name, short_name=name, code=code, sources=[source]), role=role
        )
    return case, source


def test_editor_enters_no_182s_order_by_pasting_it(live_server, wide_page, screenshot, clerk):  # noqa: F811
    page = wide_page
    case, source = no_182()
    hands = Counted(page)

    hands.goto(live_server.url + reverse("admin:index"))
    hands.fill(page.get_by_label("Username"), "clerk")
    hands.fill(page.get_by_label("Password"), "a long editor password for the browser")
    hands.click(page.get_by_role("button", name="Log in"))
    expect(page.get_by_role("heading", name="Enter and correct the record")).to_be_visible()

    hands.goto(live_server.url + reverse("admin:cases_case_change", args=[case.pk]))
    hands.click(page.get_by_role("link", name="Add a decision to this case"))
    expect(page.locator("#id_case + .select2")).to_contain_text("No. 182")
    expect(page.locator("#id_sources + .select2")).to_contain_text("Order of 16 March 2022")

    hands.select(page.locator("#id_kind"), "Order")
    hands.select(page.locator("#id_subject"), "provisional measures")
    hands.fill(page.locator("#id_decided_on"), "16 March 2022")
    hands.fill(page.locator("#id_title"), "Order of 16 March 2022")
    hands.fill(page.locator("#id_present_text"), court_text("182-2022-03-16-order-present-en.txt"))
    hands.fill(page.locator("#id_operative_clause_text"), court_text("182-2022-03-16-order-operative-en.txt"))
    hands.click(page.get_by_role("button", name="Save and continue editing").first)

    preview = page.locator("#paste-preview")
    expect(preview).to_contain_text("What the tracker understood")
    expect(preview).to_contain_text("13 votes to 2")
    expect(preview).to_contain_text("Gevorgian; Xue")
    expect(preview).to_contain_text("unanimously (15 votes to 0)")
    expect(preview).to_contain_text("new judge “Daudet”")
    screenshot("paste-01-preview")
    assert not Decision.objects.filter(case=case).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW

    hands.check(page.locator("#id_confirm_paste"))
    hands.click(page.get_by_role("button", name="Save and continue editing").first)
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.locator("#vote-grid")).to_contain_text("Para. (3)")
    screenshot("paste-02-saved-with-grid")
    page.locator("#vote-grid").screenshot(path=str(ARTIFACTS / "paste-02b-grid.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW

    decision = Decision.objects.get(case=case)
    hands.goto(live_server.url + decision.get_absolute_url())
    main = page.locator("main")
    expect(main).to_contain_text("13 votes to 2")
    expect(main).to_contain_text("Vice-President Gevorgian")
    expect(main).to_contain_text("Judge Xue")
    expect(main).to_contain_text("Unanimously (15 votes to 0)")
    screenshot("paste-03-public-decision")

    xue = Person.objects.get(name="Xue")
    hands.goto(live_server.url + reverse("person-detail", args=[xue.slug]))
    expect(page.locator("#votes")).to_contain_text("Order of 16 March 2022")
    expect(page.locator("#votes")).to_contain_text("against")

    assert hands.count <= MAX_INTERACTIONS, f"{hands.count} interactions"

    # The record as the database holds it.
    assert decision.slug == "2022-03-16-order" and list(decision.sources.all()) == [source]
    bench = list(decision.bench.in_precedence().select_related("judge"))
    assert len(bench) == 15
    assert (bench[0].judge.name, bench[0].office) == ("Donoghue", Office.PRESIDENT)
    assert (bench[-1].judge.name, bench[-1].office) == ("Daudet", Office.JUDGE_AD_HOC)
    first, second, third = decision.provisions.order_by("position")
    assert [p.tally for p in (first, second, third)] == [
        "13 votes to 2",
        "13 votes to 2",
        "unanimously (15 votes to 0)",
    ]
    against = {vote.judge.name for vote in first.votes.filter(vote=VoteChoice.AGAINST).select_related("judge")}
    assert against == {"Gevorgian", "Xue"}
    assert list(first.addressees.values_list("code", flat=True)) == ["RUS"]
    assert all(list(p.sources.all()) == [source] for p in (first, second, third))
    assert first.history.latest().history_user == clerk


def test_no_admin_page_is_wider_than_the_window(live_server, wide_page, screenshot, clerk):  # noqa: F811
    """The case page with its representations inline, and a decision page with its vote grid."""
    page = wide_page
    case, source = no_182()
    ukraine = case.case_parties.get(role=PartyRole.APPLICANT).party
    for index in range(6):
        RepresentationFactory(
            case=case,
            party=ukraine,
            person=PersonFactory(name=f"Counsel with a rather long name number {index}"),
            sources=[source],
        )
    sign_in(page, live_server, "clerk")
    page.goto(live_server.url + reverse("admin:cases_case_change", args=[case.pk]))
    expect(page.locator(".inline-group").nth(1)).to_contain_text("Counsel with a rather long name number 5")
    screenshot("width-01-case-with-representations")
    page.locator(".inline-group").nth(1).screenshot(path=str(ARTIFACTS / "width-01b-representations.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW
    confidence = page.locator("#id_representations-0-confidence")
    box = confidence.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WINDOW

    for surname in ("Donoghue", "Gevorgian", "Xue"):
        PersonFactory(name=surname, slug=surname.lower())
    page.goto(live_server.url + reverse("admin:decisions_decision_add") + f"?case={case.pk}&sources={source.pk}")
    page.locator("#id_kind").select_option(label="Order")
    page.locator("#id_subject").select_option(label="provisional measures")
    page.locator("#id_decided_on").fill("16 March 2022")
    page.locator("#id_title").fill("Order of 16 March 2022")
    page.locator("#id_present_text").fill("Present: President DONOGHUE; Vice-President GEVORGIAN; Judge XUE.")
    page.locator("#id_operative_clause_text").fill(
        "(1) By two votes to one,\nThe Russian Federation shall suspend the operations;\n"
        "in favour: President Donoghue; Judge Xue;\nagainst: Vice-President Gevorgian;\n"
        "(2) Unanimously,\nBoth Parties shall refrain from any action which might aggravate the dispute."
    )
    page.get_by_role("button", name="Save and continue editing").first.click()
    page.locator("#id_confirm_paste").check()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator("#vote-grid")).to_be_visible()

    # "All others for" on para. (1) after clearing a judge's vote puts the judge back in favour.
    decision = Decision.objects.get(case=case)
    first = decision.provisions.get(paragraph="(1)")
    xue = Person.objects.get(slug="xue")
    page.locator(f"#id_grid-{first.pk}-{xue.pk}").select_option("")
    expect(page.locator(f'.vote-grid-count[data-provision="{first.pk}"]')).to_have_text("1 to 1")
    page.locator(f'.vote-grid-all-for[data-provision="{first.pk}"]').click()
    expect(page.locator(f'.vote-grid-count[data-provision="{first.pk}"]')).to_have_text("2 to 1")
    screenshot("width-02-decision-with-grid")
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW
