"""The demo meeting: the Accra expert group meeting of November 2009, with fictional people.

``load_demo`` writes the meeting in one transaction: this app's part (venue and rooms, the
meeting, working groups, deadlines, the three-day programme), then the parts other apps
register from their ``AppConfig.ready()`` with ``register_demo_part``, in dependency order
(``participants``: people, status histories, registrations, papers and parts in sessions;
``logistics``: travel and hotel, when it has a part). Every row is found by a natural key and
saved only when a value differs, so a second run changes nothing.

With ``today`` given, the programme moves by whole weeks (the meeting keeps its weekdays) so
that the expert-paper deadline falls at least ten days later; the history (invitations,
answers, registrations, uploads) moves by whole weeks too, as far as it must to lie before
``today``, and nobody is shown as having attended a meeting that has not yet happened.
"""

import datetime as dt
import math
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from . import services
from .models import (
    Deadline,
    DeadlineKind,
    Meeting,
    RoleQuota,
    Room,
    Session,
    SessionKind,
    Venue,
    WorkingGroup,
)

DEMO_SLUG = "egm-social-integration-2009"
DEMO_TITLE = (
    "Expert Group Meeting on Practical Strategies to Promote Social Integration: "
    "Lessons learned from existing policies and practices"
)
ZONE = zoneinfo.ZoneInfo("Africa/Accra")
STARTS_ON = dt.date(2009, 11, 17)
ENDS_ON = dt.date(2009, 11, 19)
PAPER_DUE_ON = dt.date(2009, 11, 5)
# The last thing that happened before the meeting in the 2009 story (a paper upload on the
# 6th, a cancellation on the 7th): with ``today``, the history ends before it.
HISTORY_ENDS_ON = dt.date(2009, 11, 8)
# Calendar UIDs of the demo sessions are derived from this, so they survive reloads.
UID_NAMESPACE = uuid.UUID("6f1c6b0e-9d7a-4c55-9a51-2f1a8e0c2009")
WEEK = dt.timedelta(days=7)

PURPOSE = (
    "The Division for Social Policy and Development (DSPD) of the United Nations Department "
    "of Economic and Social Affairs, in collaboration with the Ministry of Employment and "
    "Social Welfare of the Government of Ghana, convenes this Expert Group Meeting as part of "
    "the preparations for the 48th session of the Commission for Social Development "
    "(New York, 3-12 February 2010), whose priority theme is social integration.\n\n"
    "Drawing lessons from national experiences in various regions, the meeting reviews the "
    "challenges and opportunities of existing policies, strategies and practices that promote "
    "social integration and inclusion; examines the national mechanisms that implement them; "
    "and identifies national capacity gaps and ways to strengthen that capacity. It will "
    "adopt policy recommendations for the national, regional and international levels."
)


class DemoConflict(Exception):
    """Another meeting already uses the demo's slug; the loader refuses to overwrite it."""


@dataclass
class DemoResult:
    meeting: Meeting
    created: int
    updated: int


class DemoLoader:
    """Dates of the 2009 story moved to the chosen day, and idempotent writes that count."""

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today
        self.shift = shift_for(today)
        self.history_shift = history_shift_for(today)
        self.created = 0
        self.updated = 0

    # Dates of 2009, moved by the shift.
    def date(self, day: dt.date) -> dt.date:
        return day + self.shift

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local wall-clock time in Accra on a 2009 day, moved by the shift."""
        return dt.datetime.combine(self.date(day), dt.time(hour, minute), tzinfo=ZONE)

    def history_at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """When something in the 2009 story happened before the meeting, moved so that it
        lies before ``today`` (it is the same as ``at`` for the 2009 dates)."""
        moved = day + self.history_shift
        return dt.datetime.combine(moved, dt.time(hour, minute), tzinfo=ZONE)

    @property
    def meeting_held(self) -> bool:
        """Whether the meeting is over by ``today``: only then has anyone attended it."""
        return self.today is None or self.date(ENDS_ON) < self.today

    def upsert(self, model, lookup: dict, values: dict):
        """Create the row, or bring it to ``values``; saves only when something differs."""
        instance = model._default_manager.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean()
            instance.save()
            self.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.full_clean()
            instance.save()
            self.updated += 1
        return instance


def shift_for(today: dt.date | None) -> dt.timedelta:
    """Whole weeks that move the paper deadline (Thursday 5 November 2009) to at least ten
    days after ``today``; whole weeks, so every session keeps its weekday."""
    if today is None:
        return dt.timedelta(0)
    days = (today + dt.timedelta(days=10) - PAPER_DUE_ON).days
    return WEEK * math.ceil(days / 7)


def history_shift_for(today: dt.date | None) -> dt.timedelta:
    """Whole weeks that move the story before the meeting to end before ``today``."""
    if today is None:
        return dt.timedelta(0)
    days = (today - HISTORY_ENDS_ON).days
    return WEEK * math.floor(days / 7)


@dataclass
class DemoContext:
    """What this app's part of the demo made, for the parts other apps add after it."""

    loader: DemoLoader
    meeting: Meeting
    groups: dict[str, WorkingGroup]
    sessions: dict[str, Session]
    #: Filled by the parts that load them, e.g. participants by their key ("k.asante").
    people: dict = field(default_factory=dict)


DemoPart = Callable[[DemoContext], None]
_parts: list[tuple[int, DemoPart]] = []


def register_demo_part(part: DemoPart, *, order: int) -> None:
    """Load ``part`` after the programme, and after every part of a lower ``order``
    (participants 20, logistics 30: the order of the apps' dependencies)."""
    if all(registered is not part for _, registered in _parts):
        _parts.append((order, part))
        _parts.sort(key=lambda item: item[0])


def load_demo(*, today: dt.date | None = None) -> DemoResult:
    """Load (or bring back to its defined state) the Accra demo meeting.

    Writes Venue, Room, Meeting, RoleQuota, WorkingGroup, Deadline and Session rows, then
    every registered part's rows (participants, papers and their PDF files in the default,
    private storage...), all in one transaction; sends no mail. Raises ``DemoConflict``
    (nothing written) when the demo's slug belongs to another meeting: another title, or
    the same title with other dates and not made by this loader.
    """
    loader = DemoLoader(today)
    with transaction.atomic():
        existing = Meeting.objects.select_for_update().filter(slug=DEMO_SLUG).first()
        if existing is not None and not _is_demo(existing, loader):
            raise DemoConflict(
                f"A meeting with the slug '{DEMO_SLUG}' already exists "
                f"('{existing.title}', starting {existing.starts_on:%d %B %Y}) and is not the "
                f"demo meeting. Nothing was changed. Delete or rename that meeting in the "
                f"admin first."
            )
        context = _load(loader)
        for _, part in _parts:
            part(context)
    return DemoResult(meeting=context.meeting, created=loader.created, updated=loader.updated)


def _load_deadline(loader: DemoLoader, wanted: Deadline) -> Deadline:
    """Through the service, so a deadline moved by ``--today`` raises its SEQUENCE; its UID
    (made when first created) is kept."""
    deadline = Deadline.objects.filter(meeting=wanted.meeting, kind=wanted.kind).first()
    if deadline is None:
        loader.created += 1
        return services.save_deadline(deadline=wanted)
    names = [name for name in services.DEADLINE_FIELDS if name != "kind"]
    changed = [name for name in names if getattr(deadline, name) != getattr(wanted, name)]
    if changed:
        for name in changed:
            setattr(deadline, name, getattr(wanted, name))
        services.save_deadline(deadline=deadline)
        loader.updated += 1
    return deadline


def _session_uid(key: str) -> uuid.UUID:
    return uuid.uuid5(UID_NAMESPACE, f"{DEMO_SLUG}:{key}")


def _is_demo(meeting: Meeting, loader: DemoLoader) -> bool:
    """The meeting under the demo's slug is the demo itself (maybe loaded for another day)."""
    if meeting.title != DEMO_TITLE:
        return False
    if meeting.starts_on == loader.date(STARTS_ON):
        return True
    # Loaded with --today on another day: its sessions carry the demo's calendar UIDs.
    return Session.objects.filter(meeting=meeting, uid=_session_uid("d1-opening")).exists()


def _load(loader: DemoLoader) -> DemoContext:
    venue = loader.upsert(
        Venue,
        {"name": "ALISA Hotel", "city": "Accra"},
        {
            "address": "North Ridge",
            "country": "GH",
            "website": "",
            "phone": "+233 30 255 0100",
        },
    )
    rooms = {
        key: loader.upsert(Room, {"venue": venue, "name": name}, {"capacity": capacity})
        for key, name, capacity in [
            ("plenary", "Plenary Hall", 60),
            ("volta", "Volta Room", 15),
            ("ashanti", "Ashanti Room", 15),
            ("osu", "Osu Room", 12),
        ]
    }
    meeting = loader.upsert(
        Meeting,
        {"slug": DEMO_SLUG},
        {
            "title": DEMO_TITLE,
            "short_title": "EGM on Social Integration, Accra 2009",
            "purpose": PURPOSE,
            "organiser": (
                "Division for Social Policy and Development (DSPD), United Nations Department "
                "of Economic and Social Affairs (UN DESA)"
            ),
            "host": "Ministry of Employment and Social Welfare, Government of Ghana",
            "venue": venue,
            "starts_on": loader.date(STARTS_ON),
            "ends_on": loader.date(ENDS_ON),
            "time_zone": "Africa/Accra",
            "language": "English",
            "capacity": 35,
            "paper_min_pages": 5,
            "paper_max_pages": 10,
            "paper_roles": ["expert"],
            "paper_uploads_close_at": loader.at(dt.date(2009, 11, 16), 23, 59),
            "contact_name": "Keiko Hanazawa, Division for Social Policy and Development",
            "contact_email": "egm-social-integration@example.org",
            # Invitations and reminders to more than four people wait for review.
            "hold_bulk_mail_over": 4,
            "contact_phone": "+1 212 555 0136",
            "website": "",
            "is_published": True,
        },
    )
    loader.upsert(RoleQuota, {"meeting": meeting, "role": "expert"}, {"limit": 14})
    groups = {
        slug: loader.upsert(
            WorkingGroup,
            {"meeting": meeting, "slug": slug},
            {"name": name, "description": description},
        )
        for slug, name, description in WORKING_GROUPS
    }
    for kind, day, roles, description in DEADLINES:
        _load_deadline(
            loader,
            Deadline(
                meeting=meeting,
                kind=kind,
                due_at=loader.at(day, 23, 59).replace(second=59),
                roles=roles,
                description=description,
            ),
        )
    sessions = {}
    for key, kind, title, day, start, end, room, group, description in SESSIONS:
        sessions[key] = loader.upsert(
            Session,
            {"uid": _session_uid(key)},
            {
                "meeting": meeting,
                "kind": kind,
                "title": title,
                "description": description,
                "starts_at": loader.at(day, *start),
                "ends_at": loader.at(day, *end),
                "room": rooms[room] if room else None,
                "working_group": groups[group] if group else None,
            },
        )
    return DemoContext(loader=loader, meeting=meeting, groups=groups, sessions=sessions)


# Data tables, laid out as tables.
# fmt: off
WORKING_GROUPS = [
    (
        "policies",
        "Working group 1: Policies for social integration",
        "Equitable distribution, social protection and cash transfers; policies for specific "
        "groups and universal, rights-based approaches, and the synergy between them.",
    ),
    (
        "mechanisms",
        "Working group 2: National mechanisms and inclusive planning",
        "Institutional, coordination, planning, budgeting, monitoring and evaluation "
        "mechanisms; participatory planning as a tool to put inclusion into practice.",
    ),
    (
        "capacity",
        "Working group 3: Capacity gaps and the knowledge base",
        "Barriers to implementation, national capacity needs, data and analysis, and a "
        "knowledge base of good practices and lessons learned.",
    ),
]

D = dt.date
DEADLINES = [
    (DeadlineKind.VISA_REQUEST, D(2009, 10, 16), [],
     "Ask for a visa support letter by this date so the embassy has time to issue the visa."),
    # Registration stays open until a week before the meeting, after the paper deadline, so
    # late invitees (and a demo dated to today) can still answer and register.
    (DeadlineKind.REGISTRATION, D(2009, 11, 10), [],
     "Complete the registration form (passport details, travel, needs)."),
    (DeadlineKind.PAPER, PAPER_DUE_ON, ["expert"],
     "Submit the 5-10 page expert paper on your agenda item."),
    (DeadlineKind.TRAVEL_DETAILS, D(2009, 11, 9), [],
     "Send your arrival and departure flights so the airport pick-up can be arranged."),
]

DAY1, DAY2, DAY3 = D(2009, 11, 17), D(2009, 11, 18), D(2009, 11, 19)
K = SessionKind
# key, kind, title, day, start, end, room, working group, description
SESSIONS = [
    ("d1-opening", K.OPENING, "Opening of the meeting", DAY1, (9, 0), (10, 0), "plenary", "",
     "Welcome by the Government of Ghana and UN DESA; objectives and organisation of work."),
    ("d1-break-am", K.BREAK, "Coffee break", DAY1, (10, 0), (10, 30), "plenary", "", ""),
    ("d1-plenary-1", K.PLENARY, "Social integration: concepts and the Copenhagen commitments",
     DAY1, (10, 30), (12, 30), "plenary", "",
     "Presentations that set the conceptual framework for the discussion."),
    ("d1-lunch", K.BREAK, "Lunch", DAY1, (12, 30), (14, 0), "", "", ""),
    ("d1-plenary-2", K.PLENARY, "Policies for social integration: lessons from national experience",
     DAY1, (14, 0), (15, 30), "plenary", "",
     "Equitable distribution, social protection and conditional cash transfers."),
    ("d1-break-pm", K.BREAK, "Coffee break", DAY1, (15, 30), (16, 0), "plenary", "", ""),
    ("d1-plenary-3", K.PLENARY, "Targeted and universal approaches", DAY1, (16, 0), (17, 30),
     "plenary", "", "Youth, older persons, persons with disabilities, indigenous peoples, "
     "migrants; universal access and rights-based approaches."),
    ("d1-reception", K.RECEPTION, "Welcome reception hosted by the Government of Ghana", DAY1,
     (18, 30), (20, 30), "", "", "Garden terrace of the hotel."),
    ("d2-plenary-1", K.PLENARY, "National mechanisms for inclusive policy", DAY2, (9, 0),
     (10, 30), "plenary", "", "Institutional, coordination, planning and budgeting mechanisms."),
    ("d2-break-am", K.BREAK, "Coffee break", DAY2, (10, 30), (11, 0), "plenary", "", ""),
    ("d2-wg1-a", K.WORKING_GROUP, "Working group 1, first session", DAY2, (11, 0), (12, 30),
     "volta", "policies", ""),
    ("d2-wg2-a", K.WORKING_GROUP, "Working group 2, first session", DAY2, (11, 0), (12, 30),
     "ashanti", "mechanisms", ""),
    ("d2-wg3-a", K.WORKING_GROUP, "Working group 3, first session", DAY2, (11, 0), (12, 30),
     "osu", "capacity", ""),
    ("d2-lunch", K.BREAK, "Lunch", DAY2, (12, 30), (14, 0), "", "", ""),
    ("d2-wg1-b", K.WORKING_GROUP, "Working group 1, second session", DAY2, (14, 0), (15, 30),
     "volta", "policies", ""),
    ("d2-wg2-b", K.WORKING_GROUP, "Working group 2, second session", DAY2, (14, 0), (15, 30),
     "ashanti", "mechanisms", ""),
    ("d2-wg3-b", K.WORKING_GROUP, "Working group 3, second session", DAY2, (14, 0), (15, 30),
     "osu", "capacity", ""),
    ("d2-break-pm", K.BREAK, "Coffee break", DAY2, (15, 30), (16, 0), "plenary", "", ""),
    ("d2-plenary-2", K.PLENARY, "Reports of the working groups", DAY2, (16, 0), (17, 30),
     "plenary", "", "Each working group reports; discussion in plenary."),
    ("d3-plenary-1", K.PLENARY, "Capacity gaps and a knowledge base for social integration", DAY3,
     (9, 0), (10, 30), "plenary", "", "Data, analysis and capacity building."),
    ("d3-break-am", K.BREAK, "Coffee break", DAY3, (10, 30), (11, 0), "plenary", "", ""),
    ("d3-wg1", K.WORKING_GROUP, "Working group 1: drafting recommendations", DAY3, (11, 0),
     (12, 30), "volta", "policies", ""),
    ("d3-wg2", K.WORKING_GROUP, "Working group 2: drafting recommendations", DAY3, (11, 0),
     (12, 30), "ashanti", "mechanisms", ""),
    ("d3-wg3", K.WORKING_GROUP, "Working group 3: drafting recommendations", DAY3, (11, 0),
     (12, 30), "osu", "capacity", ""),
    ("d3-lunch", K.BREAK, "Lunch", DAY3, (12, 30), (14, 0), "", "", ""),
    ("d3-closing", K.CLOSING, "Closing plenary: conclusions and recommendations", DAY3, (14, 0),
     (16, 0), "plenary", "",
     "Adoption of the conclusions and policy recommendations; next steps for the final report."),
]

# fmt: on
