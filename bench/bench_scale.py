"""A meeting of 5,000 participants beside 200 past meetings, against a 35-person one.

Everything is built with ``bulk_create`` and measured in one run, so the ratios compare
figures taken on the same machine at the same moment:

- the organiser pages (dashboard, participants tracker paged and with all rows on one page,
  papers tracker, the logistics overview, letters, arrivals board and rooming list, the
  outbox page and the outbox's admin list) and the participant portal: median server time
  and query count at 35 and at 5,000, with the 5,000/35 time ratio;
- importing 5,000 invitees from CSV and from XLSX through the organisers' import page and
  through the admin's (upload and preview, then confirm), beside a plain ``bulk_create`` of
  the same rows;
- the CSV and XLSX exports of 5,000 rows;
- the meeting's ``.ics`` with 300 sessions cold and warm, and 5,000 personal feeds built
  one after another;
- the query plans of the dashboard's, the trackers' and the logistics pages' queries: no full
  scan of a table holding every meeting's rows (PostgreSQL ``Seq Scan``; SQLite ``SCAN``
  without a meeting index).
"""

import datetime as dt
import gc
import io
import itertools
import re
import statistics
import time

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import Deadline, DeadlineKind, Meeting, Room, Session, SessionKind, Venue
from bench.measure import measure, measure_with_cpu, report, report_with_cpu
from logistics.models import Embassy, HotelBlock, HotelBooking, Letter, LetterRequest, TravelPlan
from notifications.models import Message, MessageStatus
from participants.models import (
    Paper,
    PaperVersion,
    Participant,
    Registration,
    Role,
    SessionRole,
    Status,
    User,
)
from participants.organisers import ensure_organiser_group
from participants.regions import region_for

PAST_MEETINGS = 200
PAST_SIZE = 60
SMALL, LARGE = 35, 5000
SESSIONS = 300
COUNTRIES = ["GH", "KE", "FR", "BR", "IN", "JP", "AU", "US", "NG", "DE"]
GENDERS = ["female", "male", "", "other"]
ROLES = list(Role.values)
STATUSES = [Status.INVITED, Status.ACCEPTED, Status.REGISTERED, Status.DECLINED]
# Tables that hold every meeting's rows: a full scan of one reads other meetings' data.
SHARED_TABLES = (
    "participants_participant",
    "participants_paper",
    "participants_paperversion",
    "participants_registration",
    "participants_sessionrole",
    "notifications_message",
    "agenda_session",
    "logistics_letter",
    "logistics_letterrequest",
    "logistics_travelplan",
    "logistics_hotelbooking",
)

_serial = itertools.count()


def _meetings(count: int, prefix: str) -> list[Meeting]:
    return Meeting.objects.bulk_create(
        Meeting(
            slug=f"{prefix}-{n}",
            title=f"Expert group meeting {prefix} {n}",
            purpose="Benchmark.",
            organiser="DSPD, UN DESA",
            starts_on=dt.date(2009, 11, 17),
            ends_on=dt.date(2009, 11, 19),
            time_zone="Africa/Accra",
            paper_roles=["expert"],
        )
        for n in range(count)
    )


def _person(meeting: Meeting, n: int) -> Participant:
    country = COUNTRIES[n % len(COUNTRIES)]
    return Participant(
        meeting=meeting,
        email=f"person{n}@{meeting.slug}.example.org",
        honorific="Dr.",
        given_name=f"Given{n}",
        family_name=f"Family{n:05d}",
        organisation=f"Institute {n % 97}",
        job_title="Researcher",
        country=country,
        nationality=COUNTRIES[(n + 3) % len(COUNTRIES)],
        gender=GENDERS[n % len(GENDERS)],
        region=region_for(country),
        role=ROLES[n % len(ROLES)],
        funded=n % 3 == 0,
        status=STATUSES[n % len(STATUSES)],
        calendar_token=f"{meeting.slug}-{n}-token",
    )


def _people(meetings: list[Meeting], size: int) -> list[Participant]:
    """``size`` people in each meeting, papers for half the experts, one email each."""
    people = Participant.objects.bulk_create(
        (_person(meeting, n) for meeting in meetings for n in range(size)), batch_size=1000
    )
    experts = [p for p in people if p.role == Role.EXPERT and p.status != Status.DECLINED][::2]
    papers = Paper.objects.bulk_create(
        (Paper(participant=p, title=f"Paper of {p.family_name}") for p in experts),
        batch_size=1000,
    )
    versions = PaperVersion.objects.bulk_create(
        (
            PaperVersion(
                paper=paper,
                number=1,
                file=f"papers/bench/{paper.pk}.pdf",
                original_name="paper.pdf",
                content_type="application/pdf",
                size=400_000,
                sha256=f"{paper.pk:064d}",
                page_count=7,
                uploaded_at=dt.datetime(2009, 11, 3, tzinfo=dt.UTC),
            )
            for paper in papers
        ),
        batch_size=1000,
    )
    for paper, version in zip(papers, versions, strict=True):
        paper.current_version = version
    Paper.objects.bulk_update(papers, ["current_version"], batch_size=1000)
    Message.objects.bulk_create(
        (
            Message(
                meeting_id=p.meeting_id,
                recipient=p.email,
                subject="Invitation: Expert group meeting",
                body_text="Dear colleague, ...",
                kind="invitation",
                idempotency_key=f"invitation:{p.pk}",
                status=MessageStatus.SENT,
            )
            for p in people
        ),
        batch_size=1000,
    )
    return people


def _logistics(meetings: list[Meeting], people: list[Participant]) -> None:
    """What the logistics pages read, for every meeting: a hotel block, and for each person
    who accepted or registered a flight and a hotel stay; for each registered person the
    passport details, and a visa letter asked for (every second) or issued (every fourth)."""
    venue = Venue.objects.create(name=f"Hotel {next(_serial)}", city="Accra", country="GH")
    HotelBlock.objects.bulk_create(
        HotelBlock(
            meeting=meeting,
            hotel=venue,
            first_night=dt.date(2009, 11, 16),
            last_night=dt.date(2009, 11, 19),
            rooms=100,
        )
        for meeting in meetings
    )
    embassies = {
        embassy.meeting_id: embassy
        for embassy in Embassy.objects.bulk_create(
            Embassy(meeting=meeting, country="BR", name="Embassy of Ghana, Brasília")
            for meeting in meetings
        )
    }
    coming = [p for p in people if p.status in (Status.ACCEPTED, Status.REGISTERED)]
    registered = [p for p in coming if p.status == Status.REGISTERED]
    TravelPlan.objects.bulk_create(
        (
            TravelPlan(
                participant=person,
                arrival_flight="KL 589",
                arrival_at=dt.datetime(2009, 11, 16, 6 + n % 16, tzinfo=dt.UTC),
                departure_flight="KL 590",
                departure_at=dt.datetime(2009, 11, 20, 6 + n % 16, tzinfo=dt.UTC),
                airport_pickup=n % 2 == 0,
            )
            for n, person in enumerate(coming)
        ),
        batch_size=1000,
    )
    HotelBooking.objects.bulk_create(
        (
            HotelBooking(
                participant=person,
                hotel=venue,
                check_in=dt.date(2009, 11, 16),
                check_out=dt.date(2009, 11, 20),
                room_type="single",
            )
            for person in coming
        ),
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        (
            Registration(
                participant=person,
                passport_name=f"{person.family_name} {person.given_name}".upper(),
                nationality=person.nationality,
                date_of_birth=dt.date(1970, 1, 1),
                passport_number=f"FX{person.pk:07d}",
                passport_issuing_country=person.nationality,
                passport_expires_on=dt.date(2015, 1, 1),
                completed_at=dt.datetime(2009, 10, 1, tzinfo=dt.UTC),
            )
            for person in registered
        ),
        batch_size=1000,
    )
    asking = registered[::2]
    letters = Letter.objects.bulk_create(
        (
            Letter(
                meeting_id=person.meeting_id,
                participant=person,
                number=n + 1,
                reference=f"DSPD/EGM/2009/{n + 1:05d}",
                embassy="Embassy of Ghana, Brasília",
                verification_code=f"B{person.pk:011d}",
                pdf=f"letters/bench/{person.pk}.pdf",
                issued_at=dt.datetime(2009, 10, 12, tzinfo=dt.UTC),
            )
            for n, person in enumerate(asking[::2])
        ),
        batch_size=1000,
    )
    letter_of = {letter.participant_id: letter for letter in letters}
    LetterRequest.objects.bulk_create(
        (
            LetterRequest(
                participant=person,
                embassy=embassies[person.meeting_id],
                requested_at=dt.datetime(2009, 10, 5, tzinfo=dt.UTC),
                letter=letter_of.get(person.pk),
                handled_at=(
                    dt.datetime(2009, 10, 12, tzinfo=dt.UTC) if person.pk in letter_of else None
                ),
            )
            for person in asking
        ),
        batch_size=1000,
    )


def _programme(meeting: Meeting, people: list[Participant], count: int = SESSIONS) -> None:
    """``count`` sessions over three days in six rooms, each with a speaker; the paper
    deadline."""
    venue = Venue.objects.create(name=f"Venue {meeting.slug}", city="Accra", country="GH")
    rooms = [Room.objects.create(venue=venue, name=f"Room {n}") for n in range(6)]
    meeting.venue = venue
    meeting.save(update_fields=["venue"])
    Deadline.objects.create(
        meeting=meeting,
        kind=DeadlineKind.PAPER,
        due_at=meeting.end_of_day(dt.date(2009, 11, 5)),
        roles=["expert"],
    )
    per_day = count // 3 + 1
    sessions = []
    for n in range(count):
        day, index = divmod(n, per_day)
        start = dt.datetime.combine(
            meeting.starts_on + dt.timedelta(days=day), dt.time(7), tzinfo=meeting.zone
        ) + dt.timedelta(minutes=12 * (index // 6))
        sessions.append(
            Session(
                meeting=meeting,
                kind=SessionKind.PLENARY,
                title=f"Session {n}: practical strategies for social integration",
                starts_at=start,
                ends_at=start + dt.timedelta(minutes=10),
                room=rooms[index % 6],
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    SessionRole.objects.bulk_create(
        SessionRole(session=session, participant=people[n % len(people)], part="speaker")
        for n, session in enumerate(sessions)
    )


def _organiser(meeting: Meeting) -> Client:
    user = User.objects.create_user(email=f"organiser{next(_serial)}@example.org", is_staff=True)
    user.groups.add(ensure_organiser_group())
    meeting.organisers.add(user)
    client = Client()
    client.force_login(user)
    return client


def _portal_client(participant: Participant) -> Client:
    user = User.objects.create_user(email=f"portal{next(_serial)}@example.org")
    Participant.objects.filter(pk=participant.pk).update(user=user, status=Status.REGISTERED)
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


def _ratio(label: str, value: float, reference: float, aim: str = "") -> None:
    suffix = f"  ({aim})" if aim else ""
    print(f"  {label:<66} {value / reference:7.2f}x{suffix}", flush=True)


# The query plans ------------------------------------------------------------------------


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def _full_scans(plan: list[str]) -> list[str]:
    """The plan lines that read a shared table whole (SQLite: SCAN, even through an index)."""
    pattern = "Seq Scan on {}" if connection.vendor == "postgresql" else "SCAN {}"
    return [
        line.strip()
        for line in plan
        for table in SHARED_TABLES
        if re.search(rf"(^|\s){pattern.format(table)}\b", line.strip())
    ]


def _index_plan_exists(sql: str) -> bool:
    """PostgreSQL only: with sequential scans priced out, does an index plan appear?

    On small tables the planner may prefer a sequential scan although an index exists;
    that is its choice, not a missing index.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            return not _full_scans(_plan(sql))
        finally:
            cursor.execute("SET enable_seqscan = on")


def _explain(label: str, client: Client, url: str) -> bool:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    selects = [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    missing, chosen = [], []
    for sql in selects:
        scans = _full_scans(_plan(sql))
        if not scans:
            continue
        if connection.vendor == "postgresql" and _index_plan_exists(sql):
            chosen += scans
        else:
            missing += scans
    verdict = "no full scan of a shared table"
    if chosen:
        verdict = "index exists, planner prefers: " + "; ".join(
            re.sub(r"\s+\(cost.*", "", scan).removeprefix("->  ") for scan in chosen
        )
    if missing:
        verdict = "MISSING INDEX: " + "; ".join(missing)
    print(f"  {label:<40} {len(selects):3d} SELECTs: {verdict}", flush=True)
    return not missing


# The import -----------------------------------------------------------------------------


def _rows(count: int) -> list[list[str]]:
    return [
        [
            "Dr.",
            f"Given{n}",
            f"Family{n:05d}",
            f"invitee{n}@example.org",
            f"Institute {n % 97}",
            "Researcher",
            COUNTRIES[n % len(COUNTRIES)],
            COUNTRIES[(n + 3) % len(COUNTRIES)],
            GENDERS[n % len(GENDERS)],
            ROLES[n % len(ROLES)],
            "yes" if n % 3 == 0 else "no",
        ]
        for n in range(count)
    ]


IMPORT_HEADER = [
    "honorific", "given name", "family name", "email", "organisation", "job title",
    "country", "nationality", "gender", "role", "funded",
]  # fmt: skip


def _csv_bytes(rows: list[list[str]]) -> bytes:
    import csv  # noqa: PLC0415

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(IMPORT_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Invitees")
    sheet.append(IMPORT_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _timed_steps(preview_step, confirm_step):
    """Each of the two steps' (wall, CPU) milliseconds."""
    started, cpu_started = time.perf_counter(), time.process_time()
    confirmation = preview_step()
    previewed, cpu_previewed = time.perf_counter(), time.process_time()
    confirm_step(confirmation)
    finished, cpu_finished = time.perf_counter(), time.process_time()
    return (
        ((previewed - started) * 1000, (cpu_previewed - cpu_started) * 1000),
        ((finished - previewed) * 1000, (cpu_finished - cpu_previewed) * 1000),
    )


def _page_import(client: Client, meeting: Meeting, data: bytes, name: str, fmt: str):
    """The organiser's import page (Import in the menu): upload and preview, then confirm."""
    url = f"/m/{meeting.slug}/organise/import/"

    def preview():
        response = client.post(url, {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200, response.status_code
        assert "confirm" in response.context, response.content[:2000]
        return response.context["confirm"]

    def confirm(checksum):
        response = client.post(url, {"confirm": checksum})
        assert response.status_code == 302, response.status_code

    timings = _timed_steps(preview, confirm)
    assert Participant.objects.filter(meeting=meeting).count() == LARGE
    return timings


def _admin_import(client: Client, meeting: Meeting, data: bytes, name: str, fmt: str):
    """The admin's import: upload (validated and previewed), then confirm."""

    def preview():
        response = client.post(
            "/admin/participants/participant/import/",
            {
                "resource": "0",
                "format": fmt,
                "meeting": meeting.pk,
                "import_file": SimpleUploadedFile(name, data),
            },
        )
        assert response.status_code == 200, response.status_code
        assert "confirm_form" in response.context, response.content[:2000]
        return response.context["confirm_form"].initial

    def confirm(initial):
        response = client.post("/admin/participants/participant/process_import/", {**initial})
        assert response.status_code == 302, response.status_code

    timings = _timed_steps(preview, confirm)
    assert Participant.objects.filter(meeting=meeting).count() == LARGE
    return timings


IMPORT_ROUNDS = 5
IMPORT_PATHS = (("organiser page", _page_import), ("admin", _admin_import))


def _imports(rows: list[list[str]]) -> None:
    """Rounds of: a plain bulk_create, then the CSV and the XLSX import through the
    organisers' import page and through the admin, each into a fresh meeting. Interleaved,
    so that a change in the machine's load hits all alike; the medians are compared. Beside
    wall time, this process's CPU time (on SQLite the whole work; on PostgreSQL without the
    server's share)."""
    print(
        f"Import of 5,000 invitees (median of {IMPORT_ROUNDS} interleaved rounds, "
        "each into a fresh meeting; wall time, then this process's CPU time):",
        flush=True,
    )
    fields = [
        "honorific", "given_name", "family_name", "email", "organisation", "job_title",
        "country", "nationality", "gender", "role", "funded",
    ]  # fmt: skip

    def bulk() -> None:
        (meeting,) = _meetings(1, f"bulk{next(_serial)}")
        people = []
        for row in rows:
            values = dict(zip(fields, row, strict=True))
            values["funded"] = values["funded"] == "yes"
            people.append(
                Participant(
                    meeting=meeting,
                    region=region_for(values["country"]),
                    status=Status.NOT_INVITED,
                    **values,
                )
            )
        Participant.objects.bulk_create(people, batch_size=500)

    files = (
        ("CSV", _csv_bytes(rows), "invitees.csv", "0"),
        ("XLSX", _xlsx_bytes(rows), "invitees.xlsx", "1"),
    )
    timings: dict[str, list[tuple[float, float]]] = {}
    for _ in range(IMPORT_ROUNDS):
        # The run holds many objects by now: a full garbage collection landing inside one
        # step would charge it to that step alone, so each step starts collected.
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        bulk()
        timings.setdefault("bulk", []).append(
            ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
        )
        for path, steps in IMPORT_PATHS:
            for label, data, name, fmt in files:
                cache.clear()  # the preview reads the file; the confirmation reuses its table
                gc.collect()
                (meeting,) = _meetings(1, f"import{next(_serial)}")
                client = _organiser(meeting)
                preview, confirm = steps(client, meeting, data, name, fmt)
                key = f"{label} {path}"
                timings.setdefault(f"{key} preview", []).append(preview)
                timings.setdefault(f"{key} confirm", []).append(confirm)
                timings.setdefault(f"{key} whole", []).append(
                    (preview[0] + confirm[0], preview[1] + confirm[1])
                )

    def median(key: str) -> tuple[float, float]:
        walls, cpus = zip(*timings[key], strict=True)
        return statistics.median(walls), statistics.median(cpus)

    def line(label: str, key: str) -> None:
        wall, cpu = median(key)
        print(f"  {label:<56} {wall:9.1f} ms  (CPU {cpu:7.1f} ms)", flush=True)

    line("plain bulk_create of the same 5,000 rows", "bulk")
    plain_wall, plain_cpu = median("bulk")
    for path, _steps in IMPORT_PATHS:
        for label, *_ in files:
            key = f"{label} {path}"
            line(f"{label} import ({path}), upload and preview", f"{key} preview")
            line(f"{label} import ({path}), confirm: the rows written", f"{key} confirm")
            for what, part in (("confirm", "confirm"), ("upload, preview and confirm", "whole")):
                wall, cpu = median(f"{key} {part}")
                print(
                    f"    {label} ({path}) {what} / bulk_create: {wall / plain_wall:.2f}x wall, "
                    f"{cpu / plain_cpu:.2f}x CPU  (aim 1.5x)",
                    flush=True,
                )


# The feeds ------------------------------------------------------------------------------


def _feeds(meeting: Meeting, people: list[Participant]) -> None:
    from agenda import feeds  # noqa: PLC0415
    from participants import feeds as personal_feeds  # noqa: PLC0415
    from participants import queries as participant_queries  # noqa: PLC0415

    print(f"Calendars ({SESSIONS} sessions):", flush=True)
    fresh = Meeting.objects.get(pk=meeting.pk)

    def cold() -> bytes:
        cache.clear()
        return feeds.meeting_feed(fresh)

    report_with_cpu("meeting .ics, cold (built)", *measure_with_cpu(cold, repeat=7), budget_ms=40)
    client = Client()
    url = f"/m/{meeting.slug}/agenda.ics"
    report("meeting .ics, warm (GET, cached)", *measure(lambda: _get(client, url), repeat=15))

    def personal(participant: Participant) -> bytes:
        holder = participant_queries.participant_for_calendar(
            meeting.slug, participant.calendar_token
        )
        return personal_feeds.personal_feed(holder)

    timings, counts = [], set()
    started = time.perf_counter()
    for participant in people:
        connection.queries_log.clear()  # the log keeps 9,000 queries; count from empty
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            personal(participant)
            timings.append((time.perf_counter() - begun) * 1000)
        counts.add(len(captured))
    total = time.perf_counter() - started
    print(
        f"  {len(people):,} personal feeds one after another: {total:.1f} s in all, "
        f"median {statistics.median(timings):.1f} ms, 99th percentile "
        f"{statistics.quantiles(timings, n=100)[-1]:.1f} ms, queries per feed {sorted(counts)}",
        flush=True,
    )


def _xlsxwriter_constant_memory(headers: list[str], rows: list[tuple]) -> bytes:
    """The export's writer before: XlsxWriter in constant-memory mode, typed calls per cell."""
    import xlsxwriter  # noqa: PLC0415

    from participants import exports  # noqa: PLC0415

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
         "strings_to_numbers": False},
    )  # fmt: skip
    sheet = book.add_worksheet("Participants")
    bold = book.add_format({"bold": True})
    stamp = book.add_format({"num_format": exports.XLSX_DATETIME_FORMAT})
    for column, header in enumerate(headers):
        sheet.set_column(column, column, len(header) + 2)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(headers) - 1)
    sheet.write_row(0, 0, headers, bold)
    write_string, write_datetime = sheet.write_string, sheet.write_datetime
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            if isinstance(cell, str):
                if cell:
                    write_string(number, column, exports.neutralise(cell))
            elif cell is not None:
                write_datetime(number, column, cell, stamp)
    book.close()
    return buffer.getvalue()


def _pyexcelerate(headers: list[str], rows: list[tuple]) -> bytes:
    from pyexcelerate import Font, Format, Panes, Style, Workbook  # noqa: PLC0415

    from participants import exports  # noqa: PLC0415

    book = Workbook()
    cells = [[exports.neutralise(cell) for cell in row] for row in rows]
    sheet = book.new_sheet("Participants", data=[headers, *cells])
    sheet.set_row_style(1, Style(font=Font(bold=True)))
    for column, header in enumerate(headers, start=1):
        dated = header.endswith(")")  # the three "... at (zone)" columns
        sheet.set_col_style(
            column,
            Style(size=len(header) + 2,
                  format=Format(exports.XLSX_DATETIME_FORMAT) if dated else None),
        )  # fmt: skip
    sheet.panes = Panes(0, 1)
    sheet.auto_filter = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _writers(meeting: Meeting) -> None:
    """The XLSX writers side by side on the export's own 5,000 rows (no HTTP, no query),
    each with a bold frozen header, a filter, widths, date cells and neutralised formulas."""
    from openpyxl import Workbook  # noqa: PLC0415

    from participants import exports  # noqa: PLC0415

    people = Participant.objects.filter(meeting=meeting)
    headers = exports.organiser_headers(meeting)
    rows = list(exports.organiser_rows(meeting, people))

    def openpyxl_write_only(headers: list[str], rows: list[tuple]) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Participants")
        sheet.append(headers)
        for row in rows:
            sheet.append([exports.neutralise(cell) for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    now, _ = measure(lambda: exports.to_xlsx(headers, rows, title="Participants"), repeat=5)
    report("  writer only: rustpy-xlsxwriter 0.8.0 (the export's)", now)
    for label, write in (
        ("openpyxl 3.1.5 write-only", openpyxl_write_only),
        ("XlsxWriter 3.3.1 constant-memory (before)", _xlsxwriter_constant_memory),
        ("pyexcelerate 0.13.0", _pyexcelerate),
    ):
        other, _ = measure(lambda write=write: write(headers, rows), repeat=5)
        report(f"  writer only: {label}", other)
        _ratio(f"  {label} / rustpy-xlsxwriter", other, now)


# The run --------------------------------------------------------------------------------


def run() -> None:
    started = time.perf_counter()
    past = _meetings(PAST_MEETINGS, "past")
    past_people = _people(past, PAST_SIZE)
    small, large = _meetings(2, "now")
    small_people = _people([small], SMALL)
    large_people = _people([large], LARGE)
    _programme(large, large_people)
    _programme(small, small_people, count=12)  # pages compared at 35 and 5,000 alike
    _logistics([*past, small, large], [*past_people, *small_people, *large_people])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Participant.objects.count()
    print(
        f"Built {PAST_MEETINGS} past meetings of {PAST_SIZE}, one of {SMALL} and one of "
        f"{LARGE:,} ({total:,} participants in all) in {time.perf_counter() - started:.1f} s "
        f"on {connection.vendor}",
        flush=True,
    )

    clients = {SMALL: _organiser(small), LARGE: _organiser(large)}
    portals = {SMALL: _portal_client(small_people[0]), LARGE: _portal_client(large_people[0])}
    slugs = {SMALL: small.slug, LARGE: large.slug}
    ids = {SMALL: small.pk, LARGE: large.pk}
    organise = {size: f"/m/{slugs[size]}/organise/" for size in (SMALL, LARGE)}
    pages = [
        ("dashboard", lambda n: organise[n]),
        ("participants tracker, first page", lambda n: f"{organise[n]}participants/"),
        ("participants tracker, all rows", lambda n: f"{organise[n]}participants/?page=all"),
        ("papers tracker", lambda n: reverse("papers:tracker", kwargs={"slug": slugs[n]})),
        ("logistics overview", lambda n: f"{organise[n]}logistics/"),
        ("letters", lambda n: f"{organise[n]}logistics/letters/"),
        ("arrivals board", lambda n: f"{organise[n]}logistics/arrivals/"),
        ("rooming list", lambda n: f"{organise[n]}logistics/hotel/"),
        ("outbox page", lambda n: f"{organise[n]}outbox/"),
        (
            "outbox admin list",
            lambda n: f"/admin/notifications/message/?meeting__id__exact={ids[n]}",
        ),
    ]
    # The query plans are read for every page but the admin's list.
    planned = pages[:-1]
    print("Pages (server time through the test client, median of 5):", flush=True)
    for label, url_for in [*pages, ("participant portal", None)]:
        figures = {}
        for size in (SMALL, LARGE):
            if url_for is None:
                url, client = f"/m/{slugs[size]}/me/", portals[size]
            else:
                url, client = url_for(size), clients[size]
            figures[size] = measure(lambda url=url, client=client: _get(client, url), repeat=5)
            report(f"{label}, {size:,}", *figures[size])
        (small_ms, small_q), (large_ms, large_q) = figures[SMALL], figures[LARGE]
        same = "equal" if small_q == large_q else "NOT EQUAL"
        _ratio(f"{label}: 5,000 / 35 time (queries {small_q} and {large_q}: {same})",
               large_ms, small_ms)  # fmt: skip

    print("Exports of 5,000 rows (whole request):", flush=True)
    client = clients[LARGE]
    csv_url = reverse("participants:export_csv", args=[large.slug])
    xlsx_url = reverse("participants:export_xlsx", args=[large.slug])
    for label, url, budget in (("CSV", csv_url, 100), ("XLSX", xlsx_url, 300)):
        figures = measure_with_cpu(lambda url=url: _get(client, url), repeat=7)
        report_with_cpu(f"{label} export, 5,000 rows", *figures, budget_ms=budget)

    _writers(large)

    print(f"Query plans ({connection.vendor}), 5,000 beside {PAST_MEETINGS} meetings:")
    for size in (SMALL, LARGE):
        for label, url_for in planned:
            _explain(f"{label}, {size:,}", clients[size], url_for(size))

    _feeds(large, Participant.objects.filter(meeting=large).order_by("pk"))
    _imports(_rows(LARGE))
