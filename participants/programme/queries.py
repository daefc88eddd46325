"""Reads of the programme that involve people: parts, audiences, clashes, group members."""

from django.db.models import OuterRef, Prefetch, Q, QuerySet

from agenda.models import Meeting, Session, SessionStatus, WorkingGroup
from agenda.people import Part

from ..collation import by_name
from ..models import SEAT_HOLDING_STATUSES, Paper, Participant, SessionPart, SessionRole, Status


def parts(session_ids) -> dict[int, list[Part]]:
    """Session id -> its people's parts in order: one query of plain values."""
    by_session: dict[int, list[Part]] = {}
    labels = dict(SessionPart.choices)
    rows = (
        SessionRole.objects.filter(session_id__in=list(session_ids))
        .order_by("order", "pk")
        .values_list(
            "session_id",
            "part",
            "participant__honorific",
            "participant__given_name",
            "participant__family_name",
            "paper__title",
        )
    )
    for session_id, part, honorific, given, family, paper in rows:
        by_session.setdefault(session_id, []).append(
            Part(
                label=str(labels.get(part, part)),
                name=Participant.compose_formal_name(honorific, given, family),
                paper_title=paper or "",
            )
        )
    return by_session


def latest_edits(meeting_ref: OuterRef) -> dict[str, QuerySet]:
    """The people and papers named in a meeting's programme, for their latest edit (a
    renamed participant changes what the programme shows)."""
    return {
        "people": Participant.objects.filter(session_roles__session__meeting=meeting_ref),
        "papers": Paper.objects.filter(presentations__session__meeting=meeting_ref),
    }


def affected_participants(meeting: Meeting, sessions: list[Session]):
    """Participants whose personal feed holds any of these sessions and who are coming.

    Seat holders for plenaries and their group's sessions; anyone with a part (unless they
    declined or cancelled).
    """
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


def clash_warnings(session: Session) -> list[str]:
    """Warnings for people with a part here and in another confirmed session at that time."""
    if session.status != SessionStatus.CONFIRMED:
        return []
    in_session = SessionRole.objects.filter(session=session).values("participant_id")
    others = (
        SessionRole.objects.filter(
            participant_id__in=in_session,
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


def working_groups_with_members(meeting: Meeting) -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(meeting=meeting).prefetch_related(
        Prefetch("members", queryset=Participant.objects.order_by(*by_name(), "pk"))
    )


class ProgrammePeople:
    """The ``agenda.people.PeopleSource`` this app registers: the programme's people."""

    def parts(self, session_ids) -> dict[int, list[Part]]:
        return parts(session_ids)

    def latest_edits(self, meeting_ref) -> dict[str, QuerySet]:
        return latest_edits(meeting_ref)

    def audience(self, meeting: Meeting, session: Session) -> list[int]:
        return list(affected_participants(meeting, [session]).values_list("pk", flat=True))

    def clash_warnings(self, session: Session) -> list[str]:
        return clash_warnings(session)
