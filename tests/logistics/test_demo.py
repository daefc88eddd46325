"""The demo meeting shows every logistics state: letters, a request, flights, the block."""

import pytest

from agenda.demo import load_demo
from logistics import queries
from logistics.models import Letter, LetterRequest, TravelPlan
from participants.models import Participant

from .support import letter_bytes, pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


def test_demo_shows_letters_in_every_state_flights_and_a_night_over_the_block():
    meeting = load_demo().meeting

    states = {
        row.participant.email.split("@")[0]: {
            kind: letter.state for kind, letter in row.letters.items()
        }
        for row in queries.letter_rows(meeting)
        if row.letters
    }
    assert states == {
        "l.ferreira-matos": {"visa": "valid"},
        "r.sankaran": {"visa": "valid"},
        "a.kowalczyk": {"visa": "outdated"},
        "h.al-rashidi": {"invitation": "valid"},
    }
    assert Letter.objects.filter(meeting=meeting, revoked_at__isnull=False).count() == 1
    waiting = LetterRequest.objects.get(participant__meeting=meeting, handled_at__isnull=True)
    assert waiting.participant.email == "p.nguyen-thi@example.org"
    assert TravelPlan.objects.filter(participant__meeting=meeting, airport_pickup=True).count() > 0
    assert [night.day.day for night in queries.rooms_per_night(meeting) if night.over] == [18]


def test_demo_letter_is_a_real_pdf_with_its_qr_code():
    meeting = load_demo().meeting
    letter = Letter.objects.get(meeting=meeting, reference="DSPD/EGM-SI/2009/001")
    person = Participant.objects.get(meeting=meeting, email="l.ferreira-matos@example.org")

    text = pdf_text(letter_bytes(letter))

    assert person.registration.passport_name in text
    assert pdf_qr_codes(letter_bytes(letter)) == [
        f"http://127.0.0.1:8000/verify/{letter.verification_code}/"
    ]


def test_demo_loaded_twice_keeps_the_letters():
    load_demo()
    codes = sorted(Letter.objects.values_list("verification_code", flat=True))

    second = load_demo()

    assert (second.created, second.updated) == (0, 0)
    assert sorted(Letter.objects.values_list("verification_code", flat=True)) == codes


def test_every_logistics_page_opens_on_the_demo(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    meeting = load_demo().meeting
    slug = meeting.slug
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    person = Participant.objects.get(meeting=meeting, email="r.sankaran@example.org")
    person.user = UserFactory(email="r.sankaran@example.org")
    person.save()
    client.force_login(organiser)
    for name, kwargs in [
        ("organise", {}),
        ("letters", {}),
        ("arrivals", {}),
        ("hotel", {}),
        ("edit_note", {}),
        ("note", {}),
        ("template", {"kind": "visa"}),
        ("participant", {"pk": person.pk}),
    ]:
        response = client.get(reverse(f"logistics:{name}", kwargs={"slug": slug, **kwargs}))
        assert (name, response.status_code) == (name, 200)
    page = client.get(reverse("logistics:hotel", kwargs={"slug": slug})).content.decode()
    assert "Over the block on the night of" in page
    index = client.get(reverse("logistics:organise", kwargs={"slug": slug})).content.decode()
    assert "Phuong Nguyen Thi" in index

    client.force_login(person.user)
    for name in ("my_letters", "my_travel", "my_hotel", "note"):
        response = client.get(reverse(f"logistics:{name}", kwargs={"slug": slug}))
        assert (name, response.status_code) == (name, 200)
    portal = client.get(reverse("participant:portal", kwargs={"slug": slug})).content.decode()
    assert f'href="{reverse("logistics:my_letters", kwargs={"slug": slug})}"' in portal
