"""Who sees what: a participant only their own records, organisers only their meetings."""

import pytest
from django.urls import reverse

from participants import services
from tests.factories import UserFactory

from .support import (  # noqa: F401
    accepted,
    clear_cache,
    future_meeting,
    invited,
    organiser_of,
    registration_details,
)

pytestmark = pytest.mark.django_db


def _registered(meeting=None, **overrides):
    participant = accepted(meeting)
    details = registration_details(participant.meeting, **overrides)
    from participants.forms import RegistrationForm

    form = RegistrationForm(details, meeting=participant.meeting)
    assert form.is_valid(), form.errors
    services.register_participant(
        participant=participant, details=form.cleaned_data, by=participant.user
    )
    participant.refresh_from_db()
    return participant


def _organiser_urls(participant):
    kwargs = {"slug": participant.meeting.slug, "pk": participant.pk}
    return [
        reverse("participant:organise_participant", kwargs=kwargs),
        reverse("participant:organise_registration", kwargs=kwargs),
    ]


def test_participant_sees_only_own_registration(client):
    meeting = future_meeting()
    mine = _registered(meeting)
    theirs = _registered(meeting, passport_number="P7654321", date_of_birth="1981-12-24")
    client.force_login(mine.user)
    page = client.get(
        reverse("participant:registration", kwargs={"slug": meeting.slug})
    ).content.decode()
    assert 'value="G1234567"' in page
    assert "P7654321" not in page
    assert "1981-12-24" not in page
    # The organiser URLs of another participant's record are hidden from participants.
    for url in _organiser_urls(theirs):
        assert client.get(url).status_code == 404
        assert client.post(url, registration_details(meeting)).status_code == 404


def test_organiser_of_another_meeting_gets_404(client):
    participant = _registered()
    stranger = organiser_of(future_meeting())
    client.force_login(stranger)
    for url in _organiser_urls(participant):
        assert client.get(url).status_code == 404
    invite = reverse("participant:invite", kwargs={"slug": participant.meeting.slug})
    assert client.post(invite, {"participant": [participant.pk]}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    participant = _registered()
    for url in [
        *_organiser_urls(participant),
        reverse("participant:registration", kwargs={"slug": participant.meeting.slug}),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_organiser_sees_personal_data_and_timeline(client):
    participant = _registered()
    client.force_login(organiser_of(participant.meeting))
    page = client.get(_organiser_urls(participant)[0]).content.decode()
    assert "G1234567" in page
    assert "2 April 1970" in page
    assert "Invitation sent" in page
    assert "Accepted the invitation" in page
    assert "Registration completed" in page


def test_personal_data_is_not_on_the_public_meeting_page(client):
    participant = _registered()
    page = client.get(participant.meeting.get_absolute_url()).content.decode()
    assert "G1234567" not in page
    assert "1970" not in page


def test_rules_allow_only_the_participant_and_their_organisers():
    meeting = future_meeting()
    participant = _registered(meeting)
    other = _registered(meeting)
    organiser = organiser_of(meeting)
    stranger = organiser_of(future_meeting())
    perm = "participants.view_personal_data"
    assert participant.user.has_perm(perm, participant)
    assert organiser.has_perm(perm, participant)
    assert not other.user.has_perm(perm, participant)
    assert not stranger.has_perm(perm, participant)
    assert not UserFactory().has_perm(perm, participant)
    assert not organiser.has_perm("participants.manage_participant", None)
    assert not participant.user.has_perm("participants.manage_participant", participant)
