"""Every change to the programme's sessions, and the record of changes once announced.

People's parts, working-group membership and mailing the changes to the people they
affect belong to the app that knows people: ``participants.programme``.

Each service validates, writes inside one transaction and bumps ``Meeting.version`` when
what a feed shows changes, so the cached feeds are rebuilt on the next request.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import (
    AgendaChange,
    AgendaChangeKind,
    Deadline,
    Meeting,
    Room,
    Session,
    SessionStatus,
    WorkingGroup,
)
from .people import people
from .text import strip_invisible

SESSION_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "room",
    "working_group",
)


@dataclass
class SessionResult:
    """The saved session and warnings for the organiser (the save went through)."""

    session: Session
    warnings: list[str] = field(default_factory=list)


def _bump_version(meeting: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(version=F("version") + 1)
    meeting.refresh_from_db(fields=["version"])


ROOM_TAKEN = "That room is already booked at this time."
ROOM_ELSEWHERE = "That room is not at this meeting's venue: choose one of its venue's rooms."


def _save_session(session: Session, **kwargs) -> None:
    """Save; the PostgreSQL exclusion constraint catches a booking that raced the check."""
    try:
        with transaction.atomic():
            session.save(**kwargs)
    except IntegrityError as error:
        if "session_room_no_overlap" in str(error):
            raise ValidationError({"room": [ROOM_TAKEN]}) from error
        raise


def describe(meeting: Meeting, session: Session) -> str:
    starts = meeting.local(session.starts_at)
    ends = meeting.local(session.ends_at)
    text = f"{session.title}, {starts:%A %d %B %Y %H:%M}-{ends:%H:%M} {starts.tzname()}"
    if session.room_id:
        text += f", {session.room.name}"
    return text


def validate_session(*, meeting: Meeting, session: Session) -> None:
    """End after start, inside the meeting's days, a room of the meeting's venue and free;
    raise ValidationError."""
    errors: dict[str, list[str]] = {}
    if session.starts_at and session.ends_at:
        if session.ends_at <= session.starts_at:
            errors.setdefault("ends_at", []).append("The session must end after it starts.")
        if session.starts_at < meeting.starts_at or session.ends_at > meeting.ends_at:
            errors.setdefault("starts_at", []).append(
                f"The session must fall within the meeting, "
                f"{meeting.starts_on:%d %B %Y} to {meeting.ends_on:%d %B %Y} "
                f"({meeting.time_zone})."
            )
    if session.working_group_id and session.working_group.meeting_id != meeting.pk:
        errors.setdefault("working_group", []).append("That group belongs to another meeting.")
    if session.room_id and session.room.venue_id != meeting.venue_id:
        errors.setdefault("room", []).append(ROOM_ELSEWHERE)
    if errors:
        raise ValidationError(errors)
    if session.room_id and session.status == SessionStatus.CONFIRMED:
        # Lock the room so two organisers cannot book it for the same hour at once.
        Room.objects.select_for_update().get(pk=session.room_id)
        clash = (
            Session.objects.filter(
                room_id=session.room_id,
                status=SessionStatus.CONFIRMED,
                starts_at__lt=session.ends_at,
                ends_at__gt=session.starts_at,
            )
            .exclude(pk=session.pk)
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            starts = meeting.local(clash.starts_at)
            ends = meeting.local(clash.ends_at)
            # Another meeting's programme is not this organiser's to read: no title.
            what = (
                f"\u201c{clash.title}\u201d"
                if clash.meeting_id == meeting.pk
                else "another meeting at this venue"
            )
            raise ValidationError(
                {
                    "room": [
                        f"{session.room.name} is already booked for {what} "
                        f"on {starts:%d %B} from {starts:%H:%M} to {ends:%H:%M}."
                    ]
                }
            )
    session.full_clean(exclude=["meeting"])


def audience_ids(meeting: Meeting, session: Session) -> list[int]:
    """Who the session concerns right now, kept before a change (only once announced)."""
    if meeting.agenda_announced_at is None:
        return []
    return sorted(people().audience(meeting, session))


def record_change(
    meeting: Meeting, session: Session, kind: str, *, people_before: list[int] | None = None
) -> None:
    """Bump the session's SEQUENCE, its last edit (the feeds' Last-Modified) and the meeting's
    version; keep the change if announced.

    Also called by the participants app when people's parts in a session change."""
    Session.objects.filter(pk=session.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    session.refresh_from_db(fields=["sequence", "updated_at"])
    _bump_version(meeting)
    if meeting.agenda_announced_at is not None:
        AgendaChange.objects.create(
            meeting=meeting,
            session=session,
            kind=kind,
            summary=describe(meeting, session)[:500],
            people_before=people_before or [],
            recorded_at=timezone.now(),
        )


@transaction.atomic
def create_session(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str = "",
    room: Room | None = None,
    working_group: WorkingGroup | None = None,
) -> SessionResult:
    """Add a session. Refuses (ValidationError) a bad time or a booked room; writes nothing then.

    Side effects: bumps the meeting's version; records an 'added' change once announced.
    """
    session = Session(
        meeting=meeting,
        kind=kind,
        title=strip_invisible(title),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        room=room,
        working_group=working_group,
    )
    validate_session(meeting=meeting, session=session)
    _save_session(session)
    _bump_version(meeting)
    if meeting.agenda_announced_at is not None:
        AgendaChange.objects.create(
            meeting=meeting,
            session=session,
            kind=AgendaChangeKind.ADDED,
            summary=describe(meeting, session)[:500],
            recorded_at=timezone.now(),
        )
    return SessionResult(session=session, warnings=people().clash_warnings(session))


@transaction.atomic
def update_session(*, session: Session, **changes) -> SessionResult:
    """Change a session's fields (any of SESSION_FIELDS); same checks as create_session.

    Side effects: SEQUENCE and the meeting's version rise; a change is recorded once the
    agenda is announced, to be mailed in the next batch. No change, no write.
    """
    unknown = set(changes) - {*SESSION_FIELDS, "status"}
    if unknown:
        raise TypeError(f"Unknown session fields: {', '.join(sorted(unknown))}")
    session = Session.objects.select_for_update().select_related("meeting").get(pk=session.pk)
    meeting = session.meeting
    # A title that differs only by invisible characters is no change.
    if "title" in changes:
        changes["title"] = strip_invisible(changes["title"])
    changed = [name for name, value in changes.items() if getattr(session, name) != value]
    if not changed:
        return SessionResult(session=session)
    # Moving a session to another group drops it from the old members' agendas: mail them too.
    before = audience_ids(meeting, session)
    for name in changed:
        setattr(session, name, changes[name])
    validate_session(meeting=meeting, session=session)
    _save_session(session)
    record_change(meeting, session, AgendaChangeKind.CHANGED, people_before=before)
    return SessionResult(session=session, warnings=people().clash_warnings(session))


@transaction.atomic
def cancel_session(*, session: Session) -> Session:
    """Mark a session cancelled: it stays in every feed as STATUS:CANCELLED and struck through.

    Side effects: SEQUENCE and the meeting's version rise; a change is recorded once announced.
    """
    session = Session.objects.select_for_update().select_related("meeting").get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        return session
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    record_change(session.meeting, session, AgendaChangeKind.CANCELLED)
    return session


@transaction.atomic
def venue_changed(*, venue_id: int) -> None:
    """A venue or one of its rooms was edited: the meetings held there show it in every
    feed and page, so their version and last edit move on and the caches miss."""
    Meeting.objects.filter(venue_id=venue_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


DEADLINE_FIELDS = ("kind", "due_at", "roles", "description")


@transaction.atomic
def save_deadline(*, deadline: Deadline) -> Deadline:
    """Save a new or edited deadline (``DEADLINE_FIELDS`` set on it); refuses
    (ValidationError) what the model refuses, writing nothing then.

    Side effects: when ``due_at`` moves, the deadline's SEQUENCE rises, so calendars that
    hold it (personal feeds, attachments) replace it rather than keep the old time.
    """
    deadline.full_clean()
    if deadline.pk is not None:
        before = Deadline.objects.select_for_update().filter(pk=deadline.pk).first()
        if before is not None:
            deadline.sequence = before.sequence
            if before.due_at != deadline.due_at:
                deadline.sequence += 1
    deadline.save()
    return deadline


@transaction.atomic
def announce_agenda(*, meeting: Meeting) -> Meeting:
    """From now on, changes to sessions are mailed to the participants they affect."""
    if meeting.agenda_announced_at is None:
        meeting.agenda_announced_at = timezone.now()
        meeting.save(update_fields=["agenda_announced_at", "updated_at"])
    return meeting
