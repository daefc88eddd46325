"""The audit log of logistics: what organisers do to letters, requests, travel plans and hotel
stays is recorded with who, when, before and after; the participant's logistics page shows
it without any passport data; the admin offers no way to rewrite it."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from logistics import services
from logistics.models import (
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterRequest,
    LetterTemplate,
    TravelPlan,
)
from participants.models import Registration
from tests.factories import UserFactory

from .support import (
    organiser_of,
    registered,
)

pytestmark = pytest.mark.django_db

PASSPORT = "FX123456"
BIRTH_DATE = dt.date(1971, 4, 23)


@pytest.fixture
def participant(meeting):
    participant = registered(meeting, passport_number=PASSPORT)
    Registration.objects.filter(participant=participant).update(date_of_birth=BIRTH_DATE)
    return participant


def _page(client, participant) -> str:
    url = reverse(
        "logistics:participant",
        kwargs={"slug": participant.meeting.slug, "pk": participant.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _history_part(page: str) -> str:
    return page[page.index('id="history-heading"') :]


def test_issuing_and_revoking_a_letter_show_who_changed_what_from_what_to_what(
    client, meeting, participant
):
    client.force_login(participant.user)
    client.post(
        reverse("logistics:my_letters", kwargs={"slug": meeting.slug}),
        {
            "kind": "visa",
            "embassy": meeting.embassies.get().pk,
            "note": f"My passport {PASSPORT} expires soon",
        },
    )
    assert LetterRequest.objects.get().note.startswith("My passport")
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    slug = meeting.slug

    client.post(
        reverse("logistics:issue", kwargs={"slug": slug, "pk": participant.pk}), {"kind": "visa"}
    )
    letter = Letter.objects.get()
    client.post(
        reverse("logistics:revoke", kwargs={"slug": slug, "pk": letter.pk}),
        {"reason": "Participation cancelled"},
    )

    history = _history_part(_page(client, participant))
    assert history.count(f'<td data-label="Who">{organiser.email}</td>') == 3
    assert f'<td data-label="What">Letter changed: {letter.reference} revoked</td>' in history
    assert "<li>Revoked reason: - &rarr; Participation cancelled</li>" in history
    assert f'<td data-label="What">Letter created: {letter.reference} issued</td>' in history
    assert f"<li>Reference: - &rarr; {letter.reference}</li>" in history
    assert (
        f'<td data-label="What">Letter request changed: Answered with letter {letter.reference}'
        in history
    )
    assert "<li>Handled at: - &rarr; " in history
    # The request as the participant made it: by them, its note (passport details) left out.
    assert f'<td data-label="Who">{participant.user.email}</td>' in history
    assert "expires soon" not in history and PASSPORT not in history


def test_reissuing_records_the_old_letter_replaced_in_one_entry(client, meeting, participant):
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    old = services.issue_letter(participant=participant, kind="visa", by=organiser)

    client.post(reverse("logistics:reissue", kwargs={"slug": meeting.slug, "pk": old.pk}))

    new = Letter.objects.get(revoked_at__isnull=True)
    latest = Letter.history.filter(id=old.pk).order_by("-history_date").first()
    assert latest.history_user == organiser
    assert latest.history_change_reason == f"{old.reference} re-issued as {new.reference}"
    assert (latest.prev_record.revoked_reason, latest.revoked_reason) == (
        "",
        f"Replaced by {new.reference}.",
    )
    assert Letter.history.filter(id=old.pk).count() == 2  # issued, then replaced


def test_no_passport_data_reaches_the_history(client, meeting, participant):
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    services.issue_letter(participant=participant, kind="visa", by=organiser)

    page = _page(client, participant)

    for secret in (PASSPORT, "1971", "FERREIRA MATOS"):
        assert secret not in page
    kept = {field.name for field in Letter.history.model._meta.fields}
    assert {
        "passport_fingerprint",
        "holder_initials",
        "holder_nationality",
        "verification_code",
        "pdf",
    } & kept == set()
    assert "note" not in {field.name for field in LetterRequest.history.model._meta.fields}


def test_the_organisers_ticket_and_the_stay_are_recorded(client, meeting, participant):
    services.save_hotel_block(
        meeting=meeting,
        values={
            "hotel": meeting.venue,
            "first_night": dt.date(2009, 11, 16),
            "last_night": dt.date(2009, 11, 19),
            "rooms": 10,
        },
    )
    services.save_booking(
        participant=participant,
        values={
            "check_in": dt.date(2009, 11, 16),
            "check_out": dt.date(2009, 11, 20),
            "accessibility_needs": "Wheelchair access",
            "accessibility_consent": True,
        },
        by=participant.user,
    )
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    slug = meeting.slug

    client.post(
        reverse("logistics:travel", kwargs={"slug": slug, "pk": participant.pk}),
        {"ticket_issued": "on", "ticket_reference": "TK-2009-17", "ticket_currency": "USD"},
    )
    client.post(
        reverse("logistics:booking", kwargs={"slug": slug, "pk": participant.pk}),
        {
            "check_in": "2009-11-16",
            "check_out": "2009-11-20",
            "room_type": "single",
            "accessibility_needs": "",
            "accessibility_consent": "",
            "confirmation": "ALISA-4471",
        },
    )

    history = _history_part(_page(client, participant))
    assert "<li>Ticket reference: - &rarr; TK-2009-17</li>" in history
    assert "<li>Confirmation: - &rarr; ALISA-4471</li>" in history
    assert "<li>Accessibility consent: yes &rarr; no</li>" in history
    assert "Changed: accessibility needs (not kept in the history)" in history
    assert "Wheelchair" not in history
    assert TravelPlan.history.latest("history_date").history_user == organiser
    assert HotelBooking.history.latest("history_date").history_user == organiser


def test_the_hotel_block_page_shows_its_history(client, meeting):
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    url = reverse("logistics:hotel", kwargs={"slug": meeting.slug})
    values = {
        "hotel": meeting.venue_id,
        "first_night": "2009-11-16",
        "last_night": "2009-11-19",
        "room_rate": "",
    }

    client.post(url, {**values, "rooms": "20"})
    client.post(url, {**values, "rooms": "25"})

    history = _history_part(client.get(url).content.decode())
    assert "<li>Rooms: 20 &rarr; 25</li>" in history
    assert f'<td data-label="Who">{organiser.email}</td>' in history


def test_logistics_history_cannot_be_edited_from_the_site(client, meeting, participant, settings):
    historical = {
        model.history.model._meta.label
        for model in (
            Letter,
            LetterRequest,
            TravelPlan,
            HotelBooking,
            HotelBlock,
            LetterTemplate,
            InformationNote,
        )
    }
    assert {model._meta.label for model in admin.site._registry} & historical == set()
    assert not any(
        isinstance(model_admin, SimpleHistoryAdmin) for model_admin in admin.site._registry.values()
    )
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    letter = services.issue_letter(participant=participant, kind="visa", by=None)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:logistics_letter_history", args=[letter.pk]))

    assert response.status_code == 200
    assert "revert" not in response.content.decode().lower()


def test_the_note_and_letter_template_pages_show_their_history(client, meeting):
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    note_url = reverse("logistics:edit_note", kwargs={"slug": meeting.slug})
    sections = {name: "" for name in InformationNote.SECTIONS}

    client.post(note_url, {**sections, "visa": "Visa on arrival", "dsa_currency": "USD"})
    client.post(note_url, {**sections, "visa": "Visa before travel", "dsa_currency": "USD"})
    template_url = reverse("logistics:template", kwargs={"slug": meeting.slug, "kind": "visa"})
    form = client.get(template_url).context["form"]
    values = {name: form[name].value() or "" for name in form.fields if name != "signature"}
    client.post(template_url, {**values, "signatory_name": "Kwame Mensah", "save": "1"})

    note_history = _history_part(client.get(note_url).content.decode())
    template_history = _history_part(client.get(template_url).content.decode())
    assert "<li>Visa requirements: Visa on arrival &rarr; Visa before travel</li>" in note_history
    assert f'<td data-label="Who">{organiser.email}</td>' in note_history
    assert "&rarr; Kwame Mensah</li>" in template_history
    assert f'<td data-label="Who">{organiser.email}</td>' in template_history
