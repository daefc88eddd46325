"""What calendar clients do with the feeds and attachments: the same instants in every
parser across a clock change, valid deadlines, stable UIDs at our domain, an ORGANIZER on
every event, and titles with line breaks that cannot break a feed."""

import base64
import datetime as dt
import zoneinfo
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from agenda import services
from agenda.calendars import is_ambiguous
from agenda.models import Deadline, DeadlineKind, SessionStatus
from logistics.models import HotelBooking, TravelPlan
from notifications.models import Message
from participants import services as participant_services
from participants.models import Role, Status
from participants.programme import services as programme_services
from tests.agenda.conftest import FIRST_0130, SECOND_0130, at
from tests.agenda.ics import events_by_summary, parse
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    SessionFactory,
    WorkingGroupFactory,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def feed(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def personal_url(participant) -> str:
    token = programme_services.ensure_calendar_token(participant=participant)
    return reverse("agenda:personal_ics", kwargs={"slug": participant.meeting.slug, "token": token})


def every_feed_url(meeting, participants) -> list[str]:
    urls = [reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug})]
    urls += [
        reverse("agenda:group_ics", kwargs={"slug": meeting.slug, "group_slug": group.slug})
        for group in meeting.working_groups.all()
    ]
    return urls + [personal_url(participant) for participant in participants]


def test_the_two_0130s_are_distinct_instants_in_new_york():
    first = FIRST_0130.astimezone(NEW_YORK)
    second = SECOND_0130.astimezone(NEW_YORK)
    assert (f"{first:%H:%M %Z}", f"{second:%H:%M %Z}") == ("01:30 EDT", "01:30 EST")
    # The reason for all this: aware times of one zone compare by the wall clock.
    assert first == second.replace(fold=0)
    assert is_ambiguous(first) and is_ambiguous(second)
    # 02:30 on 14 March 2027 never happens in New York: also not written as local time.
    assert is_ambiguous(dt.datetime(2027, 3, 14, 2, 30, tzinfo=NEW_YORK))
    assert not is_ambiguous(dt.datetime(2027, 11, 7, 9, 0, tzinfo=NEW_YORK))


def test_repeated_hour_sessions_are_written_in_utc_and_read_alike_by_both_parsers(
    client, night_owls
):
    meeting = night_owls["meeting"]
    for url in every_feed_url(meeting, [night_owls["person"]]):
        content = feed(client, url)
        assert b"DTSTART:20271107T053000Z\r\n" in content
        assert b"DTSTART:20271107T063000Z\r\n" in content
        # Times the clocks pass once keep the meeting's zone.
        assert b"DTEND;TZID=America/New_York:20271107T020000\r\n" in content
        events = events_by_summary(parse(content))
        assert events["Daylight-time session"]["DTSTART"].dt == FIRST_0130
        assert events["Standard-time session"]["DTSTART"].dt == SECOND_0130
        assert events["Standard-time session"]["DTEND"].dt.astimezone(dt.UTC) == (
            SECOND_0130 + dt.timedelta(minutes=30)
        )
        strict = {
            event.summary: event
            for event in IcsCalendarStream.calendar_from_ics(content.decode()).events
        }
        assert strict["Daylight-time session"].dtstart.astimezone(dt.UTC) == FIRST_0130
        assert strict["Standard-time session"].dtstart.astimezone(dt.UTC) == SECOND_0130
        assert strict["Standard-time session"].dtend.astimezone(dt.UTC) == (
            SECOND_0130 + dt.timedelta(minutes=30)
        )


def test_deadline_in_the_repeated_hour_is_written_in_utc(client, night_owls):
    content = feed(client, personal_url(night_owls["person"]))
    assert b"DTSTART:20271107T064500Z\r\n" in content
    deadline = events_by_summary(parse(content))["Travel details due: EGM Social Integration"]
    assert deadline["DTSTART"].dt == dt.datetime(2027, 11, 7, 6, 45, tzinfo=dt.UTC)
    assert str(deadline["DESCRIPTION"]).startswith(
        "Send your flights.\nDue Sunday 7 November 2027, 01:45 America/New_York (EST)."
    )


def test_agenda_page_shows_repeated_hour_sessions_in_two_slots_naming_the_offset(
    client, night_owls
):
    meeting = night_owls["meeting"]
    page = client.get(reverse("agenda:agenda", kwargs={"slug": meeting.slug})).content.decode()
    assert page.count('<div class="slot">') == 2
    assert ">01:30 EDT</time>&ndash;<time" in page
    assert ">01:30 EST</time>&ndash;<time" in page
    assert ">01:55 EDT</time>" in page
    assert ">02:00 EST</time>" in page
    assert "times in America/New_York (EDT, then EST)" in page
    # Each session in its own slot, the EDT one first.
    assert page.index("Daylight-time session") < page.index("01:30 EST")
    assert page.index("01:30 EST") < page.index("Standard-time session")


def test_change_email_names_the_abbreviation_of_each_day(accra, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(
        slug="ny-2009",
        time_zone="America/New_York",
        starts_on=dt.date(2009, 10, 31),
        ends_on=dt.date(2009, 11, 3),
    )
    saturday = SessionFactory(
        meeting=meeting, title="Saturday", starts_at=at(meeting, 0, 9), ends_at=at(meeting, 0, 10)
    )
    monday = SessionFactory(
        meeting=meeting, title="Monday", starts_at=at(meeting, 2, 9), ends_at=at(meeting, 2, 10)
    )
    ParticipantFactory(meeting=meeting, status=Status.REGISTERED, email="ny@example.org")
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=saturday, description="Moved upstairs")
        services.update_session(session=monday, description="Moved upstairs")
        programme_services.notify_agenda_changes(meeting_id=meeting.pk)
    text = Message.objects.get(recipient="ny@example.org").body_text
    assert "Saturday 31 October 2009, 09:00 EDT-10:00 EDT" in text
    assert "Monday 2 November 2009, 09:00 EST-10:00 EST" in text


def _zero_length(calendar) -> list[str]:
    return [
        str(event["SUMMARY"])
        for event in calendar.walk("VEVENT")
        if "DTEND" in event and event["DTEND"].dt == event["DTSTART"].dt
    ]


def test_no_event_in_any_feed_ends_when_it_starts(client, busy_accra):
    meeting = busy_accra["meeting"]
    people = [busy_accra[key] for key in ("expert", "chair", "observer")]
    for url in every_feed_url(meeting, people):
        content = feed(client, url)
        assert _zero_length(parse(content)) == []


def test_deadline_is_a_point_in_time_with_short_title_and_alarms(client, busy_accra):
    events = events_by_summary(parse(feed(client, personal_url(busy_accra["expert"]))))
    paper = events["Paper due: EGM Social Integration"]
    assert "DTEND" not in paper and "DURATION" not in paper
    assert paper["DTSTART"].dt.astimezone(dt.UTC) == dt.datetime(
        2009, 11, 5, 23, 59, 59, tzinfo=dt.UTC
    )
    assert [alarm["TRIGGER"].dt for alarm in paper.walk("VALARM")] == [
        -dt.timedelta(days=7),
        -dt.timedelta(days=1),
    ]
    assert str(paper["DESCRIPTION"]).startswith(
        "Expert paper for EGM Social Integration.\nDue Thursday 5 November 2009, 23:59"
    )
    assert paper["SEQUENCE"] == 0


def test_moving_a_deadline_raises_its_sequence_in_the_feed(client, busy_accra):
    expert = busy_accra["expert"]
    deadline = Deadline.objects.get(meeting=busy_accra["meeting"], kind=DeadlineKind.PAPER)
    uid = deadline.uid
    deadline.description = "Five to ten pages."
    services.save_deadline(deadline=deadline)
    assert Deadline.objects.get(pk=deadline.pk).sequence == 0  # the time did not move
    deadline.due_at += dt.timedelta(days=2)
    services.save_deadline(deadline=deadline)
    paper = events_by_summary(parse(feed(client, personal_url(expert))))[
        "Paper due: EGM Social Integration"
    ]
    assert paper["SEQUENCE"] == 1
    assert str(paper["UID"]) == f"{uid}@{urlsplit(settings.SITE_URL).hostname}"
    assert paper["DTSTART"].dt.astimezone(dt.UTC).date() == dt.date(2009, 11, 7)


def test_save_deadline_refuses_a_second_deadline_of_a_kind_and_writes_nothing(busy_accra):
    from django.core.exceptions import ValidationError

    meeting = busy_accra["meeting"]
    before = list(Deadline.objects.values_list("pk", "kind", "due_at", "sequence"))
    duplicate = Deadline(meeting=meeting, kind=DeadlineKind.PAPER, due_at=meeting.starts_at)
    with pytest.raises(ValidationError):
        services.save_deadline(deadline=duplicate)
    assert list(Deadline.objects.values_list("pk", "kind", "due_at", "sequence")) == before


def _uids(calendar) -> list[str]:
    return [str(event["UID"]) for event in calendar.walk("VEVENT")]


def test_uids_are_unique_across_two_meetings_and_at_our_domain(client, busy_accra, settings):
    settings.SITE_URL = "https://egm.example.org"
    other = MeetingFactory(slug="geneva")
    SessionFactory(meeting=other, starts_at=at(other, 0, 9), ends_at=at(other, 0, 10))
    Deadline.objects.create(meeting=other, kind=DeadlineKind.PAPER, due_at=other.starts_at)
    guest = ParticipantFactory(meeting=other, role=Role.EXPERT, status=Status.REGISTERED)
    TravelPlan.objects.create(participant=guest, arrival_flight="LX1", arrival_at=other.starts_at)
    HotelBooking.objects.create(
        participant=guest, check_in=other.starts_on, check_out=other.ends_on
    )
    first = _uids(parse(feed(client, personal_url(busy_accra["expert"]))))
    second = _uids(parse(feed(client, personal_url(guest))))
    # Sessions keep the UIDs they were first published with; the rest are at our domain.
    sessions = [uid for uid in first + second if uid.endswith("@egm-desk")]
    ours = [uid for uid in first + second if uid.endswith("@egm.example.org")]
    assert len(sessions) == 4
    assert len(ours) == len(first) + len(second) - 4 == 10
    assert len(set(first + second)) == len(first) + len(second)
    # Every one is a UUID, not a database id.
    assert all(len(uid.split("@")[0]) == 36 for uid in first + second)


def test_uids_survive_a_rebuild(client, busy_accra):
    url = personal_url(busy_accra["expert"])
    before = _uids(parse(feed(client, url)))
    services.update_session(session=busy_accra["opening"], title="Opening and welcome")
    assert _uids(parse(feed(client, url))) == before


def test_every_event_names_the_meetings_contact_as_organizer(client, busy_accra):
    meeting = busy_accra["meeting"]
    meeting.contact_name = "Keiko Hanazawa, DSPD"
    meeting.save()
    people = [busy_accra["expert"]]
    for url in every_feed_url(meeting, people):
        calendar = parse(feed(client, url))
        for event in calendar.walk("VEVENT"):
            assert str(event["ORGANIZER"]) == "mailto:secretariat@example.org"
            assert event["ORGANIZER"].params["CN"] == "Keiko Hanazawa, DSPD"


def test_invitation_attaches_the_meeting_published_as_in_the_personal_feed(
    client, db, django_capture_on_commit_callbacks
):
    from tests.participants.support import future_meeting

    meeting = future_meeting()
    invitee = ParticipantFactory(meeting=meeting, role=Role.EXPERT, email="new@example.org")
    participant_services.invite_participants(
        meeting=meeting, participant_ids=[invitee.pk], sent_by=None
    )
    message = Message.objects.get(recipient="new@example.org")
    (attachment,) = message.attachments
    content = base64.b64decode(attachment["content_b64"])
    assert b"METHOD:PUBLISH\r\n" in content
    attached = parse(content)
    assert str(attached["METHOD"]) == "PUBLISH"
    (event,) = attached.walk("VEVENT")
    assert "ATTENDEE" not in event
    assert str(event["ORGANIZER"]) == "mailto:secretariat@example.org"
    # Subscribed to the personal feed too, the calendar holds one meeting event, not two.
    in_feed = events_by_summary(parse(feed(client, personal_url(invitee))))[meeting.title]
    assert (str(in_feed["UID"]), in_feed["SEQUENCE"]) == (str(event["UID"]), event["SEQUENCE"])
    assert in_feed["DTSTART"].dt == event["DTSTART"].dt == meeting.starts_on


def test_change_email_attachment_is_published_with_the_feeds_uid_and_sequence(
    client, accra, django_capture_on_commit_callbacks
):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["opening"], title="Opening of the meeting")
        programme_services.notify_agenda_changes(meeting_id=meeting.pk)
    mail = Message.objects.get(recipient="observer@example.org")
    attached = parse(base64.b64decode(mail.attachments[0]["content_b64"]))
    assert str(attached["METHOD"]) == "PUBLISH"
    (event,) = attached.walk("VEVENT")
    in_feed = events_by_summary(parse(feed(client, personal_url(accra["observer"]))))[
        "Opening of the meeting"
    ]
    assert (str(event["UID"]), event["SEQUENCE"]) == (str(in_feed["UID"]), in_feed["SEQUENCE"])


def test_cancelled_session_keeps_status_and_says_so_in_its_title(client, busy_accra):
    meeting = busy_accra["meeting"]
    content = feed(client, reverse("agenda:agenda_ics", kwargs={"slug": meeting.slug}))
    closing = events_by_summary(parse(content))["Cancelled: Closing session"]
    assert str(closing["STATUS"]) == "CANCELLED"
    assert busy_accra["closing"].__class__.objects.get(pk=busy_accra["closing"].pk).status == (
        SessionStatus.CANCELLED
    )


def test_line_breaks_in_titles_and_names_are_escaped_in_every_feed(client, db):
    meeting = MeetingFactory(
        slug="crlf",
        title="Social\r\nIntegration",
        short_title="EGM\r\nX-INJECTED:1",
        contact_name='Keiko\rHanazawa\n"DSPD"',
    )
    group = WorkingGroupFactory(meeting=meeting, name="Youth\r\nX-INJECTED:2", slug="youth")
    SessionFactory(
        meeting=meeting,
        title="Opening\rEND:VEVENT",
        working_group=group,
        starts_at=at(meeting, 0, 9),
        ends_at=at(meeting, 0, 10),
    )
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=meeting.starts_at,
        description="Line one\r\nX-INJECTED:3",
    )
    person = ParticipantFactory(
        meeting=meeting, role=Role.EXPERT, status=Status.REGISTERED, working_group=group
    )
    names = []
    for url in every_feed_url(meeting, [person]):
        content = feed(client, url)
        lines = content.split(b"\r\n")
        assert not [line for line in lines if line.startswith(b"X-INJECTED")]
        assert content.replace(b"\r\n", b"").count(b"\n") == 0
        assert content.replace(b"\r\n", b"").count(b"\r") == 0
        calendar = parse(content)
        names.append(str(calendar["X-WR-CALNAME"]))
        for event in calendar.walk("VEVENT"):
            assert event["ORGANIZER"].params["CN"] == "Keiko Hanazawa 'DSPD'"
    assert names == [
        "EGM X-INJECTED:1",
        "EGM X-INJECTED:1: Youth X-INJECTED:2",
        "EGM X-INJECTED:1: my agenda",
    ]
    events = events_by_summary(parse(feed(client, personal_url(person))))
    assert "Opening\nEND:VEVENT (Youth\nX-INJECTED:2)" in events
    assert "Social\nIntegration" in events


def test_invitation_names_the_abbreviation_that_holds_on_its_deadline_day(db):
    import time_machine

    with time_machine.travel(dt.datetime(2027, 9, 1, 12, tzinfo=dt.UTC), tick=False):
        meeting = MeetingFactory(
            slug="ny-invite",
            time_zone="America/New_York",
            starts_on=dt.date(2027, 11, 15),
            ends_on=dt.date(2027, 11, 17),
        )
        Deadline.objects.create(
            meeting=meeting,
            kind=DeadlineKind.REGISTRATION,
            due_at=meeting.end_of_day(dt.date(2027, 10, 20)),
        )
        invitee = ParticipantFactory(meeting=meeting, role=Role.EXPERT, email="ny@example.org")
        participant_services.invite_participants(
            meeting=meeting, participant_ids=[invitee.pk], sent_by=None
        )
    message = Message.objects.get(recipient="ny@example.org")
    text, html = (" ".join(body.split()) for body in (message.body_text, message.body_html))
    # The meeting's days are in EST; the answer is due while New York is still on EDT.
    assert "(times in America/New_York (EST))" in text
    assert "by 20 October 2027, 23:59 America/New_York (EDT)." in text
    assert "It works until 20 October 2027, 23:59 America/New_York (EDT)." in html
