"""Registering after accepting: saving, the passport rule, deadlines, double submission."""

import datetime as dt
import logging

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from agenda.models import Deadline, DeadlineKind
from participants import portal, services
from participants.models import Registration, Role, Status, StatusChange
from tests.factories import ParticipantFactory, UserFactory

from .support import (  # noqa: F401
    accepted,
    clear_cache,
    future_meeting,
    invited,
    organiser_of,
    registration_details,
)

pytestmark = pytest.mark.django_db


def _url(meeting):
    return reverse("participant:registration", kwargs={"slug": meeting.slug})


def _close_registration(meeting):
    Deadline.objects.filter(meeting=meeting, kind=DeadlineKind.REGISTRATION).update(
        due_at=timezone.now() - dt.timedelta(minutes=1)
    )


def _signed_in(client, participant):
    client.force_login(participant.user)
    return client


def test_register_saves_details_and_completes_registration(client):
    participant = accepted()
    meeting = participant.meeting
    response = _signed_in(client, participant).post(_url(meeting), registration_details(meeting))
    participant.refresh_from_db()
    registration = Registration.objects.get(participant=participant)
    assert response.status_code == 302
    assert participant.status == Status.REGISTERED
    assert participant.registered_at is not None
    assert registration.passport_number == "G1234567"
    assert registration.passport_name == "AMA SERWAA MENSAH"
    assert registration.date_of_birth == dt.date(1970, 4, 2)
    assert registration.consent_listed is True
    assert registration.updated_by == participant.user
    change = participant.status_changes.last()
    assert (change.from_status, change.to_status) == (Status.ACCEPTED, Status.REGISTERED)


def test_first_registration_form_starts_from_the_invitation_list(client):
    participant = accepted(nationality="KE")
    page = _signed_in(client, participant).get(_url(participant.meeting)).content.decode()
    assert f'value="{participant.full_name}"' in page
    assert '<option value="KE" selected>Kenya</option>' in page


def test_passport_number_is_encrypted_at_rest(client):
    participant = accepted()
    _signed_in(client, participant).post(
        _url(participant.meeting), registration_details(participant.meeting)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT passport_number FROM participants_registration")
        [(stored,)] = cursor.fetchall()
    assert "G1234567" not in stored


def test_passport_expiring_too_soon_gets_clear_message_and_nothing_is_written(client):
    participant = accepted()
    meeting = participant.meeting
    too_soon = meeting.ends_on + dt.timedelta(days=100)
    response = _signed_in(client, participant).post(
        _url(meeting), registration_details(meeting, passport_expires_on=too_soon.isoformat())
    )
    required = portal.passport_valid_until_required(meeting)
    participant.refresh_from_db()
    assert response.status_code == 400
    assert (
        f"The passport must be valid until at least {required:%-d %B %Y}, six months "
        "after the meeting ends."
    ) in response.content.decode()
    assert 'id="id_passport_expires_on_error"' in response.content.decode()
    assert (
        'aria-describedby="id_passport_expires_on_error id_passport_expires_on_helptext"'
        in response.content.decode()
    )
    assert Registration.objects.count() == 0
    assert participant.status == Status.ACCEPTED


def test_passport_rule_is_enforced_by_the_service_too():
    participant = accepted()
    meeting = participant.meeting
    details = {
        "passport_name": "A",
        "nationality": "GH",
        "date_of_birth": dt.date(1970, 1, 1),
        "passport_number": "X1",
        "passport_issuing_country": "GH",
        "passport_expires_on": meeting.ends_on,
        "emergency_contact_name": "K",
        "emergency_contact_phone": "1",
    }
    with pytest.raises(services.ValidationError) as error:
        services.register_participant(participant=participant, details=details, by=participant.user)
    assert "passport_expires_on" in error.value.message_dict
    assert Registration.objects.count() == 0


def test_six_months_after_end_is_clamped_to_month_end():
    participant = accepted()
    meeting = participant.meeting
    meeting.starts_on, meeting.ends_on = dt.date(2030, 8, 29), dt.date(2030, 8, 31)
    assert portal.passport_valid_until_required(meeting) == dt.date(2031, 2, 28)


def test_missing_required_fields_are_named_and_nothing_is_written(client):
    participant = accepted()
    meeting = participant.meeting
    response = _signed_in(client, participant).post(
        _url(meeting), registration_details(meeting, passport_number="", date_of_birth="soon")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_passport_number_error"' in page
    assert "Enter a valid date." in page
    assert Registration.objects.count() == 0


def test_date_of_birth_in_the_future_is_refused(client):
    participant = accepted()
    meeting = participant.meeting
    response = _signed_in(client, participant).post(
        _url(meeting), registration_details(meeting, date_of_birth="2999-01-01")
    )
    assert "Enter your date of birth (a date in the past)." in response.content.decode()
    assert Registration.objects.count() == 0


def test_double_submitted_form_creates_nothing_twice(client):
    participant = accepted()
    meeting = participant.meeting
    _signed_in(client, participant)
    first = client.post(_url(meeting), registration_details(meeting))
    second = client.post(_url(meeting), registration_details(meeting))
    assert (first.status_code, second.status_code) == (302, 302)
    assert Registration.objects.filter(participant=participant).count() == 1
    assert (
        StatusChange.objects.filter(participant=participant, to_status=Status.REGISTERED).count()
        == 1
    )


def test_registration_can_be_edited_before_the_deadline(client):
    participant = accepted()
    meeting = participant.meeting
    _signed_in(client, participant).post(_url(meeting), registration_details(meeting))
    client.post(_url(meeting), registration_details(meeting, dietary_needs="Halal"))
    assert Registration.objects.get().dietary_needs == "Halal"
    page = client.get(_url(meeting)).content.decode()
    assert 'value="Halal"' in page


def test_registration_is_read_only_after_the_deadline(client):
    participant = accepted()
    meeting = participant.meeting
    _signed_in(client, participant).post(_url(meeting), registration_details(meeting))
    _close_registration(meeting)
    page = client.get(_url(meeting))
    refused = client.post(_url(meeting), registration_details(meeting, dietary_needs="Halal"))
    assert "Registration closed on" in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert refused.status_code == 403
    assert Registration.objects.get().dietary_needs == "Vegetarian"


def test_organiser_can_edit_after_the_deadline(client):
    participant = accepted()
    meeting = participant.meeting
    organiser = organiser_of(meeting)
    url = reverse(
        "participant:organise_registration", kwargs={"slug": meeting.slug, "pk": participant.pk}
    )
    client.force_login(organiser)
    _close_registration(meeting)
    response = client.post(url, registration_details(meeting))
    participant.refresh_from_db()
    assert response.status_code == 302
    assert participant.status == Status.REGISTERED
    assert Registration.objects.get().updated_by == organiser
    assert participant.status_changes.last().changed_by == organiser


def test_waitlisted_participant_cannot_register(client):
    meeting = future_meeting(capacity=0)
    participant = accepted(meeting)
    assert participant.status == Status.WAITLISTED
    _signed_in(client, participant)
    page = client.get(_url(meeting)).content.decode()
    refused = client.post(_url(meeting), registration_details(meeting))
    assert "on the waiting list" in page
    assert refused.status_code == 403
    assert Registration.objects.count() == 0


def test_registration_form_data_is_not_logged(client, caplog):
    participant = accepted()
    meeting = participant.meeting
    caplog.set_level(logging.DEBUG)
    _signed_in(client, participant).post(_url(meeting), registration_details(meeting))
    _signed_in(client, participant).post(
        _url(meeting), registration_details(meeting, passport_expires_on="2000-01-01")
    )
    assert "G1234567" not in caplog.text
    assert "1970-04-02" not in caplog.text


def test_observer_registers_too():
    meeting = future_meeting()
    participant = accepted(meeting, role=Role.OBSERVER)
    details = {
        "passport_name": "A B",
        "nationality": "GH",
        "date_of_birth": dt.date(1970, 1, 1),
        "passport_number": "X1",
        "passport_issuing_country": "GH",
        "passport_expires_on": meeting.ends_on + dt.timedelta(days=365),
        "emergency_contact_name": "K",
        "emergency_contact_phone": "1",
    }
    services.register_participant(participant=participant, details=details, by=participant.user)
    participant.refresh_from_db()
    assert participant.status == Status.REGISTERED


def test_not_invited_participant_cannot_be_registered():
    participant = ParticipantFactory(meeting=future_meeting())
    with pytest.raises(services.ValidationError) as error:
        services.register_participant(participant=participant, details={}, by=UserFactory())
    assert error.value.code == "not_accepted"


def test_error_reports_mask_passport_number_and_birth_date(client):
    participant = accepted()
    meeting = participant.meeting
    organiser = organiser_of(meeting)
    own = _signed_in(client, participant).post(_url(meeting), registration_details(meeting))
    client.force_login(organiser)
    organisers = client.post(
        reverse(
            "participant:organise_registration",
            kwargs={"slug": meeting.slug, "pk": participant.pk},
        ),
        registration_details(meeting),
    )

    for response in (own, organisers):
        reported = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
        assert reported["passport_number"] == reported["date_of_birth"] == "********************"
        assert reported["passport_name"] == "AMA SERWAA MENSAH"
