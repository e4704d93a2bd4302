"""Nothing lost, no 500: plausible dates, printable text, deletes that keep the record whole."""

import datetime
import json

import feedparser
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import Event, Hearing
from core.models import CitedError
from core.validators import FUTURE_YEARS, today
from dataset.load import DatasetError, load_dataset
from decisions.models import Decision
from filings.models import Filing
from sources.models import Source
from tests.dataset_sample import sample_copy, write_sample
from tests.factories import (
    CaseFactory,
    DecisionFactory,
    EventFactory,
    FilingFactory,
    PartyFactory,
    PersonFactory,
    ProvisionFactory,
    SourceFactory,
    VoteFactory,
    filing_payload,
    mirror_cases_world,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


@pytest.fixture
def superuser():
    return User.objects.create_superuser("chief", "chief@example.org", "a long enough password")


@pytest.fixture
def token_client(superuser):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser).key}")
    return client


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def etag(client, url):
    return client.get(url)["ETag"]


# --- 1. plausible dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("filed_on", "0023-01-01"),
        ("filed_on", "1945-06-25"),
        ("filed_on", "9999-12-31"),
        ("due_on", "9999-12-31"),
        ("due_on", "0001-01-01"),
    ],
)
def test_implausible_dates_are_a_400_on_the_field(token_client, field, value):
    response = token_client.post(reverse("api:filing-list"), filing_payload(**{field: value}), format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert value in str(response.json()[field])
    assert not Filing.objects.exists()


def test_a_time_limit_may_lie_ahead_but_not_decades_ahead(token_client):
    url = reverse("api:filing-list")
    soon = (today() + datetime.timedelta(days=2 * 365)).isoformat()
    far = today().replace(year=today().year + FUTURE_YEARS + 1).isoformat()

    assert token_client.post(url, filing_payload(due_on=soon, filed_on=None), format="json").status_code == 201
    refused = token_client.post(url, filing_payload(slug="far", due_on=far, filed_on=None), format="json")
    assert refused.status_code == 400
    assert "due_on" in refused.json()


def test_a_date_something_happened_cannot_lie_ahead(token_client):
    tomorrow_but_one = today() + datetime.timedelta(days=3)
    refused = token_client.post(
        reverse("api:filing-list"), filing_payload(filed_on=tomorrow_but_one.isoformat()), format="json"
    )
    assert refused.status_code == 400
    assert "filed_on" in refused.json()
    # Tomorrow is still today somewhere.
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    assert (
        token_client.post(reverse("api:filing-list"), filing_payload(filed_on=tomorrow), format="json").status_code
        == 201
    )


def test_implausible_dates_are_refused_by_the_model_for_the_loader():
    decision = DecisionFactory()
    decision.decided_on = datetime.date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        decision.full_clean()
    assert set(refused.value.message_dict) == {"decided_on"}

    case = CaseFactory()
    case.instituted_on = datetime.date(23, 1, 1)
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    assert "instituted_on" in refused.value.message_dict

    # A source may be older than the Court (a treaty), though not a typo's year 23.
    source = SourceFactory()
    source.published_on = datetime.date(1928, 9, 26)
    source.full_clean()
    source.published_on = datetime.date(23, 9, 26)
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "published_on" in refused.value.message_dict


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("filed_on", "0023-01-01", "before the Statute of the Court"),
        ("filed_on", "9999-12-31", "in the future"),
        ("title", "Request\u000b for provisional measures", "U+000B"),
    ],
)
def test_the_loader_refuses_implausible_dates_and_control_characters(tmp_path, field, value, says):
    files = sample_copy()
    files["cases/900.json"]["filings"][0][field] = value

    with pytest.raises(DatasetError) as refused:
        load_dataset([write_sample(tmp_path, files)])

    assert "filings[0] (2022-12-28-request)" in str(refused.value)
    assert field in str(refused.value) and says in str(refused.value)
    assert not Filing.objects.exists()


def test_the_earliest_real_dates_are_accepted():
    case = CaseFactory(instituted_on=datetime.date(1947, 5, 22))
    case.full_clean()
    FilingFactory(case=case, filed_on=datetime.date(1945, 6, 26), kind="application").full_clean()


def test_the_admin_refuses_an_implausible_date_on_the_field(admin_client):
    source = SourceFactory()
    url = reverse("admin:sources_source_change", args=[source.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        title="Order of 22 February 2023", kind=source.kind, key=source.key, url=source.url, published_on="0023-02-22"
    )
    data["loaded_version"] = source.version

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "published_on" in errors, errors
    source.refresh_from_db()
    assert source.published_on == datetime.date(2023, 2, 22)


# --- pages and calendars never overflow whatever is stored ---------------------------------------


@pytest.mark.parametrize("extreme", [datetime.date(9999, 12, 31), datetime.date(1, 1, 1)])
def test_pages_and_calendars_survive_extreme_stored_dates(client, extreme):
    world = mirror_cases_world(1)
    case = world["case"]
    # Written as rows stored before the check, or by raw SQL: no validation runs.
    Filing.objects.filter(case=case).update(filed_on=extreme, due_on=extreme)
    Hearing.objects.filter(case=case).update(starts_on=min(extreme, datetime.date(2023, 1, 1)), ends_on=extreme)
    Event.objects.update(starts_on=extreme, ends_on=None)
    Decision.objects.filter(case=case).update(decided_on=extreme)

    for url in (
        reverse("case-detail", args=[180]),
        reverse("case-detail", args=[181]),
        reverse("case-mirror", args=[180, 181]),
        reverse("case-mirror", args=[181, 180]),
        reverse("feed", args=["all"]),
        reverse("case-feed", args=[180, "all"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url

    for url in (reverse("calendar"), reverse("case-calendar", args=[180])):
        response = client.get(url)
        assert response.status_code == 200, url
        events = list(Calendar.from_ical(response.content).walk("VEVENT"))
        assert events
        for event in events:
            assert event.decoded("DTEND") >= event.decoded("DTSTART")


def test_timeline_axis_keeps_to_the_drawable_range():
    from pages.timeline import build_timeline, drawable_range
    from proceedings.items import DatedItem

    lowest, highest = drawable_range()
    items = [
        DatedItem("event", None, datetime.date(1, 1, 1), "From the beginning", "#", end=datetime.date(9999, 12, 31)),
        DatedItem("filing", None, datetime.date(9999, 12, 31), "At the end", "#"),
    ]
    timeline = build_timeline([(None, items)])

    assert timeline.start >= lowest - datetime.timedelta(days=4000)
    assert timeline.end <= highest + datetime.timedelta(days=4000)
    assert 2 <= len(timeline.ticks) <= 25


# --- 2. text: control characters and surrogates ----------------------------------------------------


@pytest.mark.parametrize("bad", ["a\u000bb", "a\x00b", "a\x1bb", "a\x7fb", "a\x85b", "a\ud800b"])
def test_control_characters_are_refused_on_write(token_client, bad):
    # json.dumps escapes them all (a lone surrogate as \\ud800), as a client's JSON would.
    body = json.dumps(filing_payload(title=bad))
    response = token_client.post(reverse("api:filing-list"), body, content_type="application/json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert not Filing.objects.exists()


def test_tabs_and_line_breaks_are_text(token_client):
    response = token_client.post(
        reverse("api:filing-list"), filing_payload(summary="First line.\r\nSecond\tline."), format="json"
    )
    assert response.status_code == 201


def test_control_characters_and_surrogates_are_refused_by_the_model():
    source = SourceFactory()
    source.title = "a\x0bb"
    source.excerpt = "lone \ud800 half"
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert {"title", "excerpt"} <= set(refused.value.message_dict)
    assert "U+000B" in str(refused.value.message_dict["title"])


def test_the_admin_refuses_control_characters_on_the_field(admin_client):
    source = SourceFactory()
    url = reverse("admin:sources_source_change", args=[source.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(title="Order\x0b of 22 February 2023", kind=source.kind, key=source.key, url=source.url)
    data["published_on"] = "2023-02-22"
    data["loaded_version"] = source.version

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors


def test_feeds_and_calendars_never_carry_stored_control_characters(client):
    world = mirror_cases_world(1)
    Filing.objects.update(title="Bad\x0btitle", summary="Bad\x01summary", due_on=datetime.date(2023, 5, 1))
    Decision.objects.update(title="Order\x0b of 22 February 2023", summary="a\x1bb")
    Hearing.objects.update(summary="Sittings\x0c held")
    world["case"].__class__.objects.filter(pk=world["case"].pk).update(short_title="Armenia\x08 v. Azerbaijan")

    for url in (reverse("feed", args=["all"]), reverse("case-feed", args=[180, "all"])):
        response = client.get(url)
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert any("Badtitle" in entry.title or "Order of" in entry.title for entry in feed.entries)
        assert b"\x0b" not in response.content and b"\x08" not in response.content

    for url in (reverse("calendar"), reverse("case-calendar", args=[180])):
        response = client.get(url)
        assert response.status_code == 200
        assert not any(byte in response.content for byte in (b"\x0b", b"\x0c", b"\x08", b"\x01"))
        assert list(Calendar.from_ical(response.content).walk("VEVENT"))


# --- 3. deletes keep the record whole ---------------------------------------------------------------


def test_deleting_a_cited_source_is_a_409_naming_the_citers(token_client):
    source = SourceFactory(key="icj-order-180-20230222")
    decision = DecisionFactory(sources=[source], title="Order of 22 February 2023")
    for _ in range(4):
        FilingFactory(case=decision.case, sources=[source])
    url = reverse("api:source-detail", args=[source.pk])

    response = token_client.delete(url, HTTP_IF_MATCH=etag(token_client, url))

    assert response.status_code == 409
    message = response.json()["detail"]
    assert "Source 'icj-order-180-20230222' is cited by 5 records" in message
    assert f"Decision 'Order of 22 February 2023 (No. {decision.case.general_list_number})'" in message
    assert Source.objects.filter(pk=source.pk).exists()
    assert list(decision.sources.all()) == [source]


def test_deleting_a_filing_a_decision_responds_to_is_a_409(token_client):
    filing = FilingFactory()
    decision = DecisionFactory(case=filing.case)
    decision.responds_to.add(filing)
    url = reverse("api:filing-detail", args=[filing.pk])

    response = token_client.delete(url, HTTP_IF_MATCH=etag(token_client, url))

    assert response.status_code == 409
    assert "Decision 'Order of 22 February 2023" in response.json()["detail"]
    assert list(decision.responds_to.all()) == [filing]


def test_deleting_an_addressed_party_or_a_judge_who_voted_is_a_409(token_client):
    party = PartyFactory(code="AZE", short_name="Azerbaijan")
    provision = ProvisionFactory()
    provision.addressees.add(party)
    judge = PersonFactory(name="Joan E. Donoghue")
    VoteFactory(judge=judge)

    for obj, basename in ((party, "party"), (judge, "person")):
        url = reverse(f"api:{basename}-detail", args=[obj.pk])
        response = token_client.delete(url, HTTP_IF_MATCH=etag(token_client, url))
        assert response.status_code == 409, response.json()
        assert "is cited by" in response.json()["detail"]
    assert list(provision.addressees.all()) == [party]


def test_an_uncited_source_can_be_deleted(token_client):
    source = SourceFactory()
    url = reverse("api:source-detail", args=[source.pk])

    assert token_client.delete(url, HTTP_IF_MATCH=etag(token_client, url)).status_code == 204
    assert not Source.objects.filter(pk=source.pk).exists()


def test_a_case_an_event_bears_on_cannot_be_deleted():
    case = CaseFactory()
    EventFactory(cases=[case])
    with pytest.raises(CitedError, match="Event"):
        case.delete()


def test_the_admin_refuses_to_delete_a_cited_source(admin_client):
    source = SourceFactory(key="icj-order-180-20230222")
    decision = DecisionFactory(sources=[source])
    url = reverse("admin:sources_source_delete", args=[source.pk])

    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Source &#x27;icj-order-180-20230222&#x27; is cited by 1 record" in text
    assert str(decision.title) in text
    assert reverse("admin:decisions_decision_change", args=[decision.pk]) in text

    refused = admin_client.post(url, {"post": "yes"})
    assert refused.status_code == 200
    assert Source.objects.filter(pk=source.pk).exists()
    assert list(decision.sources.all()) == [source]


def test_the_admin_bulk_delete_refuses_cited_sources(admin_client):
    cited, uncited = SourceFactory(), SourceFactory()
    DecisionFactory(sources=[cited])

    response = admin_client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "delete_selected", "_selected_action": [cited.pk, uncited.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "is cited by 1 record" in response.content.decode()
    assert Source.objects.filter(pk__in=[cited.pk, uncited.pk]).count() == 2


def test_history_records_many_to_many_changes(token_client):
    first, second = SourceFactory(), SourceFactory()
    filing = FilingFactory()
    decision = DecisionFactory(case=filing.case, sources=[first])
    url = reverse("api:decision-detail", args=[decision.pk])

    response = token_client.patch(
        url, {"sources": [second.pk], "responds_to": [filing.pk]}, format="json", HTTP_IF_MATCH=etag(token_client, url)
    )
    assert response.status_code == 200, response.json()

    latest, *older = decision.history.order_by("-history_date", "-history_id")
    assert [row.source_id for row in latest.sources.all()] == [second.pk]
    assert [row.filing_id for row in latest.responds_to.all()] == [filing.pk]
    before = next(h for h in older if [row.source_id for row in h.sources.all()] == [first.pk])
    changed = {change.field for change in latest.diff_against(before).changes}
    assert {"sources", "responds_to"} <= changed


def test_history_records_addressees_and_event_cases():
    party = PartyFactory()
    provision = ProvisionFactory()
    provision.addressees.set([party])
    assert [row.party_id for row in provision.history.latest().addressees.all()] == [party.pk]
    case = CaseFactory()
    event = EventFactory(cases=[case])
    assert [row.case_id for row in event.history.latest().cases.all()] == [case.pk]


def test_one_write_is_one_history_row_with_its_sources(token_client):
    response = token_client.post(reverse("api:filing-list"), filing_payload(), format="json")
    assert response.status_code == 201

    record = Filing.objects.get(pk=response.json()["id"]).history.get()
    assert record.history_type == "+"
    assert [row.source_id for row in record.sources.all()] == [s["id"] for s in response.json()["sources"]]


def test_a_later_citation_is_a_history_row_of_its_own_even_from_the_cited_side():
    decision = DecisionFactory()
    before = decision.history.count()
    source = SourceFactory()

    Decision.objects.get(pk=decision.pk).sources.add(source)
    assert decision.history.count() == before + 1
    Source.objects.get(pk=source.pk).decisions_decision_set.remove(decision)

    assert decision.history.count() == before + 2
    assert source.history.count() == 1
    latest, added = decision.history.order_by("-history_date", "-history_id")[:2]
    assert source.pk in [row.source_id for row in added.sources.all()]
    assert source.pk not in [row.source_id for row in latest.sources.all()]


def test_a_stale_if_match_cannot_delete(token_client):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    stale = etag(token_client, url)
    assert token_client.patch(url, {"title": "Edited"}, format="json", HTTP_IF_MATCH=stale).status_code == 200

    assert token_client.delete(url, HTTP_IF_MATCH=stale).status_code == 412
    assert Filing.objects.filter(pk=filing.pk).exists()


def test_an_edit_meanwhile_makes_the_delete_412(token_client, monkeypatch):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    read = etag(token_client, url)
    from core.api import conditional

    original = conditional.expected_version

    def edit_meanwhile(request, current):
        version = original(request, current)
        Filing.objects.filter(pk=filing.pk).update(version=current + 1, title="Someone else")
        return version

    monkeypatch.setattr(conditional, "expected_version", edit_meanwhile)

    assert token_client.delete(url, HTTP_IF_MATCH=read).status_code == 412
    filing.refresh_from_db()
    assert filing.title == "Someone else"


def test_a_delete_meanwhile_makes_the_update_412(token_client, monkeypatch):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    read = etag(token_client, url)
    from core.api import conditional

    original = conditional.expected_version

    def delete_meanwhile(request, current):
        version = original(request, current)
        Filing.objects.filter(pk=filing.pk).delete()
        return version

    monkeypatch.setattr(conditional, "expected_version", delete_meanwhile)

    response = token_client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 412
    assert "deleted" in response.json()["detail"]
    assert not Filing.objects.filter(pk=filing.pk).exists()
