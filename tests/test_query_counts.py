"""Every list, page and admin changelist reads the same number of queries at 1, 100 and 1,000 rows.

One record is grown in bulk from 1 to 100 to 1,000 rows of everything (cases, parties, people, filings with
their sources, hearings, events, representations, decisions with bench, measures with votes and addressees,
opinions, compliance claims, sources, and the admin's own users, groups, tokens and login records), and every
door is requested at each size: each API resource's list and one detail, the case timeline, the dataset
download, every page of pages/urls.py, and every admin changelist. Each door's count is compared across the
sizes (those that draw one case's or one judge's every item at 1 and 100: see DRAWN_WHOLE); the exact numbers
are pinned elsewhere (tests/test_pages.py), here only that they do not grow.

The doors are enumerated from the router, the URL patterns and the admin registry: a new one that is not
measured here fails test_every_*_is_measured.
"""

import datetime
import re
from collections import Counter, defaultdict
from typing import NamedTuple

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cases.models import Case, CaseParty, Event, Hearing, PartyRole, Representation, RepresentationRole
from compliance.models import Assessment, ComplianceClaim
from core import dataversion
from core.api.serializers import expandable_fields
from decisions.models import (
    Amendment,
    BenchMember,
    Decision,
    DecisionKind,
    DecisionSubject,
    Office,
    Opinion,
    OpinionKind,
    Provision,
    ProvisionKind,
    Vote,
    VoteChoice,
)
from filings.models import Filing, FilingKind
from pages import urls as page_urls
from pages.feeds import FEED_KINDS
from parties.models import Party, PartyKind, Person
from sources.models import Source, SourceKind
from tests.factories import (
    CaseFactory,
    CasePartyFactory,
    CourtFactory,
    PartyFactory,
    PersonFactory,
    UserFactory,
    bulk_insert,
)
from tracker.api_urls import api_patterns, router

pytestmark = pytest.mark.django_db

SIZES = (1, 100, 1000)
DAY = datetime.date(2023, 2, 22)
BENCH = [("president", Office.PRESIDENT), ("judge-a", Office.JUDGE), ("judge-b", Office.JUDGE), ("yusuf", Office.JUDGE)]


class Record:
    """A tracker with `rows` of everything, grown in bulk; No. 180 holds the rows that a case's pages list."""

    def __init__(self):
        self.rows = 0
        self.court = CourtFactory()
        self.armenia = PartyFactory(name="Republic of Armenia", short_name="Armenia", code="ARM")
        self.azerbaijan = PartyFactory(name="Republic of Azerbaijan", short_name="Azerbaijan", code="AZE")
        self.case = CaseFactory(general_list_number=180, short_title="Armenia v. Azerbaijan", court=self.court)
        self.mirror = CaseFactory(general_list_number=181, short_title="Azerbaijan v. Armenia", court=self.court)
        self.case.related_cases.add(self.mirror)
        for case, applicant, respondent in (
            (self.case, self.armenia, self.azerbaijan),
            (self.mirror, self.azerbaijan, self.armenia),
        ):
            CasePartyFactory(case=case, party=applicant, role=PartyRole.APPLICANT)
            CasePartyFactory(case=case, party=respondent, role=PartyRole.RESPONDENT)
        self.bench = [(PersonFactory(name=f"Judge {slug.title()}", slug=slug), office) for slug, office in BENCH]
        self.yusuf = self.bench[-1][0]
        self.superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
        self.first_decision = self.first_measure = None

    def grow_to(self, rows):
        """Add rows up to `rows` of every kind, each with the relations that multiply on a list."""
        new = range(self.rows, rows)
        sources = bulk_insert(
            Source(
                key=f"grown-{i}-{side}",
                kind=SourceKind.ICJ_DOCUMENT,
                title=f"Press release No. {i}{side}",
                url=f"https://icj-cij.org/grown/{i}/{side}",
                published_on=DAY,
            )
            for i in new
            for side in "ab"
        )
        cited = [sources[2 * n : 2 * n + 2] for n in range(len(new))]
        parties = bulk_insert(
            (
                Party(name=f"Organization {i}", short_name=f"Organization {i}", code=f"ORG-{i}", kind=PartyKind.OTHER)
                for i in new
            ),
            sources=cited,
        )
        people = bulk_insert(
            (Person(name=f"Judge Grown {i}", slug=f"grown-{i}", nationality=self.armenia) for i in new),
            sources=cited,
        )
        cases = bulk_insert(
            (
                Case(
                    general_list_number=1000 + i,
                    title=f"Grown case {i}",
                    short_title=f"Armenia v. Organization {i}",
                    slug=f"grown-case-{i}",
                    court=self.court,
                    instituted_on=datetime.date(2021, 9, 16),
                )
                for i in new
            ),
            sources=cited,
        )
        bulk_insert(
            CaseParty(case=case, party=party, role=role)
            for case, party in zip(cases, parties, strict=True)
            for party, role in ((self.armenia, PartyRole.APPLICANT), (party, PartyRole.RESPONDENT))
        )
        filings = bulk_insert(
            (
                Filing(
                    case=self.case,
                    slug=f"grown-{i}",
                    filed_by=self.armenia,
                    kind=FilingKind.PROVISIONAL_MEASURES_REQUEST,
                    title=f"Request for the indication of provisional measures (Lachin Corridor) {i}",
                    requested_measures="Unimpeded movement along the Lachin Corridor.",
                    filed_on=DAY - datetime.timedelta(days=50),
                    due_on=DAY - datetime.timedelta(days=50),
                )
                for i in new
            ),
            sources=cited,
        )
        bulk_insert(
            (
                Hearing(
                    case=self.case,
                    slug=f"grown-{i}",
                    starts_on=DAY - datetime.timedelta(days=20),
                    ends_on=DAY - datetime.timedelta(days=19),
                    subject="provisional_measures",
                    record_numbers=f"CR 2023/{i}",
                )
                for i in new
            ),
            sources=cited,
        )
        bulk_insert(
            (Event(slug=f"grown-{i}", title=f"Lachin Corridor blockade {i}", starts_on=DAY) for i in new),
            sources=cited,
            cases=[[self.case, self.mirror]] * len(new),
        )
        bulk_insert(
            (
                Representation(
                    case=self.case,
                    party=self.armenia,
                    person=person,
                    role=RepresentationRole.COUNSEL,
                    from_date=datetime.date(2021, 9, 16),
                )
                for person in people
            ),
            sources=cited,
        )
        decisions = bulk_insert(
            (
                Decision(
                    case=self.case,
                    slug=f"grown-{i}-order",
                    kind=DecisionKind.ORDER,
                    subject=DecisionSubject.PROVISIONAL_MEASURES,
                    decided_on=DAY,
                    title=f"Order of 22 February 2023 ({i})",
                    summary="Measures on the Lachin Corridor.",
                )
                for i in new
            ),
            sources=cited,
            responds_to=[[filing] for filing in filings],
        )
        self.first_decision = self.first_decision or decisions[0]
        seats = [(judge, office) for judge, office in self.bench]
        bulk_insert(
            BenchMember(decision=decision, judge=judge, office=office, position=position)
            for decision, person in zip(decisions, people, strict=True)
            for position, (judge, office) in enumerate([*seats, (person, Office.JUDGE_AD_HOC)])
        )
        # Each decision's own measure (reaffirming the first one), and one more measure of the first
        # decision per row, so that the first decision's page and its measure's page grow too.
        measures = bulk_insert(
            (
                Provision(
                    decision=decision,
                    paragraph="(1)",
                    position=1,
                    kind=ProvisionKind.MEASURE,
                    text="shall take all measures at its disposal to ensure unimpeded movement along the Lachin "
                    "Corridor",
                    votes_for=len(seats),
                    votes_against=1,
                    amends=self.first_measure,
                    amendment=Amendment.REAFFIRMS if self.first_measure else "",
                )
                for decision in decisions
            ),
            sources=cited,
            addressees=[[self.azerbaijan]] * len(new),
        )
        self.first_measure = self.first_measure or measures[0]
        more = bulk_insert(
            (
                Provision(
                    decision=self.first_decision,
                    paragraph=f"({i + 2})",
                    position=i + 2,
                    kind=ProvisionKind.MEASURE,
                    text="shall refrain from any action which might aggravate the dispute",
                    votes_for=len(seats),
                    votes_against=1,
                )
                for i in new
            ),
            sources=cited,
            addressees=[[self.azerbaijan, self.armenia]] * len(new),
        )
        bulk_insert(
            Vote(provision=provision, judge=judge, vote=VoteChoice.FOR) for provision in measures for judge, _ in seats
        )
        bulk_insert(
            Vote(provision=provision, judge=person, vote=VoteChoice.AGAINST)
            for provision, person in zip(measures, people, strict=True)
        )
        bulk_insert(
            Vote(provision=provision, judge=judge, vote=VoteChoice.FOR) for provision in more for judge, _ in seats
        )
        bulk_insert(
            (
                Opinion(decision=decision, kind=OpinionKind.DECLARATION, position=1, summary="On the measure.")
                for decision in decisions
            ),
            sources=cited,
            judges=[[self.yusuf, person] for person in people],
        )
        bulk_insert(
            (
                Opinion(
                    decision=self.first_decision,
                    kind=OpinionKind.SEPARATE_OPINION,
                    position=i + 2,
                    summary="On the other measures.",
                )
                for i in new
            ),
            sources=cited,
            judges=[[self.yusuf]] * len(new),
        )
        bulk_insert(
            (
                ComplianceClaim(
                    slug=f"grown-{i}-{claimant.code}",
                    decision=provision.decision,
                    provision=provision,
                    claimant=claimant,
                    spokesperson=self.yusuf,
                    made_on=DAY + datetime.timedelta(days=30),
                    assessment=assessment,
                    summary="The Lachin Corridor stays closed.",
                    quote="The order is being ignored",
                )
                for i, measure in zip(new, measures, strict=True)
                for provision, claimant, assessment in (
                    (measure, self.armenia, Assessment.NOT_COMPLIED),
                    (self.first_measure, self.azerbaijan, Assessment.COMPLIED),
                )
            ),
            sources=[pair for pair in cited for _ in range(2)],
        )
        users = bulk_insert(User(username=f"reader-{i}", password="!") for i in new)
        bulk_insert(Group(name=f"Readers {i}") for i in new)
        bulk_insert(Token(key=f"{i:040d}", user=user) for i, user in zip(new, users, strict=True))
        self._grow_login_records(new)
        self.rows = rows
        # Bulk writes send no signals: say the data changed, as the dataset loader does.
        dataversion.bump()

    @staticmethod
    def _grow_login_records(new):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        common = {"user_agent": "Mozilla/5.0", "ip_address": "192.0.2.1", "http_accept": "*/*", "path_info": "/"}
        bulk_insert(AccessLog(username=f"reader-{i}", **common) for i in new)
        bulk_insert(AccessFailureLog(username=f"reader-{i}", **common) for i in new)
        bulk_insert(
            AccessAttempt(username=f"reader-{i}", get_data="", post_data="", failures_since_start=1, **common)
            for i in new
        )


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


# Each API resource's detail is requested for the object whose related rows grow where it has any.
API_OBJECTS = {
    "case": lambda record: record.case,
    "party": lambda record: record.armenia,
    "person": lambda record: record.yusuf,
    "filing": lambda record: _first(Filing, case=record.case),
    "hearing": lambda record: _first(Hearing, case=record.case),
    "event": lambda record: _first(Event, cases=record.case),
    "decision": lambda record: record.first_decision,
    "provision": lambda record: record.first_measure,
    "opinion": lambda record: _first(Opinion, decision=record.first_decision),
    "claim": lambda record: _first(ComplianceClaim, provision=record.first_measure),
    "source": lambda record: _first(Source),
}
# The API's other addresses: the ones reading the record are measured; the schema and its viewers do not.
API_PATHS = {
    "case-timeline": lambda record: reverse("api:case-timeline", args=[record.case.pk]),
    "dataset": lambda record: reverse("api:dataset"),
}
API_STATIC = {"schema", "docs", "redoc"}


def _decision_url(name):
    return lambda record: reverse(name, args=[180, record.first_decision.slug])


def _each_feed(name, *args):
    return {f"{name}[{kind}]": (lambda record, kind=kind: reverse(name, args=[*args, kind])) for kind in FEED_KINDS}


# Every pattern of pages/urls.py, by name, with the addresses that exercise it.
PAGES = {
    "home": {"home": lambda record: reverse("home")},
    "search": {"search": lambda record: reverse("search") + "?q=Lachin"},
    "case-list": {"case-list": lambda record: reverse("case-list")},
    "case-detail": {"case-detail": lambda record: record.case.get_absolute_url()},
    "case-mirror": {"case-mirror": lambda record: reverse("case-mirror", args=[180, 181])},
    "case-docket-csv": {"case-docket-csv": lambda record: reverse("case-docket-csv", args=[180])},
    "case-docket-json": {"case-docket-json": lambda record: reverse("case-docket-json", args=[180])},
    "case-feed": _each_feed("case-feed", 180),
    "case-calendar": {"case-calendar": lambda record: reverse("case-calendar", args=[180])},
    "decision-detail": {"decision-detail": lambda record: record.first_decision.get_absolute_url()},
    "decision-bibtex": {"decision-bibtex": _decision_url("decision-bibtex")},
    "decision-csl": {"decision-csl": _decision_url("decision-csl")},
    "provision-detail": {"provision-detail": lambda record: record.first_measure.get_absolute_url()},
    "feed": _each_feed("feed"),
    "calendar": {"calendar": lambda record: reverse("calendar")},
    "party-detail": {"party-detail": lambda record: reverse("party-detail", args=["ARM"])},
    "judge-list": {"judge-list": lambda record: reverse("judge-list")},
    "judge-compare": {"judge-compare": lambda record: reverse("judge-compare") + "?a=yusuf&b=president"},
    "person-list": {"person-list": lambda record: reverse("person-list")},
    "person-detail": {"person-detail": lambda record: reverse("person-detail", args=["yusuf"])},
    "compliance": {"compliance": lambda record: reverse("compliance")},
    "compliance-csv": {"compliance-csv": lambda record: reverse("compliance-csv")},
    "api-home": {"api-home": lambda record: reverse("api-home")},
    "feed-about": _each_feed("feed-about"),
    "case-feed-about": _each_feed("case-feed-about", 180),
}


# Doors that draw every item of one case, judge, party or decision (or the whole dataset): their query count is
# compared at 1 and 100 rows; drawing 1,000 items of everything takes each of them tens of seconds, which
# measures the drawing (the benchmark's business), not whether a query repeats per row, which 100 rows show.
DRAWN_WHOLE = {
    "page:case-detail",
    "page:case-mirror",
    "page:decision-detail",
    "page:provision-detail",
    "page:party-detail",
    "page:person-detail",
    "page:compliance",
    "api:case-timeline",
    "api:dataset",
}


def _admin_label(model):
    return f"admin:{model._meta.label}"


def _doors():
    """label -> (who asks, how to build the address from the record): the API, the pages, the admin."""
    doors = {}
    for _, viewset, basename in router.registry:
        doors[f"api:{basename}-list"] = ("reader", lambda record, name=basename: reverse(f"api:{name}-list"))
        if expandable_fields(viewset.serializer_class):
            # The list with what it leaves out by default (a provision's votes and claims, a decision's bench...).
            doors[f"api:{basename}-list?expand=all"] = (
                "reader",
                lambda record, name=basename: reverse(f"api:{name}-list") + "?expand=all",
            )
        doors[f"api:{basename}-detail"] = (
            "reader",
            lambda record, name=basename: reverse(f"api:{name}-detail", args=[API_OBJECTS[name](record).pk]),
        )
    for name, build in API_PATHS.items():
        doors[f"api:{name}"] = ("reader", build)
    for addresses in PAGES.values():
        for label, build in addresses.items():
            doors[f"page:{label}"] = ("reader", build)
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        doors[_admin_label(model)] = ("editor", lambda record, name=name: reverse(name))
    return doors


DOORS = _doors()


class Measure(NamedTuple):
    queries: list[str]
    status: int | str  # the error, where the request raised one


def _shape(sql):
    """A statement with its literals and id lists blanked, so the same query on other rows reads the same."""
    return re.sub(r"\b\d+\b|'[^']*'|(%s|\?)(, (%s|\?))*", "?", sql)


def _grown(smaller, larger):
    """The statements run more often on more rows, with how many more."""
    more = Counter(map(_shape, larger.queries))
    more.subtract(Counter(map(_shape, smaller.queries)))
    return {sql: n for sql, n in more.items() if n}


# Doors whose count grows with the rows today: each names the query that repeats. Fix it, then delete the line.
GROWS: dict[str, str] = {}


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{door: {size: Measure}} and {admin door: {size: rows in its table}}, from one record grown in place."""
    counts, rows = defaultdict(dict), defaultdict(dict)
    # The page cache would answer from memory; its timeout 0 turns it off, so rendering is what is counted.
    # Past SEARCH_MATCH_LIMIT matches a search takes its bounded path (no ranking, no exact counts, fewer
    # queries); the limit is raised above every size here so that the full path is the one compared.
    unchanged = override_settings(PAGE_CACHE_TIMEOUT=0, SEARCH_MATCH_LIMIT=10 * SIZES[-1])
    with django_db_blocker.unblock(), unchanged, transaction.atomic():
        record = Record()
        clients = {"reader": Client(), "editor": Client()}
        clients["editor"].force_login(record.superuser)
        for size in SIZES:
            record.grow_to(size)
            if size == SIZES[0]:
                # Once-per-process lookups (content types, the first session read) are not rows.
                for who, build in DOORS.values():
                    clients[who].get(build(record))
                dataversion.bump()
            for label, (who, build) in DOORS.items():
                if size == SIZES[-1] and label in DRAWN_WHOLE:
                    continue
                url = build(record)
                # A door that fails (PostgreSQL's statement timeout, say) is reported by its own test; the
                # savepoint keeps the transaction usable for the doors after it.
                with CaptureQueriesContext(connection) as captured:
                    try:
                        with transaction.atomic():
                            status = clients[who].get(url).status_code
                    except Exception as error:  # noqa: BLE001
                        status = f"{type(error).__name__}: {error}"
                counts[label][size] = Measure([query["sql"] for query in captured.captured_queries], status)
            for model in admin.site._registry:
                rows[_admin_label(model)][size] = model._default_manager.count()
        transaction.set_rollback(True)
    return counts, rows


def test_every_api_resource_is_measured():
    assert {basename for _, _, basename in router.registry} == set(API_OBJECTS)


def test_every_api_address_is_measured():
    named = {pattern.name for pattern in api_patterns if getattr(pattern, "name", None)}
    assert named == set(API_PATHS) | API_STATIC


def test_every_page_is_measured():
    assert {pattern.name for pattern in page_urls.urlpatterns} == set(PAGES)


def test_every_admin_changelist_lists_the_grown_rows(measured):
    _, rows = measured
    for label in (label for label in DOORS if label.startswith("admin:")):
        assert rows[label][SIZES[0]] >= SIZES[0], label
        assert rows[label][SIZES[-1]] - rows[label][SIZES[0]] >= SIZES[-1] - SIZES[0], (label, rows[label])


def _marks(label):
    if label in GROWS:
        return [pytest.mark.xfail(strict=True, reason=GROWS[label])]
    return []


@pytest.mark.parametrize("label", [pytest.param(label, marks=_marks(label)) for label in DOORS])
def test_query_count_does_not_grow_with_the_rows(measured, label):
    counts, _ = measured
    by_size = counts[label]
    assert {measure.status for measure in by_size.values()} == {200}, {s: m.status for s, m in by_size.items()}
    queries = {size: len(measure.queries) for size, measure in by_size.items()}
    assert set(by_size) == set(SIZES[:2] if label in DRAWN_WHOLE else SIZES), by_size.keys()
    changed = {size: _grown(by_size[SIZES[0]], by_size[size]) for size in queries if queries[size] != queries[SIZES[0]]}
    assert not changed, f"{label}: queries by number of rows {queries}; statements added (+) or dropped (-): {changed}"
