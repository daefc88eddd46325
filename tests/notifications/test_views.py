"""The organisers' reminder pages and "remind the selected" from the trackers."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from notifications import reminders
from notifications.models import Message, ReminderAudience, ReminderRule
from participants.models import Status
from tests.factories import ParticipantFactory, UserFactory
from tests.notifications.support import ACCRA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def rule(meeting):
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)
    return reminders.save_rule(
        deadline=meeting.deadlines.get(),
        name="Paper reminders",
        audience=ReminderAudience.PAPER_MISSING,
        offsets=reminders.PAPER_DEFAULT_OFFSETS,
        subject_template=subject,
        body_template=body,
    )


def expert(meeting, family_name, **fields):
    return ParticipantFactory(
        meeting=meeting,
        status=Status.REGISTERED,
        family_name=family_name,
        email=f"{family_name.lower()}@example.org",
        **fields,
    )


def test_the_rules_page_shows_next_sending_and_how_many_owe(client, organiser, meeting, rule):
    expert(meeting, "Mensah")
    expert(meeting, "Owusu")

    response = client.get(reverse("reminders:list", kwargs={"slug": meeting.slug}))

    assert response.status_code == 200
    ((shown, offset, at, count),) = response.context["rows"]
    assert (shown, offset.label, at, count) == (
        rule,
        "14 days before, at 08:00",
        dt.datetime(2009, 10, 22, 8, 0, tzinfo=ACCRA),
        2,
    )
    assert "Thu 22 Oct 2009 08:00 (14 days before, at 08:00)" in response.content.decode()


def test_the_trackers_link_to_the_reminders(client, organiser, meeting):
    url = reverse("reminders:list", kwargs={"slug": meeting.slug})

    for tracker in ("participants:tracker", "papers:tracker"):
        page = client.get(reverse(tracker, kwargs={"slug": meeting.slug})).content.decode()
        assert f'href="{url}"' in page


def test_an_organiser_creates_a_rule_with_the_paper_defaults(client, organiser, meeting):
    deadline = meeting.deadlines.get()
    url = reverse("reminders:new", kwargs={"slug": meeting.slug})
    form = client.get(url, {"deadline": deadline.pk}).context["form"]
    data = {name: value for name, value in form.initial.items() if name != "selected"}
    data["is_active"] = "on"

    response = client.post(url, data)

    rule = ReminderRule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk}
    )
    assert (rule.name, rule.audience, rule.offsets, rule.created_by) == (
        "Expert paper reminders",
        ReminderAudience.PAPER_MISSING,
        reminders.PAPER_DEFAULT_OFFSETS,
        organiser,
    )


def test_a_rule_sending_after_the_deadline_is_refused_on_the_page(client, organiser, meeting):
    deadline = meeting.deadlines.get()
    subject, body = reminders.default_templates(ReminderAudience.PAPER_MISSING)

    response = client.post(
        reverse("reminders:new", kwargs={"slug": meeting.slug}),
        {
            "deadline": deadline.pk,
            "name": "Too late",
            "audience": ReminderAudience.PAPER_MISSING,
            "offsets": "7d 08:00, 0d",
            "subject_template": subject,
            "body_template": body,
            "is_active": "on",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["offsets"] == [
        "The reminder at the due time would go Thursday 5 November 2009, 23:59 Africa/Accra "
        "(GMT), not before the deadline (Thursday 5 November 2009, 23:59 Africa/Accra (GMT))."
    ]
    assert ReminderRule.objects.count() == 0


def test_the_rule_page_previews_the_message_for_the_first_recipient(
    client, organiser, meeting, rule
):
    expert(meeting, "Mensah", given_name="Ama", honorific="Dr.")

    response = client.get(reverse("reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk}))

    preview = response.context["preview"]
    assert [person.email for person in preview.recipients] == ["mensah@example.org"]
    assert preview.sample.subject == "EGM Social Integration: Expert paper due 5 November 2009"
    assert preview.sample.body.startswith("Dear Dr. Ama Mensah,\n\n")
    assert "mensah@example.org" in response.content.decode()


def test_a_broken_template_shows_its_error_in_the_preview(client, organiser, meeting, rule):
    ReminderRule.objects.filter(pk=rule.pk).update(subject_template="{% url 'nowhere' %}")

    response = client.get(reverse("reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk}))

    assert response.context["preview"].error.startswith(
        "The template does not render: NoReverseMatch: Reverse for 'nowhere' not found."
    )
    assert "Nothing is sent by this rule until the template is corrected." in (
        response.content.decode()
    )


def test_remind_the_selected_previews_then_sends_to_those_who_owe(client, organiser, meeting, rule):
    owes = expert(meeting, "Mensah")
    done = expert(meeting, "Owusu", paper_requested=False)
    url = reverse("reminders:remind", kwargs={"slug": meeting.slug})
    back = reverse("papers:tracker", kwargs={"slug": meeting.slug})
    data = {"rule": rule.pk, "participant": [owes.pk, done.pk], "next": back}

    preview = client.post(url, data)
    assert Message.objects.count() == 0
    assert [p.pk for p in preview.context["preview"].recipients] == [owes.pk]
    assert preview.context["not_owed"] == [done]

    sent = client.post(url, {**data, "confirm": "1"})
    again = client.post(url, {**data, "confirm": "1"})

    assert (sent.status_code, sent["Location"], again.status_code) == (302, back, 302)
    assert list(Message.objects.values_list("recipient", "kind")) == [
        ("mensah@example.org", "reminder")
    ]


def test_reminder_pages_are_hidden_from_other_users(client, meeting, rule):
    client.force_login(UserFactory())

    for url in (
        reverse("reminders:list", kwargs={"slug": meeting.slug}),
        reverse("reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk}),
    ):
        assert client.get(url).status_code == 404


def test_both_trackers_offer_remind_the_selected_once_a_rule_exists(
    client, organiser, meeting, rule
):
    expert(meeting, "Mensah")
    action = reverse("reminders:remind", kwargs={"slug": meeting.slug})

    for tracker in ("participants:tracker", "papers:tracker"):
        page = client.get(reverse(tracker, kwargs={"slug": meeting.slug})).content.decode()
        assert f'formaction="{action}">Remind the selected (preview first)</button>' in page
        assert f'<option value="{rule.pk}">Paper reminders (Expert paper)</option>' in page


def test_remind_the_selected_with_a_broken_template_sends_nothing(client, organiser, meeting, rule):
    owes = expert(meeting, "Mensah")
    ReminderRule.objects.filter(pk=rule.pk).update(body_template="{% url 'nowhere' %}")
    url = reverse("reminders:remind", kwargs={"slug": meeting.slug})
    data = {"rule": rule.pk, "participant": [owes.pk], "confirm": "1"}

    response = client.post(url, data, follow=True)

    assert [str(message) for message in response.context["messages"]] == [
        "The template does not render: NoReverseMatch: Reverse for 'nowhere' not found. "
        "'nowhere' is not a valid view function or pattern name."
    ]
    assert Message.objects.count() == 0


def test_editing_a_rule_keeps_its_past_offsets_but_refuses_new_ones_in_the_past(
    client, organiser, meeting, rule
):
    url = reverse("reminders:rule", kwargs={"slug": meeting.slug, "pk": rule.pk})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if name != "selected"}
    data["is_active"] = "on"

    with time_machine.travel(dt.datetime(2009, 10, 23, 9, 0, tzinfo=ACCRA), tick=False):
        renamed = client.post(url, {**data, "name": "Paper reminders (renamed)"})
        refused = client.post(url, {**data, "offsets": data["offsets"] + ", 13d 08:00"})

    rule.refresh_from_db()
    assert (renamed.status_code, refused.status_code) == (302, 400)
    assert rule.name == "Paper reminders (renamed)"
    assert refused.context["form"].errors["offsets"] == [
        "The reminder 13 days before, at 08:00 would go Friday 23 October 2009, 08:00 "
        "Africa/Accra (GMT), before the rule was changed (Friday 23 October 2009, 09:00 "
        "Africa/Accra (GMT))."
    ]
