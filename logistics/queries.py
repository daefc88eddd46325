"""Read-side of logistics: letter states, the arrivals board, the rooming list, rooms per night.

Each list is read in a fixed number of queries, whatever the number of participants.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.crypto import salted_hmac

from agenda import audit
from agenda.models import Meeting
from participants.models import SEAT_HOLDING_STATUSES, Participant, Registration

from .models import (
    HotelBlock,
    HotelBooking,
    InformationNote,
    Letter,
    LetterKind,
    LetterRequest,
    LetterTemplate,
    TravelPlan,
)


class LetterState:
    VALID = "valid"
    OUTDATED = "outdated"
    REVOKED = "revoked"
    DELETED = "deleted"


LETTER_STATE_LABELS = {
    LetterState.VALID: "Valid",
    LetterState.OUTDATED: "Outdated: the passport details changed after issue",
    LetterState.REVOKED: "Revoked",
    LetterState.DELETED: "Document deleted with the passport data at the end of retention",
}
# ``?state=`` of the letters page: the lists behind the overview's figures.
LETTER_STATES = (LetterState.VALID, LetterState.OUTDATED, LetterState.REVOKED)


def fingerprint(registration: Registration | None, *, secret: str | None = None) -> str:
    """Keyed digest of the passport details (see ``services.passport_fingerprint``), with
    ``SECRET_KEY`` unless ``secret`` names another."""
    if registration is None:
        return ""
    value = "|".join(
        str(part)
        for part in (
            registration.passport_name,
            registration.passport_number,
            registration.passport_expires_on,
            registration.nationality,
            registration.passport_issuing_country,
        )
    )
    return salted_hmac("logistics.passport-fingerprint", value, secret=secret).hexdigest()


def matches_passport(letter: Letter, registration: Registration | None) -> bool:
    """Whether ``letter`` printed the passport details ``registration`` holds now. A digest
    made before ``SECRET_KEY`` was rotated still matches through ``SECRET_KEY_FALLBACKS``."""
    return any(
        letter.passport_fingerprint == fingerprint(registration, secret=secret)
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    )


def letter_state(letter: Letter, registration: Registration | None) -> str:
    if letter.revoked_at is not None:
        return LetterState.REVOKED
    if letter.pdf_deleted_at is not None:
        return LetterState.DELETED
    if letter.kind == LetterKind.VISA and not matches_passport(letter, registration):
        return LetterState.OUTDATED
    return LetterState.VALID


def registration_of(participant: Participant) -> Registration | None:
    return Registration.objects.filter(participant=participant).first()


def attending(meeting: Meeting) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(meeting=meeting, status__in=SEAT_HOLDING_STATUSES)
        .select_related("meeting__venue")
        .order_by("family_name", "given_name", "pk")
    )


def letters_of(participant: Participant) -> list[Letter]:
    """The participant's letters, newest first, each with ``state`` and ``state_label``."""
    found = list(Letter.objects.filter(participant=participant).order_by("-issued_at", "-pk"))
    _mark_states(found, registration_of(participant))
    return found


def open_requests(participant: Participant) -> dict[str, LetterRequest]:
    return {
        request.kind: request
        for request in LetterRequest.objects.filter(
            participant=participant, handled_at__isnull=True
        ).select_related("embassy")
    }


@dataclass
class LetterRow:
    participant: Participant
    registered: bool
    # The latest letter of each kind, and the earlier ones (revoked, each replaced by the
    # next: ``superseded_by`` names it), newest first.
    letters: dict[str, Letter] = field(default_factory=dict)
    earlier: dict[str, list[Letter]] = field(default_factory=dict)
    requests: dict[str, LetterRequest] = field(default_factory=dict)

    def all_letters(self) -> list[Letter]:
        return [*self.letters.values(), *(old for kind in self.earlier.values() for old in kind)]

    @property
    def letters_by_kind(self) -> list[tuple[str, list[Letter]]]:
        """Each kind (in ``LetterKind`` order) with its letters, newest first: the columns."""
        return [
            (str(label), [self.letters[kind], *self.earlier.get(kind, [])])
            if kind in self.letters
            else (str(label), [])
            for kind, label in LetterKind.choices
        ]

    def has_state(self, state: str, kind: str = "") -> bool:
        return any(
            letter.state == state and kind in ("", letter.kind) for letter in self.all_letters()
        )


def letter_rows(meeting: Meeting, *, state: str = "", kind: str = "") -> list[LetterRow]:
    """Everyone attending, with the latest letter of each kind (and its state), the earlier
    letters, and open requests; with ``state``, only those holding a letter in that state
    (of ``kind``, when given).

    Five queries for any number of participants. Each reads the meeting's rows by the
    meeting, not by a list of thousands of ids; passport details are decrypted only for
    the holders of a visa letter that may be in force.
    """
    seated = {"participant__meeting": meeting, "participant__status__in": SEAT_HOLDING_STATUSES}
    # Everyone's meeting is ``meeting``: not joined and built again for each person.
    people = list(attending(meeting).select_related(None))
    letters: dict[int, list[Letter]] = defaultdict(list)
    for letter in attending_letters(meeting):  # each person's newest first, marked
        letters[letter.participant_id].append(letter)
    requests: dict[int, dict[str, LetterRequest]] = defaultdict(dict)
    for request in LetterRequest.objects.filter(handled_at__isnull=True, **seated).select_related(
        "embassy"
    ):
        requests[request.participant_id][request.kind] = request
    registered = set(Registration.objects.filter(**seated).values_list("participant_id", flat=True))
    rows = []
    for person in people:
        person.meeting = meeting
        row = LetterRow(person, person.pk in registered, requests=requests.get(person.pk, {}))
        for letter in letters.get(person.pk, []):
            if letter.kind in row.letters:
                row.earlier.setdefault(letter.kind, []).append(letter)
            else:
                row.letters[letter.kind] = letter
        rows.append(row)
    if state:
        rows = [row for row in rows if row.has_state(state, kind)]
    return rows


def _mark_states(letters: list[Letter], registration: Registration | None) -> None:
    """Set ``state``, ``state_label`` and ``superseded_by`` (the next newer letter of the
    same kind) on one person's letters, given newest first."""
    newer: dict[str, Letter] = {}
    for letter in letters:
        letter.state = letter_state(letter, registration)
        letter.state_label = LETTER_STATE_LABELS[letter.state]
        letter.superseded_by = newer.get(letter.kind)
        newer[letter.kind] = letter


def attending_letters(meeting: Meeting) -> list[Letter]:
    """Every letter of those attending, each person's newest first, marked as in
    ``letter_rows`` (state, label, superseded_by), for the figures of the overview and the
    dashboard: two queries, and passport details decrypted only for the holders of a visa
    letter that may be in force, not for everyone attending."""
    seated = Letter.objects.filter(
        participant__meeting=meeting, participant__status__in=SEAT_HOLDING_STATUSES
    )
    letters = list(seated.order_by("participant_id", "-issued_at", "-pk"))
    in_force = seated.filter(
        kind=LetterKind.VISA, revoked_at__isnull=True, pdf_deleted_at__isnull=True
    ).values("participant_id")
    registrations = {
        registration.participant_id: registration
        for registration in Registration.objects.filter(participant_id__in=in_force)
    }
    by_person: dict[int, list[Letter]] = defaultdict(list)
    for letter in letters:
        by_person[letter.participant_id].append(letter)
    for person_id, own in by_person.items():
        _mark_states(own, registrations.get(person_id))
    return letters


def latest_of_kind(letters: list[Letter], kind: str) -> list[Letter]:
    """Each person's newest letter of ``kind``, from ``attending_letters``."""
    latest: dict[int, Letter] = {}
    for letter in letters:
        if letter.kind == kind:
            latest.setdefault(letter.participant_id, letter)
    return list(latest.values())


@dataclass(frozen=True)
class LetterCounts:
    valid: int
    outdated: int
    revoked: int
    # Of the revoked, those a newer letter of the same kind replaced (a re-issue).
    superseded: int


def letter_counts(letters: list[Letter]) -> LetterCounts:
    """Letters (from ``attending_letters``) by state: each revoked letter counts,
    superseded or not."""
    states = [letter.state for letter in letters]
    return LetterCounts(
        valid=states.count(LetterState.VALID),
        outdated=states.count(LetterState.OUTDATED),
        revoked=states.count(LetterState.REVOKED),
        superseded=sum(
            letter.state == LetterState.REVOKED and letter.superseded_by is not None
            for letter in letters
        ),
    )


def waiting_requests(meeting: Meeting) -> QuerySet[LetterRequest]:
    return (
        LetterRequest.objects.filter(participant__meeting=meeting, handled_at__isnull=True)
        .select_related("participant", "embassy")
        .order_by("requested_at", "pk")
    )


def verification(code: str) -> Letter | None:
    return (
        Letter.objects.filter(verification_code=code.upper())
        .only(
            "kind", "revoked_at", "holder_initials", "holder_nationality", "issued_at", "meeting_id"
        )
        .first()
    )


# ---------------------------------------------------------------------------- travel


def stay_from_flights(participant: Participant, block: HotelBlock) -> tuple[dt.date, dt.date]:
    """Check-in on the arrival day and check-out on the departure day, kept inside the block;
    without flights, the block's first night to the morning after its last."""
    first, last_out = block.first_night, block.last_night + dt.timedelta(days=1)
    plan = TravelPlan.objects.filter(participant=participant).first()
    meeting = participant.meeting
    check_in, check_out = first, last_out
    if plan is not None and plan.arrival_at:
        check_in = min(max(meeting.local(plan.arrival_at).date(), first), last_out)
    if plan is not None and plan.departure_at:
        check_out = min(max(meeting.local(plan.departure_at).date(), first), last_out)
    if check_out <= check_in:
        check_in, check_out = first, last_out
    return check_in, check_out


def dsa_nights(plan: TravelPlan | None, meeting: Meeting) -> int | None:
    """Nights of allowance: as the organisers recorded them, else from the flights' dates."""
    if plan is None:
        return None
    if plan.dsa_nights is not None:
        return plan.dsa_nights
    if plan.arrival_at and plan.departure_at:
        return (
            meeting.local(plan.departure_at).date() - meeting.local(plan.arrival_at).date()
        ).days
    return None


@dataclass
class Movement:
    """One line of the arrivals board."""

    when: dt.datetime
    direction: str  # "arrival" or "departure"
    participant: Participant
    carrier: str
    flight: str
    airport: str
    pickup: bool


@dataclass
class BoardDay:
    day: dt.date
    movements: list[Movement]


def arrivals_board(meeting: Meeting) -> list[BoardDay]:
    """Arrivals and departures of those attending, by local day and time (one query)."""
    plans = TravelPlan.objects.filter(
        participant__meeting=meeting, participant__status__in=SEAT_HOLDING_STATUSES
    ).select_related("participant")
    movements = []
    for plan in plans:
        person = plan.participant
        if plan.arrival_at:
            movements.append(
                Movement(
                    meeting.local(plan.arrival_at),
                    "arrival",
                    person,
                    plan.arrival_carrier,
                    plan.arrival_flight,
                    plan.arrival_airport,
                    plan.airport_pickup,
                )  # fmt: skip
            )
        if plan.departure_at:
            movements.append(
                Movement(
                    meeting.local(plan.departure_at),
                    "departure",
                    person,
                    plan.departure_carrier,
                    plan.departure_flight,
                    plan.departure_airport,
                    plan.airport_pickup,
                )  # fmt: skip
            )
    movements.sort(key=lambda m: (m.when, m.direction, m.participant.family_name))
    days: dict[dt.date, list[Movement]] = defaultdict(list)
    for movement in movements:
        days[movement.when.date()].append(movement)
    return [BoardDay(day, items) for day, items in days.items()]


def arrivals_by_day(meeting: Meeting) -> list[tuple[dt.date, int]]:
    """The board's days (local days with an arrival or a departure) and each day's
    arrivals, read from the flight times alone (one query, no participant built)."""
    arrivals: Counter[dt.date] = Counter()
    days: set[dt.date] = set()
    times = TravelPlan.objects.filter(
        participant__meeting=meeting, participant__status__in=SEAT_HOLDING_STATUSES
    ).values_list("arrival_at", "departure_at")
    for arrival_at, departure_at in times:
        if arrival_at:
            day = meeting.local(arrival_at).date()
            arrivals[day] += 1
            days.add(day)
        if departure_at:
            days.add(meeting.local(departure_at).date())
    return [(day, arrivals[day]) for day in sorted(days)]


ARRIVALS_HEADERS = [
    "Date", "Time", "Arrival or departure", "Name", "Carrier", "Flight", "Airport",
    "Airport pickup", "Email",
]  # fmt: skip


def arrivals_rows(meeting: Meeting) -> list[list[str]]:
    return [
        [
            f"{m.when:%Y-%m-%d}",
            f"{m.when:%H:%M}",
            m.direction,
            m.participant.formal_name,
            m.carrier,
            m.flight,
            m.airport,
            "yes" if m.pickup else "no",
            m.participant.email,
        ]  # fmt: skip
        for day in arrivals_board(meeting)
        for m in day.movements
    ]


# ---------------------------------------------------------------------------- visa list

VISA_LIST_HEADERS = [
    "Family name", "Given names", "Name as in passport", "Nationality", "Date of birth",
    "Passport number", "Issuing country", "Passport valid until", "Arrival (local time)",
    "Flight", "Embassy", "Visa letter",
]  # fmt: skip


def visa_list_rows(meeting: Meeting) -> list[list]:
    """The one export that carries passport numbers and dates of birth: for the host
    country's immigration, the people holding a seat who asked for a visa letter or hold one.

    Four queries at any size; the encrypted values are decrypted row by row, in memory only.
    """
    wanting = LetterRequest.objects.filter(
        participant__meeting=meeting, kind=LetterKind.VISA
    ).values("participant")
    holding = Letter.objects.filter(
        meeting=meeting, kind=LetterKind.VISA, revoked_at__isnull=True
    ).values("participant")
    people = (
        Participant.objects.filter(meeting=meeting, status__in=SEAT_HOLDING_STATUSES)
        .filter(Q(pk__in=wanting) | Q(pk__in=holding))
        .select_related("registration", "travel_plan")
        .prefetch_related(
            Prefetch(
                "letters",
                queryset=Letter.objects.filter(kind=LetterKind.VISA, revoked_at__isnull=True),
                to_attr="visa_letters",
            ),
            Prefetch(
                "letter_requests",
                queryset=LetterRequest.objects.filter(kind=LetterKind.VISA)
                .select_related("embassy")
                .order_by("-requested_at"),
                to_attr="visa_requests",
            ),
        )
        .order_by("family_name", "given_name", "pk")
    )
    rows = []
    for person in people:
        registration = getattr(person, "registration", None)
        plan = getattr(person, "travel_plan", None)
        letter = person.visa_letters[0] if person.visa_letters else None
        request = person.visa_requests[0] if person.visa_requests else None
        embassy = (
            letter.embassy
            if letter
            else (request.embassy.name if request and request.embassy else "")
        )
        arrival = (
            meeting.local(plan.arrival_at).replace(tzinfo=None)
            if plan and plan.arrival_at
            else None
        )
        rows.append(
            [
                person.family_name,
                person.given_name,
                registration.passport_name if registration else "",
                _country_name(registration.nationality if registration else person.nationality),
                registration.date_of_birth if registration else None,
                registration.passport_number if registration else "",
                _country_name(registration.passport_issuing_country if registration else ""),
                registration.passport_expires_on if registration else None,
                arrival,
                " ".join(filter(None, [plan.arrival_carrier, plan.arrival_flight])) if plan else "",
                embassy,
                letter.reference if letter else "requested, not issued",
            ]
        )
    return rows


def _country_name(country) -> str:
    return str(country.name) if country else ""


# ---------------------------------------------------------------------------- hotel


def block_of(meeting: Meeting) -> HotelBlock | None:
    return HotelBlock.objects.filter(meeting=meeting).select_related("hotel").first()


def bookings(meeting: Meeting) -> QuerySet[HotelBooking]:
    return (
        HotelBooking.objects.filter(
            participant__meeting=meeting, participant__status__in=SEAT_HOLDING_STATUSES
        )
        .select_related("participant", "participant__registration")
        # The rooming list never prints them: no need to decrypt them.
        .defer(
            "participant__registration__passport_number",
            "participant__registration__date_of_birth",
        )
        .order_by("check_in", "participant__family_name", "participant__given_name")
    )


@dataclass
class Night:
    day: dt.date
    rooms: int
    block: int | None

    @property
    def over(self) -> bool:
        return self.block is not None and self.rooms > self.block


def rooms_per_night(meeting: Meeting, block: HotelBlock | None = None) -> list[Night]:
    """Rooms booked for each night (the night of a date, checking out the next morning),
    against the block; the nights of the block and any booked outside it."""
    block = block if block is not None else block_of(meeting)
    counts: Counter[dt.date] = Counter()
    # Stays counted by their dates in the database: a few rows, whatever the guests.
    stays = (
        bookings(meeting)
        .order_by()
        .values_list("check_in", "check_out")
        .annotate(guests=Count("pk"))
    )
    for check_in, check_out, guests in stays:
        for offset in range((check_out - check_in).days):
            counts[check_in + dt.timedelta(days=offset)] += guests
    nights = set(counts)
    if block is not None:
        span = (block.last_night - block.first_night).days + 1
        nights |= {block.first_night + dt.timedelta(days=offset) for offset in range(span)}
    return [
        Night(day, counts.get(day, 0), block.rooms if block else None) for day in sorted(nights)
    ]


ROOMING_HEADERS = [
    "Guest name (as in passport)", "Check-in", "Check-out", "Nights", "Room type",
    "Accessibility needs", "Confirmation", "Organisation", "Nationality",
]  # fmt: skip


def rooming_rows(meeting: Meeting) -> list[list]:
    """One row per guest, for the hotel. Accessibility needs only where the guest consented;
    no passport number or date of birth."""
    rows = []
    for booking in bookings(meeting):
        person = booking.participant
        registration = getattr(person, "registration", None)
        rows.append(
            [
                registration.passport_name if registration else person.full_name,
                booking.check_in,
                booking.check_out,
                booking.nights,
                booking.get_room_type_display(),
                booking.accessibility_needs if booking.accessibility_consent else "",
                booking.confirmation,
                person.organisation,
                str(registration.nationality.name)
                if registration
                else str(person.nationality.name),
            ]
        )
    return rows


# ---------------------------------------------------------------------------- history


def participant_history(participant: Participant) -> list[audit.Entry]:
    """Every change to the participant's letters, requests, travel plan and hotel stay: who,
    when, before and after (``agenda.audit``). Four queries."""
    return audit.entries(
        Letter.history.filter(participant_id=participant.pk),
        LetterRequest.history.filter(participant_id=participant.pk),
        TravelPlan.history.filter(participant_id=participant.pk),
        HotelBooking.history.filter(participant_id=participant.pk),
    )


def hotel_block_history(meeting: Meeting) -> list[audit.Entry]:
    return audit.entries(HotelBlock.history.filter(meeting_id=meeting.pk))


def note_history(meeting: Meeting) -> list[audit.Entry]:
    return audit.entries(InformationNote.history.filter(meeting_id=meeting.pk))


def template_history(template: LetterTemplate) -> list[audit.Entry]:
    return audit.entries(LetterTemplate.history.filter(id=template.pk))
