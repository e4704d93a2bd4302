"""The project's addresses plus the conventional DRF filings list, under benchmark settings only.

``/bench/floor/filings/`` (the bare WSGI floor) never reaches Django: benchmarks/wsgi.py routes it
to benchmarks/floor.py before Django sees the request.
"""

from django.urls import include, path

from benchmarks.conventional import ConventionalFilingViewSet

urlpatterns = [
    path(
        "bench/conventional/filings/",
        ConventionalFilingViewSet.as_view({"get": "list"}),
        name="bench-conventional-filing-list",
    ),
    path("", include("tracker.urls")),
]
