"""The editors' admin issue, done when: an editor made with ``createeditor`` enters, in a browser and
through the admin alone, a new order with two provisions and their votes and a compliance claim
against one of them; and a case that is not in the dataset, with its parties and its Application.

The order of 3 March 2026 in No. 181 below is test input, not a fact: no such order is in the
record. The case No. 193 (Nicaragua v. Germany) is real; its entry here follows the Court's
press release of 1 March 2024.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case
from compliance.models import ComplianceClaim
from decisions.models import Decision, Office, Vote, VoteChoice
from filings.models import Filing
from parties.models import Party
from sources.models import Source
from tests.browser.test_admin_browser import editors_group

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long editor password for the browser"

# (search term, option shown, office) of each judge on the bench entered for the order, in precedence.
BENCH = [
    ("Salam", "Nawaf Salam", Office.PRESIDENT),
    ("Sebutinde", "Julia Sebutinde", Office.VICE_PRESIDENT),
    ("Tomka", "Peter Tomka", Office.JUDGE),
    ("Xue", "Xue Hanqin", Office.JUDGE),
    ("Iwasawa", "Iwasawa Yuji", Office.JUDGE),
    ("Nolte", "Georg Nolte", Office.JUDGE),
]
DATA = Path(settings.BASE_DIR) / "data"
NIC_DEU_TITLE = (
    "Alleged Breaches of Certain International Obligations in respect of the Occupied Palestinian Territory "
    "(Nicaragua v. Germany)"
)
OFFICE_LABEL = {
    Office.PRESIDENT: "President",
    Office.VICE_PRESIDENT: "Vice-President",
    Office.JUDGE: "Judge",
}


@pytest.fixture
def clerk(monkeypatch):
    """An editor account made as the README says scripts make one: createeditor, password from the environment."""
    # The Editors group comes from a migration, and a transactional test before this one may have
    # flushed it away; it is put back as the migration makes it (serialized_rollback would clash
    # with the content types that flush recreates).
    editors_group()
    monkeypatch.setenv("TRACKER_EDITOR_PASSWORD", PASSWORD)
    out = io.StringIO()
    call_command("createeditor", "clerk", email="clerk@example.org", stdout=out)
    assert 'Editor "clerk" created' in out.getvalue()
    return get_user_model().objects.get(username="clerk")


def sign_in(page, live_server, username):
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Enter and correct the record")).to_be_visible()


def open_add_form(page, live_server, model_name):
    """From the admin's home page, the "Add" beside a model, as an editor starts."""
    page.goto(live_server.url + reverse("admin:index"))
    page.locator(f"tr.model-{model_name}").get_by_role("link", name="Add").click()


def pick(page, field_id, term, option_text):
    """Choose a value in one of the admin's autocompletes (select2) by typing, as an editor does."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_editor_enters_an_order_with_its_votes_and_a_claim(live_server, page, screenshot, clerk):
    """Source, order with bench and operative clause, each provision's vote, then a claim on one measure.

    The Order of 3 March 2026 in No. 181, its press release and the claim are test input, not facts.
    """
    call_command("load_dataset", verbosity=0)
    sign_in(page, live_server, "clerk")
    screenshot("order-entry-01-signed-in")

    # 1. The source: the Court's press release announcing the order.
    open_add_form(page, live_server, "source")
    page.get_by_label("Kind").select_option(label="press release")
    page.get_by_label("Title").fill(
        "Press release No. 2026/99: The Court indicates provisional measures (Azerbaijan v. Armenia) [test input]"
    )
    page.get_by_label("Publisher").fill("International Court of Justice")
    page.get_by_label("URL").fill("https://www.icj-cij.org/case/181/press-releases")
    page.get_by_label("Published on").fill("3 March 2026")
    page.get_by_label("Document number").fill("181-20260303-PRE-01-00-EN")
    page.get_by_label("Key").fill("icj-181-20260303-pre")
    screenshot("order-entry-02-source-form")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("Press release No. 2026/99")
    source = Source.objects.get(key="icj-181-20260303-pre")

    # 2. The order, with its bench and its operative clause, on one page.
    open_add_form(page, live_server, "decision")
    pick(page, "id_case", "181", "Azerbaijan v. Armenia")
    main = page.locator("fieldset").first  # the inlines below have a kind of their own
    main.get_by_label("Kind").select_option(label="Order")
    main.get_by_label("Subject").select_option(label="provisional measures")
    main.get_by_label("Decided on").fill("3 March 2026")
    main.get_by_label("Title").fill("Order of 3 March 2026")
    page.get_by_label("Document number").fill("181-20260303-ord-01-00-en")
    pick(page, "id_sources", "2026/99", "2026/99")

    add_judge = page.get_by_role("button", name=re.compile("Add another judge on the bench", re.I))
    for index, (term, name, office) in enumerate(BENCH):
        add_judge.click()
        pick(page, f"id_bench-{index}-judge", term, name)
        page.locator(f"#id_bench-{index}-office").select_option(label=OFFICE_LABEL[office])
        page.locator(f"#id_bench-{index}-position").fill(str(index + 1))

    add_provision = page.get_by_role("button", name=re.compile("Add another provision of the operative clause", re.I))
    provisions = [
        (
            "(1)",
            "Armenia shall take all measures at its disposal to prevent the incitement of racial hatred "
            "against persons of Azerbaijani national or ethnic origin [test input].",
            "Armenia",
        ),
        (
            "(2)",
            "Both Parties shall refrain from any action which might aggravate or extend the dispute "
            "before the Court [test input].",
            None,
        ),
    ]
    for index, (paragraph, text, addressee) in enumerate(provisions):
        add_provision.click()
        page.locator(f"#id_provisions-{index}-paragraph").fill(paragraph)
        page.locator(f"#id_provisions-{index}-position").fill(str(index + 1))
        page.locator(f"#id_provisions-{index}-kind").select_option(label="measure")
        page.locator(f"#id_provisions-{index}-text").fill(text)
        for party in [addressee] if addressee else ["Armenia", "Azerbaijan"]:
            pick(page, f"id_provisions-{index}-addressees", party, f"{party}")
    screenshot("order-entry-03-decision-form")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    screenshot("order-entry-04-decision-saved")

    decision = Decision.objects.get(case__general_list_number=181, title="Order of 3 March 2026")
    bench = list(decision.bench.select_related("judge").order_by("position"))
    assert [(m.judge.name, m.office, m.position) for m in bench] == [
        (name, office, index + 1) for index, (_, name, office) in enumerate(BENCH)
    ]
    first, second = decision.provisions.order_by("position")

    # 3. The vote on each provision, by ticking the judges for and against.
    votes = {
        first.pk: ({"Nawaf Salam", "Julia Sebutinde", "Xue Hanqin", "Iwasawa Yuji", "Georg Nolte"}, {"Peter Tomka"}),
        second.pk: ({name for _, name, _ in BENCH}, set()),
    }
    for step, provision in enumerate((first, second), start=5):
        judges_for, judges_against = votes[provision.pk]
        page.locator(".inline-related", has_text=provision.text[:40]).get_by_role(
            "link", name="Record the vote (judges for and against)"
        ).click()
        expect(page.get_by_role("heading", name="Change provision")).to_be_visible()
        for name in judges_for:
            page.locator("#id_judges_for").get_by_label(name).check()
        for name in judges_against:
            page.locator("#id_judges_against").get_by_label(name).check()
        if not judges_against:
            page.get_by_label("Unanimous").check()
        screenshot(f"order-entry-{step:02d}-vote-{provision.position}")
        page.get_by_role("button", name="Save and continue editing").first.click()
        expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
        expect(page.get_by_label("Votes for")).to_have_value(str(len(judges_for)))
        expect(page.get_by_label("Votes against")).to_have_value(str(len(judges_against)))
        page.goto(live_server.url + reverse("admin:decisions_decision_change", args=[decision.pk]))

    expect(page.locator(".inline-related", has_text=first.text[:40])).to_contain_text("5 votes to 1")
    expect(page.locator(".inline-related", has_text=second.text[:40])).to_contain_text("unanimously (6 votes to 0)")
    screenshot("order-entry-07-decision-with-votes")

    # 4. A claim that Armenia did not comply with the first measure.
    open_add_form(page, live_server, "complianceclaim")
    pick(page, "id_provision", "3 March 2026", "para. (1)")
    pick(page, "id_claimant", "Azerbaijan", "Azerbaijan")
    page.get_by_label("Made on").fill("10 March 2026")
    page.get_by_label("Assessment").select_option(label="did not comply")
    page.get_by_label("Summary").fill(
        "Azerbaijan says Armenia has not prevented incitement since the order [test input]."
    )
    pick(page, "id_sources", "2026/99", "2026/99")
    screenshot("order-entry-08-claim-form")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.locator("#result_list")).to_contain_text("para. (1) of the Order of 3 March 2026")
    screenshot("order-entry-09-claim-saved")

    # The record as the database holds it.
    clerk = get_user_model().objects.get(username="clerk")
    assert decision.kind == "order" and decision.subject == "provisional_measures"
    assert decision.slug == "2026-03-03-order"
    assert decision.document_number == "181-20260303-ORD-01-00-EN"
    assert list(decision.sources.all()) == [source]
    for provision in (first, second):
        provision.refresh_from_db()
        judges_for, judges_against = votes[provision.pk]
        assert (provision.votes_for, provision.votes_against) == (len(judges_for), len(judges_against))
        recorded = {(vote.judge.name, vote.vote) for vote in provision.votes.select_related("judge")}
        assert recorded == {(n, VoteChoice.FOR) for n in judges_for} | {(n, VoteChoice.AGAINST) for n in judges_against}
        assert list(provision.sources.all()) == [source]
        assert provision.history.latest().history_user == clerk
        assert {record.history_user for record in Vote.history.filter(provision_id=provision.pk)} == {clerk}
    assert first.unanimous is False and second.unanimous is True
    assert list(first.addressees.values_list("code", flat=True)) == ["ARM"]
    claim = ComplianceClaim.objects.get(decision=decision)
    assert claim.provision == first
    assert claim.claimant == Party.objects.get(code="AZE")
    assert claim.slug == "2026-03-10-aze"
    assert claim.history.get().history_user == clerk
    assert decision.history.earliest().history_user == clerk
    assert {m.history.get().history_user for m in bench} == {clerk}
    assert source.history.get().history_user == clerk


def add_through_popup(page, link, fill):
    """Click a "+" beside a field, fill the form in the window it opens, save, and wait for it to close."""
    with page.expect_popup() as opened:
        link.click()
    popup = opened.value
    popup.wait_for_load_state()
    fill(popup)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).first.click()


def test_editor_enters_a_new_case_with_its_parties_and_its_application(live_server, page, screenshot, clerk):
    """No. 193, Nicaragua v. Germany, entered from scratch: the case, its parties' roles and its Application.

    Only the register of parties and sources is loaded (every State on the General List is in it), not
    the case files, so the case is new to this database as a case the dataset lacks would be.
    """
    call_command("load_dataset", str(DATA / "sources.json"), str(DATA / "actors.json"), verbosity=0)
    sign_in(page, live_server, "clerk")
    open_add_form(page, live_server, "case")

    page.get_by_label("General list number").fill("193")
    page.get_by_label(re.compile(r"^Title")).fill(NIC_DEU_TITLE)
    page.get_by_label("Short title").press_sequentially("Nicaragua v. Germany")
    expect(page.get_by_label("Slug")).to_have_value("nicaragua-v-germany")
    expect(page.locator("#id_court + .select2")).to_contain_text("the Court")
    page.get_by_label("Instituted on").fill("1 March 2024")
    page.get_by_label("Basis").fill("Article IX of the Genocide Convention (as invoked by Nicaragua)")

    def fill_source(popup):
        popup.get_by_label("Kind").select_option(label="press release")
        popup.get_by_label("Title").fill(
            "Nicaragua institutes proceedings against Germany and requests the Court to indicate provisional measures"
        )
        popup.get_by_label("Publisher").fill("International Court of Justice")
        popup.get_by_label("URL").fill("https://www.icj-cij.org/case/193")
        popup.get_by_label("Published on").fill("1 March 2024")
        popup.get_by_label("Key").fill("icj-193-20240301-pre")

    add_through_popup(page, page.locator("#add_id_sources"), fill_source)
    expect(page.locator("#id_sources + .select2")).to_contain_text("Nicaragua institutes proceedings")

    for index, (short_name, role) in enumerate([("Nicaragua", "applicant"), ("Germany", "respondent")]):
        page.get_by_role("button", name=re.compile("Add another party and its role", re.I)).click()
        pick(page, f"id_case_parties-{index}-party", short_name, short_name)
        expect(page.locator(f"#id_case_parties-{index}-party + .select2")).to_contain_text(short_name)
        page.locator(f"#id_case_parties-{index}-role").select_option(role)
    screenshot("new-case-01-case-form")
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    screenshot("new-case-02-case-saved")

    # The Application, from the case's own page.
    page.get_by_role("link", name="Add a filing to this case").click()
    expect(page.locator("#id_case + .select2")).to_contain_text("No. 193")
    pick(page, "id_filed_by", "Nicaragua", "Nicaragua")
    page.get_by_label("Kind").select_option(label="Application instituting proceedings")
    page.get_by_label("Title").fill("Application instituting proceedings and request for provisional measures")
    page.get_by_label("Filed on").fill("1 March 2024")
    page.get_by_label("Document number").fill("193-20240301-APP-01-00-EN")
    # Started from the case, the filing already cites the case's source.
    expect(page.locator("#id_sources + .select2")).to_contain_text("Nicaragua institutes proceedings")
    screenshot("new-case-03-application-form")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    screenshot("new-case-04-application-saved")

    case = Case.objects.get(general_list_number=193)
    page.goto(live_server.url + reverse("admin:cases_case_change", args=[case.pk]))
    expect(page.locator(".field-filings_list")).to_contain_text(
        "Application instituting proceedings of Nicaragua, 1 March 2024"
    )
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(live_server.url + case.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nicaragua v. Germany")
    expect(page.locator("main")).to_contain_text("Application instituting proceedings")
    screenshot("new-case-05-public-page")

    clerk = get_user_model().objects.get(username="clerk")
    assert case.title == NIC_DEU_TITLE
    assert (case.slug, case.instituted_on.isoformat(), case.court.code) == ("nicaragua-v-germany", "2024-03-01", "ICJ")
    assert {(cp.party.code, cp.role) for cp in case.case_parties.select_related("party")} == {
        ("NIC", "applicant"),
        ("DEU", "respondent"),
    }
    source = Source.objects.get(key="icj-193-20240301-pre")
    assert list(case.sources.all()) == [source]
    filing = Filing.objects.get(case=case)
    assert (filing.kind, filing.filed_by.code, filing.slug) == ("application", "NIC", "2024-03-01-application")
    assert filing.document_number == "193-20240301-APP-01-00-EN"
    assert list(filing.sources.all()) == [source]
    assert {case.history.get().history_user, filing.history.get().history_user, source.history.get().history_user} == {
        clerk
    }
