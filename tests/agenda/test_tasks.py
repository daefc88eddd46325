"""Changes to an announced agenda reach the people they affect: one email per batch."""

import base64

from agenda import services
from agenda.models import AgendaChange
from notifications.models import Message
from participants import tasks
from participants.programme import services as programme
from tests.agenda.conftest import at
from tests.agenda.ics import events_by_summary, parse


def test_no_mail_before_the_agenda_is_announced(accra, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["opening"], title="Opening")
        tasks.notify_agenda_changes.apply()
    assert Message.objects.count() == 0


def test_one_email_per_person_per_batch(accra, django_capture_on_commit_callbacks):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["opening"], title="Opening of the meeting")
        services.update_session(
            session=accra["opening"], starts_at=at(meeting, 0, 8, 30), ends_at=at(meeting, 0, 10)
        )
        services.update_session(session=accra["youth_session"], description="Room changed")
        tasks.notify_agenda_changes.apply()
        tasks.notify_agenda_changes.apply()
    # The opening is a plenary: every seat holder; the youth session adds nobody new.
    recipients = sorted(Message.objects.values_list("recipient", flat=True))
    assert recipients == [
        "chair@example.org",
        "expert@example.org",
        "observer@example.org",
        "other@example.org",
    ]
    assert AgendaChange.objects.filter(notified_at__isnull=True).count() == 0


def test_change_email_attaches_the_persons_changed_sessions(
    accra, django_capture_on_commit_callbacks
):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["opening"], title="Opening of the meeting")
        services.cancel_session(session=accra["youth_session"])
        tasks.notify_agenda_changes.apply(kwargs={"meeting_id": meeting.pk})
    expert_mail = Message.objects.get(recipient="expert@example.org")
    observer_mail = Message.objects.get(recipient="observer@example.org")
    assert expert_mail.subject == "Agenda changes: EGM Social Integration"
    assert "Cancelled: Youth inclusion (CANCELLED)" in expert_mail.body_text
    assert "17 November 2009, 09:00 GMT-10:30 GMT" in expert_mail.body_text
    assert "the feed asks for that every hour" in expert_mail.body_text
    assert "already up to date" not in expert_mail.body_text
    (attachment,) = expert_mail.attachments
    assert attachment["mimetype"] == "text/calendar"
    calendar = parse(base64.b64decode(attachment["content_b64"]))
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = events_by_summary(calendar)
    # Only the changed events: not the closing, not the meeting, no deadline.
    assert sorted(events) == [
        "Cancelled: Youth inclusion (Youth and employment)",
        "Opening of the meeting",
    ]
    youth = events["Cancelled: Youth inclusion (Youth and employment)"]
    assert (str(youth["STATUS"]), youth["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(youth["UID"]) == f"{accra['youth_session'].uid}@egm-desk"
    observer_events = events_by_summary(
        parse(base64.b64decode(observer_mail.attachments[0]["content_b64"]))
    )
    assert sorted(observer_events) == ["Opening of the meeting"]


def test_a_later_change_makes_a_second_batch(accra, django_capture_on_commit_callbacks):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=accra["ageing_session"])
        tasks.notify_agenda_changes.apply()
        services.update_session(session=accra["ageing_session"], title="Ageing (cancelled)")
        tasks.notify_agenda_changes.apply()
    # Group members with a seat and the chair; nobody else.
    recipients = sorted(Message.objects.values_list("recipient", flat=True))
    assert recipients == [
        "chair@example.org",
        "chair@example.org",
        "other@example.org",
        "other@example.org",
    ]
    assert len(set(Message.objects.values_list("idempotency_key", flat=True))) == 4


def test_beat_run_mails_every_meeting_with_pending_changes(
    accra, django_capture_on_commit_callbacks
):
    from tests.factories import MeetingFactory, ParticipantFactory, SessionFactory

    other = MeetingFactory(slug="geneva")
    session = SessionFactory(meeting=other)
    ParticipantFactory(meeting=other, status="accepted", email="geneva@example.org")
    services.announce_agenda(meeting=accra["meeting"])
    services.announce_agenda(meeting=other)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=accra["ageing_session"])
        services.update_session(session=accra["ageing_session"], description="Moved")
        services.cancel_session(session=session)
        result = tasks.notify_agenda_changes.apply()
    assert result.get() == 3
    assert sorted(Message.objects.values_list("recipient", flat=True)) == [
        "chair@example.org",
        "geneva@example.org",
        "other@example.org",
    ]


def _mail_events(recipient: str) -> dict:
    mail = Message.objects.get(recipient=recipient)
    return events_by_summary(parse(base64.b64decode(mail.attachments[0]["content_b64"])))


def test_person_whose_part_is_removed_is_mailed_the_session_as_cancelled(
    accra, django_capture_on_commit_callbacks
):
    from participants.models import SessionRole

    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    role = SessionRole.objects.get(session=accra["ageing_session"], participant=accra["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        programme.remove_part(role=role)
        tasks.notify_agenda_changes.apply()
    # The chair (not in the ageing group) is told, as is the group's member.
    recipients = sorted(Message.objects.values_list("recipient", flat=True))
    assert recipients == ["chair@example.org", "other@example.org"]
    chair_mail = Message.objects.get(recipient="chair@example.org")
    assert "No longer on your agenda: Ageing societies" in chair_mail.body_text
    event = _mail_events("chair@example.org")[
        "No longer on your agenda: Ageing societies (Older persons)"
    ]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(_mail_events("other@example.org")["Ageing societies (Older persons)"]["STATUS"]) == (
        "CONFIRMED"
    )


def test_session_moved_to_another_group_reaches_old_and_new_members(
    accra, django_capture_on_commit_callbacks
):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["ageing_session"], working_group=accra["youth"])
        tasks.notify_agenda_changes.apply()
    recipients = sorted(Message.objects.values_list("recipient", flat=True))
    assert recipients == ["chair@example.org", "expert@example.org", "other@example.org"]
    old_member = Message.objects.get(recipient="other@example.org")
    assert "No longer on your agenda: Ageing societies" in old_member.body_text
    moved = "Ageing societies (Youth and employment)"
    dropped = _mail_events("other@example.org")[f"No longer on your agenda: {moved}"]
    assert str(dropped["STATUS"]) == "CANCELLED"
    assert str(_mail_events("expert@example.org")[moved]["STATUS"]) == "CONFIRMED"


def test_participant_moved_to_another_group_is_mailed_both_groups_sessions(
    accra, django_capture_on_commit_callbacks
):
    meeting = accra["meeting"]
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        programme.set_working_group(participant=accra["other_expert"], working_group=accra["youth"])
        tasks.notify_agenda_changes.apply()
    # Only the person who moved: the groups' sessions did not change for anyone else.
    assert list(Message.objects.values_list("recipient", flat=True)) == ["other@example.org"]
    mail = Message.objects.get()
    assert "No longer on your agenda: Ageing societies" in mail.body_text
    assert "Changed: Youth inclusion" in mail.body_text
    events = _mail_events("other@example.org")
    dropped = events["No longer on your agenda: Ageing societies (Older persons)"]
    assert str(dropped["STATUS"]) == "CANCELLED"
    assert str(events["Youth inclusion (Youth and employment)"]["STATUS"]) == "CONFIRMED"


def test_moving_a_participant_before_the_announcement_mails_nobody(
    accra, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        programme.set_working_group(participant=accra["other_expert"], working_group=accra["youth"])
        tasks.notify_agenda_changes.apply()
    assert Message.objects.count() == 0
    assert AgendaChange.objects.count() == 0


def test_change_email_subject_and_text_keep_the_meeting_title_unescaped(
    accra, django_capture_on_commit_callbacks
):
    meeting = accra["meeting"]
    meeting.title = meeting.short_title = "Tom & Jerry <x>"
    meeting.save(update_fields=["title", "short_title"])
    services.announce_agenda(meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=accra["opening"], title="Opening of the meeting")
        tasks.notify_agenda_changes.apply(kwargs={"meeting_id": meeting.pk})

    message = Message.objects.get(recipient="expert@example.org")
    assert message.subject == "Agenda changes: Tom & Jerry <x>"
    assert "The agenda of Tom & Jerry <x> has changed." in message.body_text
    assert "<strong>Tom &amp; Jerry &lt;x&gt;</strong>" in message.body_html
