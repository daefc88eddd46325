"""Participants at scale: the organiser tracker, the exports and the import.

Figures from issue 3, for comparison: a mature Django conference tool spends 368 ms and
106 queries on its 35-row organiser list, and 2.2 s and 4,013 queries on a 2,000-row CSV
export, on this machine.
"""

import datetime as dt
import itertools

from django.db import connection
from django.test import Client
from django.urls import reverse

from agenda.models import Meeting
from bench.measure import measure, report
from participants.importing import import_participants
from participants.models import Participant, Role, Status, User
from participants.regions import region_for

REFERENCE_LIST_MS, REFERENCE_LIST_QUERIES = 368, 106
REFERENCE_CSV_MS, REFERENCE_CSV_QUERIES = 2200, 4013

_serial = itertools.count()
ROLES = list(Role.values)
STATUSES = list(Status.values)
COUNTRIES = ["GH", "KE", "FR", "BR", "IN", "JP", "AU", "US", "NG", "DE"]
GENDERS = ["female", "male", "", "other"]


def _meeting(organiser: User) -> Meeting:
    meeting = Meeting.objects.create(
        slug=f"bench-{next(_serial)}",
        title="Practical Strategies to Promote Social Integration",
        purpose="Benchmark",
        organiser="DSPD",
        starts_on=dt.date(2009, 11, 17),
        ends_on=dt.date(2009, 11, 19),
        time_zone="Africa/Accra",
    )
    meeting.organisers.add(organiser)
    return meeting


def _rows(count: int) -> list[dict]:
    return [
        {
            "honorific": "Dr.",
            "given_name": f"Given{n}",
            "family_name": f"Family{n:05d}",
            "email": f"person{n}@example.org",
            "organisation": f"Institute {n % 97}",
            "job_title": "Researcher",
            "country": COUNTRIES[n % len(COUNTRIES)],
            "nationality": COUNTRIES[(n + 3) % len(COUNTRIES)],
            "gender": GENDERS[n % len(GENDERS)],
            "role": ROLES[n % len(ROLES)],
            "funded": n % 3 == 0,
            "region": region_for(COUNTRIES[n % len(COUNTRIES)]),
        }
        for n in range(count)
    ]


def _csv(rows: list[dict]) -> bytes:
    lines = [
        "honorific,given name,family name,email,organisation,job title,country,nationality,"
        "gender,role,funded"
    ]
    for row in rows:
        lines.append(
            ",".join(
                [
                    row["honorific"],
                    row["given_name"],
                    row["family_name"],
                    row["email"],
                    row["organisation"],
                    row["job_title"],
                    row["country"],
                    row["nationality"],
                    row["gender"],
                    row["role"],
                    "yes" if row["funded"] else "no",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def _populate(meeting: Meeting, count: int) -> None:
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, status=STATUSES[n % len(STATUSES)], **row)
            for n, row in enumerate(_rows(count))
        ],
        batch_size=500,
    )


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def _ratio(label: str, value: float, reference: float) -> None:
    ratio = value / reference
    shown = f"{ratio:9.2f}x" if ratio >= 0.1 else f"{ratio:9.4f}x (1/{reference / value:,.0f})"
    print(f"  {label:<56} {shown}", flush=True)


def run() -> None:
    organiser = User.objects.create_user(email=f"organiser{next(_serial)}@example.org")
    client = Client()
    client.force_login(organiser)

    small, large = _meeting(organiser), _meeting(organiser)
    _populate(small, 35)
    _populate(large, 5000)

    print("Tracker page (server time through the test client, median of 7):")
    tracker = {}
    for meeting, size in ((small, 35), (large, 5000)):
        url = reverse("participants:tracker", args=[meeting.slug])
        tracker[size] = measure(lambda url=url: _get(client, url))
        report(f"tracker, {size} participants (first page)", *tracker[size], budget_ms=150)
    all_url = reverse("participants:tracker", args=[small.slug]) + "?page=all"
    report("tracker, 35 participants (page=all)", *measure(lambda: _get(client, all_url)))
    print(
        f"  queries equal at 35 and 5,000: {tracker[35][1] == tracker[5000][1]} "
        f"({tracker[35][1]} and {tracker[5000][1]})"
    )
    _ratio("tracker 5,000 / tracker 35 (time)", tracker[5000][0], tracker[35][0])
    _ratio("tracker 35 / reference list 35 (368 ms)", tracker[35][0], REFERENCE_LIST_MS)
    _ratio("tracker 35 queries / reference 106 queries", tracker[35][1], REFERENCE_LIST_QUERIES)

    print("Exports (whole request through the test client):")
    medium = _meeting(organiser)
    _populate(medium, 2000)
    csv_2000 = measure(lambda: _get(client, reverse("participants:export_csv", args=[medium.slug])))
    report("CSV export, 2,000 rows", *csv_2000, budget_ms=200)
    print(f"  at most 5 queries: {csv_2000[1] <= 5} ({csv_2000[1]})")
    _ratio("CSV 2,000 / reference 2,000-row CSV (2.2 s)", csv_2000[0], REFERENCE_CSV_MS)
    _ratio("CSV 2,000 queries / reference 4,013 queries", csv_2000[1], REFERENCE_CSV_QUERIES)
    csv_5000 = measure(lambda: _get(client, reverse("participants:export_csv", args=[large.slug])))
    report("CSV export, 5,000 rows", *csv_5000)
    xlsx_5000 = measure(
        lambda: _get(client, reverse("participants:export_xlsx", args=[large.slug])), repeat=3
    )
    report("XLSX export, 5,000 rows", *xlsx_5000)

    print("Import of 5,000 rows (median of 3, each into a fresh meeting):")
    rows = _rows(5000)
    data = _csv(rows)

    def bulk() -> None:
        meeting = _meeting(organiser)
        Participant.objects.bulk_create(
            [Participant(meeting=meeting, **row) for row in rows], batch_size=500
        )

    def imported() -> None:
        import_participants(meeting=_meeting(organiser), data=data, filename="list.csv")

    plain = measure(bulk, repeat=3)
    report("plain bulk_create of the same 5,000 rows", *plain)
    full = measure(imported, repeat=3)
    report("import_participants, 5,000-row CSV (new rows)", *full)
    _ratio("import / bulk_create (budget 5x)", full[0], plain[0])
    again = _meeting(organiser)
    import_participants(meeting=again, data=data, filename="list.csv")
    unchanged = measure(
        lambda: import_participants(meeting=again, data=data, filename="list.csv"), repeat=3
    )
    report("re-import of the same 5,000 rows (all unchanged)", *unchanged)
    print(f"  on {connection.vendor}", flush=True)
