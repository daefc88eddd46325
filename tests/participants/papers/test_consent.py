"""Consent is the participant's alone: no organiser form sets it. Papers in the admin publish
only by the review page's rule (consent and a file), with the same email; registration
consents are shown to organisers but never set by them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Message
from participants import services
from participants.models import Paper, Registration, ReviewStatus
from participants.organisers import ensure_organiser
from participants.papers.services import submit_paper
from tests.factories import RegistrationFactory

from ..paper_files import pdf_bytes
from ..support import accepted, clear_cache, organiser_of, registration_details  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client, meeting):
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=[meeting]
    )
    client.force_login(user)
    return client


def give_paper(participant, *, consent_publish: bool) -> Paper:
    return submit_paper(
        participant=participant,
        title="Social integration in West Africa",
        abstract="",
        consent_publish=consent_publish,
        upload=SimpleUploadedFile("paper.pdf", pdf_bytes(6)),
        uploaded_by=participant.user,
    ).paper


def paper_form(paper, **overrides):
    data = {
        "title": paper.title,
        "abstract": paper.abstract,
        "review_status": paper.review_status,
        "review_note": paper.review_note,
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_admin_cannot_tick_consent_and_publish_a_paper_without_it(
    organiser_client, expert, storage_root
):
    paper = give_paper(expert, consent_publish=False)
    url = reverse("admin:participants_paper_change", args=[paper.pk])

    response = organiser_client.post(
        url, paper_form(paper, consent_publish="on", review_status=ReviewStatus.PUBLISHED)
    )

    assert response.status_code == 200
    assert "The author has not consented to publication" in response.text
    paper.refresh_from_db()
    assert (paper.consent_publish, paper.review_status) == (False, ReviewStatus.RECEIVED)
    assert not Message.objects.filter(kind="paper_review").exists()


def test_admin_consent_is_shown_but_not_editable(organiser_client, expert, storage_root):
    paper = give_paper(expert, consent_publish=True)

    response = organiser_client.post(
        reverse("admin:participants_paper_change", args=[paper.pk]),
        paper_form(paper, title="Retitled by the secretariat"),
    )

    assert response.status_code == 302
    paper.refresh_from_db()
    # No consent in the POST, and it stays what the author said.
    assert (paper.title, paper.consent_publish) == ("Retitled by the secretariat", True)


def test_admin_publishes_a_consented_paper_through_the_review_service(
    organiser_client, expert, storage_root
):
    paper = give_paper(expert, consent_publish=True)

    response = organiser_client.post(
        reverse("admin:participants_paper_change", args=[paper.pk]),
        paper_form(paper, review_status=ReviewStatus.PUBLISHED, review_note="Thank you."),
    )

    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.review_status, paper.review_note) == (ReviewStatus.PUBLISHED, "Thank you.")
    assert Message.objects.filter(kind="paper_review", recipient=expert.email).count() == 1


def test_admin_adds_no_paper_beside_the_authors_upload(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:participants_paper_add")).status_code == 403


def test_admin_registration_consents_are_not_editable(organiser_client, expert):
    registration = RegistrationFactory(participant=expert, consent_publish_papers=False)
    url = reverse("admin:participants_registration_change", args=[registration.pk])

    form = organiser_client.get(url).context["adminform"].form

    assert {"consent_listed", "consent_publish_papers"} & set(form.fields) == set()


def test_organiser_registering_on_behalf_cannot_set_consents(client):
    participant = accepted()
    organiser = organiser_of(participant.meeting)
    client.force_login(organiser)
    url = reverse(
        "participant:organise_registration",
        kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
    )

    page = client.get(url)
    response = client.post(url, registration_details(participant.meeting))

    assert "consent_publish_papers" not in page.context["form"].fields
    assert response.status_code == 302
    registration = Registration.objects.get(participant=participant)
    assert (registration.consent_listed, registration.consent_publish_papers) == (False, False)


def test_organiser_edit_keeps_the_participants_own_consents(client):
    participant = accepted()
    client.force_login(participant.user)
    client.post(
        reverse("participant:registration", kwargs={"slug": participant.meeting.slug}),
        registration_details(participant.meeting),
    )
    client.force_login(organiser_of(participant.meeting))

    client.post(
        reverse(
            "participant:organise_registration",
            kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
        ),
        registration_details(participant.meeting, dietary_needs="Halal"),
    )

    registration = Registration.objects.get(participant=participant)
    assert (registration.dietary_needs, registration.consent_publish_papers) == ("Halal", True)


def test_register_service_refuses_consents_given_by_someone_else():
    participant = accepted()

    with pytest.raises(ValidationError) as refused:
        services.register_participant(
            participant=participant,
            details={"consent_publish_papers": True},
            by=organiser_of(participant.meeting),
        )

    assert refused.value.code == "consent_not_theirs"
    assert not Registration.objects.filter(participant=participant).exists()
