"""Logistics: 2,000 visa letters (PDF with QR code) issued through the batch task, beside
ReportLab drawing the same letters with no database (the limit; aim: within 2x); and the
arrivals board and rooming list at 35 and 2,000 participants (same query count)."""

import datetime as dt
import os
import time

from django.test import Client
from django.urls import reverse

from agenda.models import Meeting, Venue
from bench.measure import measure, report
from logistics import letters, services, tasks
from logistics.models import Embassy, HotelBlock, HotelBooking, Letter, TravelPlan
from participants.models import Participant, Registration, Role, Status, User

LETTERS = int(os.environ.get("BENCH_LETTERS", "2000"))
# Letters per turn of the task and of ReportLab alone.
SLICE = 100


def _draw(contents: list[letters.LetterContent]) -> float:
    """Milliseconds per letter for ReportLab drawing these letters, nothing else."""
    started = time.perf_counter()
    for content in contents:
        letters.letter_pdf(content)
    return (time.perf_counter() - started) / len(contents) * 1000


def _meeting(slug: str) -> tuple[Meeting, User]:
    venue = Venue.objects.create(name="ALISA Hotel", city="Accra", country="GH")
    meeting = Meeting.objects.create(
        slug=slug,
        title="Expert Group Meeting on Practical Strategies to Promote Social Integration",
        short_title="EGM Social Integration",
        purpose="Benchmark meeting.",
        organiser="Division for Social Policy and Development (DSPD), UN DESA",
        host="Ministry of Employment and Social Welfare, Government of Ghana",
        venue=venue,
        starts_on=dt.date(2009, 11, 17),
        ends_on=dt.date(2009, 11, 19),
        time_zone="Africa/Accra",
    )
    organiser = User.objects.create_user(f"organiser-{slug}@example.org")
    meeting.organisers.add(organiser)
    Embassy.objects.create(meeting=meeting, country="BR", name="Embassy of Ghana, Brasília")
    return meeting, organiser


def _people(meeting: Meeting, count: int) -> list[Participant]:
    people = Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            email=f"p{index}@{meeting.slug}.example.org",
            given_name="Luísa",
            family_name=f"Ferreira{index:05d}",
            organisation="Institute for Applied Social Research",
            country="BR",
            nationality="BR",
            role=Role.EXPERT,
            funded=True,
            status=Status.REGISTERED,
        )
        for index in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            participant=person,
            passport_name=f"FERREIRA{index:05d} LUÍSA",
            nationality="BR",
            date_of_birth=dt.date(1970, 1, 1),
            passport_number=f"FX{index:06d}",
            passport_issuing_country="BR",
            passport_expires_on=dt.date(2015, 1, 1),
            emergency_contact_name="Contact",
            emergency_contact_phone="+55 61 0000 0000",
            completed_at=dt.datetime(2009, 10, 1, tzinfo=dt.UTC),
        )
        for index, person in enumerate(people)
    )
    return people


def _letters() -> None:
    meeting, organiser = _meeting("bench-letters")
    people = _people(meeting, LETTERS)
    context = services.issue_context(meeting, "visa")
    embassy = Embassy.objects.get(meeting=meeting)
    registrations = {
        r.participant_id: r for r in Registration.objects.filter(participant__meeting=meeting)
    }
    contents = [
        services.letter_content(
            participant=person,
            registration=registrations[person.pk],
            template=context.template,
            plan=None,
            embassy=embassy,
            reference=f"DSPD/EGM-SI/2009/{index + 1:04d}",
            code=f"ABCDEFGH{index:04d}",
            issued_on=dt.date(2009, 10, 12),
            meeting_texts=context.meeting_texts,
            signature_image=None,
        )
        for index, person in enumerate(people)
    ]
    # The task and ReportLab alone take turns, a slice of letters each, so that whatever
    # else runs on the machine slows both alike.
    drawing = issuing = 0.0
    for start in range(0, len(people), SLICE):
        drawing += _draw(contents[start : start + SLICE]) * len(contents[start : start + SLICE])
        batch = services.start_batch(
            meeting=meeting,
            kind="visa",
            participant_ids=[p.pk for p in people[start : start + SLICE]],
            by=organiser,
        )
        started = time.perf_counter()
        tasks.issue_letter_batch.apply(args=[batch.pk])
        issuing += time.perf_counter() - started
    issued = Letter.objects.filter(meeting=meeting).count()
    limit = drawing / len(contents)
    per_letter = issuing / max(issued, 1) * 1000
    elapsed = issuing
    report(f"ReportLab alone, {len(contents)} visa letters: per letter", limit)
    report(f"batch task, {issued} visa letters: per letter", per_letter)
    ratio = per_letter / limit
    print(
        f"letters per second through the task: {issued / elapsed:.1f}; "
        f"{ratio:.2f}x the ReportLab limit ({'ok' if ratio <= 2 else 'OVER the 2x aim'})",
        flush=True,
    )


def _lists(size: int) -> tuple[int, int]:
    meeting, organiser = _meeting(f"bench-lists-{size}")
    people = _people(meeting, size)
    zone = meeting.zone
    TravelPlan.objects.bulk_create(
        TravelPlan(
            participant=person,
            arrival_flight="KL 589",
            arrival_at=dt.datetime(2009, 11, 16, 6 + index % 16, tzinfo=zone),
            departure_flight="KL 590",
            departure_at=dt.datetime(2009, 11, 20, 6 + index % 16, tzinfo=zone),
            airport_pickup=index % 2 == 0,
        )
        for index, person in enumerate(people)
    )
    HotelBlock.objects.create(
        meeting=meeting,
        hotel=meeting.venue,
        first_night=dt.date(2009, 11, 16),
        last_night=dt.date(2009, 11, 19),
        rooms=size,
    )
    HotelBooking.objects.bulk_create(
        HotelBooking(
            participant=person,
            hotel=meeting.venue,
            check_in=dt.date(2009, 11, 16),
            check_out=dt.date(2009, 11, 20),
            room_type="single",
        )
        for person in people
    )
    client = Client()
    client.force_login(organiser)
    counts = []
    for name in ("arrivals", "hotel"):
        url = reverse(f"logistics:{name}", kwargs={"slug": meeting.slug})
        millis, queries = measure(lambda url=url: client.get(url), repeat=3 if size > 100 else 7)
        report(f"{name} page, {size} participants", millis, queries)
        counts.append(queries)
    return tuple(counts)


def run() -> None:
    _letters()
    small = _lists(35)
    large = _lists(2000)
    print(
        f"arrivals board and rooming list queries at 35 and 2,000 participants: {small} and "
        f"{large} ({'equal' if small == large else 'NOT EQUAL'})",
        flush=True,
    )
