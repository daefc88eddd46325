"""Bidirectional controls and zero-width characters never reach a stored name or title:
the cleaning function, the model field on every kind of write, and the programme's entry
points (the organiser's session form, the services, the admin)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agenda import services
from agenda.models import Meeting, Session, SessionKind, WorkingGroup
from agenda.text import INVISIBLE, strip_invisible
from participants.organisers import ensure_organiser
from tests.factories import MeetingFactory, SessionFactory, UserFactory

from .conftest import at

# "Youth" written with a right-to-left override, a zero-width space, a word joiner, an
# isolate and a byte-order mark: on screen it reads like "Youth" or backwards.
TRICKED = "\u202eYo\u200bu\u2060t\u2066h\u2069\ufeff"


@pytest.mark.parametrize("char", sorted(INVISIBLE), ids=lambda char: f"U+{ord(char):04X}")
def test_strip_invisible_removes_each_character(char):
    assert strip_invisible(f"Am{char}a") == "Ama"


def test_strip_invisible_keeps_visible_text_in_every_script():
    text = "Ama Serwaa Mensah, Nguy\u1ec5n, \u0645\u062d\u0645\u062f, O'Brien \u2013 Ph.D."

    assert strip_invisible(text) == text
    assert strip_invisible(None) is None


def test_model_field_cleans_on_save_update_and_bulk_writes(db):
    meeting = MeetingFactory(title=f"{TRICKED} meeting")
    meeting.refresh_from_db()
    assert meeting.title == "Youth meeting"

    Meeting.objects.filter(pk=meeting.pk).update(short_title=f"Short{TRICKED}")
    group = WorkingGroup(meeting=meeting, name=TRICKED, slug="youth")
    WorkingGroup.objects.bulk_create([group])
    group = WorkingGroup.objects.get(slug="youth")
    group.name = f"{TRICKED} and employment"
    WorkingGroup.objects.bulk_update([group], ["name"])

    assert Meeting.objects.values_list("short_title", flat=True).get() == "ShortYouth"
    assert WorkingGroup.objects.get(slug="youth").name == "Youth and employment"


def test_model_full_clean_refuses_a_title_of_invisible_characters_only(db):
    meeting = MeetingFactory.build(title="\u200b\u202e\ufeff", venue=None)

    with pytest.raises(ValidationError) as error:
        meeting.full_clean()

    assert list(error.value.message_dict) == ["title"]


def test_create_session_stores_a_clean_title(accra):
    meeting = accra["meeting"]

    result = services.create_session(
        meeting=meeting,
        kind=SessionKind.PLENARY,
        title=f"{TRICKED} panel",
        starts_at=at(meeting, 1, 14),
        ends_at=at(meeting, 1, 15),
    )

    assert Session.objects.get(pk=result.session.pk).title == "Youth panel"


def test_update_session_with_only_invisible_characters_added_changes_nothing(accra):
    session = accra["opening"]

    services.update_session(session=session, title="\u200bOpening\u202e session\u2069")

    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Opening session", 0)


def test_organiser_session_form_stores_a_clean_title(client, accra):
    user = UserFactory(email="organiser@example.org")
    accra["meeting"].organisers.add(user)
    client.force_login(user)

    response = client.post(
        reverse("agenda:organise_new", kwargs={"slug": "accra-2009"}),
        {
            "kind": SessionKind.PLENARY,
            "title": f"{TRICKED} panel",
            "starts_at": "2009-11-18T14:00",
            "ends_at": "2009-11-18T15:00",
        },
    )

    assert response.status_code == 302
    assert Session.objects.filter(title="Youth panel").count() == 1


def test_organiser_session_form_refuses_an_invisible_title_and_writes_nothing(client, accra):
    user = UserFactory(email="organiser@example.org")
    accra["meeting"].organisers.add(user)
    client.force_login(user)
    before = Session.objects.count()

    response = client.post(
        reverse("agenda:organise_new", kwargs={"slug": "accra-2009"}),
        {
            "kind": SessionKind.PLENARY,
            "title": "\u200b\u202e",
            "starts_at": "2009-11-18T14:00",
            "ends_at": "2009-11-18T15:00",
        },
    )

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert Session.objects.count() == before


def test_admin_stores_clean_working_group_and_session_names(client, db):
    meeting = MeetingFactory()
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=[meeting]
    )
    client.force_login(user)

    client.post(
        reverse("admin:agenda_workinggroup_add"),
        {"meeting": meeting.pk, "name": TRICKED, "slug": "youth", "description": ""},
    )
    session = SessionFactory(meeting=meeting, title="Opening")
    client.post(
        reverse("admin:agenda_session_change", args=[session.pk]),
        {
            "meeting": meeting.pk,
            "kind": session.kind,
            "title": f"Opening {TRICKED}",
            "starts_at_0": f"{meeting.local(session.starts_at):%Y-%m-%d}",
            "starts_at_1": f"{meeting.local(session.starts_at):%H:%M:%S}",
            "ends_at_0": f"{meeting.local(session.ends_at):%Y-%m-%d}",
            "ends_at_1": f"{meeting.local(session.ends_at):%H:%M:%S}",
            "status": session.status,
            "people-TOTAL_FORMS": 0,
            "people-INITIAL_FORMS": 0,
        },
    )

    assert WorkingGroup.objects.get(meeting=meeting).name == "Youth"
    assert Session.objects.get(pk=session.pk).title == "Opening Youth"


def test_admin_meeting_title_is_stored_clean(client, db):
    meeting = MeetingFactory(starts_on=dt.date(2009, 11, 17), ends_on=dt.date(2009, 11, 19))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:agenda_meeting_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and name not in ("organisers", "venue")
    }
    data.update(
        title=f"{TRICKED} meeting",
        venue=meeting.venue_id,
        **{
            f"{prefix}-{key}": 0
            for prefix in ("deadlines", "role_quotas", "working_groups", "sessions")
            for key in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Meeting.objects.get(pk=meeting.pk).title == "Youth meeting"
