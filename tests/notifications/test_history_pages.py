"""The history of reminder rules and messages on their organiser pages: who changed what, from
what to what; a message is cancelled or resent from its own page, reached from the outbox."""

import pytest
from django.urls import reverse

from notifications import outbox, reminders
from notifications.models import Message, MessageStatus, ReminderAudience
from tests.factories import MeetingFactory, MessageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def organiser(client, meeting):
    user = UserFactory(email="secretariat.officer@example.org")
    meeting.organisers.add(user)
    client.force_login(user)
    return user


def _history(page: str) -> str:
    return page[page.index('id="history-heading"') :]


def test_editing_a_rule_on_its_page_shows_who_changed_what(client, organiser, meeting):
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    rule = reminders.save_rule(
        deadline=meeting.deadlines.get(),
        name="Paper reminders",
        audience=ReminderAudience.PAPER_MISSING,
        offsets=[{"days": 7, "time": "08:00"}],
        subject_template=subject,
        body_template=body,
    )
    url = reverse("reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk})
    form = client.get(url).context["form"]
    # Without "is_active": the box unticked, the rule switched off.
    data = {
        name: value for name, value in form.initial.items() if name not in ("selected", "is_active")
    }

    response = client.post(url, {**data, "offsets": "7d 08:00, 2d 08:00"})

    assert response.status_code == 302
    history = _history(client.get(url).content.decode())
    assert '<td data-label="Who">secretariat.officer@example.org</td>' in history
    assert '<td data-label="What">Reminder rule changed</td>' in history
    assert (
        "<li>Offsets: [{&#x27;days&#x27;: 7, &#x27;time&#x27;: &#x27;08:00&#x27;}] &rarr; "
        "[{&#x27;days&#x27;: 7, &#x27;time&#x27;: &#x27;08:00&#x27;}, "
        "{&#x27;days&#x27;: 2, &#x27;time&#x27;: &#x27;08:00&#x27;}]</li>"
    ) in history
    assert "<li>Is active: yes &rarr; no</li>" in history
    assert '<td data-label="Who">system</td>' in history  # made by a service, no one signed in


def test_a_failed_message_resent_from_the_outbox_shows_who_resent_it(client, organiser, meeting):
    message = MessageFactory(meeting=meeting, recipient="ama@example.org")
    message.status = MessageStatus.FAILED
    message.last_error = "550 mailbox unavailable"
    message.save()
    outbox_page = client.get(reverse("outbox:page", kwargs={"slug": meeting.slug}))
    page_url = reverse("outbox:message", kwargs={"slug": meeting.slug, "pk": message.pk})
    assert f'href="{page_url}"' in outbox_page.content.decode()

    client.post(
        reverse("outbox:resend", kwargs={"slug": meeting.slug, "pk": message.pk}),
        {"back": "message"},
    )

    history = _history(client.get(page_url).content.decode())
    assert '<td data-label="What">Message changed: Resent</td>' in history
    assert "<li>Status: Failed &rarr; Queued</li>" in history
    assert '<td data-label="Who">secretariat.officer@example.org</td>' in history


def test_a_queued_message_cancelled_on_its_page_shows_who_cancelled_it(client, organiser, meeting):
    message = outbox.queue(
        recipient="kofi@example.org",
        subject="Your registration",
        body_text="Dear Kofi",
        kind="test",
        idempotency_key="history-cancel",
        meeting=meeting,
    )
    person = client.get(
        reverse("outbox:page", kwargs={"slug": meeting.slug}) + "?to=kofi@example.org"
    ).content.decode()
    page_url = reverse("outbox:message", kwargs={"slug": meeting.slug, "pk": message.pk})
    assert f'href="{page_url}"' in person

    response = client.post(
        reverse("outbox:cancel_message", kwargs={"slug": meeting.slug, "pk": message.pk})
    )

    assert response["Location"] == page_url
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    page = client.get(page_url).content.decode()
    history = _history(page)
    assert '<td data-label="What">Message changed: Cancelled</td>' in history
    assert "<li>Status: Queued &rarr; Cancelled</li>" in history
    assert '<td data-label="Who">secretariat.officer@example.org</td>' in history
    assert "Dear Kofi" not in history  # bodies are never in the history
    assert "Cancel: do not send" not in page


def test_another_meetings_message_page_is_not_found(client, organiser, meeting):
    elsewhere = MessageFactory(meeting=MeetingFactory())

    for name in ("outbox:message", "outbox:cancel_message"):
        url = reverse(name, kwargs={"slug": meeting.slug, "pk": elsewhere.pk})
        response = client.post(url) if "cancel" in name else client.get(url)
        assert response.status_code == 404
    assert Message.objects.get(pk=elsewhere.pk).status == MessageStatus.QUEUED
