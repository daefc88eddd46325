"""Every change to the programme: sessions, people's parts, working groups, calendar tokens,
and mailing the changes of an announced agenda to the people they affect.

Each service validates, writes inside one transaction and bumps ``Meeting.version`` when
what a feed shows changes, so the cached feeds are rebuilt on the next request.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import (
    AgendaChange,
    AgendaChangeKind,
    Meeting,
    Room,
    Session,
    SessionStatus,
    WorkingGroup,
)
from .text import strip_invisible

if TYPE_CHECKING:
    from participants.models import Paper, Participant, SessionRole

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


def _describe(meeting: Meeting, session: Session) -> str:
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


def person_clash_warnings(session: Session) -> list[str]:
    """Warnings for people with a part here and in another confirmed session at that time."""
    from participants.models import SessionRole

    if session.status != SessionStatus.CONFIRMED:
        return []
    people = SessionRole.objects.filter(session=session).values("participant_id")
    others = (
        SessionRole.objects.filter(
            participant_id__in=people,
            session__meeting_id=session.meeting_id,
            session__status=SessionStatus.CONFIRMED,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
        )
        .exclude(session=session)
        .select_related("participant", "session")
        .order_by("session__starts_at", "pk")
    )
    return [
        f"{role.participant.full_name} is also in \u201c{role.session.title}\u201d at that time."
        for role in others
    ]


def _audience_ids(meeting: Meeting, session: Session) -> list[int]:
    """Who the session concerns right now, kept before a change (only once announced)."""
    if meeting.agenda_announced_at is None:
        return []
    return sorted(affected_participants(meeting, [session]).values_list("pk", flat=True))


def _record(
    meeting: Meeting, session: Session, kind: str, *, people_before: list[int] | None = None
) -> None:
    """Bump the session's SEQUENCE and the meeting's version; keep the change if announced."""
    Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
    session.refresh_from_db(fields=["sequence"])
    _bump_version(meeting)
    if meeting.agenda_announced_at is not None:
        AgendaChange.objects.create(
            meeting=meeting,
            session=session,
            kind=kind,
            summary=_describe(meeting, session)[:500],
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
            summary=_describe(meeting, session)[:500],
            recorded_at=timezone.now(),
        )
    return SessionResult(session=session, warnings=person_clash_warnings(session))


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
    before = _audience_ids(meeting, session)
    for name in changed:
        setattr(session, name, changes[name])
    validate_session(meeting=meeting, session=session)
    _save_session(session)
    _record(meeting, session, AgendaChangeKind.CHANGED, people_before=before)
    return SessionResult(session=session, warnings=person_clash_warnings(session))


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
    _record(session.meeting, session, AgendaChangeKind.CANCELLED)
    return session


@transaction.atomic
def assign_part(
    *,
    session: Session,
    participant: "Participant",
    part: str,
    paper: "Paper | None" = None,
    order: int = 0,
) -> SessionResult:
    """Give a participant a part in a session (chair, speaker, presenter with paper...).

    Side effects: the meeting's version (and the session's SEQUENCE) rise; warns when the
    person is in another session at the same time.
    """
    from participants.models import SessionRole

    meeting = session.meeting
    errors = {}
    if participant.meeting_id != meeting.pk:
        errors["participant"] = ["That person is not a participant of this meeting."]
    if paper is not None and paper.participant_id != participant.pk:
        errors["paper"] = ["That paper is not this participant's."]
    if SessionRole.objects.filter(session=session, participant=participant, part=part).exists():
        errors["part"] = ["This person already has that part in this session."]
    if errors:
        raise ValidationError(errors)
    role = SessionRole(
        session=session, participant=participant, part=part, paper=paper, order=order
    )
    role.full_clean()
    role.save()
    _record(meeting, session, AgendaChangeKind.CHANGED)
    return SessionResult(session=session, warnings=person_clash_warnings(session))


@transaction.atomic
def remove_part(*, role: "SessionRole") -> None:
    """Take a participant's part away. Side effects: SEQUENCE and version rise; once the
    agenda is announced, the person is mailed even if the session no longer concerns them."""
    session = role.session
    before = _audience_ids(session.meeting, session)
    role.delete()
    _record(session.meeting, session, AgendaChangeKind.CHANGED, people_before=before)


@transaction.atomic
def set_working_group(
    *, participant: "Participant", working_group: WorkingGroup | None
) -> "Participant":
    """Put a participant in a working group (or none). Refuses another meeting's group.

    Side effects: once the agenda is announced, records a change for this person alone for
    each session of the old and the new group, so the next batch mails them both lists.
    """
    from participants.models import SEAT_HOLDING_STATUSES

    if working_group is not None and working_group.meeting_id != participant.meeting_id:
        raise ValidationError({"working_group": ["That group belongs to another meeting."]})
    old_group_id = participant.working_group_id
    new_group_id = working_group.pk if working_group is not None else None
    participant.working_group = working_group
    participant.save(update_fields=["working_group", "updated_at"])
    meeting = participant.meeting
    if (
        old_group_id != new_group_id
        and meeting.agenda_announced_at is not None
        and participant.status in SEAT_HOLDING_STATUSES
    ):
        groups = [pk for pk in (old_group_id, new_group_id) if pk is not None]
        now = timezone.now()
        AgendaChange.objects.bulk_create(
            AgendaChange(
                meeting=meeting,
                session=session,
                participant=participant,
                kind=AgendaChangeKind.CHANGED,
                summary=_describe(meeting, session)[:500],
                people_before=[participant.pk] if session.working_group_id == old_group_id else [],
                recorded_at=now,
            )
            for session in Session.objects.filter(
                meeting=meeting, working_group_id__in=groups
            ).select_related("room")
        )
    return participant


@transaction.atomic
def record_parts_edited(*, session: Session, people_before: list[int]) -> None:
    """People's parts in ``session`` were edited elsewhere (the admin's inline): SEQUENCE and
    the meeting's version rise and, once announced, the change is mailed like any other."""
    _record(session.meeting, session, AgendaChangeKind.CHANGED, people_before=people_before)


def people_in_session(*, session: Session) -> list[int]:
    """Who ``session`` concerns now, to pass to ``record_parts_edited`` after an edit."""
    return _audience_ids(session.meeting, session)


@transaction.atomic
def venue_changed(*, venue_id: int) -> None:
    """A venue or one of its rooms was edited: the meetings held there show it in every
    feed and page, so their version and last edit move on and the caches miss."""
    Meeting.objects.filter(venue_id=venue_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def announce_agenda(*, meeting: Meeting) -> Meeting:
    """From now on, changes to sessions are mailed to the participants they affect."""
    if meeting.agenda_announced_at is None:
        meeting.agenda_announced_at = timezone.now()
        meeting.save(update_fields=["agenda_announced_at", "updated_at"])
    return meeting


def ensure_calendar_token(*, participant: "Participant") -> str:
    """The participant's personal feed token, created on first use."""
    if not participant.calendar_token:
        participant.calendar_token = secrets.token_urlsafe(32)
        participant.save(update_fields=["calendar_token", "updated_at"])
    return participant.calendar_token


def revoke_calendar_token(*, participant: "Participant") -> str:
    """Replace the token: the old feed URL answers 404 from now on. Returns the new token."""
    participant.calendar_token = secrets.token_urlsafe(32)
    participant.save(update_fields=["calendar_token", "updated_at"])
    return participant.calendar_token


def affected_participants(meeting: Meeting, sessions: list[Session]):
    """Participants whose personal feed holds any of these sessions and who are coming.

    Seat holders for plenaries and their group's sessions; anyone with a part (unless they
    declined or cancelled).
    """
    from participants.models import SEAT_HOLDING_STATUSES, Participant, Status

    seat = Q(status__in=SEAT_HOLDING_STATUSES)
    in_feed = Q(pk__in=[])
    if any(session.working_group_id is None for session in sessions):
        in_feed |= seat
    groups = {session.working_group_id for session in sessions if session.working_group_id}
    if groups:
        in_feed |= seat & Q(working_group_id__in=groups)
    in_feed |= Q(session_roles__session__in=sessions) & ~Q(
        status__in=[Status.DECLINED, Status.CANCELLED]
    )
    ids = Participant.objects.filter(in_feed, meeting=meeting).values("pk")
    return Participant.objects.filter(pk__in=ids).select_related("working_group")


def _recipients(meeting: Meeting, pending: list, sessions: list[Session]) -> dict[int, set[int]]:
    """Participant id -> ids of the batch's sessions that concerned them before a change
    (or that they met by changing group), for everyone to mail; those a session concerns
    now are in the map too, and their current sessions are found from their feed."""
    wanted: dict[int, set[int]] = {}
    for_all = [change for change in pending if change.participant_id is None]
    for change in pending:
        for pk in change.people_before:
            wanted.setdefault(pk, set()).add(change.session_id)
        if change.participant_id is not None:
            wanted.setdefault(change.participant_id, set()).add(change.session_id)
    shared = {change.session_id for change in for_all}
    now_concerned = [session for session in sessions if session.pk in shared]
    if now_concerned:
        for pk in affected_participants(meeting, now_concerned).values_list("pk", flat=True):
            wanted.setdefault(pk, set())
    return wanted


def notify_agenda_changes(*, meeting_id: int) -> int:
    """Mail one message per affected participant for all pending changes of a meeting.

    Affected: whoever a changed session concerns now, and whoever it concerned before the
    change (a part removed, the session or the person moved to another working group). A
    session that left someone's agenda is listed as such and sent as STATUS:CANCELLED in
    their attachment, so their calendar drops it.

    Side effects: queues messages through the outbox (with an .ics of the changed sessions
    that concern the person) and marks the changes notified. Runs under a lock on the
    meeting row, and each message has an idempotency key per participant and batch, so
    running it twice sends nothing twice. Returns the number of messages queued.
    """
    import copy

    from notifications import outbox
    from participants.models import Participant

    from . import queries
    from .calendars import programme_calendar

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
        if meeting is None:
            return 0
        pending = list(
            AgendaChange.objects.filter(meeting=meeting, notified_at__isnull=True).order_by("pk")
        )
        if not pending:
            return 0
        batch = pending[-1].pk
        session_ids = {change.session_id for change in pending}
        changed = queries.programme_sessions(meeting).filter(pk__in=session_ids)
        sessions = queries.with_parts(changed)
        # The latest change of each session names what happened to it in the email.
        latest = {change.session_id: change for change in pending}
        for session in sessions:
            session.change_kind = latest[session.pk].get_kind_display()
        wanted = _recipients(meeting, pending, sessions)
        people = Participant.objects.filter(pk__in=wanted, meeting=meeting).select_related(
            "working_group"
        )
        sent = 0
        for participant in people.order_by("pk"):
            feed_ids = set(
                queries.personal_sessions(participant)
                .filter(pk__in=session_ids)
                .values_list("pk", flat=True)
            )
            theirs, in_calendar = [], []
            for session in sessions:
                if session.pk in feed_ids:
                    theirs.append(session)
                    in_calendar.append(session)
                elif session.pk in wanted[participant.pk]:
                    # No longer theirs: say so, and cancel it in the calendar they imported.
                    dropped = copy.copy(session)
                    dropped.change_kind = "No longer on your agenda"
                    dropped.dropped = True
                    theirs.append(dropped)
                    gone = copy.copy(session)
                    gone.status = SessionStatus.CANCELLED
                    in_calendar.append(gone)
            if not theirs:
                continue
            ics = programme_calendar(meeting, in_calendar, name=f"{meeting}: agenda changes")
            outbox.queue_templated(
                template="agenda/email/agenda_changed",
                context={
                    "meeting": meeting,
                    "participant": participant,
                    "sessions": theirs,
                    "agenda_url": f"{settings.SITE_URL}/m/{meeting.slug}/agenda/",
                },
                recipient=participant.email,
                idempotency_key=f"agenda-changed:{meeting.pk}:{batch}:{participant.pk}",
                kind="agenda_changed",
                meeting=meeting,
                attachments=[
                    outbox.Attachment(
                        filename=f"{meeting.slug}-changes.ics",
                        content=ics,
                        mimetype="text/calendar",
                    )
                ],
            )
            sent += 1
        AgendaChange.objects.filter(pk__in=[change.pk for change in pending]).update(
            notified_at=timezone.now()
        )
    return sent


def notify_all_agenda_changes() -> int:
    """Run notify_agenda_changes for every meeting with pending changes."""
    meeting_ids = (
        AgendaChange.objects.filter(notified_at__isnull=True)
        .order_by()
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    return sum(notify_agenda_changes(meeting_id=pk) for pk in list(meeting_ids))
