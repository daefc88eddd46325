"""The organisers' outbox page: counts, queue, failures and resend, held batches, histories."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import outbox
from notifications.models import Message, MessageStatus
from participants import services, tokens
from tests.factories import MeetingFactory, MessageFactory, ParticipantFactory, UserFactory
from tests.notifications.support import run
from tests.participants.support import future_meeting

pytestmark = pytest.mark.django_db

TOKEN = "Xq3v0yJH7c1bZ2kP9tLw4mNaRs8dEfGu5hIoKjB6e-_"


@pytest.fixture
def meeting():
    return future_meeting(hold_bulk_mail_over=2)


def page_url(meeting, **query):
    url = reverse("outbox:page", kwargs={"slug": meeting.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_counts_lists_the_queue_and_failures(client, organiser, meeting):
    queued = MessageFactory(meeting=meeting, recipient="mensah@example.org")
    failed = MessageFactory(
        meeting=meeting,
        status=MessageStatus.FAILED,
        recipient="owusu@example.org",
        last_error="SMTPRecipientsRefused: 550 no such user",
    )
    MessageFactory(meeting=meeting, status=MessageStatus.SENT)
    MessageFactory(meeting=MeetingFactory(), status=MessageStatus.FAILED)  # another meeting

    page = client.get(page_url(meeting))

    assert page.status_code == 200
    assert dict(page.context["counts"]) == {
        "Queued": 1,
        "Sending": 0,
        "Sent": 1,
        "Failed": 1,
        "Cancelled": 0,
        "Held for review": 0,
    }
    assert page.context["queue"] == [queued]
    assert page.context["failures"] == [failed]
    assert "SMTPRecipientsRefused: 550 no such user" in page.content.decode()


def test_resend_puts_a_failed_message_back_in_the_queue(
    client, organiser, meeting, django_capture_on_commit_callbacks
):
    failed = MessageFactory(meeting=meeting, status=MessageStatus.FAILED, last_error="550")
    url = reverse("outbox:resend", kwargs={"slug": meeting.slug, "pk": failed.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    outbox.deliver(failed.pk)

    failed.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, page_url(meeting))
    assert failed.status == MessageStatus.SENT
    assert [email.to for email in mail.outbox] == [[failed.recipient]]


def test_the_page_hides_tokens_in_bodies_and_subjects(client, organiser, meeting):
    link = f"https://egm.example.org/m/{meeting.slug}/invitation/{TOKEN}/accept/"
    MessageFactory(meeting=meeting, subject="Your invitation", body_text=f"Accept: {link}")
    MessageFactory(
        meeting=meeting, status=MessageStatus.FAILED, body_text=f"Accept: {link}", last_error="x"
    )

    page = client.get(page_url(meeting)).content.decode()

    assert TOKEN not in page
    assert f"/m/{meeting.slug}/invitation/[redacted]/accept/" in page


def test_a_real_invitation_shows_without_its_token(client, organiser, meeting, settings):
    participant = ParticipantFactory(meeting=meeting, email="mensah@example.org")
    services.invite_participants(meeting=meeting, participant_ids=[participant.pk], sent_by=None)
    participant.refresh_from_db()
    token = tokens.invitation_token(participant)

    pages = [
        client.get(page_url(meeting)).content.decode(),
        client.get(page_url(meeting, to="mensah@example.org")).content.decode(),
        client.get(
            reverse(
                "participant:organise_participant",
                kwargs={"slug": meeting.slug, "pk": participant.pk},
            )
        ).content.decode(),
    ]

    assert token in Message.objects.get().body_text
    assert [token in page for page in pages] == [False, False, False]
    assert all("[redacted]" in page for page in pages)


def test_another_meetings_organiser_gets_404(client, meeting):
    other = MeetingFactory()
    user = UserFactory()
    other.organisers.add(user)
    client.force_login(user)
    failed = MessageFactory(meeting=meeting, status=MessageStatus.FAILED)
    held = MessageFactory(meeting=meeting, status=MessageStatus.HELD, batch="b1")
    slug = meeting.slug

    responses = [
        client.get(page_url(meeting)),
        client.post(reverse("outbox:resend", kwargs={"slug": slug, "pk": failed.pk})),
        client.get(reverse("outbox:batch", kwargs={"slug": slug, "batch": "b1"})),
        client.post(reverse("outbox:release", kwargs={"slug": slug, "batch": "b1"})),
        client.post(reverse("outbox:cancel", kwargs={"slug": slug, "batch": "b1"})),
        # Their own meeting's URL cannot reach this meeting's messages either.
        client.post(reverse("outbox:resend", kwargs={"slug": other.slug, "pk": failed.pk})),
        client.get(reverse("outbox:batch", kwargs={"slug": other.slug, "batch": "b1"})),
    ]

    assert [response.status_code for response in responses] == [404] * 7
    failed.refresh_from_db()
    held.refresh_from_db()
    assert (failed.status, held.status) == (MessageStatus.FAILED, MessageStatus.HELD)


def test_signed_out_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(page_url(meeting))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_organisers_preview_then_release_a_held_batch(
    client, organiser, meeting, django_capture_on_commit_callbacks, broker_tasks
):
    people = [ParticipantFactory(meeting=meeting) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_participants(
            meeting=meeting, participant_ids=[p.pk for p in people], sent_by=None
        )
    (held,) = client.get(page_url(meeting)).context["held_batches"]
    batch_url = reverse("outbox:batch", kwargs={"slug": meeting.slug, "batch": held.batch})

    preview = client.get(batch_url)
    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(
            reverse("outbox:release", kwargs={"slug": meeting.slug, "batch": held.batch})
        )
    run(broker_tasks())

    assert (held.kind, held.messages) == ("participants.invitation", 3)
    assert preview.status_code == 200
    assert preview.context["sample"].subject in preview.content.decode()
    assert "[redacted]" in preview.content.decode()
    assert (released.status_code, released["Location"]) == (302, page_url(meeting))
    assert sorted(email.to[0] for email in mail.outbox) == sorted(p.email for p in people)
    assert client.get(batch_url).status_code == 404
    released_entries = [
        entry
        for person in people
        for entry in Message.history.filter(recipient=person.email)
        if entry.history_change_reason == "Released after review"
    ]
    assert [entry.history_user for entry in released_entries] == [organiser] * 3


def test_organisers_cancel_a_held_batch(client, organiser, meeting, broker_tasks):
    MessageFactory.create_batch(3, meeting=meeting, status=MessageStatus.HELD, batch="b1")

    response = client.post(reverse("outbox:cancel", kwargs={"slug": meeting.slug, "batch": "b1"}))

    assert response.status_code == 302
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    assert (broker_tasks(), mail.outbox) == ([], [])
    cancelled = Message.history.filter(history_change_reason="Cancelled after review")
    assert [(entry.status, entry.history_user) for entry in cancelled] == [
        (MessageStatus.CANCELLED, organiser)
    ] * 3


def test_one_persons_history_on_the_outbox_and_their_organiser_page(client, organiser, meeting):
    participant = ParticipantFactory(meeting=meeting, email="Mensah@example.org")
    mine = [
        MessageFactory(meeting=meeting, recipient="mensah@example.org", subject="First"),
        MessageFactory(meeting=meeting, recipient="Mensah@example.org", subject="Second"),
    ]
    MessageFactory(meeting=meeting, recipient="owusu@example.org", subject="Not theirs")
    MessageFactory(meeting=MeetingFactory(), recipient="mensah@example.org", subject="Elsewhere")

    history = client.get(page_url(meeting, to="mensah@example.org"))
    person_page = client.get(
        reverse(
            "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": participant.pk}
        )
    )

    assert sorted(m.pk for m in history.context["history"]) == sorted(m.pk for m in mine)
    text = person_page.content.decode()
    assert ("First" in text, "Second" in text, "Not theirs" in text, "Elsewhere" in text) == (
        True,
        True,
        False,
        False,
    )


def test_the_trackers_and_reminders_link_to_the_outbox(client, organiser, meeting):
    link = f'href="{page_url(meeting)}"'
    pages = [
        reverse("participants:tracker", kwargs={"slug": meeting.slug}),
        reverse("papers:tracker", kwargs={"slug": meeting.slug}),
        reverse("reminders:list", kwargs={"slug": meeting.slug}),
    ]

    assert [link in client.get(url).content.decode() for url in pages] == [True, True, True]


def _fill(meeting, count: int) -> None:
    for status in (MessageStatus.QUEUED, MessageStatus.FAILED, MessageStatus.SENT):
        MessageFactory.create_batch(count, meeting=meeting, status=status)
    MessageFactory.create_batch(count, meeting=meeting, status=MessageStatus.HELD, batch="b1")


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_runs_the_same_queries_however_many_messages(
    client, organiser, meeting, django_assert_num_queries, count
):
    _fill(meeting, count)
    client.get(page_url(meeting))  # warm the session and the user

    with django_assert_num_queries(QUERIES):
        page = client.get(page_url(meeting))

    assert len(page.context["queue"]) == count


# Session, user, meeting and its permission, then counts, queue, failures, held, recipients.
QUERIES = 9


def test_inviting_from_the_tracker_says_the_mail_waits_for_review(client, organiser, meeting):
    people = [ParticipantFactory(meeting=meeting) for _ in range(3)]
    tracker = reverse("participants:tracker", kwargs={"slug": meeting.slug})

    response = client.post(
        reverse("participant:invite", kwargs={"slug": meeting.slug}),
        {"participant": [p.pk for p in people], "next": tracker},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Invitations queued: 3.",
        "They wait for an organiser's review on the outbox page.",
    ]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.HELD}
