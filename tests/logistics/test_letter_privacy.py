"""Visa letters print passport numbers: encrypted on disk, re-encrypted when the keys rotate,
deleted with the passport data when the meeting's retention period ends."""

import datetime as dt
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.urls import reverse

from logistics import queries, services
from logistics.models import Letter
from participants.privacy import retention
from participants.privacy.files import encrypted_storage

from .support import (
    accra_meeting,
    embassy_for,
    letter_bytes,
    organiser_of,
    pdf_text,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = accra_meeting(starts_on=dt.date(2009, 11, 24), ends_on=dt.date(2009, 11, 26))
    embassy_for(meeting)
    return meeting


@pytest.fixture
def letter(meeting):
    return services.issue_letter(participant=registered(meeting), kind="visa", by=None)


def _on_disk(letter) -> bytes:
    with open(encrypted_storage().path(letter.pdf.name), "rb") as handle:
        return handle.read()


def test_the_letter_on_disk_shows_no_passport_number_and_downloads_readable(client, letter):
    stored = _on_disk(letter)
    assert b"%PDF" not in stored and b"FX123456" not in stored
    client.force_login(letter.participant.user)
    response = client.get(
        reverse("logistics:letter_pdf", kwargs={"slug": letter.meeting.slug, "pk": letter.pk})
    )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF")
    assert "FX123456" in pdf_text(content)


def test_rotating_the_keys_re_encrypts_the_letters(settings, letter):
    before = _on_disk(letter)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "and 1 file(s)" in out.getvalue()
    assert _on_disk(letter) != before
    # The old key can now be dropped: the letter still opens with the new one alone.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert "FX123456" in pdf_text(letter_bytes(Letter.objects.get(pk=letter.pk)))


def test_a_letter_written_before_encryption_is_read_then_encrypted_in_place(letter):
    path = encrypted_storage().path(letter.pdf.name)
    plain = letter_bytes(letter)
    with open(path, "wb") as handle:
        handle.write(plain)
    assert letter_bytes(letter) == plain
    assert encrypted_storage().reencrypt(letter.pdf.name)
    assert _on_disk(letter) != plain and letter_bytes(letter) == plain


def test_retention_deletes_the_visa_letters_and_keeps_them_verifiable(
    client, django_capture_on_commit_callbacks, meeting, letter
):
    path = encrypted_storage().path(letter.pdf.name)
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention(now=dt.datetime(2010, 3, 1, 12, tzinfo=dt.UTC))

    letter.refresh_from_db()
    assert not letter.pdf and letter.pdf_deleted_at is not None
    assert letter.passport_fingerprint == ""
    assert not encrypted_storage().exists(path)

    # The holder sees it was deleted, with no download link; a typed address finds nothing.
    client.force_login(letter.participant.user)
    page = client.get(reverse("logistics:my_letters", kwargs={"slug": meeting.slug}))
    pdf_url = reverse("logistics:letter_pdf", kwargs={"slug": meeting.slug, "pk": letter.pk})
    assert "Document deleted with the passport data" in page.content.decode()
    assert pdf_url not in page.content.decode()
    assert client.get(pdf_url).status_code == 404

    # The organiser's page lists it without a link; an embassy can still verify it.
    client.force_login(organiser_of(meeting))
    page = client.get(
        reverse(
            "logistics:participant",
            kwargs={"slug": meeting.slug, "pk": letter.participant.pk},
        )
    )
    assert letter.reference in page.content.decode() and pdf_url not in page.content.decode()
    verify = client.get(reverse("logistics:verify", kwargs={"code": letter.verification_code}))
    assert verify.status_code == 200


def test_retention_before_its_day_keeps_the_letters(
    django_capture_on_commit_callbacks, meeting, letter
):
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply_retention(now=dt.datetime(2010, 2, 23, 12, tzinfo=dt.UTC))
    letter.refresh_from_db()
    assert letter.pdf and letter.pdf_deleted_at is None
    assert "FX123456" in pdf_text(letter_bytes(letter))


def test_a_letter_stays_valid_when_the_secret_key_is_rotated(settings, letter):
    registration = letter.participant.registration
    assert queries.letter_state(letter, registration) == queries.LetterState.VALID
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert queries.letter_state(letter, registration) == queries.LetterState.OUTDATED
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert queries.letter_state(letter, registration) == queries.LetterState.VALID
    registration.passport_number = "FX999999"
    assert queries.letter_state(letter, registration) == queries.LetterState.OUTDATED
