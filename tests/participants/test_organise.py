"""Organiser actions on participants: send invitations, change status, the timeline."""

import logging

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import RoleQuota
from notifications.models import Message
from participants import services
from participants.admin import actions as admin_actions
from participants.models import Participant, Role, Status, StatusChange
from tests.celery_broker import unreachable_broker
from tests.factories import ParticipantFactory

from .support import accepted, clear_cache, future_meeting, invited, organiser_of  # noqa: F401

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _invite_url(meeting):
    return reverse("participant:invite", kwargs={"slug": meeting.slug})


def test_organiser_sends_invitations_from_the_tracker_form(client):
    meeting = future_meeting()
    chosen = ParticipantFactory.create_batch(2, meeting=meeting)
    left_out = ParticipantFactory(meeting=meeting)
    client.force_login(organiser_of(meeting))

    response = client.post(_invite_url(meeting), {"participant": [p.pk for p in chosen]})

    assert response.status_code == 302
    assert response["Location"] == f"/m/{meeting.slug}/organise/participants/"
    assert sorted(Message.objects.values_list("recipient", flat=True)) == sorted(
        p.email for p in chosen
    )
    left_out.refresh_from_db()
    assert left_out.status == Status.NOT_INVITED
    assert _messages(response) == ["Invitations queued: 2."]


@pytest.mark.django_db(transaction=True)
def test_invitations_sent_while_the_broker_is_down_are_saved_and_said_queued(client, caplog):
    # A real commit: the view's transaction hands the tasks to the broker as it ends.
    # Whatever level the root logger is at, the outbox's warnings are what this test reads.
    caplog.set_level(logging.WARNING, logger="notifications.outbox")
    meeting = future_meeting()
    chosen = ParticipantFactory.create_batch(2, meeting=meeting)
    client.force_login(organiser_of(meeting))

    with unreachable_broker():
        response = client.post(_invite_url(meeting), {"participant": [p.pk for p in chosen]})

    assert response.status_code == 302
    assert _messages(response) == ["Invitations queued: 2."]
    assert sorted(Message.objects.values_list("recipient", "status", "dispatched_at")) == sorted(
        (p.email, "queued", None) for p in chosen
    )
    assert [r.levelname for r in caplog.records if r.name == "notifications.outbox"] == [
        "WARNING",
        "WARNING",
    ]
    assert {p.status for p in Participant.objects.filter(pk__in=[p.pk for p in chosen])} == {
        Status.INVITED
    }


def test_organiser_double_click_sends_once_and_says_why(client):
    meeting = future_meeting()
    participant = ParticipantFactory(meeting=meeting)
    client.force_login(organiser_of(meeting))
    client.post(_invite_url(meeting), {"participant": [participant.pk]})
    response = client.post(_invite_url(meeting), {"participant": [participant.pk]})
    assert Message.objects.count() == 1
    assert _messages(response)[-1] == f"Not sent to {participant.full_name}: already invited."


def test_organiser_resend_sends_reminder(client):
    meeting = future_meeting()
    participant, token = invited(meeting)
    client.force_login(organiser_of(meeting))
    client.post(_invite_url(meeting), {"participant": [participant.pk], "resend": "on"})
    reminder = Message.objects.get(kind="participants.invitation_reminder")
    assert token in reminder.body_text


def test_invite_with_no_participant_chosen_writes_nothing(client):
    meeting = future_meeting()
    client.force_login(organiser_of(meeting))
    response = client.post(_invite_url(meeting), {})
    assert _messages(response) == ["Choose at least one participant to invite."]
    assert Message.objects.count() == 0


def test_invite_with_participant_of_another_meeting_is_refused(client):
    meeting = future_meeting()
    stranger = ParticipantFactory(meeting=future_meeting())
    client.force_login(organiser_of(meeting))
    response = client.post(_invite_url(meeting), {"participant": [stranger.pk]})
    assert _messages(response)[0].startswith("Select a valid choice.")
    stranger.refresh_from_db()
    assert stranger.status == Status.NOT_INVITED
    assert Message.objects.count() == 0


def test_tracker_row_offers_the_action_its_status_allows(client):
    meeting = future_meeting()
    fresh = ParticipantFactory(meeting=meeting, family_name="Fresh")
    waiting, _ = invited(meeting, family_name="Waiting")
    done = accepted(meeting, family_name="Done")
    client.force_login(organiser_of(meeting))

    html = client.get(reverse("participants:tracker", kwargs={"slug": meeting.slug})).text

    assert f'name="invite_one" value="{fresh.pk}"' in html
    assert f'name="remind_one" value="{waiting.pk}"' in html
    assert f'_one" value="{done.pk}"' not in html
    for person in (fresh, waiting, done):
        page = reverse(
            "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": person.pk}
        )
        assert f'href="{page}"' in html


def test_tracker_row_invite_button_invites_that_row_only(client):
    meeting = future_meeting()
    row, ticked = ParticipantFactory.create_batch(2, meeting=meeting)
    client.force_login(organiser_of(meeting))

    response = client.post(
        _invite_url(meeting), {"participant": [ticked.pk], "invite_one": str(row.pk)}
    )

    assert list(Message.objects.values_list("recipient", flat=True)) == [row.email]
    ticked.refresh_from_db()
    assert ticked.status == Status.NOT_INVITED
    assert _messages(response) == ["Invitations queued: 1."]


def test_tracker_row_resend_button_reminds_with_the_same_link(client):
    meeting = future_meeting()
    participant, token = invited(meeting)
    client.force_login(organiser_of(meeting))

    client.post(_invite_url(meeting), {"remind_one": str(participant.pk)})
    client.post(_invite_url(meeting), {"remind_one": str(participant.pk)})

    reminders = Message.objects.filter(kind="participants.invitation_reminder")
    assert [token in message.body_text for message in reminders] == [True]


def test_tracker_row_button_for_another_meetings_participant_sends_nothing(client):
    meeting = future_meeting()
    stranger = ParticipantFactory(meeting=future_meeting())
    client.force_login(organiser_of(meeting))

    response = client.post(_invite_url(meeting), {"invite_one": str(stranger.pk)})

    assert _messages(response)[0].startswith("Select a valid choice.")
    assert Message.objects.count() == 0


def test_invite_view_refuses_get(client):
    meeting = future_meeting()
    client.force_login(organiser_of(meeting))
    assert client.get(_invite_url(meeting)).status_code == 405


def _admin_request(rf, user):
    request = rf.post("/admin/participants/participant/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_admin_action_sends_invitations_only_for_organised_meetings(rf):
    mine = future_meeting()
    others = future_meeting()
    organiser = organiser_of(mine)
    ParticipantFactory.create_batch(2, meeting=mine)
    ParticipantFactory(meeting=others)
    model_admin = admin.ModelAdmin(Participant, admin.site)
    request = _admin_request(rf, organiser)

    admin_actions.send_invitations(model_admin, request, Participant.objects.all())

    assert Message.objects.filter(meeting=mine).count() == 2
    assert Message.objects.filter(meeting=others).count() == 0
    texts = [str(m) for m in get_messages(request)]
    assert f"Not sent for {others}: you do not organise that meeting." in texts


def test_admin_resend_action_reminds(rf):
    meeting = future_meeting()
    invited(meeting)
    model_admin = admin.ModelAdmin(Participant, admin.site)
    admin_actions.resend_invitations(
        model_admin, _admin_request(rf, organiser_of(meeting)), Participant.objects.all()
    )
    assert Message.objects.filter(kind="participants.invitation_reminder").count() == 1


def test_status_change_records_who_and_when(client):
    participant = accepted()
    meeting = participant.meeting
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    url = reverse(
        "participant:organise_status", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )
    client.post(url, {"to_status": Status.CANCELLED, "note": "Visa refused", "confirmed": "True"})
    participant.refresh_from_db()
    change = participant.status_changes.last()
    assert participant.status == Status.CANCELLED
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        Status.ACCEPTED,
        Status.CANCELLED,
        organiser,
        "Visa refused",
    )
    assert participant.status_changed_at == change.changed_at


def _status_url(participant):
    return reverse(
        "participant:organise_status",
        kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
    )


def test_new_status_menu_starts_empty(client):
    participant = accepted()
    client.force_login(organiser_of(participant.meeting))
    response = client.get(
        reverse(
            "participant:organise_participant",
            kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
        )
    )
    choices = response.context["status_form"].fields["to_status"].choices
    assert choices[0] == ("", "Choose a status")
    assert '<option value="" selected>Choose a status</option>' in response.content.decode()


def test_status_change_without_a_choice_is_refused_and_nothing_written(client):
    participant = accepted()
    client.force_login(organiser_of(participant.meeting))
    response = client.post(_status_url(participant), {"to_status": ""}, follow=True)
    participant.refresh_from_db()
    assert "Choose the new status." in response.content.decode()
    assert participant.status == Status.ACCEPTED
    assert participant.status_changes.count() == 2


@pytest.mark.parametrize("to_status", [Status.CANCELLED, Status.DECLINED])
def test_destructive_status_change_asks_to_confirm_first(client, to_status):
    participant = accepted(given_name="Ama", family_name="Mensah")
    client.force_login(organiser_of(participant.meeting))

    response = client.post(_status_url(participant), {"to_status": to_status, "note": "Asked"})

    participant.refresh_from_db()
    assert response.status_code == 200
    assert participant.status == Status.ACCEPTED
    assert participant.status_changes.count() == 2
    page = response.content.decode()
    assert f"as {to_status.label.lower()}?</h1>" in page
    assert f'<input type="hidden" name="to_status" value="{to_status.value}">' in page
    assert '<input type="hidden" name="note" value="Asked">' in page
    assert '<input type="hidden" name="confirmed" value="True">' in page

    client.post(
        _status_url(participant), {"to_status": to_status, "note": "Asked", "confirmed": "True"}
    )
    participant.refresh_from_db()
    assert participant.status == to_status
    assert participant.status_changes.last().note == "Asked"


def test_non_destructive_status_change_needs_no_confirmation(client):
    participant, _ = invited()
    client.force_login(organiser_of(participant.meeting))
    response = client.post(_status_url(participant), {"to_status": Status.ACCEPTED})
    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.status == Status.ACCEPTED


def test_status_change_not_allowed_is_refused_and_nothing_written(client):
    participant = ParticipantFactory(meeting=future_meeting())
    meeting = participant.meeting
    client.force_login(organiser_of(meeting))
    url = reverse(
        "participant:organise_status", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )
    response = client.post(url, {"to_status": Status.ATTENDED}, follow=True)
    participant.refresh_from_db()
    assert "Select a valid choice." in response.content.decode()
    assert participant.status == Status.NOT_INVITED
    assert StatusChange.objects.count() == 0


def test_change_status_service_refuses_invalid_transition():
    participant = ParticipantFactory(meeting=future_meeting())
    with pytest.raises(ValidationError) as error:
        services.change_status(
            participant=participant, to_status=Status.REGISTERED, changed_by=None
        )
    assert error.value.messages == [
        "A participant who is not yet invited cannot become registered."
    ]
    assert StatusChange.objects.count() == 0


def test_admitting_from_waiting_list_respects_the_quota(client):
    meeting = future_meeting()
    RoleQuota.objects.create(meeting=meeting, role=Role.EXPERT, limit=1)
    seated = accepted(meeting, role=Role.EXPERT)
    waiting = accepted(meeting, role=Role.EXPERT)
    organiser = organiser_of(meeting)
    assert waiting.status == Status.WAITLISTED
    with pytest.raises(ValidationError):
        services.set_status(participant=waiting, to_status=Status.ACCEPTED, changed_by=organiser)
    services.cancel_participation(participant=seated, changed_by=organiser)
    admitted = services.set_status(
        participant=waiting, to_status=Status.ACCEPTED, changed_by=organiser
    )
    assert admitted.status == Status.ACCEPTED


def test_participant_detail_page_shows_waiting_list(client):
    meeting = future_meeting(capacity=0)
    participant = accepted(meeting)
    client.force_login(organiser_of(meeting))
    page = client.get(
        reverse(
            "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": participant.pk}
        )
    )
    assert page.status_code == 200
    assert "Waiting list" in page.content.decode()


def _detail_queries(client, participant, django_assert_num_queries, count):
    url = reverse(
        "participant:organise_participant",
        kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
    )
    with django_assert_num_queries(count):
        response = client.get(url)
    return response


def test_participant_detail_queries_do_not_grow_with_the_timeline(
    client, django_assert_num_queries
):
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    short = accepted(meeting)
    long = accepted(meeting)
    for _ in range(4):
        services.cancel_participation(participant=long, changed_by=organiser)
        services.set_status(participant=long, to_status=Status.ACCEPTED, changed_by=organiser)
    client.force_login(organiser)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as baseline:
        client.get(
            reverse(
                "participant:organise_participant",
                kwargs={"slug": meeting.slug, "pk": short.pk},
            )
        )
    response = _detail_queries(client, long, django_assert_num_queries, len(baseline))
    assert response.status_code == 200
    assert long.status_changes.count() == 10
