"""Every feed through Thunderbird's parser (ical.js under Node): the instants it reads are
the agenda's, in Accra and across the night New York's clocks go back.

Needs node and `npm ci --prefix tests/calendar_clients`; skipped loudly without them,
failing under CI=true.
"""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from agenda.calendars import session_uid, uid_for
from agenda.models import Deadline, Meeting, Session
from logistics.models import HotelBooking, TravelPlan
from participants.programme import services as programme_services
from tests.agenda.ics import parse, read_with_icaljs

pytestmark = pytest.mark.icaljs


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expected_times(meeting: Meeting) -> dict[str, tuple[str, str | None]]:
    """UID -> (start, end) as the agenda holds them: UTC instants, or dates for all-day."""
    times = {
        uid_for(meeting.uid): (
            meeting.starts_on.isoformat(),
            (meeting.ends_on + dt.timedelta(days=1)).isoformat(),
        )
    }
    for session in Session.objects.filter(meeting=meeting):
        times[session_uid(session)] = (_utc(session.starts_at), _utc(session.ends_at))
    for deadline in Deadline.objects.filter(meeting=meeting):
        times[uid_for(deadline.uid)] = (_utc(deadline.due_at), None)
    for plan in TravelPlan.objects.filter(participant__meeting=meeting):
        for direction, moment in (("arrival", plan.arrival_at), ("departure", plan.departure_at)):
            if moment:
                flight_uid = uid_for(uuid.uuid5(plan.calendar_uid, direction))
                times[flight_uid] = (_utc(moment), _utc(moment + dt.timedelta(minutes=30)))
    for booking in HotelBooking.objects.filter(participant__meeting=meeting):
        times[uid_for(booking.calendar_uid)] = (
            booking.check_in.isoformat(),
            booking.check_out.isoformat(),
        )
    return times


def feed_urls(meeting: Meeting, people) -> list[str]:
    urls = [reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})]
    urls += [
        reverse("agenda:group_ics", kwargs={"slug": meeting.slug, "group_slug": group.slug})
        for group in meeting.working_groups.all()
    ]
    for person in people:
        token = programme_services.ensure_calendar_token(participant=person)
        urls.append(reverse("agenda:personal_ics", kwargs={"slug": meeting.slug, "token": token}))
    return urls


def check_every_feed(client, meeting: Meeting, people) -> int:
    """Each feed read by ical.js: the same events as icalendar, at the agenda's times."""
    expected = expected_times(meeting)
    checked = 0
    for url in feed_urls(meeting, people):
        response = client.get(url)
        assert response.status_code == 200
        read = read_with_icaljs(response.content)
        assert read["method"] == "PUBLISH"
        uids = [str(event["UID"]) for event in parse(response.content).walk("VEVENT")]
        assert sorted(event["uid"] for event in read["events"]) == sorted(uids)
        for event in read["events"]:
            assert (event["uid"], event["start"], event["end"]) == (
                event["uid"],
                *expected[event["uid"]],
            )
            checked += 1
    return checked


def test_icaljs_reads_every_accra_feed_at_the_agendas_times(client, busy_accra):
    meeting = busy_accra["meeting"]
    people = [busy_accra[key] for key in ("expert", "chair", "observer", "other_expert")]
    assert check_every_feed(client, meeting, people) > 20


def test_icaljs_reads_the_new_york_repeated_hour_as_two_instants(client, night_owls):
    meeting = night_owls["meeting"]
    assert check_every_feed(client, meeting, [night_owls["person"]]) == 2 + 4
    token = programme_services.ensure_calendar_token(participant=night_owls["person"])
    url = reverse("agenda:personal_ics", kwargs={"slug": meeting.slug, "token": token})
    events = {
        event["summary"]: event for event in read_with_icaljs(client.get(url).content)["events"]
    }
    assert events["Daylight-time session"]["start"] == "2027-11-07T05:30:00Z"
    assert events["Standard-time session"]["start"] == "2027-11-07T06:30:00Z"
    assert events["Travel details due: EGM Social Integration"]["start"] == "2027-11-07T06:45:00Z"
    assert events["Travel details due: EGM Social Integration"]["end"] is None


def test_icaljs_sees_cancelled_sessions_and_the_calendar_name(client, busy_accra):
    meeting = busy_accra["meeting"]
    read = read_with_icaljs(
        client.get(reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})).content
    )
    closing = [event for event in read["events"] if event["status"] == "CANCELLED"]
    assert [event["summary"] for event in closing] == ["Cancelled: Closing session"]
    assert read["name"] == "EGM Social Integration"
