"""The researchers' pages. Decision and party routes live with their apps and are included here."""

from django.urls import include, path

from cases import views
from tracker.calendar import calendar_view
from tracker.feeds import UpdatesFeed
from tracker.views import search

feed = UpdatesFeed()

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search, name="search"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:number>/", views.case_detail, name="case-detail"),
    path("cases/<int:number>/compare/<int:other>/", views.case_mirror, name="case-mirror"),
    path("cases/<int:number>/docket.csv", views.docket_csv, name="case-docket-csv"),
    path("cases/<int:number>/docket.json", views.docket_json, name="case-docket-json"),
    path("cases/<int:number>/feeds/<slug:kind>.atom", feed, name="case-feed"),
    path("cases/<int:number>/calendar.ics", calendar_view, name="case-calendar"),
    path("cases/<int:number>/decisions/", include("decisions.urls")),
    path("feeds/<slug:kind>.atom", feed, name="feed"),
    path("calendar.ics", calendar_view, name="calendar"),
    path("", include("parties.urls")),
]
