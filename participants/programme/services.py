"""Changes to the programme that involve people: parts in sessions, working-group
membership, personal calendar tokens, and mailing the changes of an announced agenda to
the people they affect.

These sit in ``participants`` because they need people and the programme together;
``agenda.services`` keeps the sessions themselves and calls back through
``agenda.people`` (registered in ``ParticipantsConfig.ready``) for who a session concerns.
"""

import copy
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from agenda import queries as agenda_queries
from agenda import services as agenda_services
from agenda.calendars import programme_calendar
from agenda.models import (
    AgendaChange,
    AgendaChangeKind,
    Meeting,
    Session,
    SessionStatus,
    WorkingGroup,
)
from notifications import outbox

from ..models import SEAT_HOLDING_STATUSES, Paper, Participant, SessionRole
from . import queries


@transaction.atomic
def assign_part(
    *,
    session: Session,
    participant: Participant,
    part: str,
    paper: Paper | None = None,
    order: int = 0,
) -> agenda_services.SessionResult:
    """Give a participant a part in a session (chair, speaker, presenter with paper...).

    Side effects: the meeting's version (and the session's SEQUENCE) rise; warns when the
    person is in another session at the same time.
    """
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
    agenda_services.record_change(meeting, session, AgendaChangeKind.CHANGED)
    return agenda_services.SessionResult(session=session, warnings=queries.clash_warnings(session))


@transaction.atomic
def remove_part(*, role: SessionRole) -> None:
    """Take a participant's part away. Side effects: SEQUENCE and version rise; once the
    agenda is announced, the person is mailed even if the session no longer concerns them."""
    session = role.session
    before = agenda_services.audience_ids(session.meeting, session)
    role.delete()
    agenda_services.record_change(
        session.meeting, session, AgendaChangeKind.CHANGED, people_before=before
    )


@transaction.atomic
def set_working_group(
    *, participant: Participant, working_group: WorkingGroup | None
) -> Participant:
    """Put a participant in a working group (or none). Refuses another meeting's group.

    Side effects: once the agenda is announced, records a change for this person alone for
    each session of the old and the new group, so the next batch mails them both lists.
    """
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
                summary=agenda_services.describe(meeting, session)[:500],
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
    agenda_services.record_change(
        session.meeting, session, AgendaChangeKind.CHANGED, people_before=people_before
    )


def people_in_session(*, session: Session) -> list[int]:
    """Who ``session`` concerns now, to pass to ``record_parts_edited`` after an edit."""
    return agenda_services.audience_ids(session.meeting, session)


def ensure_calendar_token(*, participant: Participant) -> str:
    """The participant's personal feed token, created on first use."""
    if not participant.calendar_token:
        participant.calendar_token = secrets.token_urlsafe(32)
        participant.save(update_fields=["calendar_token", "updated_at"])
    return participant.calendar_token


def revoke_calendar_token(*, participant: Participant) -> str:
    """Replace the token: the old feed URL answers 404 from now on. Returns the new token."""
    participant.calendar_token = secrets.token_urlsafe(32)
    participant.save(update_fields=["calendar_token", "updated_at"])
    return participant.calendar_token


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
        for pk in queries.affected_participants(meeting, now_concerned).values_list(
            "pk", flat=True
        ):
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
        changed = agenda_queries.programme_sessions(meeting).filter(pk__in=session_ids)
        sessions = agenda_queries.with_parts(changed)
        # The latest change of each session names what happened to it in the email.
        latest = {change.session_id: change for change in pending}
        for session in sessions:
            session.change_kind = latest[session.pk].get_kind_display()
        wanted = _recipients(meeting, pending, sessions)
        people = Participant.objects.filter(pk__in=wanted, meeting=meeting).select_related(
            "working_group"
        )
        refresh = meeting.feed_refresh(timezone.now())
        refresh_text = _minutes_text(int(refresh.total_seconds()) // 60)
        sent = 0
        for participant in people.order_by("pk"):
            feed_ids = set(
                agenda_queries.personal_sessions(participant)
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
                    gone.summary_prefix = "No longer on your agenda: "
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
                    "refresh_text": refresh_text,
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


def _minutes_text(minutes: int) -> str:
    """'hour', '2 hours', '15 minutes': after 'every'."""
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def notify_all_agenda_changes() -> int:
    """Run notify_agenda_changes for every meeting with pending changes."""
    meeting_ids = (
        AgendaChange.objects.filter(notified_at__isnull=True)
        .order_by()
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    return sum(notify_agenda_changes(meeting_id=pk) for pk in list(meeting_ids))
