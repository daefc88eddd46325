"""Personal data that leaves on time: deleted a meeting's retention period after it ends,
with the organisers told a week before, once."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from notifications.models import Message
from participants.models import Registration
from participants.privacy import retention
from participants.tasks import apply_retention
from tests.factories import MeetingFactory, ParticipantFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        slug="accra-2009",
        starts_on=dt.date(2009, 11, 17),
        ends_on=dt.date(2009, 11, 19),
        time_zone="Africa/Accra",
        personal_data_retention_days=30,
    )
    meeting.organisers.add(UserFactory(email="desk@example.org"))
    meeting.organisers.add(UserFactory(email="focal@example.org"))
    return meeting


@pytest.fixture
def registrations(meeting):
    return [
        RegistrationFactory(participant=ParticipantFactory(meeting=meeting, status="registered"))
        for _ in range(2)
    ]


def _on(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC))


def _notices():
    return sorted(
        Message.objects.filter(kind="participants.retention_notice").values_list(
            "recipient", flat=True
        )
    )


def test_deletion_date_is_the_retention_period_after_the_meeting_ends(meeting):
    assert retention.deletion_date(meeting) == dt.date(2009, 12, 19)


def test_nothing_happens_more_than_a_week_before(meeting, registrations):
    with _on(dt.date(2009, 12, 11)):
        result = retention.apply_retention()

    assert (result.notified, result.deleted, _notices()) == ([], {}, [])
    assert Registration.objects.filter(personal_data_deleted_at=None).count() == 2


def test_organisers_are_told_a_week_before_once(meeting, registrations):
    with _on(dt.date(2009, 12, 12)):
        retention.apply_retention()
    with _on(dt.date(2009, 12, 13)):
        retention.apply_retention()

    assert _notices() == ["desk@example.org", "focal@example.org"]
    notice = Message.objects.filter(recipient="desk@example.org").get()
    assert notice.subject == (
        "Practical Strategies to Promote Social Integration: passport details will be deleted "
        "on 19 December 2009"
    )
    assert "2 registrations still hold them" in notice.body_text
    assert f"{settings.SITE_URL}/admin/agenda/meeting/{meeting.pk}/change/" in notice.body_text
    assert Registration.objects.filter(personal_data_deleted_at=None).count() == 2


def test_on_the_day_passport_birth_date_and_emergency_contact_are_deleted(meeting, registrations):
    other = RegistrationFactory(passport_number="X999")  # another meeting, not due

    with _on(dt.date(2009, 12, 19)):
        result = retention.apply_retention()

    assert result.deleted == {"accra-2009": 2}
    for registration in Registration.objects.filter(participant__meeting=meeting):
        assert (
            registration.passport_number,
            registration.date_of_birth,
            registration.emergency_contact_name,
            registration.emergency_contact_phone,
        ) == ("", None, "", "")
        assert registration.personal_data_deleted_at is not None
        assert registration.passport_name == "MENSAH AMA SERWAA"  # the rest stays
    other.refresh_from_db()
    assert other.passport_number == "X999"


def test_a_second_run_finds_nothing_to_delete(meeting, registrations):
    with _on(dt.date(2009, 12, 19)):
        retention.apply_retention()
    with _on(dt.date(2009, 12, 20)):
        result = retention.apply_retention()

    assert result.deleted == {}


def test_the_period_is_per_meeting(meeting, registrations):
    meeting.personal_data_retention_days = 365
    meeting.save()

    with _on(dt.date(2009, 12, 19)):
        result = retention.apply_retention()

    assert result.deleted == {}
    assert Registration.objects.filter(personal_data_deleted_at=None).count() == 2


def test_the_beat_task_runs_daily_through_the_service(meeting, registrations):
    schedule = settings.CELERY_BEAT_SCHEDULE["participants-apply-retention"]

    with _on(dt.date(2009, 12, 19)):
        outcome = apply_retention.apply().get()

    assert schedule["task"] == "participants.apply_retention"
    assert schedule["schedule"] <= dt.timedelta(days=1)
    assert outcome == {"notified": [], "deleted": {"accra-2009": 2}}


def test_organiser_page_says_the_details_were_deleted(client, meeting, registrations):
    with _on(dt.date(2009, 12, 19)):
        retention.apply_retention()
    organiser = meeting.organisers.first()
    client.force_login(organiser)
    participant = registrations[0].participant

    page = client.get(
        reverse(
            "participant:organise_participant",
            kwargs={"slug": meeting.slug, "pk": participant.pk},
        )
    ).content.decode()

    assert "<dt>Passport number</dt><dd>Deleted</dd>" in page
    assert "G1234567" not in page


def test_other_apps_delete_their_personal_data_on_the_same_day(meeting, registrations):
    purged = []

    def purge(purged_meeting) -> int:
        purged.append(purged_meeting.slug)
        return 1

    retention.register_personal_data_purge(purge)
    try:
        with _on(dt.date(2009, 12, 18)):
            retention.apply_retention()
        assert purged == []
        with _on(dt.date(2009, 12, 19)):
            retention.apply_retention()
    finally:
        retention._purges.remove(purge)

    assert purged == ["accra-2009"]
