"""The audit log: every organiser action on a participant, a registration, a paper, a message
or a reminder rule leaves an entry with who, when, and the values before and after; it is
shown on the record's organiser page and cannot be edited from the site."""

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse

from agenda import audit
from notifications.models import Message, MessageStatus, ReminderRule
from participants.importing import import_participants
from participants.models import Paper, Participant, Registration, ReviewStatus, Status
from tests.factories import MessageFactory, RegistrationFactory, UserFactory

from .papers.test_views import give_paper
from .support import (  # noqa: F401
    accepted,
    clear_cache,
    future_meeting,
    organiser_of,
    registration_details,
)

pytestmark = pytest.mark.django_db
EXPERT = "expert"


def _participant_page(meeting, participant):
    return reverse(
        "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )


def _latest(history):
    return history.order_by("-history_date", "-history_id").first()


def test_organiser_status_change_is_recorded_with_who_and_before_after(client):
    meeting = future_meeting()
    participant = accepted(meeting)
    organiser = organiser_of(meeting)
    client.force_login(organiser)

    client.post(
        reverse("participant:organise_status", kwargs={"slug": meeting.slug, "pk": participant.pk}),
        {"to_status": Status.CANCELLED, "note": "Cannot travel", "confirmed": "True"},
    )

    latest = _latest(participant.history.all())
    before = latest.prev_record
    assert latest.history_user == organiser
    assert (before.status, latest.status) == (Status.ACCEPTED, Status.CANCELLED)
    assert latest.history_change_reason == "Cannot travel"


def test_participant_page_shows_the_history_section(client):
    meeting = future_meeting()
    participant = accepted(meeting)
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    client.post(
        reverse("participant:organise_status", kwargs={"slug": meeting.slug, "pk": participant.pk}),
        {"to_status": Status.CANCELLED, "note": "", "confirmed": "True"},
    )

    page = client.get(_participant_page(meeting, participant)).content.decode()

    assert '<h2 id="history-heading">History</h2>' in page
    assert f'<td data-label="Who">{organiser.email}</td>' in page
    assert "<li>Status: Accepted &rarr; Cancelled</li>" in page


def test_sending_invitations_is_recorded_for_the_organiser(client):
    meeting = future_meeting()
    organiser = organiser_of(meeting)
    participant = Participant.objects.create(
        meeting=meeting,
        email="ama@example.org",
        given_name="Ama",
        family_name="Owusu",
        role="expert",
    )
    client.force_login(organiser)

    client.post(
        reverse("participant:invite", kwargs={"slug": meeting.slug}),
        {"participant": [participant.pk]},
    )

    latest = _latest(participant.history.all())
    assert latest.history_user == organiser
    assert (latest.prev_record.status, latest.status) == (Status.NOT_INVITED, Status.INVITED)
    assert "token" not in [field.name for field in latest.tracked_fields if "token" in field.name]


def test_organiser_registration_edit_is_recorded_without_the_passport_number(client):
    meeting = future_meeting()
    participant = accepted(meeting)
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    url = reverse(
        "participant:organise_registration", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )
    details = registration_details(meeting, consent_listed=None, consent_publish_papers=None)
    client.post(url, details)

    client.post(url, {**details, "passport_number": "P7654321", "dietary_needs": "Halal"})

    latest = _latest(Registration.history.filter(participant_id=participant.pk))
    assert latest.history_user == organiser
    assert (latest.prev_record.dietary_needs, latest.dietary_needs) == ("Vegetarian", "Halal")
    assert latest.history_change_reason == (
        "Changed: passport number (values not kept in the history)"
    )
    field_names = {field.name for field in Registration.history.model._meta.fields}
    assert {"passport_number", "date_of_birth", "emergency_contact_phone"} & field_names == set()
    page = client.get(_participant_page(meeting, participant)).content.decode()
    assert "<li>Dietary needs: Vegetarian &rarr; Halal</li>" in page
    history_part = page[page.index('id="history-heading"') :]
    assert "P7654321" not in history_part and "G1234567" not in history_part


def test_paper_review_is_recorded_and_shown_on_the_review_page(client, expert, organiser):
    paper = give_paper(expert).paper
    client.force_login(organiser)
    url = reverse("papers:review", kwargs={"slug": expert.meeting.slug, "paper_id": paper.pk})

    client.post(url, {"review_status": "needs_revision", "note": "Add references."})

    latest = _latest(Paper.history.filter(id=paper.pk))
    assert latest.history_user == organiser
    assert (latest.prev_record.review_status, latest.review_status) == (
        ReviewStatus.RECEIVED,
        ReviewStatus.NEEDS_REVISION,
    )
    page = client.get(url).content.decode()
    assert "<li>Review status: Received &rarr; Needs revision</li>" in page
    assert "<li>Review note: - &rarr; Add references.</li>" in page


def test_paper_request_change_is_recorded(client, expert, organiser):
    client.force_login(organiser)

    client.post(
        reverse("papers:request", kwargs={"slug": expert.meeting.slug, "pk": expert.pk}),
        {"requested": "no"},
    )

    latest = _latest(expert.history.all())
    assert latest.history_user == organiser
    assert (latest.prev_record.paper_requested, latest.paper_requested) == (None, False)


def test_cancelling_a_message_in_the_admin_is_recorded(client, meeting, organiser):
    organiser.is_staff = True
    organiser.save()
    organiser.user_permissions.add(*_permissions("notifications", "message"))
    message = MessageFactory(meeting=meeting)
    client.force_login(organiser)

    client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "cancel_messages", "_selected_action": [message.pk]},
    )

    latest = _latest(Message.history.filter(id=message.pk))
    assert latest.history_user == organiser
    assert (latest.prev_record.status, latest.status) == (
        MessageStatus.QUEUED,
        MessageStatus.CANCELLED,
    )
    assert latest.history_change_reason == "Cancelled"
    field_names = {field.name for field in Message.history.model._meta.fields}
    assert {"body_text", "body_html", "attachments"} & field_names == set()


def test_changing_a_reminder_rule_in_the_admin_is_recorded(client, meeting, organiser):
    organiser.is_staff = True
    organiser.save()
    organiser.user_permissions.add(*_permissions("notifications", "reminderrule"))
    deadline = meeting.deadlines.get()
    client.force_login(organiser)
    # Before the deadline, as a rule must be: its sending times may not lie in the past.
    with time_machine.travel(deadline.due_at - dt.timedelta(days=30)):
        rule = ReminderRule.objects.create(
            deadline=deadline,
            name="Papers",
            audience="paper_missing",
            offsets=[{"days": 7, "time": "08:00"}],
            subject_template="Your paper",
            body_template="Dear {{ name }}",
        )
        response = client.post(
            reverse("admin:notifications_reminderrule_change", args=[rule.pk]),
            {
                "deadline": deadline.pk,
                "name": "Papers",
                "audience": "paper_missing",
                "offsets_text": "3d 08:00",
                "subject_template": "Your paper",
                "body_template": "Dear {{ name }}",
                "is_active": "on",
            },
        )

    assert response.status_code == 302
    latest = _latest(ReminderRule.history.filter(id=rule.pk))
    assert latest.history_user == organiser
    assert (latest.prev_record.offsets, latest.offsets) == (
        [{"days": 7, "time": "08:00"}],
        [{"days": 3, "time": "08:00"}],
    )


def test_history_cannot_be_edited_from_the_site(settings):
    registered = {model._meta.label for model in admin.site._registry}
    historical = {
        Participant.history.model._meta.label,
        Registration.history.model._meta.label,
        Paper.history.model._meta.label,
        Message.history.model._meta.label,
        ReminderRule.history.model._meta.label,
    }
    assert registered & historical == set()
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_entries_name_the_system_when_no_one_acted(meeting):
    participant = Participant.objects.create(
        meeting=meeting,
        email="ama@example.org",
        given_name="Ama",
        family_name="Owusu",
        role="expert",
    )

    [entry] = audit.entries(participant.history.all())

    assert (entry.who, entry.record, entry.action) == ("system", "Participant", "Created")
    assert audit.Change("Given name", "-", "Ama") in entry.changes


def _permissions(app_label: str, model: str):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)


def test_organiser_of_another_meeting_does_not_see_the_history(client):
    meeting = future_meeting()
    participant = accepted(meeting)
    outsider = UserFactory()
    future_meeting().organisers.add(outsider)
    client.force_login(outsider)

    response = client.get(_participant_page(meeting, participant))

    assert response.status_code == 404


def _admin_registration_post(client, registration, **changes):
    url = reverse("admin:participants_registration_change", args=[registration.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(participant=registration.participant.pk, **changes)
    return client.post(url, data)


def test_admin_registration_edit_names_a_changed_passport_number_without_its_value(client):
    registration = RegistrationFactory(passport_number="A07731942")
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    response = _admin_registration_post(client, registration, passport_number="B1122334")

    assert response.status_code == 302
    latest = _latest(Registration.history.filter(id=registration.pk))
    assert latest.history_user == admin_user
    assert latest.history_change_reason == (
        "Changed: passport number (values not kept in the history)"
    )


def test_admin_refuses_a_blank_passport_number_and_keeps_the_old_one(client):
    registration = RegistrationFactory(passport_number="A07731942")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = _admin_registration_post(client, registration, passport_number="")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["passport_number"] == [
        "This field is required."
    ]
    registration.refresh_from_db()
    assert registration.passport_number == "A07731942"


def test_importing_the_invitee_list_is_recorded(meeting):
    Participant.objects.create(
        meeting=meeting, email="kojo@example.org", given_name="Kojo", family_name="Asante",
        role=EXPERT,
    )  # fmt: skip
    data = (
        b"Given name,Family name,Email,Role,Organisation\n"
        b"Ama,Owusu,ama@example.org,Expert,University of Ghana\n"
        b"Kojo,Asante,kojo@example.org,Expert,Ashesi University\n"
    )

    import_participants(meeting=meeting, data=data, filename="invitees.csv")

    ama = Participant.objects.get(email="ama@example.org")
    [created] = ama.history.all()
    assert (created.history_type, created.history_change_reason) == (
        "+",
        "Imported from the invitee list",
    )
    kojo = _latest(Participant.history.filter(email="kojo@example.org"))
    assert (kojo.prev_record.organisation, kojo.organisation) == (
        "",
        "Ashesi University",
    )
    assert kojo.history_change_reason == "Updated from the invitee list"


def test_a_change_of_a_field_kept_out_of_the_history_shows_no_empty_entry(meeting):
    participant = Participant.objects.create(
        meeting=meeting, email="ama@example.org", given_name="Ama", family_name="Owusu", role=EXPERT
    )
    participant.calendar_token = "a-new-secret-token"
    participant.save()

    assert [entry.action for entry in audit.entries(participant.history.all())] == ["Created"]
