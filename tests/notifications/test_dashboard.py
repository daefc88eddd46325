"""The dashboard's reminders panel: before each deadline ahead, every reminder still to go with
its local time, and to how many people it would go now, each number opening the rule's page
that names exactly them; paused rules and reminders already sent are shown as such."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.models import DeadlineKind
from notifications import forecast, reminders
from notifications.models import ReminderAudience, ReminderFiring, ReminderFiringStatus
from participants.models import Status
from participants.papers.services import submit_paper
from tests.factories import DeadlineFactory, ParticipantFactory, UserFactory
from tests.notifications.support import ACCRA, NOW
from tests.participants.paper_files import pdf_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def make_rule(deadline, name="Paper reminders", audience=ReminderAudience.PAPER_MISSING, **kw):
    subject, body = reminders.default_templates(audience)
    return reminders.save_rule(
        deadline=deadline,
        name=name,
        audience=audience,
        offsets=kw.pop("offsets", reminders.PAPER_DEFAULT_OFFSETS),
        subject_template=subject,
        body_template=body,
        **kw,
    )


def expert(meeting, family_name, **fields):
    return ParticipantFactory(
        meeting=meeting,
        status=fields.pop("status", Status.REGISTERED),
        family_name=family_name,
        email=f"{family_name.lower()}@example.org",
        **fields,
    )


def panel_of(client, meeting):
    response = client.get(reverse("participants:dashboard", kwargs={"slug": meeting.slug}))
    assert response.status_code == 200
    return next(panel for panel, _ in response.context["panels"] if panel.slug == "reminders")


def rows_of(table):
    return [(label, [(cell.number, cell.text) for cell in cells]) for label, cells in table.rows]


def test_each_reminder_to_come_shows_its_local_time_and_how_many_owe(client, organiser, meeting):
    rule = make_rule(meeting.deadlines.get())
    mensah, owusu = expert(meeting, "Mensah"), expert(meeting, "Owusu")
    expert(meeting, "Observer", role="observer")  # owes no paper
    expert(meeting, "Declined", status=Status.DECLINED)

    (table,) = panel_of(client, meeting).tables

    assert table.caption == (
        "Expert paper: due Thursday 5 November 2009, 23:59 Africa/Accra (GMT) (in 2 weeks)"
    )
    assert table.columns == ["Sends (Africa/Accra (GMT))", "State", "Would go to"]
    assert rows_of(table) == [
        ("Paper reminders: 14 days before, at 08:00",
         [(None, "Thu 22 Oct 2009, 08:00"), (None, "Will send"), (2, "owe now")]),
        ("Paper reminders: 7 days before, at 08:00",
         [(None, "Thu 29 Oct 2009, 08:00"), (None, "Will send"), (2, "owe now")]),
        ("Paper reminders: 2 days before, at 08:00",
         [(None, "Tue 3 Nov 2009, 08:00"), (None, "Will send"), (2, "owe now")]),
        ("Paper reminders: on the day, at 08:00",
         [(None, "Thu 5 Nov 2009, 08:00"), (None, "Will send"), (2, "owe now")]),
    ]  # fmt: skip
    url = table.rows[0][1][2].url
    assert url == f"/m/{meeting.slug}/organise/reminders/{rule.pk}/#next-heading"
    listed = client.get(url).context["preview"].recipients
    assert listed == [mensah, owusu]


def test_someone_who_submits_drops_out_of_the_count_and_of_the_list(client, organiser, meeting):
    make_rule(meeting.deadlines.get())
    mensah = expert(meeting, "Mensah")
    owusu = expert(meeting, "Owusu", user=UserFactory(email="owusu@example.org"))
    submit_paper(
        participant=owusu,
        title="Social integration in West Africa",
        abstract="",
        consent_publish=True,
        upload=SimpleUploadedFile("paper.pdf", pdf_bytes(6)),
        uploaded_by=owusu.user,
    )

    (table,) = panel_of(client, meeting).tables
    people = table.rows[0][1][2]

    assert people.number == 1
    assert client.get(people.url).context["preview"].recipients == [mensah]
    page = client.get(reverse("participants:dashboard", kwargs={"slug": meeting.slug}))
    assert f'href="{people.url}">1<span class="visually-hidden">' in page.content.decode()


def test_sent_and_paused_reminders_are_shown_as_such(client, organiser, meeting):
    deadline = meeting.deadlines.get()
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        rule = make_rule(deadline)
    ReminderFiring.objects.create(
        rule=rule,
        offset="14d@0800",
        deadline_due_at=deadline.due_at,
        due_at=dt.datetime(2009, 10, 22, 8, 0, tzinfo=ACCRA),
        fired_at=dt.datetime(2009, 10, 22, 8, 0, tzinfo=ACCRA),
        status=ReminderFiringStatus.SENT,
        recipients=3,
    )
    registration = DeadlineFactory(
        meeting=meeting,
        kind=DeadlineKind.REGISTRATION,
        roles=[],
        due_at=dt.datetime(2009, 11, 10, 17, 0, tzinfo=ACCRA),
    )
    paused = make_rule(
        registration,
        name="Registration reminders",
        audience=ReminderAudience.NOT_REGISTERED,
        offsets=[{"days": 3, "time": "09:00"}],
        is_active=False,
    )
    expert(meeting, "Mensah", status=Status.ACCEPTED)

    panel = panel_of(client, meeting)
    papers, registrations = panel.tables

    assert [cells[1].text for _, cells in papers.rows] == [
        "Sent to 3",
        "Will send",
        "Will send",
        "Will send",
    ]
    assert papers.rows[0][1][2].text == "-"
    assert rows_of(registrations) == [
        ("Registration reminders: 3 days before, at 09:00",
         [(None, "Sat 7 Nov 2009, 09:00"), (None, "Paused: the rule is switched off"),
          (1, "owe now, if switched on")]),
    ]  # fmt: skip
    (attention,) = panel.attention
    assert (attention.number, attention.url) == (
        1,
        f"/m/{meeting.slug}/organise/reminders/{paused.pk}/#next-heading",
    )


def test_a_deadline_without_a_rule_says_nothing_is_sent(client, organiser, meeting):
    (table,) = panel_of(client, meeting).tables

    assert rows_of(table) == [
        ("No reminder rule", [(None, "-"), (None, "Nothing is sent"), (None, "-")])
    ]


def test_passed_deadlines_are_left_out(client, organiser, meeting):
    make_rule(meeting.deadlines.get())

    with time_machine.travel(dt.datetime(2009, 11, 6, tzinfo=ACCRA), tick=False):
        client.force_login(organiser)  # the first session has expired by then
        panel = panel_of(client, meeting)

    assert panel.tables == []
    assert panel.intro == "No deadline ahead: no reminder will be sent."


def test_the_panel_reads_three_queries_whatever_the_number_of_rules(
    client, organiser, meeting, django_assert_num_queries
):
    deadline = meeting.deadlines.get()
    make_rule(deadline)
    for family in ("Mensah", "Owusu", "Asante"):
        expert(meeting, family)
    meeting = type(meeting).objects.prefetch_related("deadlines").get(pk=meeting.pk)

    with django_assert_num_queries(3):
        forecast.upcoming(meeting, now=NOW)
    for index in range(4):
        make_rule(deadline, name=f"Rule {index}", offsets=[{"days": index + 1, "time": ""}])
    with django_assert_num_queries(3):
        ahead = forecast.upcoming(meeting, now=NOW)

    assert [rule.audience for rule in ahead[0].rules] == [3, 3, 3, 3, 3]
