"""The researchers' site: every public page, feed, calendar and download outside the API."""

from django.urls import path

from core.pagecache import cached_page
from pages import about, cases, compliance, decisions, judges, parties
from pages.calendars import calendar_view
from pages.feeds import UpdatesFeed
from pages.search import search

feed = UpdatesFeed()
DECISION = "cases/<int:number>/decisions/<slug:slug>/"

urlpatterns = [
    path("", cases.home, name="home"),
    path("search/", search, name="search"),
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<int:number>/", cases.case_detail, name="case-detail"),
    path("cases/<int:number>/compare/<int:other>/", cases.case_mirror, name="case-mirror"),
    path("cases/<int:number>/docket.csv", cases.docket_csv, name="case-docket-csv"),
    path("cases/<int:number>/docket.json", cases.docket_json, name="case-docket-json"),
    path("cases/<int:number>/feeds/<slug:kind>.atom", feed, name="case-feed"),
    path("cases/<int:number>/calendar.ics", calendar_view, name="case-calendar"),
    path(DECISION, decisions.decision_detail, name="decision-detail"),
    path(DECISION + "citation.bib", decisions.decision_bibtex, name="decision-bibtex"),
    path(DECISION + "citation.json", decisions.decision_csl, name="decision-csl"),
    path(DECISION + "provisions/<slug:paragraph>/", decisions.provision_detail, name="provision-detail"),
    path("feeds/<slug:kind>.atom", feed, name="feed"),
    path("calendar.ics", calendar_view, name="calendar"),
    path("parties/<slug:code>/", parties.party_detail, name="party-detail"),
    path("judges/", judges.judge_list, name="judge-list"),
    path("judges/compare/", judges.judge_compare, name="judge-compare"),
    path("people/", judges.person_list, name="person-list"),
    path("people/<slug:slug>/", judges.person_detail, name="person-detail"),
    path("compliance/", compliance.compliance, name="compliance"),
    path("compliance.csv", compliance.compliance_csv, name="compliance-csv"),
    path("api/", about.api_home, name="api-home"),
    path("feeds/<slug:kind>/", about.feed_about, name="feed-about"),
    path("cases/<int:number>/feeds/<slug:kind>/", about.feed_about, name="case-feed-about"),
]

# Every page is public and the same for every anonymous reader: render it once per data version.
for pattern in urlpatterns:
    pattern.callback = cached_page(pattern.callback)
