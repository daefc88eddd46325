"""Subscribed feeds refresh well and cheaply: ETag and Last-Modified on every feed, 304 with
no body for a current copy, the refresh interval in the calendar, proxies allowed to keep
public feeds only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils.http import http_date

from agenda import services
from agenda.models import Deadline, DeadlineKind
from participants.programme import services as programme_services
from tests.agenda.ics import parse


def personal_url(participant) -> str:
    token = programme_services.ensure_calendar_token(participant=participant)
    return reverse("agenda:personal_ics", kwargs={"slug": participant.meeting.slug, "token": token})


def urls(accra) -> dict[str, str]:
    slug = accra["meeting"].slug
    return {
        "meeting": reverse("agenda:agenda_ics", kwargs={"slug": slug}),
        "group": reverse("agenda:group_ics", kwargs={"slug": slug, "group_slug": "youth"}),
        "personal": personal_url(accra["expert"]),
    }


@pytest.mark.parametrize("feed", ["meeting", "group", "personal"])
def test_feed_answers_a_matching_if_none_match_with_304_and_no_body(client, accra, feed):
    url = urls(accra)[feed]
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]


@pytest.mark.parametrize("feed", ["meeting", "group", "personal"])
def test_feed_answers_if_modified_since_its_last_modified_with_304(client, accra, feed):
    url = urls(accra)[feed]
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    assert again.content == b""
    older = http_date(
        dt.datetime.strptime(first["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
        .replace(tzinfo=dt.UTC)
        .timestamp()
        - 1
    )
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


@pytest.mark.parametrize("feed", ["meeting", "group", "personal"])
def test_a_programme_change_makes_the_old_copy_stale(client, accra, feed):
    url = urls(accra)[feed]
    first = client.get(url)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        services.update_session(session=accra["opening"], title="Opening and welcome")
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == 200
    assert by_date.status_code == 200
    assert b"Opening and welcome" in by_etag.content
    assert by_etag["ETag"] != first["ETag"]
    assert by_etag["Last-Modified"] != first["Last-Modified"]


def test_a_moved_deadline_makes_the_personal_copy_stale(client, accra):
    meeting = accra["meeting"]
    deadline = Deadline.objects.create(
        meeting=meeting, kind=DeadlineKind.PAPER, due_at=meeting.end_of_day(dt.date(2009, 11, 5))
    )
    url = personal_url(accra["expert"])
    first = client.get(url)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        deadline.due_at += dt.timedelta(days=1)
        services.save_deadline(deadline=deadline)
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert (by_etag.status_code, by_date.status_code) == (200, 200)


def test_public_feeds_may_be_kept_by_proxies_personal_ones_not(client, accra):
    found = {name: client.get(url) for name, url in urls(accra).items()}
    assert found["meeting"]["Cache-Control"] == "public, max-age=3600"
    assert found["group"]["Cache-Control"] == "public, max-age=3600"
    assert found["personal"]["Cache-Control"] == "private, max-age=3600"
    assert found["personal"]["Referrer-Policy"] == "no-referrer"


def test_feeds_ask_to_be_fetched_again_every_hour(client, accra):
    for url in urls(accra).values():
        content = client.get(url).content
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
        assert b"X-PUBLISHED-TTL:PT1H\r\n" in content
        calendar = parse(content)
        assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
        assert str(calendar["METHOD"]) == "PUBLISH"


def test_feeds_refresh_faster_during_the_meeting_and_as_the_meeting_sets(client, accra):
    meeting = accra["meeting"]
    meeting.feed_refresh_minutes = 120
    meeting.feed_refresh_minutes_during_meeting = 10
    meeting.save()
    url = reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})
    # A week before: the meeting's usual interval.
    with time_machine.travel(dt.datetime(2009, 11, 10, 12, tzinfo=dt.UTC), tick=False):
        before = client.get(url)
    # The day before (arrivals) to the last day: the short one.
    with time_machine.travel(dt.datetime(2009, 11, 16, 12, tzinfo=dt.UTC), tick=False):
        during = client.get(url)
    with time_machine.travel(dt.datetime(2009, 11, 19, 23, tzinfo=dt.UTC), tick=False):
        last_day = client.get(url)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT2H\r\n" in before.content
    assert before["Cache-Control"] == "public, max-age=7200"
    for response in (during, last_day):
        assert b"REFRESH-INTERVAL;VALUE=DURATION:PT10M\r\n" in response.content
        assert b"X-PUBLISHED-TTL:PT10M\r\n" in response.content
        assert response["Cache-Control"] == "public, max-age=600"
    # The interval in the feed changed with no edit: an old copy is stale.
    assert during["ETag"] != before["ETag"]


def test_feed_answers_304_without_building_the_feed(client, accra, django_assert_max_num_queries):
    url = urls(accra)["meeting"]
    etag = client.get(url)["ETag"]
    with django_assert_max_num_queries(2):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_refresh_intervals_below_five_minutes_are_refused(accra):
    from django.core.exceptions import ValidationError

    meeting = accra["meeting"]
    meeting.feed_refresh_minutes_during_meeting = 1
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "feed_refresh_minutes_during_meeting" in error.value.message_dict
