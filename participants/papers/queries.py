"""Reads for expert papers: the deadline in people's terms, the organisers' tracker, the
published documentation, and the versions a download may serve."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

from agenda.models import DeadlineKind, Meeting

from ..collation import by_name
from ..models import (
    Paper,
    PaperVersion,
    Participant,
    Registration,
    ReviewStatus,
    Role,
    SessionPart,
    SessionRole,
    Status,
)
from ..portal import deadline

# Participants listed on the tracker: everyone still part of the meeting.
TRACKED_STATUSES = (
    Status.INVITED,
    Status.ACCEPTED,
    Status.WAITLISTED,
    Status.REGISTERED,
    Status.ATTENDED,
)


def paper_deadline(meeting: Meeting) -> dt.datetime | None:
    """When papers are due: the same lookup the portal and invitations use."""
    found = deadline(meeting, DeadlineKind.PAPER)
    return found.due_at if found else None


def zone_name(meeting: Meeting, moment: dt.datetime) -> str:
    """'Accra time (GMT)': the place people know, and the abbreviation in force then."""
    if meeting.time_zone in ("UTC", "Etc/UTC"):
        return "UTC"
    place = meeting.time_zone.rsplit("/", 1)[-1].replace("_", " ")
    abbreviation = meeting.local(moment).tzname()
    return f"{place} time ({abbreviation})" if abbreviation else f"{place} time"


def format_moment(meeting: Meeting, moment: dt.datetime) -> str:
    """'5 November 2009, 23:59 Accra time (GMT)'."""
    local = meeting.local(moment)
    return f"{local.day} {local:%B %Y}, {local:%H:%M} {zone_name(meeting, moment)}"


def _span(later: dt.datetime, earlier: dt.datetime) -> str:
    return timeuntil(later, earlier, depth=2).replace("\xa0", " ")


@dataclass(frozen=True)
class PaperWindow:
    """Where the paper deadline stands at ``now``, in words for the participant."""

    due_at: dt.datetime | None
    closes_at: dt.datetime | None
    now: dt.datetime

    @property
    def is_past_due(self) -> bool:
        return self.due_at is not None and self.now.replace(microsecond=0) > self.due_at

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.now.replace(microsecond=0) > self.closes_at

    def due_text(self, meeting: Meeting) -> str:
        return f"due {format_moment(meeting, self.due_at)}" if self.due_at else ""

    def closes_text(self, meeting: Meeting) -> str:
        return format_moment(meeting, self.closes_at) if self.closes_at else ""

    @property
    def time_left(self) -> str:
        if self.due_at is None:
            return ""
        if self.is_past_due:
            return f"{timesince(self.due_at, self.now, depth=2).replace(chr(160), ' ')} overdue"
        return f"{_span(self.due_at, self.now)} left"


def paper_window(meeting: Meeting, *, now: dt.datetime | None = None) -> PaperWindow:
    return PaperWindow(
        due_at=paper_deadline(meeting),
        closes_at=meeting.paper_uploads_close_at,
        now=now or timezone.now(),
    )


def registration_consents_to_publish(participant: Participant) -> bool:
    """What the participant answered at registration about publishing their paper."""
    return Registration.objects.filter(
        participant=participant, consent_publish_papers=True
    ).exists()


def paper_of(participant: Participant) -> Paper | None:
    """The participant's paper with its versions, newest last; None before the first upload."""
    return (
        Paper.objects.filter(participant=participant)
        .select_related("current_version")
        .prefetch_related("versions")
        .first()
    )


@dataclass
class TrackerRow:
    participant: Participant
    owes: bool
    paper: Paper | None
    versions: list[PaperVersion] = field(default_factory=list)
    out_of_range: bool = False

    @property
    def current(self) -> PaperVersion | None:
        return self.paper.current_version if self.paper else None

    @property
    def first_late(self) -> bool:
        """Submitted late: the first version came after the deadline."""
        return bool(self.versions) and self.versions[0].is_late


class Show(models.TextChoices):
    """The papers tracker's filters; the dashboard counts the same sets."""

    OWED = "owed", "Owe a paper"
    SUBMITTED = "submitted", "Submitted"
    MISSING = "missing", "Still missing"
    LATE = "late", "Late"
    OUT_OF_RANGE = "out_of_range", "Outside the page range"
    TO_REVIEW = "to_review", "Waiting for a review"


@dataclass
class Tracker:
    rows: list[TrackerRow]
    owed: int
    submitted: int
    late: int
    out_of_range: int
    missing: int
    to_review: int = 0


def paper_roles(meeting: Meeting) -> list[str]:
    """The roles asked for a paper unless organisers decide otherwise: experts by default."""
    return meeting.paper_roles or [Role.EXPERT]


def _owes_filter(meeting: Meeting) -> Q:
    roles = paper_roles(meeting)
    return Q(paper_requested=True) | Q(paper_requested__isnull=True, role__in=roles)


def outside_page_range(meeting: Meeting, pages: int | None) -> bool:
    """A known page count outside the meeting's range; an unknown count is never flagged."""
    return pages is not None and not meeting.paper_min_pages <= pages <= meeting.paper_max_pages


def _tracked(meeting: Meeting) -> QuerySet[Participant]:
    """Everyone the tracker lists, with ``first_late``: their first version came late."""
    first_late = (
        PaperVersion.objects.filter(paper__participant=OuterRef("pk"))
        .order_by("number")
        .values("is_late")[:1]
    )
    return (
        Participant.objects.filter(meeting=meeting, status__in=TRACKED_STATUSES)
        .filter(_owes_filter(meeting) | Q(paper__isnull=False))
        .annotate(first_late=Subquery(first_late))
    )


def _show_filters(meeting: Meeting) -> dict[str, Q]:
    """Each of the tracker's filters as a condition on ``_tracked`` rows."""
    submitted = Q(paper__current_version__isnull=False)
    return {
        Show.OWED: _owes_filter(meeting),
        Show.SUBMITTED: submitted,
        Show.MISSING: _owes_filter(meeting) & Q(paper__current_version__isnull=True),
        Show.LATE: submitted & Q(first_late=True),
        Show.OUT_OF_RANGE: Q(paper__current_version__page_count__lt=meeting.paper_min_pages)
        | Q(paper__current_version__page_count__gt=meeting.paper_max_pages),
        Show.TO_REVIEW: submitted & Q(paper__review_status=ReviewStatus.RECEIVED),
    }


def paper_counts(meeting: Meeting) -> dict[str, int]:
    """How many rows each of the tracker's filters shows (one query at any size)."""
    return _tracked(meeting).aggregate(
        **{
            show: Count("pk", filter=condition)
            for show, condition in _show_filters(meeting).items()
        }
    )


def paper_tracker(meeting: Meeting, show: str = "") -> Tracker:
    """Who owes a paper and who has one, with every version (four queries at any size).

    ``show`` (a ``Show`` value) narrows the rows; the counts are always the whole meeting's.
    """
    participants = _tracked(meeting)
    if show in Show.values:
        participants = participants.filter(_show_filters(meeting)[show])
    participants = (
        participants.select_related("paper__current_version", "user")
        .prefetch_related(
            Prefetch("paper__versions", queryset=PaperVersion.objects.order_by("number"))
        )
        .order_by(*by_name(), "pk")
    )
    rows = []
    for participant in participants:
        participant.meeting = meeting
        paper = getattr(participant, "paper", None)
        row = TrackerRow(
            participant=participant,
            owes=participant.owes_paper,
            paper=paper,
            versions=list(paper.versions.all()) if paper else [],
        )
        row.out_of_range = outside_page_range(
            meeting, row.current.page_count if row.current else None
        )
        rows.append(row)
    counts = paper_counts(meeting)
    return Tracker(
        rows=rows,
        owed=counts[Show.OWED],
        submitted=counts[Show.SUBMITTED],
        late=counts[Show.LATE],
        out_of_range=counts[Show.OUT_OF_RANGE],
        missing=counts[Show.MISSING],
        to_review=counts[Show.TO_REVIEW],
    )


def current_versions(meeting: Meeting) -> QuerySet[PaperVersion]:
    """The current file of every paper of the meeting, for the ZIP of all papers."""
    return (
        PaperVersion.objects.filter(
            paper__participant__meeting=meeting, paper__current_version=F("pk")
        )
        .select_related("paper__participant")
        .order_by(*by_name("paper__participant__"), "pk")
    )


def paper_for_review(meeting: Meeting, paper_id: int) -> Paper:
    return (
        Paper.objects.filter(participant__meeting=meeting)
        .select_related("participant", "current_version")
        .prefetch_related("versions")
        .get(pk=paper_id)
    )


def published_papers(meeting: Meeting) -> QuerySet[Paper]:
    """Papers the organisers published and the authors agreed to publish, with sessions."""
    return (
        Paper.objects.filter(
            participant__meeting=meeting,
            review_status=ReviewStatus.PUBLISHED,
            consent_publish=True,
            current_version__isnull=False,
        )
        .select_related("participant", "current_version")
        .prefetch_related(
            Prefetch(
                "presentations",
                queryset=SessionRole.objects.filter(part=SessionPart.PRESENTER)
                .select_related("session")
                .order_by("session__starts_at"),
                to_attr="presented_at",
            )
        )
        .order_by(*by_name("participant__"), "pk")
    )


def version_in_meeting(meeting_slug: str, version_id: int) -> PaperVersion:
    return PaperVersion.objects.select_related("paper__participant__meeting").get(
        pk=version_id, paper__participant__meeting__slug=meeting_slug
    )
