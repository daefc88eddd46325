"""Papers in the admin: consent to publish is the author's alone, and publishing follows
the same rule as the review page (consent and a file), with the same email."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from notifications.models import Message
from participants.models import Paper, ReviewStatus
from participants.organisers import ensure_organiser
from participants.papers import submit_paper
from tests.factories import RegistrationFactory

from .paper_files import pdf_bytes

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
