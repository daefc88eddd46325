"""Organisers ask someone other than an expert for a paper, or excuse an expert; the portal
and the upload page follow their choice."""

import pytest
from django.urls import reverse

from participants.models import Paper, Participant, Role, Status
from participants.portal import StepState, checklist
from tests.factories import ParticipantFactory, UserFactory

from ..paper_files import pdf_bytes
from .test_views import post_paper


def request_url(participant):
    return reverse(
        "papers:request", kwargs={"slug": participant.meeting.slug, "pk": participant.pk}
    )


def detail_url(participant):
    return reverse(
        "participant:organise_participant",
        kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
    )


@pytest.fixture
def observer(meeting):
    return ParticipantFactory(
        meeting=meeting,
        status=Status.REGISTERED,
        role=Role.OBSERVER,
        user=UserFactory(email="observer@example.org"),
        email="observer@example.org",
    )


def paper_step(participant):
    participant = Participant.objects.select_related("meeting").get(pk=participant.pk)
    return {step.key: step for step in checklist(participant)}["paper"]


def test_organiser_page_offers_the_paper_request_as_the_role_says(client, organiser, observer):
    client.force_login(organiser)

    page = client.get(detail_url(observer)).content.decode()

    assert "Not asked for a paper" in page
    assert "As the role says (Observer / discussant: not asked)" in page
    assert f'action="{request_url(observer)}"' in page


def test_organiser_asks_an_observer_and_the_portal_and_upload_follow(
    client, organiser, observer, storage_root
):
    assert paper_step(observer).state == StepState.NOT_APPLICABLE
    client.force_login(organiser)

    response = client.post(request_url(observer), {"requested": "yes"})

    assert response.status_code == 302
    assert response["Location"] == detail_url(observer)
    assert Participant.objects.get(pk=observer.pk).paper_requested is True
    step = paper_step(observer)
    assert (step.state, step.url) == (
        StepState.OWED,
        reverse("papers:submit", kwargs={"slug": observer.meeting.slug}),
    )
    client.force_login(observer.user)
    assert post_paper(client, observer.meeting, pdf_bytes(6)).status_code == 302
    assert Paper.objects.get().participant == observer


def test_organiser_excuses_an_expert_and_upload_is_refused(client, organiser, expert, storage_root):
    client.force_login(organiser)
    client.post(request_url(expert), {"requested": "no"})

    assert paper_step(expert).state == StepState.NOT_APPLICABLE
    client.force_login(expert.user)
    response = post_paper(client, expert.meeting, pdf_bytes(6))
    assert response.status_code == 400
    assert "The organisers have not asked you for a paper." in response.content.decode()
    assert Paper.objects.count() == 0


def test_organiser_puts_a_participant_back_to_what_the_role_says(client, organiser, expert):
    Participant.objects.filter(pk=expert.pk).update(paper_requested=False)
    client.force_login(organiser)

    client.post(request_url(expert), {"requested": ""})

    assert Participant.objects.get(pk=expert.pk).paper_requested is None
    assert paper_step(expert).state == StepState.OWED


def test_paper_request_with_a_bad_value_changes_nothing(client, organiser, expert):
    client.force_login(organiser)

    response = client.post(request_url(expert), {"requested": "maybe"}, follow=True)

    assert "Choose whether this participant is asked for a paper." in response.content.decode()
    assert Participant.objects.get(pk=expert.pk).paper_requested is None


def test_paper_request_is_for_organisers_only(client, expert, observer):
    client.force_login(expert.user)

    response = client.post(request_url(observer), {"requested": "yes"})

    assert response.status_code == 404
    assert Participant.objects.get(pk=observer.pk).paper_requested is None


def test_trackers_link_to_each_other(client, organiser, meeting):
    client.force_login(organiser)
    papers = reverse("papers:tracker", kwargs={"slug": meeting.slug})
    participants = reverse("participants:tracker", kwargs={"slug": meeting.slug})

    assert participants in client.get(papers).content.decode()
    assert papers in client.get(participants).content.decode()
