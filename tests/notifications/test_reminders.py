"""Reminder rules: refused offsets, broken templates, audiences, idempotent dispatch."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError

from agenda.models import DeadlineKind
from logistics.models import Letter, LetterKind, LetterRequest, TravelPlan
from notifications import reminders
from notifications.models import (
    Message,
    MessageStatus,
    ReminderAudience,
    ReminderFiring,
    ReminderRule,
)
from notifications.tasks import dispatch_reminders, send_message, send_messages
from participants.models import Status
from tests.factories import DeadlineFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

ACCRA = zoneinfo.ZoneInfo("Africa/Accra")
MADE = dt.datetime(2009, 10, 1, 9, 0, tzinfo=ACCRA)


def at(month, day, hour, minute=0):
    return dt.datetime(2009, month, day, hour, minute, tzinfo=ACCRA)


@pytest.fixture
def deadline():
    return DeadlineFactory(kind=DeadlineKind.PAPER)


def make_rule(deadline, *, audience=ReminderAudience.PAPER_MISSING, offsets=None, **fields):
    subject, body = reminders.default_templates(audience)
    with time_machine.travel(MADE, tick=False):
        return reminders.save_rule(
            deadline=deadline,
            name="Paper reminders",
            audience=audience,
            offsets=offsets or reminders.PAPER_DEFAULT_OFFSETS,
            subject_template=fields.pop("subject_template", subject),
            body_template=fields.pop("body_template", body),
            **fields,
        )


def expert(deadline, **fields):
    return ParticipantFactory(meeting=deadline.meeting, status=Status.REGISTERED, **fields)


def test_parse_offsets_text_reads_days_and_times():
    assert reminders.parse_offsets_text("14d 08:00, 7 days at 8:30; 2d\n0d 08:00") == [
        {"days": 14, "time": "08:00"},
        {"days": 7, "time": "08:30"},
        {"days": 2, "time": ""},
        {"days": 0, "time": "08:00"},
    ]


def test_parse_offsets_text_refuses_what_it_cannot_read():
    with pytest.raises(ValidationError) as error:
        reminders.parse_offsets_text("7d 08:00, next week")

    assert error.value.messages == [
        "'next week' is not an offset: write days before and an optional time, such as "
        "'7d 08:00' (0d is the deadline's day)."
    ]


def test_paper_defaults_fire_at_eight_in_the_meetings_zone(deadline):
    rule = make_rule(deadline)

    assert [at_ for _, at_ in reminders.schedule(rule)] == [
        at(10, 22, 8), at(10, 29, 8), at(11, 3, 8), at(11, 5, 8)
    ]  # fmt: skip


def test_a_rule_sending_after_the_deadline_is_refused_with_the_reason():
    deadline = DeadlineFactory(kind=DeadlineKind.PAPER, due_at=at(11, 5, 17))

    with pytest.raises(ValidationError) as error:
        make_rule(deadline, offsets=[{"days": 0, "time": "18:00"}, {"days": 0, "time": ""}])

    assert error.value.message_dict == {
        "offsets": [
            "The reminder on the day, at 18:00 would go Thursday 5 November 2009, 18:00 "
            "Africa/Accra (GMT), not before the deadline (Thursday 5 November 2009, 17:00 "
            "Africa/Accra (GMT)).",
            "The reminder at the due time would go Thursday 5 November 2009, 17:00 "
            "Africa/Accra (GMT), not before the deadline (Thursday 5 November 2009, 17:00 "
            "Africa/Accra (GMT)).",
        ]
    }
    assert ReminderRule.objects.count() == 0


def test_a_rule_sending_before_it_was_made_is_refused_with_the_reason(deadline):
    with pytest.raises(ValidationError) as error:
        make_rule(deadline, offsets=[{"days": 40, "time": "08:00"}, {"days": 7, "time": "08:00"}])

    assert error.value.message_dict == {
        "offsets": [
            "The reminder 40 days before, at 08:00 would go Saturday 26 September 2009, 08:00 "
            "Africa/Accra (GMT), before the rule was made (Thursday 1 October 2009, 09:00 "
            "Africa/Accra (GMT))."
        ]
    }
    assert ReminderRule.objects.count() == 0


def test_a_template_that_does_not_compile_is_refused(deadline):
    with pytest.raises(ValidationError) as error:
        make_rule(deadline, body_template="Dear {{ name }}, {% if %}")

    assert error.value.message_dict == {
        "body_template": ["The template does not render: Unexpected end of expression in if tag."]
    }
    assert ReminderRule.objects.count() == 0


def test_a_template_that_fails_to_render_fails_the_preview_and_sends_nothing(deadline):
    expert(deadline)
    rule = make_rule(deadline)
    # Written past the form (in the database): a tag that fails only when rendered.
    ReminderRule.objects.filter(pk=rule.pk).update(
        body_template="Dear {{ name }}, {% url 'no-such-page' %}"
    )
    rule.refresh_from_db()

    with time_machine.travel(at(10, 22, 8), tick=False):
        preview = reminders.preview(rule)
        result = reminders.dispatch_due()

    assert preview.error == (
        "The template does not render: NoReverseMatch: Reverse for 'no-such-page' not found. "
        "'no-such-page' is not a valid view function or pattern name."
    )
    assert preview.sample is None
    assert [(failed.pk, error) for failed, error in result.errors] == [(rule.pk, preview.error)]
    assert Message.objects.count() == 0
    assert ReminderFiring.objects.count() == 0


def test_a_participant_with_an_invalid_address_fails_alone(deadline):
    good = expert(deadline, email="ama@example.org")
    expert(deadline, email="not an address")
    make_rule(deadline)

    with time_machine.travel(at(10, 22, 8), tick=False):
        reminders.dispatch_due()
        for message in Message.objects.filter(status=MessageStatus.QUEUED):
            send_message.apply(args=[message.pk])

    assert sorted(Message.objects.values_list("recipient", "status", "last_error")) == [
        (good.email, MessageStatus.SENT, ""),
        (
            "not an address",
            MessageStatus.FAILED,
            "Not sent: 'not an address' is not a valid email address.",
        ),
    ]
    assert ReminderFiring.objects.get().note == "1 not sent: invalid address."


def test_overlapping_runs_send_once(deadline):
    expert(deadline)
    expert(deadline)
    make_rule(deadline)

    with time_machine.travel(at(10, 22, 8, 5), tick=False):
        cache.add(reminders.LOCK_KEY, "another run", 60)
        while_locked = reminders.dispatch_due()
        cache.delete(reminders.LOCK_KEY)
        first = dispatch_reminders.apply().get()
        second = dispatch_reminders.apply().get()

    assert while_locked.locked is True
    assert (first, second) == (1, 0)
    assert Message.objects.count() == 2
    assert ReminderFiring.objects.count() == 1


def test_nothing_is_sent_after_the_deadline(deadline):
    expert(deadline)
    make_rule(deadline)

    with time_machine.travel(at(11, 6, 8), tick=False):
        result = reminders.dispatch_due()

    assert (result.fired, Message.objects.count()) == ([], 0)


def test_a_queued_reminder_is_cancelled_once_the_deadline_has_passed(deadline):
    expert(deadline)
    make_rule(deadline)
    with time_machine.travel(at(11, 5, 8), tick=False):
        reminders.dispatch_due()

    with time_machine.travel(at(11, 6, 0), tick=False):
        send_message.apply(args=[Message.objects.get().pk])

    assert list(Message.objects.values_list("status", "last_error")) == [
        (MessageStatus.CANCELLED, "Cancelled at send time: the deadline has passed.")
    ]


def test_audiences_name_exactly_who_owes(deadline):
    meeting = deadline.meeting
    invited = ParticipantFactory(meeting=meeting, status=Status.INVITED)
    accepted = ParticipantFactory(meeting=meeting, status=Status.ACCEPTED)
    registered = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
    travelling = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
    TravelPlan.objects.create(participant=travelling, arrival_at=at(11, 16, 14))
    # Asked for a visa letter and still waiting; another has theirs in force.
    revoked = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
    LetterRequest.objects.create(participant=revoked, requested_at=at(10, 1, 9))
    served = ParticipantFactory(meeting=meeting, status=Status.REGISTERED)
    TravelPlan.objects.create(participant=served, arrival_at=at(11, 16, 10))
    LetterRequest.objects.create(participant=served, requested_at=at(10, 1, 9))
    Letter.objects.create(
        participant=served,
        meeting=meeting,
        kind=LetterKind.VISA,
        number=1,
        reference="EGM/1",
        embassy="Embassy of Ghana",
        verification_code="abc",
        issued_at=at(10, 2, 9),
    )
    ParticipantFactory(meeting=meeting, status=Status.DECLINED)
    observer = ParticipantFactory(meeting=meeting, status=Status.REGISTERED, role="observer")
    meeting.deadlines.all().update(roles=[])

    def who(audience, **fields):
        rule = ReminderRule(deadline=deadline, audience=audience, offsets=[], **fields)
        rule.deadline.refresh_from_db()
        return {p.pk for p in reminders.audience(rule, now=at(10, 22, 8))}

    assert who(ReminderAudience.NOT_ANSWERED) == {invited.pk}
    assert who(ReminderAudience.NOT_REGISTERED) == {accepted.pk}
    assert who(ReminderAudience.NO_TRAVEL_DETAILS) == {registered.pk, revoked.pk, observer.pk}
    assert who(ReminderAudience.VISA_LETTER_PENDING) == {revoked.pk}
    assert who(ReminderAudience.PAPER_MISSING) == {
        accepted.pk, registered.pk, travelling.pk, revoked.pk, served.pk
    }  # fmt: skip


def test_remind_selected_sends_to_those_who_still_owe_once_a_day(deadline):
    owes = expert(deadline, email="owes@example.org")
    done = expert(deadline, email="done@example.org", paper_requested=False)
    rule = make_rule(deadline)

    with time_machine.travel(at(10, 25, 10), tick=False):
        fan_out, not_owed = reminders.remind_selected(rule=rule, participant_ids=[owes.pk, done.pk])
        again, _ = reminders.remind_selected(rule=rule, participant_ids=[owes.pk, done.pk])

    assert [message.recipient for message in fan_out.queued] == ["owes@example.org"]
    assert not_owed == [done]
    assert (again.queued, again.existing) == ([], 1)
    assert Message.objects.get().idempotency_key == (
        f"reminder:{rule.pk}:manual20091025:{owes.pk}:{int(deadline.due_at.timestamp())}"
    )


def test_next_firing_names_the_next_offset_and_the_recipients(deadline):
    owes = expert(deadline)
    rule = make_rule(deadline)
    with time_machine.travel(at(10, 22, 8), tick=False):
        reminders.dispatch_due()

    with time_machine.travel(at(10, 23, 12), tick=False):
        result = reminders.preview(rule)

    assert (result.next_offset.label, result.next_at) == ("7 days before, at 08:00", at(10, 29, 8))
    assert result.recipients == [owes]
    assert result.error == ""


def test_after_downtime_the_next_sending_is_the_latest_missed_offset_now(deadline):
    expert(deadline)
    rule = make_rule(deadline)

    with time_machine.travel(at(10, 30, 12), tick=False):
        offset, when = reminders.next_firing(rule, now=at(10, 30, 12))
        result = reminders.dispatch_due()

    assert (offset.label, when) == ("7 days before, at 08:00", at(10, 30, 12))
    assert [(f.offset, f.status, f.note) for f in result.skipped + result.fired] == [
        (
            "14d@0800",
            "skipped",
            "Missed while reminders were not running; the later reminder "
            "(7 days before, at 08:00) went instead, once.",
        ),
        ("7d@0800", "sent", ""),
    ]
    assert Message.objects.count() == 1
    assert [reminders.label_for_key(key) for key in ("14d@0800", "2d", "manual20091025")] == [
        "14 days before, at 08:00",
        "2 days before the due time",
        "sent by hand",
    ]


def test_a_batch_of_reminders_cancels_only_whoever_no_longer_owes(
    deadline, django_assert_num_queries
):
    people = [expert(deadline) for _ in range(12)]
    make_rule(deadline)
    with time_machine.travel(at(10, 22, 8), tick=False):
        reminders.dispatch_due()
        people[4].status = Status.CANCELLED  # between queueing and sending
        people[4].save(update_fields=["status"])
        messages = list(Message.objects.order_by("pk"))
        # The send-time question for the whole batch: the rule, then who still owes.
        with django_assert_num_queries(2):
            reasons = reminders.reasons_not_to_send(messages)
        send_messages.apply(args=[[message.pk for message in messages]])

    cancelled = Message.objects.get(recipient=people[4].email)
    assert reasons == {cancelled.pk: cancelled.last_error}
    assert cancelled.last_error == (
        "Cancelled at send time: no longer owed (experts who accepted and have no on-time "
        "paper no longer includes this participant)."
    )
    assert (
        sorted(Message.objects.values_list("status", flat=True))
        == [MessageStatus.CANCELLED] + [MessageStatus.SENT] * 11
    )
