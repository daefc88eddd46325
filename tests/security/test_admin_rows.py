"""An organiser of one meeting, in the admin, tries every row of another meeting: the demo
meeting, which has rows in every model (venues and rooms included), plus a message."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from agenda.demo import load_demo
from agenda.models import Meeting, Room
from participants.organisers import ensure_organiser_group
from tests.factories import MeetingFactory, MessageFactory, UserFactory, VenueFactory

pytestmark = pytest.mark.django_db

# Models no organiser manages; superusers only (their pages answer 403 to organisers).
GLOBAL_MODELS = {"auth.group", "participants.user", "sites.site"}


@pytest.fixture
def intruder(client):
    """A staff organiser of a meeting of their own, signed in."""
    user = UserFactory(is_staff=True)
    user.groups.add(ensure_organiser_group())
    venue = VenueFactory(name="Kempinski Hotel Gold Coast City", city="Accra")
    MeetingFactory(slug="elsewhere", venue=venue).organisers.add(user)
    client.force_login(user)
    return client


@pytest.fixture
def victim():
    demo = load_demo()
    MessageFactory(meeting=demo.meeting)
    return demo.meeting


def own_rows() -> set[tuple[str, int]]:
    """The intruder's own meeting, its venue and that venue's rooms."""
    meeting = Meeting.objects.get(slug="elsewhere")
    return {
        ("agenda.meeting", meeting.pk),
        ("agenda.venue", meeting.venue_id),
        *(
            ("agenda.room", pk)
            for pk in Room.objects.filter(venue=meeting.venue_id).values_list("pk", flat=True)
        ),
    }


def other_meetings_rows():
    own = own_rows()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        rows = [row for row in model._default_manager.all()[:20] if (label, row.pk) not in own][:3]
        yield label, model, model_admin, rows


def test_admin_change_pages_of_another_meetings_rows_are_closed(intruder, victim):
    swept = {label for label, _model, _admin, rows in other_meetings_rows() if rows}
    assert swept >= {
        "agenda.meeting", "agenda.venue", "agenda.room", "agenda.session", "agenda.deadline",
        "agenda.workinggroup", "participants.participant", "participants.registration",
        "participants.paper", "notifications.message",
    }  # fmt: skip
    opened = []
    for label, model, _admin, rows in other_meetings_rows():
        for row in rows:
            try:
                url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                    args=[row.pk],
                )
            except NoReverseMatch:
                continue
            response = intruder.get(url)
            if response.status_code == 200:
                opened.append((label, row.pk))
    assert opened == []


def test_admin_lists_show_none_of_another_meetings_rows(intruder, victim):
    shown = {}
    for label, model, _admin, rows in other_meetings_rows():
        if not rows or label in GLOBAL_MODELS:
            continue
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue
        response = intruder.get(url)
        if response.status_code != 200:
            continue
        visible = {obj.pk for obj in response.context["cl"].result_list} & {row.pk for row in rows}
        if visible:
            shown[label] = sorted(visible)
    assert shown == {}
