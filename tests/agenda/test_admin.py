"""The admin: every model's pages open, and an organiser sees only their own meetings."""

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaChange, Deadline, Meeting, RoleQuota, Session
from logistics.models import (
    Embassy,
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterBatch,
    LetterRequest,
    LetterTemplate,
    TravelPlan,
)
from notifications.models import Message, MessageStatus, ReminderFiring, ReminderRule
from participants.models import (
    DeletionRequest,
    Paper,
    PaperVersion,
    Participant,
    Registration,
    SessionRole,
    StatusChange,
)
from participants.organisers import ensure_organiser
from tests.factories import (
    DeadlineFactory,
    MeetingFactory,
    ParticipantFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def rows_of_every_model(meeting: Meeting, tag: str) -> dict:
    """One row of every model the admin shows, belonging to ``meeting``."""
    now = timezone.now()
    room = RoomFactory(venue=meeting.venue)
    group = WorkingGroupFactory(meeting=meeting)
    session = SessionFactory(meeting=meeting, room=room, working_group=group)
    deadline = DeadlineFactory(meeting=meeting)
    participant = ParticipantFactory(meeting=meeting, email=f"{tag}@example.org")
    paper = Paper.objects.create(participant=participant, title=f"Paper {tag}")
    PaperVersion.objects.create(
        paper=paper,
        number=1,
        file=f"papers/{tag}.pdf",
        original_name=f"{tag}.pdf",
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        uploaded_at=now,
    )
    Registration.objects.create(
        participant=participant,
        passport_name="MENSAH AMA",
        nationality="GH",
        date_of_birth=dt.date(1970, 1, 1),
        passport_number=f"G{tag.upper()}7788",
        passport_issuing_country="GH",
        passport_expires_on=dt.date(2030, 1, 1),
        emergency_contact_name="A. Mensah",
        emergency_contact_phone="+1 555 0100",
        completed_at=now,
    )
    DeletionRequest.objects.create(participant=participant, requested_at=now)
    rows = {
        "room": room,
        "session": session,
        "participant": participant,
        "quota": RoleQuota.objects.create(meeting=meeting, role="expert", limit=14),
        "status_change": StatusChange.objects.create(
            participant=participant, to_status="not_invited", changed_at=now
        ),
        "session_role": SessionRole.objects.create(
            session=session, participant=participant, part="chair"
        ),
        "visa_letter": Letter.objects.create(
            meeting=meeting,
            participant=participant,
            number=1,
            reference=f"VL-{tag}",
            embassy="Embassy of Ghana",
            verification_code=f"code-{tag}",
            issued_at=now,
        ),
        "travel": TravelPlan.objects.create(participant=participant, departure_city="Nairobi"),
        "embassy": (
            embassy := Embassy.objects.create(
                meeting=meeting, country="GB", name=f"High Commission of Ghana {tag}"
            )
        ),
        "letter_request": LetterRequest.objects.create(
            participant=participant, embassy=embassy, requested_at=now
        ),
        "letter_template": LetterTemplate.objects.create(
            meeting=meeting,
            kind="visa",
            reference_prefix=f"EGM/{tag}",
            letterhead="DSPD",
            body="Dear {embassy}",
            signatory_name="A. Signatory",
            signatory_title="Chief",
        ),
        "letter_batch": LetterBatch.objects.create(meeting=meeting, kind="visa"),
        "hotel_block": HotelBlock.objects.create(
            meeting=meeting,
            hotel=meeting.venue,
            first_night=meeting.starts_on,
            last_night=meeting.ends_on,
            rooms=10,
        ),
        "note": InformationNote.objects.create(meeting=meeting, version=1),
        "hotel": HotelBooking.objects.create(
            participant=participant,
            hotel=meeting.venue,
            check_in=meeting.starts_on,
            check_out=meeting.ends_on,
        ),
        "message": Message.objects.create(
            meeting=meeting,
            recipient=participant.email,
            subject=f"Invitation {tag}",
            body_text="Dear colleague",
            kind="invitation",
            idempotency_key=f"invite:{tag}",
        ),
        "reminder": ReminderRule.objects.create(
            deadline=deadline,
            name=f"Paper reminder {tag}",
            audience="paper_missing",
            offsets=[{"days": 7, "time": "08:00"}],
            subject_template="Your paper",
            body_template="Dear {{ name }}",
        ),
        "agenda_change": AgendaChange.objects.create(
            meeting=meeting, session=session, kind="changed", recorded_at=now
        ),
    }
    rows["firing"] = ReminderFiring.objects.create(
        rule=rows["reminder"],
        offset="7d@0800",
        deadline_due_at=deadline.due_at,
        due_at=deadline.due_at - dt.timedelta(days=7),
        fired_at=now,
        status="sent",
        recipients=1,
    )
    return rows


def organiser_of(*meetings):
    user, _ = ensure_organiser(
        email="organiser@example.org", password="a-long-test-password", meetings=meetings
    )
    return user


@pytest.fixture
def two_meetings():
    ours = MeetingFactory(slug="ours", title="Our meeting", short_title="Our meeting")
    theirs = MeetingFactory(slug="theirs", title="Their meeting", short_title="Their meeting")
    return ours, theirs, rows_of_every_model(ours, "ours"), rows_of_every_model(theirs, "theirs")


PROJECT_APPS = {"agenda", "participants", "logistics", "notifications"}
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS),
    key=lambda model: model._meta.label,
)


def test_admin_registers_every_project_model():
    from django.apps import apps

    models = {
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        # The audit log's history tables are never editable from the site (agenda/audit.py).
        if not hasattr(model, "instance_type")
    }
    assert models - set(admin.site._registry) == set()


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_admin_changelist_and_change_page_open_for_a_superuser(client, two_meetings, model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    opts = model._meta

    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    change = client.get(
        reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[model._default_manager.order_by("pk").first().pk],
        )
    )

    assert (changelist.status_code, change.status_code) == (200, 200)


SCOPED = [
    (Meeting, lambda meeting, rows: meeting),
    (Session, lambda meeting, rows: rows["session"]),
    (Deadline, lambda meeting, rows: meeting.deadlines.get()),
    (Participant, lambda meeting, rows: rows["participant"]),
    (Registration, lambda meeting, rows: rows["participant"].registration),
    (DeletionRequest, lambda meeting, rows: rows["participant"].deletion_request),
    (StatusChange, lambda meeting, rows: rows["status_change"]),
    (SessionRole, lambda meeting, rows: rows["session_role"]),
    (TravelPlan, lambda meeting, rows: rows["travel"]),
    (HotelBooking, lambda meeting, rows: rows["hotel"]),
    (Letter, lambda meeting, rows: rows["visa_letter"]),
    (Embassy, lambda meeting, rows: rows["embassy"]),
    (LetterRequest, lambda meeting, rows: rows["letter_request"]),
    (LetterTemplate, lambda meeting, rows: rows["letter_template"]),
    (LetterBatch, lambda meeting, rows: rows["letter_batch"]),
    (HotelBlock, lambda meeting, rows: rows["hotel_block"]),
    (InformationNote, lambda meeting, rows: rows["note"]),
    (Message, lambda meeting, rows: rows["message"]),
    (ReminderRule, lambda meeting, rows: rows["reminder"]),
    (ReminderFiring, lambda meeting, rows: rows["firing"]),
]


@pytest.mark.parametrize("model, row_of", SCOPED, ids=lambda value: getattr(value, "__name__", ""))
def test_admin_changelist_shows_an_organiser_only_their_meetings_rows(
    client, two_meetings, model, row_of
):
    ours, theirs, our_rows, their_rows = two_meetings
    client.force_login(organiser_of(ours))
    opts = model._meta

    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [row_of(ours, our_rows)]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:participants_participant_changelist",
        "admin:agenda_session_changelist",
        "admin:notifications_message_changelist",
        "admin:logistics_hotelbooking_changelist",
    ],
)
def test_admin_filters_never_name_another_meeting_to_an_organiser(client, two_meetings, url_name):
    ours, theirs, _, _ = two_meetings
    client.force_login(organiser_of(ours))

    response = client.get(reverse(url_name))

    # A filter offering every meeting would name theirs; only rows of ours are listed.
    assert response.status_code == 200
    assert "Their meeting" not in response.text


def test_admin_hides_another_meetings_participant_from_an_organiser(client, two_meetings):
    ours, theirs, our_rows, their_rows = two_meetings
    client.force_login(organiser_of(ours))
    url = reverse("admin:participants_participant_change", args=[their_rows["participant"].pk])

    response = client.get(url)

    # The admin answers a row outside the queryset as "does not exist" and goes home.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_admin_offers_an_organiser_only_their_meetings_in_a_session_form(client, two_meetings):
    ours, theirs, our_rows, their_rows = two_meetings
    client.force_login(organiser_of(ours))

    response = client.get(reverse("admin:agenda_session_add"))

    field = response.context["adminform"].form.fields["meeting"]
    assert list(field.queryset) == [ours]


def test_admin_refuses_staff_who_organise_nothing_and_have_no_permission(client, two_meetings):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:participants_participant_changelist"))

    assert response.status_code == 403


def test_admin_shows_an_organiser_with_a_permission_but_no_meeting_no_rows(client, two_meetings):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_participant"))
    client.force_login(user)

    response = client.get(reverse("admin:participants_participant_changelist"))

    assert list(response.context["cl"].result_list) == []


def test_admin_meeting_changelist_filters_by_date(client, two_meetings):
    ours, theirs, _, _ = two_meetings
    theirs.starts_on, theirs.ends_on = dt.date(2010, 3, 1), dt.date(2010, 3, 2)
    theirs.save()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:agenda_meeting_changelist"), {"starts_on__year": 2010})

    assert list(response.context["cl"].result_list) == [theirs]


def test_admin_message_cancel_action_stops_only_queued_mail(client, two_meetings):
    ours, _, our_rows, _ = two_meetings
    sent = Message.objects.create(
        meeting=ours,
        recipient="a@example.org",
        subject="Sent",
        body_text="x",
        kind="invitation",
        idempotency_key="sent-one",
        status=MessageStatus.SENT,
    )
    client.force_login(organiser_of(ours))

    response = client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "cancel_messages", "_selected_action": [our_rows["message"].pk, sent.pk]},
        follow=True,
    )

    statuses = dict(Message.objects.filter(meeting=ours).values_list("subject", "status"))
    assert statuses == {"Invitation ours": MessageStatus.CANCELLED, "Sent": MessageStatus.SENT}
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "1 message(s) cancelled.",
        "1 message(s) were already sending, sent, failed or cancelled.",
    ]


def test_admin_organiser_opens_the_demo_meeting_with_its_sessions_and_deadlines(client):
    from agenda.demo import load_demo

    meeting = load_demo().meeting
    client.force_login(organiser_of(meeting))

    response = client.get(reverse("admin:agenda_meeting_change", args=[meeting.pk]))

    assert response.status_code == 200
    inlines = {
        formset.opts.model._meta.model_name: len(formset.formset.initial_forms)
        for formset in response.context["inline_admin_formsets"]
    }
    assert inlines == {"deadline": 4, "rolequota": 1, "workinggroup": 3, "session": 26}


def test_admin_session_form_reads_and_writes_the_meetings_local_time(client):
    meeting = MeetingFactory(time_zone="America/New_York", short_title="UN HQ meeting")
    session = SessionFactory(
        meeting=meeting,
        starts_at=dt.datetime(2009, 11, 17, 14, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2009, 11, 17, 15, 0, tzinfo=dt.UTC),
    )
    client.force_login(organiser_of(meeting))
    url = reverse("admin:agenda_session_change", args=[session.pk])

    shown = client.get(url)
    client.post(
        url,
        {
            "meeting": meeting.pk,
            "kind": session.kind,
            "title": session.title,
            "starts_at_0": "2009-11-17",
            "starts_at_1": "10:00:00",
            "ends_at_0": "2009-11-17",
            "ends_at_1": "11:30:00",
            "status": session.status,
            "sequence": 0,
            "people-TOTAL_FORMS": 0,
            "people-INITIAL_FORMS": 0,
        },
    )

    assert 'name="starts_at_1" value="09:00:00"' in shown.text
    assert "Times on this page are America/New_York (EST)." in shown.text
    session.refresh_from_db()
    assert session.starts_at == dt.datetime(2009, 11, 17, 15, 0, tzinfo=dt.UTC)


def test_admin_moving_a_deadline_raises_its_sequence_through_the_service(client):
    meeting = MeetingFactory(short_title="Deadline meeting")
    deadline = DeadlineFactory(meeting=meeting)
    client.force_login(organiser_of(meeting))
    url = reverse("admin:agenda_deadline_change", args=[deadline.pk])
    form = {
        "meeting": meeting.pk,
        "kind": deadline.kind,
        "roles": "[]",
        "description": "Five to ten pages",
        "due_at_0": "2009-11-05",
        "due_at_1": "23:59:59",
    }

    client.post(url, form)
    deadline.refresh_from_db()
    unchanged = deadline.sequence
    client.post(url, {**form, "due_at_0": "2009-11-07"})
    deadline.refresh_from_db()

    assert (unchanged, deadline.description) == (0, "Five to ten pages")
    assert deadline.sequence == 1
    assert meeting.local(deadline.due_at).date() == dt.date(2009, 11, 7)


def test_admin_moving_a_deadline_in_the_meeting_form_raises_its_sequence(client):
    from agenda.demo import load_demo

    meeting = load_demo().meeting
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:agenda_meeting_change", args=[meeting.pk])
    page = client.get(url)
    data = {}
    for form in (
        page.context["adminform"].form,
        *(
            inline_form
            for formset in page.context["inline_admin_formsets"]
            for inline_form in [formset.formset.management_form, *formset.formset.forms]
        ),
    ):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or name in form.fields and form.fields[name].disabled:
                continue
            if isinstance(value, list):
                data[form.add_prefix(name)] = value
            elif isinstance(value, dt.datetime):
                local = meeting.local(value)
                data[form.add_prefix(name) + "_0"] = f"{local:%Y-%m-%d}"
                data[form.add_prefix(name) + "_1"] = f"{local:%H:%M:%S}"
            elif hasattr(field.widget, "format_value") and isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = field.prepare_value(value)
    paper = meeting.deadlines.get(kind="paper")
    index = list(meeting.deadlines.order_by("due_at").values_list("pk", flat=True)).index(paper.pk)
    data[f"deadlines-{index}-due_at_0"] = "2009-11-06"

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    paper.refresh_from_db()
    assert meeting.local(paper.due_at).date() == dt.date(2009, 11, 6)
    assert paper.sequence == 1
    assert set(meeting.deadlines.exclude(pk=paper.pk).values_list("sequence", flat=True)) == {0}
