"""Letters through the services: issue, refuse, revoke, re-issue, outdated, requests, batches."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from logistics import queries, services, tasks
from logistics.models import BatchStatus, Letter, LetterBatch, LetterKind, LetterRequest
from notifications.models import Message
from participants import services as participant_services
from participants.models import Status
from tests.factories import ParticipantFactory

from .support import (
    accra_meeting,
    embassy_for,
    letter_bytes,
    organiser_of,
    pdf_qr_codes,
    pdf_text,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = accra_meeting()
    templates = services.ensure_templates(meeting=meeting)
    for template in templates.values():
        template.reference_prefix = "DSPD/EGM-SI/2009"
        template.save()
    return meeting


def test_visa_letter_prints_passport_reference_dates_and_verification(
    meeting, django_capture_on_commit_callbacks
):
    embassy = embassy_for(meeting)
    participant = registered(meeting)
    organiser = organiser_of(meeting)

    with django_capture_on_commit_callbacks(execute=False):
        letter = services.issue_letter(participant=participant, kind="visa", by=organiser)

    text = pdf_text(letter_bytes(letter))
    url = f"http://127.0.0.1:8000/verify/{letter.verification_code}/"
    assert letter.reference == "DSPD/EGM-SI/2009/001"
    assert letter.embassy == embassy.name
    for expected in (
        "FERREIRA MATOS LUÍSA",
        "Passport number: FX123456",
        "valid until 1 March 2015",
        "Nationality: Brazil",
        "DSPD/EGM-SI/2009/001",
        "17-19 November 2009",
        "16-20 November 2009",
        "Embassy of the Republic of Ghana, Brasília",
        url,
    ):
        assert expected in text
    assert pdf_qr_codes(letter_bytes(letter)) == [url]


def test_invitation_letter_has_no_passport_data(meeting):
    participant = registered(meeting)

    letter = services.issue_letter(
        participant=participant, kind="invitation", by=organiser_of(meeting)
    )

    text = pdf_text(letter_bytes(letter))
    assert "Luísa Ferreira Matos" in text
    assert "DSPD/EGM-SI/2009/001" in text
    assert "FX123456" not in text
    assert "FERREIRA MATOS LUÍSA" not in text
    assert pdf_qr_codes(letter_bytes(letter)) == [
        f"http://127.0.0.1:8000/verify/{letter.verification_code}/"
    ]


def test_letter_ready_email_links_to_the_portal_and_never_carries_the_passport(meeting):
    embassy_for(meeting)
    participant = registered(meeting)

    letter = services.issue_letter(participant=participant, kind="visa", by=None)

    message = Message.objects.get(kind="letter_ready")
    assert message.recipient == participant.email
    assert message.idempotency_key == f"letter-ready:{letter.pk}"
    assert message.attachments == []
    assert f"http://127.0.0.1:8000/m/{meeting.slug}/me/letters/" in message.body_text
    assert "DSPD/EGM-SI/2009/001" in message.body_text
    for body in (message.subject, message.body_text, message.body_html):
        assert "FX123456" not in body


@pytest.mark.parametrize(
    "status, registered_fully, reason",
    [
        (Status.ACCEPTED, False, "The registration of Luísa Ferreira Matos is not complete yet."),
        (Status.DECLINED, True, "Luísa Ferreira Matos declined the participation: no letter"),
        (Status.CANCELLED, True, "Luísa Ferreira Matos cancelled the participation: no letter"),
    ],
)
def test_letter_refused_with_reason_and_nothing_written(meeting, status, registered_fully, reason):
    embassy_for(meeting)
    if registered_fully:
        participant = registered(meeting, status=status)
    else:
        participant = ParticipantFactory(
            meeting=meeting, given_name="Luísa", family_name="Ferreira Matos", status=status
        )

    with pytest.raises(ValidationError) as raised:
        services.issue_letter(participant=participant, kind="visa", by=None)

    assert raised.value.messages[0].startswith(reason)
    assert (Letter.objects.count(), Message.objects.count()) == (0, 0)


def test_visa_letter_refused_when_passport_expires_within_six_months(meeting):
    embassy_for(meeting)
    participant = registered(meeting, expires=dt.date(2010, 5, 18))

    with pytest.raises(ValidationError) as raised:
        services.issue_letter(participant=participant, kind="visa", by=None)

    assert raised.value.messages == [
        "The passport of Luísa Ferreira Matos expires on 18 May 2010, less than six months "
        "after the meeting ends; it must be valid until at least 19 May 2010."
    ]
    assert Letter.objects.count() == 0


def test_second_letter_of_a_kind_refused_while_one_is_in_force(meeting):
    embassy_for(meeting)
    participant = registered(meeting)
    services.issue_letter(participant=participant, kind="visa", by=None)

    with pytest.raises(ValidationError) as raised:
        services.issue_letter(participant=participant, kind="visa", by=None)

    assert raised.value.code == "letter_in_force"
    assert Letter.objects.count() == 1


def test_revoke_marks_the_letter_revoked(meeting):
    embassy_for(meeting)
    letter = services.issue_letter(participant=registered(meeting), kind="visa", by=None)

    services.revoke_letter(letter=letter, by=None, reason="Issued by mistake")

    letter.refresh_from_db()
    assert letter.revoked_reason == "Issued by mistake"
    assert queries.letter_state(letter, None) == queries.LetterState.REVOKED


def test_revoke_without_reason_refused(meeting):
    embassy_for(meeting)
    letter = services.issue_letter(participant=registered(meeting), kind="visa", by=None)

    with pytest.raises(ValidationError):
        services.revoke_letter(letter=letter, by=None, reason="  ")

    letter.refresh_from_db()
    assert letter.revoked_at is None


def test_changing_the_passport_marks_the_visa_letter_outdated_and_reissue_replaces_it(meeting):
    embassy_for(meeting)
    participant = registered(meeting)
    organiser = organiser_of(meeting)
    old = services.issue_letter(participant=participant, kind="visa", by=organiser)
    invitation = services.issue_letter(participant=participant, kind="invitation", by=organiser)

    participant_services.update_registration(
        participant=participant, details={"passport_number": "FY999999"}, by=organiser
    )

    states = {letter.reference: letter.state for letter in queries.letters_of(participant)}
    assert states == {old.reference: "outdated", invitation.reference: "valid"}

    new = services.reissue_letter(letter=old, by=organiser)

    old.refresh_from_db()
    assert old.revoked_reason == f"Replaced by {new.reference}."
    assert new.reference == "DSPD/EGM-SI/2009/003"
    assert "Passport number: FY999999" in pdf_text(letter_bytes(new))
    states = {letter.reference: letter.state for letter in queries.letters_of(participant)}
    assert states == {
        old.reference: "revoked",
        invitation.reference: "valid",
        new.reference: "valid",
    }


def test_reissue_refused_keeps_the_old_letter(meeting):
    embassy_for(meeting)
    participant = registered(meeting)
    letter = services.issue_letter(participant=participant, kind="visa", by=None)
    participant.status = Status.CANCELLED
    participant.save()

    with pytest.raises(ValidationError):
        services.reissue_letter(letter=letter, by=None)

    letter.refresh_from_db()
    assert letter.revoked_at is None


def test_request_names_the_embassy_and_issuing_closes_it(meeting):
    embassy = embassy_for(meeting)
    other = embassy_for(meeting, country="IN", name="High Commission of Ghana, New Delhi")
    participant = registered(meeting)

    request = services.request_letter(participant=participant, kind="visa", embassy=other)
    letter = services.issue_letter(participant=participant, kind="visa", by=None)

    request.refresh_from_db()
    assert letter.embassy == "High Commission of Ghana, New Delhi"
    assert request.letter == letter
    assert embassy.name not in pdf_text(letter_bytes(letter))


def test_request_refused_when_one_is_open_or_registration_incomplete(meeting):
    embassy = embassy_for(meeting)
    participant = registered(meeting)
    services.request_letter(participant=participant, kind="visa", embassy=embassy)

    with pytest.raises(ValidationError) as raised:
        services.request_letter(participant=participant, kind="visa", embassy=embassy)
    assert raised.value.messages == ["Your request is already with the secretariat."]

    newcomer = ParticipantFactory(meeting=meeting, status=Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.request_letter(participant=newcomer, kind="visa", embassy=embassy)
    assert LetterRequest.objects.count() == 1


def test_template_with_unknown_placeholder_is_refused_and_issues_nothing(meeting):
    template = services.ensure_templates(meeting=meeting)["invitation"]
    values = {"body": "Dear {passport_number}, welcome {participant_name}.", "letterhead": "UN"}

    with pytest.raises(ValidationError) as raised:
        services.preview_letter(meeting=meeting, kind="invitation", values=values)
    assert raised.value.message_dict == {
        "body": ["Unknown placeholder in the template: {passport_number}, {participant_name}."]
    }
    with pytest.raises(ValidationError):
        services.save_template(template=template, values=values)

    template.refresh_from_db()
    assert "{participant_name}" not in template.body
    assert Letter.objects.count() == 0


def test_preview_renders_a_sample_letter(meeting):
    values = {
        "reference_prefix": "DSPD/EGM-SI/2009",
        "letterhead": "United Nations",
        "body": "Dear Sir or Madam, {formal_name} is invited to {meeting_title}.",
        "signatory_name": "Keiko Hanazawa",
        "signatory_title": "Social Affairs Officer",
    }

    text = pdf_text(services.preview_letter(meeting=meeting, kind="visa", values=values))

    assert "Dr. Ama Mensah is invited to Expert Group Meeting" in text
    assert "DSPD/EGM-SI/2009/000" in text


def test_batch_issues_for_many_and_reports_the_one_refused(meeting):
    embassy_for(meeting)
    people = [
        registered(meeting, given_name=f"Expert{index}", email=f"e{index}@example.org")
        for index in range(4)
    ]
    incomplete = ParticipantFactory(
        meeting=meeting, given_name="Kwame", family_name="Asante", status=Status.ACCEPTED
    )
    batch = services.start_batch(
        meeting=meeting,
        kind="visa",
        participant_ids=[person.pk for person in people] + [incomplete.pk],
        by=organiser_of(meeting),
    )
    assert (batch.status, batch.done, batch.total) == (BatchStatus.QUEUED, 0, 5)

    result = tasks.issue_letter_batch.apply(args=[batch.pk])

    batch.refresh_from_db()
    assert result.get() == 4
    assert (batch.status, batch.done, batch.issued, batch.percent) == (BatchStatus.DONE, 5, 4, 100)
    assert batch.failures == [
        {
            "participant": incomplete.pk,
            "name": "Kwame Asante",
            "reason": "The registration of Kwame Asante is not complete yet.",
        }
    ]
    assert sorted(Letter.objects.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_batch_run_twice_issues_each_letter_once(meeting):
    embassy_for(meeting)
    person = registered(meeting)
    batch = services.start_batch(meeting=meeting, kind="visa", participant_ids=[person.pk], by=None)
    tasks.issue_letter_batch.apply(args=[batch.pk])
    LetterBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)

    tasks.issue_letter_batch.apply(args=[batch.pk])

    batch.refresh_from_db()
    assert (Letter.objects.count(), batch.failures) == (1, [])


def test_batch_of_nobody_refused(meeting):
    with pytest.raises(ValidationError):
        services.start_batch(meeting=meeting, kind="visa", participant_ids=[], by=None)
    assert LetterBatch.objects.count() == 0


def test_letter_kinds_are_numbered_in_one_sequence_per_meeting(meeting):
    embassy_for(meeting)
    participant = registered(meeting)
    other_meeting = accra_meeting()
    embassy_for(other_meeting)

    first = services.issue_letter(participant=participant, kind="visa", by=None)
    second = services.issue_letter(participant=participant, kind=LetterKind.INVITATION, by=None)
    elsewhere = services.issue_letter(participant=registered(other_meeting), kind="visa", by=None)

    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
