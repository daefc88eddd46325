"""The demo meeting's logistics: letters in each state, flights, the ALISA Hotel block and stays,
and the travel information note for Accra.

Called by the demo loader with its ``loader`` (natural-key upserts, 2009 dates moved by its
shift), so a second run changes nothing and ``--today`` moves every date. Writes rows and the
letters' PDFs only; sends no mail.
"""

import copy
import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils.crypto import salted_hmac

from participants.models import Participant, Registration

from . import letters, queries, services
from .models import (
    Embassy,
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterKind,
    LetterRequest,
    LetterTemplate,
    RoomType,
    TravelPlan,
)

PREFIX = "DSPD/EGM-SI/2009"
LETTERHEAD = (
    "United Nations\n"
    "Department of Economic and Social Affairs\n"
    "Division for Social Policy and Development"
)

EMBASSIES = [
    ("BR", "Embassy of the Republic of Ghana, Brasília (demo)", "Brasília, Brazil"),
    ("IN", "High Commission of the Republic of Ghana, New Delhi (demo)", "New Delhi, India"),
    ("VN", "Embassy of the Republic of Ghana accredited to Viet Nam (demo)", "Beijing, China"),
    ("PL", "Embassy of the Republic of Ghana accredited to Poland (demo)", "Berlin, Germany"),
    ("JO", "Embassy of the Republic of Ghana accredited to Jordan (demo)", "Cairo, Egypt"),
]

NOTE = {
    "arrival": (
        "Participants arrive at Kotoka International Airport (ACC), Accra, about 15 minutes "
        "by car from the ALISA Hotel. Those who ask for airport pickup in the portal are met "
        "in the arrivals hall by a driver holding a United Nations sign."
    ),
    "visa": (
        "Participants make their own arrangements for passports and visas. Most nationalities "
        "need a visa for Ghana, obtained before travel from a Ghanaian embassy or high "
        "commission. Ask for a visa support letter in the portal, naming the embassy. The "
        "passport must be valid for at least six months after the meeting."
    ),
    "health": (
        "A valid yellow fever vaccination certificate is required to enter Ghana and is "
        "checked on arrival. Malaria prophylaxis is recommended: consult your doctor."
    ),
    "hotel": (
        "The meeting is held at the ALISA Hotel, North Ridge, Accra, where rooms are held for "
        "participants. Enter your nights in the portal; funded participants' rooms are paid "
        "from their daily subsistence allowance."
    ),
    "currency": (
        "The currency is the Ghana cedi (GHS). US dollars and euros are exchanged at banks and "
        "bureaux de change; major credit cards are accepted at the hotel."
    ),
    "climate": (
        "November is warm and humid in Accra, 24 to 31 °C, at the end of the minor rainy "
        "season. Light clothing and an umbrella are advised; meeting rooms are air-conditioned."
    ),
    "subsistence": (
        "Funded participants receive the United Nations daily subsistence allowance (DSA) for "
        "each night in Accra, paid at the meeting, from which they pay their hotel and meals."
    ),
    "contacts": (
        "Secretariat: Keiko Hanazawa, Division for Social Policy and Development, "
        "egm-social-integration@example.org, +1 212 555 0136 (demo contacts)."
    ),
    "emergency": (
        "Police 191, fire 192, ambulance 193. UNDP Accra duty officer: +233 30 000 0000 (demo)."
    ),
    "dsa_rate": Decimal("207.00"),
    "dsa_currency": "USD",
}

# (person, arrival day, hour, minute, carrier, flight, departure day, hour, flight, pickup)
FLIGHTS = [
    ("a.owusu-brempong", None),
    ("t.okafor", (17, 10, 35, "Arik Air", "W3 110", 20, 12, "W3 111", False)),
    ("l.ferreira-matos", (16, 19, 40, "TAP Air Portugal", "TP 1541", 20, 22, "TP 1542", True)),
    ("r.sankaran", (16, 6, 5, "Emirates", "EK 787", 20, 10, "EK 788", True)),
    ("m.lindqvist", (16, 19, 10, "KLM", "KL 589", 20, 22, "KL 590", True)),
    ("h.al-rashidi", (16, 14, 50, "EgyptAir", "MS 873", 20, 15, "MS 874", True)),
    ("j.quispe-mamani", (15, 21, 30, "South African Airways", "SA 52", 20, 7, "SA 53", True)),
    ("p.nguyen-thi", (16, 14, 50, "EgyptAir", "MS 873", 20, 15, "MS 874", True)),
    ("a.kowalczyk", (16, 19, 10, "KLM", "KL 589", 20, 22, "KL 590", False)),
    ("o.halvorsen", (16, 19, 10, "KLM", "KL 589", 19, 22, "KL 590", True)),
    ("r.adeyemi", (15, 10, 35, "Delta", "DL 166", 20, 23, "DL 167", False)),
]

ROOM_TYPES = {"j.quispe-mamani": RoomType.ACCESSIBLE}


def _code(meeting, key: str) -> str:
    """A verification code stable across reloads, derived from the secret key."""
    digest = salted_hmac("logistics.demo-code", f"{meeting.slug}:{key}").hexdigest().upper()
    alphabet = services.CODE_ALPHABET
    return "".join(alphabet[int(digest[i : i + 2], 16) % len(alphabet)] for i in range(0, 24, 2))


def load_logistics_demo(*, loader, meeting, people: dict[str, Participant]) -> None:
    """Templates, embassies, the note, flights, the hotel block and stays, and letters:
    one valid visa letter, one revoked and re-issued, one outdated, one request waiting,
    one invitation letter; pickup requested; the block one room short on 18 November."""
    templates = {
        kind: loader.upsert(
            LetterTemplate,
            {"meeting": meeting, "kind": kind},
            {
                "reference_prefix": PREFIX,
                "letterhead": LETTERHEAD,
                "body": services.DEFAULT_BODIES[kind],
                "signatory_name": "Keiko Hanazawa",
                "signatory_title": "Social Affairs Officer, Division for Social Policy and "
                "Development",
            },
        )
        for kind in LetterKind.values
    }
    embassies = {
        country: loader.upsert(
            Embassy,
            {"meeting": meeting, "name": name},
            {"country": country, "address": address},
        )
        for country, name, address in EMBASSIES
    }
    loader.upsert(InformationNote, {"meeting": meeting}, {**NOTE, "version": 1})
    _travel(loader, meeting, people)
    _hotel(loader, meeting, people)
    _letters(loader, meeting, people, templates, embassies)


def _travel(loader, meeting, people) -> None:
    for index, (key, flight) in enumerate(FLIGHTS):
        if flight is None:
            continue
        a_day, a_hour, a_minute, carrier, a_flight, d_day, d_hour, d_flight, pickup = flight
        person = people[key]
        loader.upsert(
            TravelPlan,
            {"participant": person},
            {
                "departure_city": person.get_country_display(),
                "arrival_carrier": carrier,
                "arrival_flight": a_flight,
                "arrival_at": loader.at(dt.date(2009, 11, a_day), a_hour, a_minute),
                "arrival_airport": "Kotoka International (ACC)",
                "departure_carrier": carrier,
                "departure_flight": d_flight,
                "departure_at": loader.at(dt.date(2009, 11, d_day), d_hour),
                "departure_airport": "Kotoka International (ACC)",
                "airport_pickup": pickup,
                "ticket_issued": person.funded,
                "ticket_reference": f"UNDP-ACC-{index:04d}" if person.funded else "",
                "dsa_nights": (d_day - a_day) if person.funded else None,
            },
        )


def _hotel(loader, meeting, people) -> None:
    stays = []
    for key, flight in FLIGHTS:
        person = people[key]
        # Without flights (a participant from Accra): the nights of the working groups only.
        first, last = (18, 20) if flight is None else (flight[0], flight[5])
        stays.append((person, max(first, 15), last))
    first_night = loader.date(dt.date(2009, 11, 15))
    last_night = loader.date(dt.date(2009, 11, 19))
    # The block is one room short on the night of 18 November: the page shows the warning.
    busiest = sum(1 for _, first, last in stays if first <= 18 < last)
    loader.upsert(
        HotelBlock,
        {"meeting": meeting},
        {
            "hotel": meeting.venue,
            "first_night": first_night,
            "last_night": last_night,
            "rooms": busiest - 1,
            "room_rate": "USD 165 per night, breakfast included (demo)",
        },
    )
    for index, (person, first, last) in enumerate(stays):
        needs = ""
        registration = Registration.objects.filter(participant=person).first()
        if registration is not None:
            needs = registration.accessibility_needs
        loader.upsert(
            HotelBooking,
            {"participant": person},
            {
                "hotel": meeting.venue,
                "check_in": loader.date(dt.date(2009, 11, first)),
                "check_out": loader.date(dt.date(2009, 11, last)),
                "room_type": ROOM_TYPES.get(person.email.split("@")[0], RoomType.SINGLE),
                "accessibility_needs": needs,
                "accessibility_consent": bool(needs),
                "confirmation": f"ALISA-{2009110 + index:07d}" if index % 3 else "",
            },
        )


# (number, person, kind, embassy country, issued day, revoked: (day, reason) or None)
LETTERS = [
    (1, "l.ferreira-matos", LetterKind.VISA, "BR", (10, 12), None),
    (
        2,
        "r.sankaran",
        LetterKind.VISA,
        "IN",
        (10, 12),
        ((10, 14), "Replaced by DSPD/EGM-SI/2009/003."),
    ),
    (3, "r.sankaran", LetterKind.VISA, "IN", (10, 14), None),
    (4, "a.kowalczyk", LetterKind.VISA, "PL", (10, 13), None),
    (5, "h.al-rashidi", LetterKind.INVITATION, None, (10, 15), None),
]
# The passport number a.kowalczyk had when the letter was issued: she has renewed it since,
# so her letter shows as outdated.
OLD_PASSPORT = {"a.kowalczyk": "EP0000001"}


def _letters(loader, meeting, people, templates, embassies) -> None:
    meeting_texts = services.meeting_values(meeting)
    for number, key, kind, country, issued, revoked in LETTERS:
        person = people[key]
        registration = copy.copy(Registration.objects.get(participant=person))
        if key in OLD_PASSPORT:
            registration.passport_number = OLD_PASSPORT[key]
        embassy = embassies[country] if country else None
        reference = f"{PREFIX}/{number:03d}"
        code = _code(meeting, reference)
        issued_at = loader.at(dt.date(2009, *issued), 10)
        values = {
            "participant": person,
            "kind": kind,
            "number": number,
            "embassy": embassy.name if embassy else "",
            "verification_code": code,
            "passport_fingerprint": queries.fingerprint(registration)
            if kind == LetterKind.VISA
            else "",
            "holder_initials": services.initials(person),
            "holder_nationality": registration.nationality,
            "issued_at": issued_at,
            "revoked_at": loader.at(dt.date(2009, *revoked[0]), 9) if revoked else None,
            "revoked_reason": revoked[1] if revoked else "",
        }
        letter = Letter.objects.filter(meeting=meeting, reference=reference).first()
        stale = letter is None or any(
            getattr(letter, name) != value for name, value in values.items()
        )
        letter = loader.upsert(Letter, {"meeting": meeting, "reference": reference}, values)
        if stale or not letter.pdf or not letter.pdf.storage.exists(letter.pdf.name):
            content = services.letter_content(
                participant=person,
                registration=registration,
                template=templates[kind],
                plan=TravelPlan.objects.filter(participant=person).first(),
                embassy=embassy,
                reference=reference,
                code=code,
                issued_on=meeting.local(issued_at).date(),
                meeting_texts=meeting_texts,
                signature_image=None,
            )
            if letter.pdf:
                letter.pdf.delete(save=False)
            letter.pdf.save(
                f"{meeting.pk}/{reference.replace('/', '-')}.pdf",
                ContentFile(letters.letter_pdf(content)),
                save=False,
            )
            Letter.objects.filter(pk=letter.pk).update(pdf=letter.pdf.name)
    waiting = people["p.nguyen-thi"]
    loader.upsert(
        LetterRequest,
        {"participant": waiting, "kind": LetterKind.VISA},
        {
            "embassy": embassies["VN"],
            "note": "My visa appointment is on 2 November.",
            "requested_at": loader.at(dt.date(2009, 10, 20), 11, 30),
            "letter": None,
            "handled_at": None,
        },
    )


def load_logistics_part(context) -> None:
    """The demo meeting's logistics part (``agenda.demo.register_demo_part``)."""
    load_logistics_demo(loader=context.loader, meeting=context.meeting, people=context.people)
