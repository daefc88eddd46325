"""A participant downloads all their data (JSON, PDF) and asks for its deletion; an organiser
confirms, and the participant is anonymised while the meeting's statistics stay right."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from notifications.models import Message, MessageStatus
from participants import queries
from participants.models import (
    DeletionRequest,
    Participant,
    Registration,
    SessionRole,
    Status,
    User,
)
from participants.privacy import erasure
from tests.factories import (
    MeetingFactory,
    MessageFactory,
    ParticipantFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

from .support import clear_cache, organiser_of  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert(meeting):
    participant = ParticipantFactory(
        meeting=meeting,
        status=Status.REGISTERED,
        user=UserFactory(email="ama@example.org"),
        email="ama@example.org",
        given_name="Ama",
        family_name="Owusu",
        gender="female",
        region="africa",
        role="expert",
    )
    RegistrationFactory(participant=participant, passport_number="G1234567")
    MessageFactory(meeting=meeting, recipient="ama@example.org", subject="Your invitation, Ama")
    return participant


def _url(name: str, meeting, **kwargs) -> str:
    return reverse(f"participant:{name}", kwargs={"slug": meeting.slug, **kwargs})


def test_portal_links_to_the_data_page(client, expert):
    client.force_login(expert.user)

    page = client.get(_url("portal", expert.meeting)).content.decode()

    assert f'href="{_url("my_data", expert.meeting)}"' in page


def test_json_download_holds_everything_about_them(client, expert):
    client.force_login(expert.user)

    response = client.get(_url("my_data_json", expert.meeting))

    assert response["Content-Disposition"] == 'attachment; filename="accra-2009-my-data.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["You"][0]["Email"] == "ama@example.org"
    assert data["You"][0]["Given name"] == "Ama"
    assert data["Registration"][0]["Passport number"] == "G1234567"
    assert data["Registration"][0]["Date of birth"] == "1970-04-02"
    assert data["Emails sent to you"][0]["Subject"] == "Your invitation, Ama"
    assert data["Paper"] == []


def test_pdf_download_is_a_pdf_with_their_data(client, expert):
    client.force_login(expert.user)

    response = client.get(_url("my_data_pdf", expert.meeting))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "G1234567" in text
    assert "ama@example.org" in text


def test_another_participant_gets_only_their_own_data(client, expert, meeting):
    other = ParticipantFactory(meeting=meeting, user=UserFactory(), email="kojo@example.org")
    client.force_login(other.user)

    data = json.loads(client.get(_url("my_data_json", meeting)).content)

    assert data["You"][0]["Email"] == "kojo@example.org"
    assert "G1234567" not in json.dumps(data)


def test_download_needs_a_participation_in_that_meeting(client, expert):
    client.force_login(UserFactory())

    assert client.get(_url("my_data_json", expert.meeting)).status_code == 404
    assert client.get(_url("my_data_pdf", expert.meeting)).status_code == 404


def test_participant_asks_for_deletion_and_organisers_are_told(client, expert, organiser):
    client.force_login(expert.user)

    response = client.post(_url("request_deletion", expert.meeting))
    client.post(_url("request_deletion", expert.meeting))  # asking twice is one request

    assert response.status_code == 302
    assert DeletionRequest.objects.filter(participant=expert, confirmed_at=None).count() == 1
    [notice] = Message.objects.filter(kind="participants.deletion_request")
    assert notice.recipient == "organiser@example.org"
    page = client.get(_url("my_data", expert.meeting)).content.decode()
    assert "the organisers will confirm it" in page


def test_organiser_sees_the_request_and_confirms_it(client, expert, organiser):
    erasure.request_deletion(participant=expert, by=expert.user)
    client.force_login(organiser)
    detail = _url("organise_participant", expert.meeting, pk=expert.pk)

    page = client.get(detail).content.decode()
    response = client.post(_url("confirm_deletion", expert.meeting, pk=expert.pk))

    assert "Confirm: delete their personal data" in page
    assert response["Location"] == detail
    expert.refresh_from_db()
    assert (expert.given_name, expert.family_name, expert.email) == (
        "Deleted",
        f"participant {expert.pk}",
        f"deleted-{expert.pk}@deleted.invalid",
    )
    assert (expert.organisation, expert.user_id, expert.country) == ("", None, "")
    assert not Registration.objects.filter(participant=expert).exists()
    assert not User.objects.filter(email="ama@example.org").exists()
    request = DeletionRequest.objects.get(participant=expert)
    assert request.confirmed_by == organiser


def test_deletion_keeps_the_trackers_counts(client, expert, organiser, meeting):
    ParticipantFactory.create_batch(3, meeting=meeting, status=Status.INVITED, gender="male")
    everyone = Participant.objects.filter(meeting=meeting)
    counts_before = queries.status_and_role_counts(meeting)
    balance_before = queries.balance(everyone)
    erasure.request_deletion(participant=expert, by=expert.user)

    erasure.confirm_deletion(participant=expert, confirmed_by=organiser)

    assert queries.status_and_role_counts(meeting) == counts_before
    assert queries.balance(Participant.objects.filter(meeting=meeting)) == balance_before
    client.force_login(organiser)
    tracker = client.get(reverse("participants:tracker", args=[meeting.slug])).content.decode()
    assert "Owusu" not in tracker and "ama@example.org" not in tracker


def test_deletion_erases_them_from_the_outbox_and_the_history(expert, organiser, meeting):
    queued = Message.objects.get(recipient="ama@example.org")
    erasure.request_deletion(participant=expert, by=expert.user)

    erasure.confirm_deletion(participant=expert, confirmed_by=organiser)

    queued.refresh_from_db()
    assert queued.status == MessageStatus.CANCELLED
    assert (queued.recipient, queued.subject, queued.body_text) == (
        f"deleted-{expert.pk}@deleted.invalid",
        "[deleted]",
        "[deleted]",
    )
    assert not Message.history.filter(recipient="ama@example.org").exists()
    assert not Message.history.filter(subject="Your invitation, Ama").exists()
    assert set(expert.history.values_list("email", flat=True)) == {
        f"deleted-{expert.pk}@deleted.invalid"
    }
    assert set(expert.history.values_list("family_name", flat=True)) == {f"participant {expert.pk}"}
    assert not Registration.history.filter(participant_id=expert.pk).exists()
    latest = expert.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == organiser
    assert latest.history_change_reason == "Personal data deleted at the participant's request"


def test_confirming_without_a_request_changes_nothing(client, expert, organiser):
    client.force_login(organiser)

    client.post(_url("confirm_deletion", expert.meeting, pk=expert.pk))

    expert.refresh_from_db()
    assert expert.email == "ama@example.org"
    assert Registration.objects.filter(participant=expert).exists()


def test_only_the_participant_can_ask(expert, organiser):
    with pytest.raises(ValidationError):
        erasure.request_deletion(participant=expert, by=organiser)

    assert not DeletionRequest.objects.exists()


def test_organiser_of_another_meeting_cannot_confirm(client, expert):
    erasure.request_deletion(participant=expert, by=expert.user)
    outsider = UserFactory()
    MeetingFactory().organisers.add(outsider)
    client.force_login(outsider)

    response = client.post(_url("confirm_deletion", expert.meeting, pk=expert.pk))

    assert response.status_code == 404
    expert.refresh_from_db()
    assert expert.email == "ama@example.org"


def test_json_download_lists_their_parts_in_the_programme(client, expert, meeting):
    session = SessionFactory(meeting=meeting, title="Opening plenary")
    SessionRole.objects.create(session=session, participant=expert, part="chair")
    client.force_login(expert.user)

    data = json.loads(client.get(_url("my_data_json", meeting)).content)

    assert [(row["Session"], row["Part"]) for row in data["Parts in the programme"]] == [
        ("Opening plenary", "Chair")
    ]
