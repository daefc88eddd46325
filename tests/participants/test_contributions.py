"""The registry through which other apps add checklist steps and personal calendar events."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from agenda.calendars import Flight
from participants import contributions
from participants.models import Role
from participants.portal import Step, StepState, checklist
from participants.programme.services import ensure_calendar_token
from tests.agenda.ics import events_by_summary, parse

from .support import accepted, clear_cache, future_meeting  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Leave the registry as the apps' ready() filled it, whatever a test adds."""
    steps = list(contributions._checklist_sources)
    events = list(contributions._event_sources)
    yield
    contributions._checklist_sources[:] = steps
    contributions._event_sources[:] = events


def test_checklist_gathers_every_apps_steps_in_order():
    participant = accepted(role=Role.EXPERT)
    assert [step.key for step in checklist(participant)] == [
        "respond",
        "register",
        "visa",
        "travel",
        "hotel",
        "paper",
    ]
    assert [step.order for step in checklist(participant)] == [10, 20, 30, 40, 45, 50]


def test_a_registered_step_takes_its_place_by_order(registry):
    participant = accepted(role=Role.EXPERT)

    def badge(person):
        return [Step("badge", f"Badge for {person.given_name}", StepState.LATER, order=35)]

    contributions.register_checklist_steps(badge)
    contributions.register_checklist_steps(badge)

    steps = contributions.checklist_steps(participant)
    assert [step.key for step in steps] == [
        "respond",
        "register",
        "visa",
        "badge",
        "travel",
        "hotel",
        "paper",
    ]
    assert steps[3].title == f"Badge for {participant.given_name}"


def test_a_registered_step_shows_in_the_portal_page(client, registry):
    participant = accepted(role=Role.EXPERT)
    contributions.register_checklist_steps(
        lambda person: [Step("badge", "Collect your badge", StepState.OWED, order=35)]
    )
    client.force_login(participant.user)

    page = client.get(
        reverse("participant:portal", kwargs={"slug": participant.meeting.slug})
    ).content.decode()

    assert page.index("Visa support letter") < page.index("Collect your badge")
    assert page.index("Collect your badge") < page.index("Travel details")


def test_registered_personal_events_go_into_the_personal_feed(client, registry):
    participant = accepted(role=Role.EXPERT)
    meeting = participant.meeting
    arrival = dt.datetime.combine(meeting.starts_on, dt.time(7, 15), tzinfo=meeting.zone)
    contributions.register_personal_events(
        lambda person: [Flight(person.pk, "arrival", "ET921", arrival, uuid.uuid4())]
    )
    token = ensure_calendar_token(participant=participant)

    response = client.get(
        reverse("agenda:personal_ics", kwargs={"slug": meeting.slug, "token": token})
    )

    events = events_by_summary(parse(response.content))
    assert events["Arrival: flight ET921"]["DTSTART"].dt.replace(tzinfo=None) == (
        dt.datetime.combine(meeting.starts_on, dt.time(7, 15))
    )
