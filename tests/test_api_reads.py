"""The API's read path (core.api.reads) answers exactly what the serializers answer, in fixed queries.

The reference is the resource's serializer itself: the same request with the plan switched off,
which runs the viewset's serializer class over the same queryset with the same context, and a
direct call of the serializer class for details.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases.models import Case
from core.api import reads, views
from core.api.renderers import OrjsonRenderer
from core.api.serializers import expandable_fields
from tests.factories import ComplianceClaimFactory, FilingFactory, PartyFactory, SourceFactory, VoteFactory
from tracker.api_urls import router

pytestmark = pytest.mark.django_db

RESOURCES = [(prefix, basename) for prefix, _viewset, basename in router.registry]
VIEWSETS = {basename: viewset for _prefix, viewset, basename in router.registry}

# A filter each resource takes, as a script would use it (see each app's filters.py).
FILTERS = {
    "case": lambda case: {"party": "AZE"},
    "party": lambda case: {"kind": "state"},
    "person": lambda case: {"name": "an"},
    "filing": lambda case: {"case_number": 180},
    "hearing": lambda case: {"case_number": 180},
    "event": lambda case: {"case": case.pk},
    "decision": lambda case: {"case_number": 180},
    "provision": lambda case: {"addressee": "AZE"},
    "opinion": lambda case: {"case": case.pk},
    "claim": lambda case: {"case": case.pk},
    "source": lambda case: {"publisher": "court"},
}


@pytest.fixture
def dataset(cerd_dataset, db):
    return Case.objects.get(general_list_number=180)


@pytest.fixture
def through_serializer(monkeypatch):
    """A GET answered by the serializers, as before the read path: the reference."""

    def get(client, url, params=None, **headers):
        with monkeypatch.context() as patch:
            patch.setattr(views, "plan_for", lambda view, queryset: None)
            return client.get(url, params or {}, **headers)

    return get


def same_answer(api_client, through_serializer, url, params=None):
    planned = api_client.get(url, params or {})
    reference = through_serializer(api_client, url, params)
    assert planned.status_code == reference.status_code == 200, (url, params, planned.content[:300])
    assert planned["Content-Type"] == reference["Content-Type"]
    assert planned.content == reference.content, (url, params)
    assert planned["ETag"] == reference["ETag"]
    return planned


def test_every_resource_reads_through_a_plan(dataset):
    request = Request(APIRequestFactory().get("/"))
    for _prefix, _viewset, basename in router.registry:
        view = _viewset(request=request, format_kwarg=None, action="list", kwargs={})
        assert reads.plan_for(view, view.get_queryset()) is not None, basename


@pytest.mark.parametrize(("prefix", "basename"), RESOURCES)
def test_lists_are_the_serializers_lists(api_client, through_serializer, dataset, prefix, basename):
    url = reverse(f"api:{basename}-list")
    first = same_answer(api_client, through_serializer, url, {"page_size": 7}).json()
    assert first["results"], "the dataset has rows for every resource"
    fields = list(first["results"][0])
    same_answer(api_client, through_serializer, url, {"page_size": 7, "page": 2})
    same_answer(api_client, through_serializer, url, {"page_size": 500})
    cursor = same_answer(api_client, through_serializer, url, {"pagination": "cursor", "page_size": 7}).json()
    if cursor["next"]:
        same_answer(api_client, through_serializer, cursor["next"])
    same_answer(api_client, through_serializer, url, {"ordering": "-id", "page_size": 7})
    same_answer(api_client, through_serializer, url, {**FILTERS[basename](dataset), "page_size": 500})
    same_answer(api_client, through_serializer, url, {"fields": f"id,{fields[-1]},{fields[2]}", "page_size": 7})
    same_answer(api_client, through_serializer, url, {"omit": f"{fields[1]},{fields[3]}", "page_size": 7})
    same_answer(api_client, through_serializer, url, {"format": "csv", "page_size": 20})
    same_answer(api_client, through_serializer, url, {"format": "csv", "fields": f"id,{fields[2]}"})
    # What the list leaves out (Meta.expandable), brought by ?expand= or named by ?fields=.
    expanded = same_answer(api_client, through_serializer, url, {"expand": "all", "page_size": 7}).json()
    expandable = expandable_fields(VIEWSETS[basename].serializer_class)
    assert set(expanded["results"][0]) - set(fields) == set(expandable)
    for name in expandable:
        same_answer(api_client, through_serializer, url, {"expand": name, "page_size": 500})
        same_answer(api_client, through_serializer, url, {"fields": f"id,{name}", "page_size": 7})
        same_answer(api_client, through_serializer, url, {"expand": "all", "omit": name, "page_size": 7})
        same_answer(api_client, through_serializer, url, {"format": "csv", "expand": name, "page_size": 20})
    same_answer(api_client, through_serializer, url, {"format": "csv", "expand": "all", "page_size": 20})


@pytest.mark.parametrize(("prefix", "basename"), RESOURCES)
def test_details_are_the_serializers_details(api_client, through_serializer, dataset, prefix, basename):
    viewset = dict((b, v) for _p, v, b in router.registry)[basename]
    factory_request = APIRequestFactory().get("/")
    queryset = viewset().get_queryset().order_by("id")
    chosen = [queryset.first(), queryset.last(), queryset[queryset.count() // 2]]
    for obj in chosen:
        url = reverse(f"api:{basename}-detail", args=[obj.pk])
        planned = same_answer(api_client, through_serializer, url)
        # The serializer class itself, on the object as get_queryset() reads it, with the request.
        factory_request = APIRequestFactory().get(url)
        request = Request(factory_request)
        fresh = viewset().get_queryset().get(pk=obj.pk)
        expected = viewset.serializer_class(fresh, context={"request": request}).data
        assert planned.json() == json.loads(json.dumps(expected)), (basename, obj.pk)
        same_answer(api_client, through_serializer, url, {"omit": "api_url,version"})
        assert api_client.get(url, HTTP_IF_NONE_MATCH=planned["ETag"]).status_code == 304


def test_a_detail_not_found_is_the_same_404(api_client, through_serializer, dataset):
    url = reverse("api:filing-detail", args=[10**9])
    planned = api_client.get(url)
    reference = through_serializer(api_client, url)
    assert planned.status_code == reference.status_code == 404
    assert planned.content == reference.content
    assert api_client.get(reverse("api:filing-detail", args=[10**30])).status_code == 404


def test_a_list_etag_answers_if_none_match(api_client, dataset):
    url = reverse("api:provision-list")
    first = api_client.get(url, {"addressee": "AZE"})
    assert api_client.get(url, {"addressee": "AZE"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_unknown_fields_are_still_refused(api_client, dataset):
    response = api_client.get(reverse("api:filing-list"), {"fields": "id,nonsense"})
    assert response.status_code == 400
    assert "nonsense" in response.json()["fields"][0]


def test_a_list_of_serializer_output_without_a_plan_still_answers(api_client, dataset, monkeypatch):
    monkeypatch.setattr(views, "plan_for", lambda view, queryset: None)
    assert api_client.get(reverse("api:provision-list"), {"page_size": 3}).status_code == 200


def warm_queries(client, url, params):
    """The queries of a GET once the throttle's counter and the page count are cached (a second GET)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries.captured_queries), response


@pytest.mark.parametrize(("prefix", "basename"), RESOURCES)
@pytest.mark.parametrize("expand", [{}, {"expand": "all"}])
def test_list_queries_do_not_grow_with_rows(api_client, dataset, prefix, basename, expand):
    url = reverse(f"api:{basename}-list")
    # Pages whose rows all have the relations a list reads (a relation with no rows is no query).
    few, _ = warm_queries(api_client, url, {"page_size": 100, **expand})
    many, _ = warm_queries(api_client, url, {"page_size": 500, **expand})
    assert few == many


def test_filings_list_queries_at_one_and_a_hundred_rows(api_client, db):
    source = SourceFactory()
    FilingFactory(sources=[source])
    url = reverse("api:filing-list")
    one, _ = warm_queries(api_client, url, {"page_size": 100})
    FilingFactory.create_batch(99, sources=[source])
    hundred, response = warm_queries(api_client, url, {"page_size": 100})
    assert one == hundred
    assert len(response.json()["results"]) == 100


@pytest.mark.parametrize("expand", [{}, {"expand": "all"}])
def test_provisions_list_queries_at_one_and_a_hundred_rows(api_client, db, expand):
    vote = VoteFactory()
    provision = vote.provision
    provision.addressees.set([PartyFactory()])
    ComplianceClaimFactory(provision=provision)
    url = reverse("api:provision-list")
    one, _ = warm_queries(api_client, url, {"page_size": 100, **expand})
    for _ in range(99):
        other = VoteFactory(provision__decision=provision.decision).provision
        other.addressees.set([PartyFactory()])
    hundred, response = warm_queries(api_client, url, {"page_size": 100, **expand})
    assert one == hundred
    assert len(response.json()["results"]) == 100


# --- the JSON renderer ----------------------------------------------------------------------------


AWKWARD = {
    "text": 'Côte d’Ivoire \u2028 line\u2029 para \x00\x1f\x7f \t\n\r\\ "quoted" </script> 日本 😀',
    "numbers": [0, -1, 2**63 - 1, 1.5, 0.1, 1e-05, 1e16, 123456789.125, -0.0],
    "nested": {"true": True, "false": False, "none": None, "empty": [], "tuple": (1, 2)},
}


def drf_bytes(data, **kwargs):
    from rest_framework.renderers import JSONRenderer

    return JSONRenderer().render(data, **kwargs)


@pytest.mark.parametrize(
    "data",
    [
        AWKWARD,
        [AWKWARD, AWKWARD],
        {"big": 2**70},
        {1: "a non-string key"},
        {"when": __import__("datetime").datetime(2023, 2, 22, 10, 0, 0, 123456, tzinfo=__import__("datetime").UTC)},
        {"day": __import__("datetime").date(2023, 2, 22)},
        {"amount": __import__("decimal").Decimal("1.10")},
        None,
        "plain",
    ],
)
def test_orjson_renderer_gives_drf_json_renderers_bytes(data):
    assert OrjsonRenderer().render(data) == drf_bytes(data)


def test_orjson_renderer_refuses_what_drf_refuses():
    from rest_framework.renderers import JSONRenderer

    for bad in ({"nan": float("nan")}, {"inf": float("inf")}):
        with pytest.raises(ValueError):
            JSONRenderer().render(bad)
        with pytest.raises(ValueError):
            OrjsonRenderer().render(bad)


def test_orjson_renderer_indents_as_drf_does():
    media_type = "application/json; indent=4"
    assert OrjsonRenderer().render(AWKWARD, media_type) == drf_bytes(AWKWARD, accepted_media_type=media_type)
