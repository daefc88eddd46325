"""Travel plans, the arrivals board, the hotel block, bookings, rooming list, rooms per night."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.calendars import Flight, Stay
from logistics import queries, services
from logistics.models import HotelBooking, TravelPlan
from participants import contributions
from participants.models import Participant, Registration

from .support import (
    accra_meeting,
    embassy_for,
    organiser_of,
    registered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return accra_meeting()


def _at(meeting, day, hour, minute=0):
    return dt.datetime(2009, 11, day, hour, minute, tzinfo=meeting.zone)


def _flights(participant, arrival, departure, **extra):
    return services.save_travel_plan(
        participant=participant,
        values={
            "arrival_carrier": "KLM",
            "arrival_flight": "KL 589",
            "arrival_at": arrival,
            "arrival_airport": "ACC",
            "departure_carrier": "KLM",
            "departure_flight": "KL 590",
            "departure_at": departure,
            "departure_airport": "ACC",
            **extra,
        },
        by=None,
    )


def _block(meeting, rooms=2):
    return services.save_hotel_block(
        meeting=meeting,
        values={
            "hotel": meeting.venue,
            "first_night": dt.date(2009, 11, 16),
            "last_night": dt.date(2009, 11, 19),
            "rooms": rooms,
        },
    )


def test_participant_enters_flights_in_the_meeting_zone(client, meeting):
    participant = registered(meeting)
    client.force_login(participant.user)

    response = client.post(
        reverse("logistics:my_travel", kwargs={"slug": meeting.slug}),
        {
            "arrival_carrier": "TAP",
            "arrival_flight": "TP 1541",
            "arrival_at": "2009-11-16T19:40",
            "arrival_airport": "Kotoka (ACC)",
            "departure_at": "2009-11-20T23:15",
            "airport_pickup": "on",
        },
    )

    assert response.status_code == 302
    plan = TravelPlan.objects.get()
    assert plan.arrival_at == _at(meeting, 16, 19, 40)
    assert (plan.arrival_flight, plan.airport_pickup) == ("TP 1541", True)


@pytest.mark.parametrize(
    "arrival, departure, field, message",
    [
        ("2009-11-18T10:00", "2009-11-16T10:00", "departure_at", "The departure must come after"),
        ("2009-11-01T10:00", "2009-11-20T10:00", "arrival_at", "The arrival is 7 days or more"),
        ("2009-11-16T10:00", "2009-12-20T10:00", "departure_at", "The departure is 7 days or more"),
    ],
)
def test_bad_flights_are_refused_with_the_reason(
    client, meeting, arrival, departure, field, message
):
    participant = registered(meeting)
    client.force_login(participant.user)

    response = client.post(
        reverse("logistics:my_travel", kwargs={"slug": meeting.slug}),
        {"arrival_at": arrival, "departure_at": departure},
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field][0].startswith(message)
    assert TravelPlan.objects.count() == 0


def test_ticket_fields_are_the_organisers(meeting):
    participant = registered(meeting)

    plan = _flights(
        participant, _at(meeting, 16, 18), _at(meeting, 20, 9), ticket_reference="ETKT 1"
    )
    assert plan.ticket_reference == ""

    plan = services.save_travel_plan(
        participant=participant,
        values={"ticket_issued": True, "ticket_reference": "ETKT 1", "dsa_nights": 4},
        by=None,
        as_organiser=True,
    )
    assert (plan.ticket_issued, plan.ticket_reference, plan.dsa_nights) == (True, "ETKT 1", 4)


def test_flights_reach_the_personal_calendar(meeting):
    participant = registered(meeting)
    _flights(participant, _at(meeting, 16, 18), _at(meeting, 20, 9))
    _block(meeting)
    services.save_booking(participant=participant, values={}, by=None)

    events = contributions.personal_events(Participant.objects.get(pk=participant.pk))
    stays = [event for event in events if isinstance(event, Stay)]
    flights = [event for event in events if isinstance(event, Flight)]

    assert [(flight.direction, flight.flight) for flight in flights] == [
        ("arrival", "KL 589"),
        ("departure", "KL 590"),
    ]
    assert [(stay.check_in, stay.check_out) for stay in stays] == [
        (dt.date(2009, 11, 16), dt.date(2009, 11, 20))
    ]


def test_booking_defaults_from_the_flights(meeting):
    participant = registered(meeting)
    _flights(participant, _at(meeting, 17, 6), _at(meeting, 19, 23))
    _block(meeting)

    booking = services.save_booking(participant=participant, values={}, by=None)

    assert (booking.check_in, booking.check_out, booking.nights) == (
        dt.date(2009, 11, 17),
        dt.date(2009, 11, 19),
        2,
    )


@pytest.mark.parametrize(
    "check_in, check_out, message",
    [
        ("2009-11-18", "2009-11-17", "The check-out must come after the check-in."),
        ("2009-11-14", "2009-11-18", "The stay is outside the hotel block"),
        ("2009-11-17", "2009-11-22", "The stay is outside the hotel block"),
    ],
)
def test_bad_stays_are_refused_with_the_reason(client, meeting, check_in, check_out, message):
    participant = registered(meeting)
    _block(meeting)
    client.force_login(participant.user)

    response = client.post(
        reverse("logistics:my_hotel", kwargs={"slug": meeting.slug}),
        {"check_in": check_in, "check_out": check_out, "room_type": "single"},
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert HotelBooking.objects.count() == 0


def test_booking_without_a_block_is_refused(meeting):
    with pytest.raises(ValidationError):
        services.save_booking(participant=registered(meeting), values={}, by=None)
    assert HotelBooking.objects.count() == 0


def test_accessibility_needs_kept_only_with_consent(meeting):
    _block(meeting)
    participant = registered(meeting)

    booking = services.save_booking(
        participant=participant,
        values={"accessibility_needs": "Step-free room", "accessibility_consent": False},
        by=None,
    )

    assert booking.accessibility_needs == ""


def _three_guests(meeting):
    """Three guests, one with an accented name; the night of 17 November is over a 2-room block."""
    _block(meeting, rooms=2)
    guests = [
        registered(meeting, email="luisa@example.org"),
        registered(meeting, email="a@example.org", given_name="Ama", family_name="Mensah"),
        registered(meeting, email="b@example.org", given_name="Ravi", family_name="Sankaran"),
    ]
    stays = [((16, 20), True), ((17, 18), False), ((17, 19), False)]
    for guest, ((first, last), consent) in zip(guests, stays, strict=True):
        services.save_booking(
            participant=guest,
            values={
                "check_in": dt.date(2009, 11, first),
                "check_out": dt.date(2009, 11, last),
                "room_type": "single",
                "accessibility_needs": "Step-free room",
                "accessibility_consent": consent,
            },
            by=None,
        )
    return guests


def test_rooms_per_night_warn_of_the_night_over_the_block(client, meeting):
    _three_guests(meeting)

    nights = [
        (night.day.day, night.rooms, night.over) for night in queries.rooms_per_night(meeting)
    ]

    assert nights == [(16, 1, False), (17, 3, True), (18, 2, False), (19, 1, False)]
    client.force_login(organiser_of(meeting))
    page = client.get(reverse("logistics:hotel", kwargs={"slug": meeting.slug})).content.decode()
    assert "Over the block on the night of 17 November 2009: 3 rooms booked, 2 held." in page


def test_rooming_list_csv_and_xlsx_one_row_per_guest_with_nights(client, meeting):
    _three_guests(meeting)
    client.force_login(organiser_of(meeting))

    response = client.get(reverse("logistics:rooming_csv", kwargs={"slug": meeting.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    xlsx = client.get(reverse("logistics:rooming_xlsx", kwargs={"slug": meeting.slug}))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active

    assert rows[1] == [
        "FERREIRA MATOS LUÍSA", "2009-11-16", "2009-11-20", "4", "Single", "Step-free room",
        "", "University of Ghana", "Brazil",
    ]  # fmt: skip
    assert [row[3] for row in rows[1:]] == ["4", "1", "2"]
    assert [row[5] for row in rows[1:]] == ["Step-free room", "", ""]
    assert "FX123456" not in response.content.decode("utf-8-sig")
    values = list(sheet.values)
    assert values[0][0] == "Guest name (as in passport)"
    assert values[1][0] == "FERREIRA MATOS LUÍSA"
    assert values[1][3] == 4


def test_arrivals_board_by_day_and_time_printable_and_csv(client, meeting):
    luisa = registered(meeting)
    ama = registered(meeting, email="a@example.org", given_name="Ama", family_name="Mensah")
    _flights(luisa, _at(meeting, 16, 19, 40), _at(meeting, 20, 9), airport_pickup=True)
    _flights(ama, _at(meeting, 16, 6, 5), _at(meeting, 19, 22))
    client.force_login(organiser_of(meeting))

    page = client.get(reverse("logistics:arrivals", kwargs={"slug": meeting.slug})).content.decode()
    response = client.get(reverse("logistics:arrivals_csv", kwargs={"slug": meeting.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert "Monday 16 November 2009 (times in Africa/Accra (GMT))" in page
    assert page.index("Dr. Ama Mensah") < page.index("Dr. Luísa Ferreira Matos")
    assert 'class="no-print"' in page
    assert rows[0][:4] == ["Date", "Time", "Arrival or departure", "Name"]
    assert [row[:4] + [row[7]] for row in rows[1:]] == [
        ["2009-11-16", "06:05", "arrival", "Dr. Ama Mensah", "no"],
        ["2009-11-16", "19:40", "arrival", "Dr. Luísa Ferreira Matos", "yes"],
        ["2009-11-19", "22:00", "departure", "Dr. Ama Mensah", "no"],
        ["2009-11-20", "09:00", "departure", "Dr. Luísa Ferreira Matos", "yes"],
    ]


@pytest.mark.parametrize(
    "name",
    [
        "participants:dashboard",
        "logistics:organise",
        "logistics:letters",
        "logistics:arrivals",
        "logistics:hotel",
    ],
)
def test_logistics_pages_keep_their_query_count(client, meeting, name, django_assert_num_queries):
    """One guest or four, each with flights, a stay, a visa letter (one of them revoked
    and issued again, one outdated) and a request: the same queries."""
    _block(meeting, rooms=10)
    embassy_for(meeting)
    organiser = organiser_of(meeting)
    client.force_login(organiser)
    url = reverse(name, kwargs={"slug": meeting.slug})

    def add(count, start):
        for index in range(start, start + count):
            person = registered(meeting, email=f"g{index}@example.org")
            _flights(person, _at(meeting, 16, 8), _at(meeting, 20, 9))
            services.save_booking(participant=person, values={}, by=None)
            letter = services.issue_letter(participant=person, kind="visa", by=organiser)
            if index % 2:
                services.reissue_letter(letter=letter, by=organiser)
            services.request_letter(participant=person, kind="invitation", embassy=None)
        Registration.objects.filter(participant__email=f"g{start}@example.org").update(
            passport_number="NEW99999"
        )

    add(1, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(3, 1)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert response.status_code == 200


def test_service_refuses_a_departure_before_the_arrival(meeting):
    participant = registered(meeting)

    with pytest.raises(ValidationError) as raised:
        _flights(participant, _at(meeting, 18, 10), _at(meeting, 17, 10))

    assert raised.value.message_dict["departure_at"] == [
        "The departure must come after the arrival."
    ]
    assert TravelPlan.objects.count() == 0


def test_allowance_is_nights_times_the_meeting_rate(client, meeting):
    participant = registered(meeting)
    _flights(participant, _at(meeting, 16, 18), _at(meeting, 20, 9))
    services.save_information_note(
        meeting=meeting, values={"dsa_rate": Decimal("207.00"), "dsa_currency": "USD"}, by=None
    )
    client.force_login(organiser_of(meeting))
    url = reverse("logistics:participant", kwargs={"slug": meeting.slug, "pk": participant.pk})

    before = client.get(url).content.decode()
    services.save_travel_plan(
        participant=participant, values={"dsa_nights": 3}, by=None, as_organiser=True
    )
    after = client.get(url).content.decode()

    assert "Daily subsistence allowance: 4 nights, USD 828.00." in before
    assert "Daily subsistence allowance: 3 nights, USD 621.00." in after
