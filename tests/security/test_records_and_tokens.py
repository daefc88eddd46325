"""An attacker with an account (a participant, or the organiser of another meeting) reaches
for records by id, and tries forged, borrowed and replayed invitation tokens."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import PaperVersion, Participant, Registration, Status
from participants.papers.services import submit_paper
from tests.factories import ParticipantFactory, RegistrationFactory, UserFactory
from tests.participants.paper_files import pdf_bytes
from tests.participants.support import future_meeting, invited

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_meetings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    ours, theirs = future_meeting(slug="ours"), future_meeting(slug="theirs")
    organiser = UserFactory(email="organiser@ours.example.org")
    ours.organisers.add(organiser)
    victim = ParticipantFactory(
        meeting=theirs, status=Status.REGISTERED, user=UserFactory(), role="expert"
    )
    RegistrationFactory(participant=victim)
    submit_paper(
        participant=victim,
        title="Unpublished draft",
        abstract="",
        upload=SimpleUploadedFile("draft.pdf", pdf_bytes(7), content_type="application/pdf"),
        consent_publish=False,
        uploaded_by=victim.user,
    )
    return ours, theirs, organiser, victim


def test_organiser_cannot_open_another_meetings_participant_by_id(client, two_meetings):
    ours, theirs, organiser, victim = two_meetings
    client.force_login(organiser)
    for name in ("organise_participant", "organise_registration", "organise_status"):
        for slug in (ours.slug, theirs.slug):
            url = reverse(f"participant:{name}", kwargs={"slug": slug, "pk": victim.pk})
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url, {"status": "cancelled"}).status_code == 404, url
    victim.refresh_from_db()
    assert victim.status == Status.REGISTERED


def test_organiser_cannot_open_another_meetings_organiser_pages(client, two_meetings):
    ours, theirs, organiser, _victim = two_meetings
    client.force_login(organiser)
    urls = [
        reverse("participants:tracker", args=[theirs.slug]),
        reverse("participants:export_csv", args=[theirs.slug]),
        reverse("participants:export_xlsx", args=[theirs.slug]),
        reverse("papers:tracker", kwargs={"slug": theirs.slug}),
        reverse("papers:archive", kwargs={"slug": theirs.slug}),
        reverse("agenda:organise", kwargs={"slug": theirs.slug}),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    invite = reverse("participant:invite", kwargs={"slug": theirs.slug})
    assert client.post(invite, {"participant": [_victim.pk]}).status_code == 404


def test_participant_cannot_reach_organiser_pages_or_another_portal(client, two_meetings):
    ours, theirs, _organiser, victim = two_meetings
    own = ParticipantFactory(meeting=ours, status=Status.REGISTERED, user=UserFactory())
    client.force_login(own.user)
    assert (
        client.get(reverse("participant:portal", kwargs={"slug": theirs.slug})).status_code == 404
    )
    detail = reverse(
        "participant:organise_participant", kwargs={"slug": ours.slug, "pk": victim.pk}
    )
    assert client.get(detail).status_code == 404
    assert client.get(reverse("participants:tracker", args=[ours.slug])).status_code in (403, 404)


def test_registration_page_only_ever_shows_ones_own_details(client, two_meetings):
    _ours, theirs, _organiser, victim = two_meetings
    other = ParticipantFactory(meeting=theirs, status=Status.ACCEPTED, user=UserFactory())
    client.force_login(other.user)

    response = client.get(reverse("participant:registration", kwargs={"slug": theirs.slug}))

    registration = Registration.objects.get(participant=victim)
    assert registration.passport_number.encode() not in response.content


def test_forged_and_tampered_tokens_are_unknown(client):
    participant, token = invited()
    slug = participant.meeting.slug
    forged = ["x" * len(token), token[:-1] + ("A" if token[-1] != "A" else "B"), "", "..%2f"]
    for candidate in forged:
        if not candidate:
            continue
        url = reverse("participant:invitation", kwargs={"slug": slug, "token": candidate})
        assert client.get(url).status_code in (404, 429), candidate
    participant.refresh_from_db()
    assert participant.status == Status.INVITED


def test_a_token_works_only_for_its_own_meeting(client):
    participant, token = invited()
    other = future_meeting(slug="elsewhere")

    response = client.post(
        reverse("participant:accept", kwargs={"slug": other.slug, "token": token})
    )

    assert response.status_code == 404
    participant.refresh_from_db()
    assert participant.status == Status.INVITED


def test_a_replayed_token_changes_nothing(client):
    participant, token = invited()
    slug = participant.meeting.slug
    decline = reverse("participant:decline", kwargs={"slug": slug, "token": token})
    accept = reverse("participant:accept", kwargs={"slug": slug, "token": token})
    assert client.post(accept).status_code == 302

    replays = [client.post(accept).status_code, client.post(decline, {"reason": "x"}).status_code]

    assert replays == [410, 410]
    participant.refresh_from_db()
    assert participant.status == Status.ACCEPTED
    assert Participant.objects.filter(status=Status.DECLINED).count() == 0


def test_another_participants_unpublished_paper_cannot_be_downloaded_by_id(client, two_meetings):
    ours, theirs, organiser, victim = two_meetings
    version = PaperVersion.objects.get(paper__participant=victim)
    colleague = ParticipantFactory(meeting=theirs, status=Status.REGISTERED, user=UserFactory())
    for user in (colleague.user, organiser, None):
        client.logout()
        if user:
            client.force_login(user)
        for slug in (theirs.slug, ours.slug):
            url = reverse("papers:download", kwargs={"slug": slug, "version_id": version.pk})
            assert client.get(url).status_code == 404, (user, url)
