"""Read-side queries of the programme, shared by pages, feeds and reminders."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.shortcuts import get_object_or_404

from .models import (
    Deadline,
    DeadlineKind,
    Meeting,
    Session,
    SessionKind,
    SessionStatus,
    WorkingGroup,
)
from .people import Part, people


def published_meetings():
    return Meeting.objects.filter(is_published=True).select_related("venue")


def meeting_by_slug(slug: str) -> Meeting | None:
    """The meeting a link names, published or not, for its name and contact; None if none."""
    return Meeting.objects.filter(slug=slug).first()


def kind_line(kind_label: str, working_group) -> str:
    """'Working group: Youth and employment'; a group named for its kind ('Working group 1')
    is named alone, not 'Working group: Working group 1'."""
    if working_group is None:
        return str(kind_label)
    name = working_group.name
    if name.casefold().startswith(str(kind_label).casefold()):
        return name
    return f"{kind_label}: {name}"


def get_published_meeting(slug: str) -> Meeting:
    return get_object_or_404(published_meetings(), slug=slug)


def programme_sessions(meeting: Meeting) -> QuerySet[Session]:
    """The meeting's sessions with room and group, in programme order: one query. Pass the
    result through ``with_parts`` to know who has a part in each."""
    return Session.objects.filter(meeting=meeting).for_programme()


def with_parts(sessions) -> list[Session]:
    """Evaluate ``sessions`` and give each ``parts``, its people in order: one more query.

    Plain values, not model rows: a Participant row is wide and 300 of them were most of
    a cold feed's time; and a feed or page cannot show what was never loaded. The people
    come from the participants app (see ``agenda.people``).
    """
    sessions = list(sessions)
    by_session = people().parts([session.pk for session in sessions])
    for session in sessions:
        session.parts = by_session.get(session.pk, [])
    return sessions


@dataclass(slots=True)
class Named:
    """A room or working group reduced to its name, as ``SessionRow`` refers to it."""

    pk: int
    name: str


@dataclass
class SessionRow:
    """A session reduced to what its calendar event shows, read as plain values.

    Its attributes carry Session's names, so builders take either. Model rows with room
    and group joined were half of a cold 300-session feed's time.
    """

    pk: int
    uid: object
    title: str
    description: str
    kind: str
    status: str
    sequence: int
    updated_at: dt.datetime
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_id: int | None
    working_group_id: int | None
    room: Named | None
    working_group: Named | None
    parts: list[Part] = field(default_factory=list)


_ROW_FIELDS = (
    "pk",
    "uid",
    "title",
    "description",
    "kind",
    "status",
    "sequence",
    "updated_at",
    "starts_at",
    "ends_at",
    "room_id",
    "working_group_id",
    "room__name",
    "working_group__name",
)


def session_rows(sessions: QuerySet[Session]) -> list[SessionRow]:
    """``sessions`` as ``SessionRow``s in their order, with ``parts``: two queries."""
    rows = [
        SessionRow(
            *values[:12],
            room=Named(values[10], values[12]) if values[10] is not None else None,
            working_group=Named(values[11], values[13]) if values[11] is not None else None,
        )
        for values in sessions.values_list(*_ROW_FIELDS)
    ]
    return with_parts(rows)


def _latest(queryset, field: str = "updated_at"):
    return Subquery(
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(x=Max(field)).values("x")
    )


def programme_stamps(meeting: Meeting) -> dict:
    """One query: the sessions' count and latest edit, and the latest edit of the people and
    papers named in them (a renamed participant changes what the programme shows)."""
    row = (
        Meeting.objects.filter(pk=meeting.pk)
        .values("updated_at", "version")
        .annotate(
            count=Subquery(
                Session.objects.filter(meeting=OuterRef("pk"))
                .order_by()
                .annotate(one=Value(1))
                .values("one")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            latest=_latest(Session.objects.filter(meeting=OuterRef("pk"))),
            **{
                name: _latest(queryset)
                for name, queryset in people().latest_edits(OuterRef("pk")).items()
            },
        )
        .first()
    ) or {}
    return {
        name: (row[name].timestamp() if row.get(name) else 0.0)
        for name in ("updated_at", "latest", "people", "papers")
    } | {"count": row.get("count") or 0, "version": row.get("version", meeting.version)}


def programme_fingerprint(meeting: Meeting, stamps: dict | None = None) -> str:
    """Changes whenever the programme does: the version every service bumps, the meeting's
    own edits (venue, zone), the sessions' latest edit and count (edits made elsewhere), and
    the names and paper titles the programme shows."""
    stamps = stamps or programme_stamps(meeting)
    return (
        f"{meeting.pk}-{meeting.created_at.timestamp():.6f}-{stamps['updated_at']:.6f}"
        f"-v{stamps['version']}-{stamps['count']}-{stamps['latest']:.6f}"
        f"-{stamps['people']:.6f}-{stamps['papers']:.6f}"
    )


def group_sessions(meeting: Meeting, group: WorkingGroup) -> QuerySet[Session]:
    """A working group's own sessions and the plenaries everyone attends."""
    return programme_sessions(meeting).filter(
        Q(working_group=group) | Q(working_group__isnull=True)
    )


def get_group(meeting: Meeting, group_slug: str) -> WorkingGroup:
    return get_object_or_404(WorkingGroup, meeting=meeting, slug=group_slug)


def working_group_for(participant) -> WorkingGroup | None:
    """The participant's working group, or None; shown to them and to organisers."""
    if participant.working_group_id is None:
        return None
    return WorkingGroup.objects.get(pk=participant.working_group_id)


def personal_sessions(participant) -> QuerySet[Session]:
    """What belongs in a participant's calendar: plenaries, their group, their parts."""
    condition = Q(working_group__isnull=True) | Q(people__participant=participant)
    if participant.working_group_id:
        condition |= Q(working_group_id=participant.working_group_id)
    ids = Session.objects.filter(condition, meeting_id=participant.meeting_id).values("pk")
    return programme_sessions(participant.meeting).filter(pk__in=ids)


def deadlines_for(participant) -> list[Deadline]:
    """Deadlines that apply to the participant's role; the paper only if they owe one."""
    deadlines = Deadline.objects.filter(meeting_id=participant.meeting_id).order_by("due_at")
    return [
        deadline
        for deadline in deadlines
        if deadline.applies_to(participant.role)
        and (deadline.kind != DeadlineKind.PAPER or participant.owes_paper)
    ]


def overlapping_sessions(session: Session) -> QuerySet[Session]:
    """Other confirmed sessions of the meeting that overlap this one in time."""
    return Session.objects.filter(
        meeting_id=session.meeting_id,
        status=SessionStatus.CONFIRMED,
        starts_at__lt=session.ends_at,
        ends_at__gt=session.starts_at,
    ).exclude(pk=session.pk)


def key_dates(meeting: Meeting) -> list[Deadline]:
    """The meeting's deadlines in order, each with ``local_due_at`` in the meeting's zone."""
    deadlines = list(Deadline.objects.filter(meeting=meeting).order_by("due_at"))
    for deadline in deadlines:
        deadline.local_due_at = meeting.local(deadline.due_at)
    return deadlines


@dataclass
class ProgrammeSlot:
    """Sessions that start at the same instant: parallel sessions sit side by side."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    sessions: list[Session] = field(default_factory=list)
    # "01:30 EDT": the offset is named on a day the clocks change, where 01:30 happens twice.
    start_label: str = ""
    end_label: str = ""

    @property
    def parallel(self) -> bool:
        return len(self.sessions) > 1


@dataclass
class ProgrammeDay:
    day: dt.date
    zone_label: str = ""
    slots: list[ProgrammeSlot] = field(default_factory=list)


def _clock(moment: dt.datetime, with_zone: bool) -> str:
    return f"{moment:%H:%M} {moment.tzname()}" if with_zone else f"{moment:%H:%M}"


def programme_by_day(meeting: Meeting, sessions=None) -> list[ProgrammeDay]:
    """The meeting's sessions grouped by local day, then by start instant.

    Instants, not wall-clock times: aware datetimes of one zone compare by wall clock, so
    01:30 EDT and 01:30 EST (the night clocks go back) would share a slot. On such a day
    every time names its offset. Three queries (sessions, their people) whatever the number
    of sessions.
    """
    if sessions is None:
        # Plain values: model rows with room and group joined cost a third of a cold page.
        sessions = session_rows(programme_sessions(meeting))
    else:
        sessions = with_parts(sessions)
    days: dict[dt.date, ProgrammeDay] = {}
    offsets: dict[dt.date, set] = {}
    kinds = dict(SessionKind.choices)
    zone = meeting.zone
    for session in sessions:
        starts = session.starts_at.astimezone(zone)
        session.local_starts_at = starts
        session.local_ends_at = session.ends_at.astimezone(zone)
        # Read once here: the template asks for each of 300 sessions.
        session.kind_label = kinds.get(session.kind, session.kind)
        session.kind_line = kind_line(session.kind_label, session.working_group)
        session.cancelled = session.status == SessionStatus.CANCELLED
        day = days.get(starts.date())
        if day is None:
            day = days[starts.date()] = ProgrammeDay(day=starts.date())
            offsets[starts.date()] = set()
        offsets[day.day].update((starts.utcoffset(), session.local_ends_at.utcoffset()))
        if day.slots and day.slots[-1].starts_at.timestamp() == starts.timestamp():
            slot = day.slots[-1]
            if session.local_ends_at.timestamp() > slot.ends_at.timestamp():
                slot.ends_at = session.local_ends_at
        else:
            slot = ProgrammeSlot(starts_at=starts, ends_at=session.local_ends_at)
            day.slots.append(slot)
        slot.sessions.append(session)
    for day in days.values():
        changing = len(offsets[day.day]) > 1
        first = day.slots[0].starts_at
        if changing:
            names = dict.fromkeys(
                slot.starts_at.tzname() for slot in day.slots if slot.starts_at.tzname()
            )
            day.zone_label = f"{meeting.time_zone} ({', then '.join(names)})"
        else:
            day.zone_label = meeting.zone_label(first)
        for slot in day.slots:
            slot.start_label = _clock(slot.starts_at, changing)
            slot.end_label = _clock(slot.ends_at, changing)
            for session in slot.sessions:
                # 'H:i' of 300 sessions through the template's time filter cost more than this.
                session.local_times = (
                    f"{_clock(session.local_starts_at, changing)}"
                    f"\u2013{_clock(session.local_ends_at, changing)}"
                )
            if len(slot.sessions) > 1:
                # Side by side in group order (plenaries first), not in room-name order.
                slot.sessions.sort(key=_parallel_order)
    return sorted(days.values(), key=lambda programme_day: programme_day.day)


def _parallel_order(session: Session) -> tuple:
    group = session.working_group.name if session.working_group_id else ""
    room = session.room.name if session.room_id else ""
    return (group, room)
