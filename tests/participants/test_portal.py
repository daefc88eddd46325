"""The participant portal: the checklist of what is done and what is owed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import ReviewStatus, Role, Status
from participants.papers.services import set_review_status, submit_paper
from participants.portal import StepState, checklist
from tests.factories import ParticipantFactory, UserFactory

from .paper_files import pdf_bytes
from .support import accepted, clear_cache, future_meeting, registration_details  # noqa: F401

pytestmark = pytest.mark.django_db


def _states(participant):
    return {step.key: step.state for step in checklist(participant)}


def test_portal_lists_steps_for_accepted_expert(client):
    participant = accepted(role=Role.EXPERT)
    client.force_login(participant.user)
    response = client.get(reverse("participant:portal", kwargs={"slug": participant.meeting.slug}))
    page = response.content.decode()
    assert response.status_code == 200
    assert _states(participant) == {
        "respond": StepState.DONE,
        "register": StepState.OWED,
        "visa": StepState.LATER,
        "travel": StepState.OWED,
        "hotel": StepState.LATER,
        "paper": StepState.LATER,
    }
    registration_url = reverse(
        "participant:registration", kwargs={"slug": participant.meeting.slug}
    )
    assert f'<a href="{registration_url}">Register</a>' in page
    assert "Opens later" in page
    assert "A paper of 5-10 pages" in page
    # Pages that do not exist yet are not linked.
    assert ">Visa support letter</th>" in page


def test_portal_after_registration_marks_register_done(client):
    participant = accepted(role=Role.EXPERT)
    meeting = participant.meeting
    client.force_login(participant.user)
    client.post(
        reverse("participant:registration", kwargs={"slug": meeting.slug}),
        registration_details(meeting),
    )
    participant.refresh_from_db()
    assert _states(participant)["register"] == StepState.DONE


def test_portal_paper_not_applicable_for_observer():
    participant = accepted(role=Role.OBSERVER)
    assert _states(participant)["paper"] == StepState.NOT_APPLICABLE


def test_portal_of_waitlisted_participant_says_so(client):
    participant = accepted(future_meeting(capacity=0))
    client.force_login(participant.user)
    page = client.get(
        reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
    ).content.decode()
    assert "You are on the waiting list" in page
    assert _states(participant)["register"] == StepState.NOT_APPLICABLE


def test_portal_requires_sign_in(client):
    participant = accepted()
    url = reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_portal_404_for_user_without_participation_in_that_meeting(client):
    participant = accepted()
    other_meeting = future_meeting()
    client.force_login(participant.user)
    assert (
        client.get(reverse("participant:portal", kwargs={"slug": other_meeting.slug})).status_code
        == 404
    )
    client.force_login(UserFactory())
    assert (
        client.get(
            reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
        ).status_code
        == 404
    )


def test_portal_query_count_is_small(client, django_assert_max_num_queries):
    participant = accepted(role=Role.EXPERT)
    ParticipantFactory.create_batch(5, meeting=participant.meeting)
    client.force_login(participant.user)
    url = reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
    # The logistics steps (letters, travel, hotel) read a fixed four more.
    with django_assert_max_num_queries(11):
        client.get(url)


def test_portal_paper_step_links_upload_with_deadline_once_registered(client):
    participant = accepted(role=Role.EXPERT)
    meeting = participant.meeting
    client.force_login(participant.user)
    client.post(
        reverse("participant:registration", kwargs={"slug": meeting.slug}),
        registration_details(meeting),
    )
    participant.refresh_from_db()

    step = {step.key: step for step in checklist(participant)}["paper"]

    assert step.state == StepState.OWED
    assert step.url == reverse("papers:submit", kwargs={"slug": meeting.slug})
    due = meeting.local(meeting.deadlines.get(kind="paper").due_at)
    assert f"Due {due.day} {due:%B %Y}, 23:59 Accra time (GMT) (" in step.detail
    page = client.get(reverse("participant:portal", kwargs={"slug": meeting.slug})).content
    assert f'<a href="{step.url}">Paper</a>'.encode() in page


def test_portal_offers_personal_calendar_and_replacing_it_revokes_the_old_feed(client):
    participant = accepted(role=Role.EXPERT)
    meeting = participant.meeting
    client.force_login(participant.user)

    page = client.get(reverse("participant:portal", kwargs={"slug": meeting.slug})).content.decode()
    participant.refresh_from_db()
    old_feed = reverse(
        "agenda:personal_ics", kwargs={"slug": meeting.slug, "token": participant.calendar_token}
    )
    assert participant.calendar_token
    assert f"webcal://127.0.0.1:8000{old_feed}" in page
    assert client.get(old_feed).status_code == 200

    client.post(reverse("participant:reset_calendar_link", kwargs={"slug": meeting.slug}))

    participant.refresh_from_db()
    new_feed = reverse(
        "agenda:personal_ics", kwargs={"slug": meeting.slug, "token": participant.calendar_token}
    )
    assert client.get(old_feed).status_code == 404
    assert client.get(new_feed).status_code == 200


def test_portal_gives_no_personal_feed_to_someone_without_a_seat(client):
    participant = accepted(future_meeting(capacity=0))
    client.force_login(participant.user)

    page = client.get(reverse("participant:portal", kwargs={"slug": participant.meeting.slug}))

    participant.refresh_from_db()
    assert participant.calendar_token == ""
    assert b"/me/calendar/" not in page.content


def _registered_expert_with_paper():
    participant = accepted(role=Role.EXPERT)
    participant.status = Status.REGISTERED
    participant.save()
    paper = submit_paper(
        participant=participant,
        title="A paper",
        abstract="",
        consent_publish=True,
        upload=SimpleUploadedFile("paper.pdf", pdf_bytes(6)),
        uploaded_by=participant.user,
    ).paper
    return participant, paper


def test_portal_paper_step_asks_for_a_revision_and_shows_the_review(db):
    participant, paper = _registered_expert_with_paper()
    assert _states(participant)["paper"] == StepState.DONE

    set_review_status(
        paper=paper, review_status=ReviewStatus.NEEDS_REVISION, note="Shorter", changed_by=None
    )
    step = {step.key: step for step in checklist(participant)}["paper"]

    assert (step.state, step.detail) == (
        StepState.OWED,
        "The organisers ask for a revision: read their note and upload a new version.",
    )


def test_portal_keeps_the_paper_link_for_an_author_no_longer_asked(db):
    participant, _ = _registered_expert_with_paper()
    participant.paper_requested = False
    participant.save()

    step = {step.key: step for step in checklist(participant)}["paper"]

    assert (step.state, step.url) == (
        StepState.DONE,
        reverse("papers:submit", kwargs={"slug": participant.meeting.slug}),
    )
    assert "(review: Received)" in step.detail
