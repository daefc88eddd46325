"""Passport numbers and dates of birth encrypted at rest, with key rotation; the migration
that encrypted the dates of birth keeps every stored value."""

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from participants import services
from participants.models import Registration
from tests.factories import RegistrationFactory

from .support import accepted, clear_cache, future_meeting, registration_details  # noqa: F401

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw(registration) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, date_of_birth FROM participants_registration WHERE id = %s",
            [registration.pk],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_passport_number_and_date_of_birth_are_not_stored_in_plain_text():
    registration = RegistrationFactory(
        passport_number="G1234567", date_of_birth=dt.date(1970, 4, 2)
    )

    passport, born = _raw(registration)

    assert "G1234567" not in passport and "1970" not in born
    registration = Registration.objects.get(pk=registration.pk)
    assert (registration.passport_number, registration.date_of_birth) == (
        "G1234567",
        dt.date(1970, 4, 2),
    )


@pytest.mark.django_db
def test_rotate_encryption_keys_rewrites_every_value_with_the_newest_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    first = RegistrationFactory(passport_number="G1234567", date_of_birth=dt.date(1970, 4, 2))
    second = RegistrationFactory(passport_number="P7654321", date_of_birth=dt.date(1981, 12, 31))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = io.StringIO()

    call_command("rotate_encryption_keys", stdout=out)

    assert out.getvalue() == "Re-encrypted 2 registration(s) and 0 file(s) with the newest key.\n"
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    assert [
        (registration.passport_number, registration.date_of_birth)
        for registration in Registration.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    ] == [("G1234567", dt.date(1970, 4, 2)), ("P7654321", dt.date(1981, 12, 31))]
    passport, born = _raw(first)
    assert Fernet(NEW_KEY.encode()).decrypt(passport.encode()) == b"G1234567"
    assert Fernet(NEW_KEY.encode()).decrypt(born.encode()) == b"1970-04-02"


@pytest.mark.django_db
def test_without_the_old_key_an_unrotated_value_cannot_be_read(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    registration = RegistrationFactory()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(ImproperlyConfigured, match="keep the old key in the list"):
        Registration.objects.get(pk=registration.pk)


@pytest.mark.django_db(transaction=True)
def test_migration_encrypts_existing_dates_of_birth_and_keeps_them():
    # The meeting as that state knows it: later agenda fields are not in it either.
    before = [
        ("participants", "0002_personal_data_history_and_deletion_requests"),
        ("agenda", "0008_meeting_personal_data_retention"),
    ]
    after = [("participants", "0003_encrypt_date_of_birth")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldRegistration = old_apps.get_model("participants", "Registration")
    Participant = old_apps.get_model("participants", "Participant")
    Meeting = old_apps.get_model("agenda", "Meeting")
    meeting = Meeting.objects.create(
        slug="m", title="M", purpose="p", organiser="o", starts_on="2009-11-17",
        ends_on="2009-11-19",
    )  # fmt: skip
    participant = Participant.objects.create(
        meeting=meeting, email="a@example.org", given_name="A", family_name="B", role="expert"
    )
    OldRegistration.objects.create(
        participant=participant, passport_name="B A", nationality="GH",
        date_of_birth=dt.date(1970, 4, 2), passport_number="G1", passport_issuing_country="GH",
        passport_expires_on=dt.date(2030, 1, 1), completed_at="2009-10-01T00:00:00Z",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    stored = new_apps.get_model("participants", "Registration").objects.get()
    born = _raw(stored)[1]

    assert stored.date_of_birth == dt.date(1970, 4, 2)
    assert "1970" not in born
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_registering_without_passport_number_or_birth_date_is_refused_and_writes_nothing():
    meeting = future_meeting()
    participant = accepted(meeting)
    details = {
        **registration_details(meeting, consent_listed=None, consent_publish_papers=None),
        "passport_number": "",
        "date_of_birth": None,
        "nationality": "GH",
        "passport_issuing_country": "GH",
        "passport_expires_on": meeting.ends_on + dt.timedelta(days=400),
    }

    with pytest.raises(ValidationError) as refused:
        services.register_participant(participant=participant, details=details, by=participant.user)

    assert set(refused.value.message_dict) == {"passport_number", "date_of_birth"}
    assert not Registration.objects.filter(participant=participant).exists()
