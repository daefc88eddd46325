"""Read-side queries over a meeting's participants: the organiser tracker, exports, public list;
and a signed-in person's own meetings, with where they land after signing in.

Each function issues a fixed number of queries whatever the number of participants: counts
and balance are aggregates in the database, rows are fetched in one query.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from agenda.models import Meeting

from .collation import by_name, sorted_by_name
from .models import SEAT_HOLDING_STATUSES, Gender, Participant, Region, Role, Status

PAGE_SIZE = 100

# The fields the tracker table and the exports read; nothing personal beyond them.
TRACKER_FIELDS = (
    "id", "honorific", "given_name", "family_name", "email", "organisation", "job_title",
    "country", "nationality", "gender", "region", "role", "funded", "status",
    "invited_at", "responded_at", "registered_at",
)  # fmt: skip


@dataclass(frozen=True)
class TrackerFilters:
    """What the organiser narrowed the list to; empty strings mean 'any'."""

    q: str = ""
    role: str = ""
    status: str = ""
    country: str = ""
    funded: str = ""  # "yes", "no" or ""
    seated: str = ""  # "yes": holds a seat (accepted, registered, attended); "no": does not
    gender: str = ""  # a Gender value, or NOT_STATED
    region: str = ""  # a Region value, or NOT_STATED


# The filter value for an empty gender or region ("" already means "any").
NOT_STATED = "not_stated"


def filtered_participants(meeting: Meeting, filters: TrackerFilters) -> QuerySet[Participant]:
    """The meeting's participants narrowed by the tracker's filters and search."""
    participants = Participant.objects.filter(meeting=meeting)
    if filters.role:
        participants = participants.filter(role=filters.role)
    if filters.status:
        participants = participants.filter(status=filters.status)
    if filters.country:
        participants = participants.filter(country=filters.country)
    if filters.funded in ("yes", "no"):
        participants = participants.filter(funded=filters.funded == "yes")
    if filters.seated == "yes":
        participants = participants.holding_seats()
    elif filters.seated == "no":
        participants = participants.exclude(status__in=SEAT_HOLDING_STATUSES)
    if filters.gender:
        participants = participants.filter(
            gender="" if filters.gender == NOT_STATED else filters.gender
        )
    if filters.region:
        participants = participants.filter(
            region="" if filters.region == NOT_STATED else filters.region
        )
    for word in filters.q.split():
        participants = participants.filter(
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__icontains=word)
        )
    return participants


def status_and_role_counts(meeting: Meeting) -> dict[str, list[tuple[str, str, int]]]:
    """How many participants the whole meeting has in each status and each role (one query)."""
    totals = Participant.objects.filter(meeting=meeting).aggregate(
        **{f"status_{value}": Count("id", filter=Q(status=value)) for value in Status.values},
        **{f"role_{value}": Count("id", filter=Q(role=value)) for value in Role.values},
    )
    return {
        "status": [(value, label, totals[f"status_{value}"]) for value, label in Status.choices],
        "role": [(value, label, totals[f"role_{value}"]) for value, label in Role.choices],
    }


@dataclass(frozen=True)
class Share:
    value: str
    label: str
    count: int
    percent: float
    seated: int = 0
    seated_percent: float = 0.0


def balance(participants: QuerySet[Participant]) -> dict[str, object]:
    """Gender and regional balance of a set of participants, as counts and percentages.

    Beside the whole set, the same for those holding a seat (accepted, registered,
    attended): the composition a UN meeting reports. One query.
    """
    seated = Q(status__in=SEAT_HOLDING_STATUSES)
    totals = participants.aggregate(
        total=Count("id"),
        seated=Count("id", filter=seated),
        **{f"gender_{value}": Count("id", filter=Q(gender=value)) for value in Gender.values},
        **{f"region_{value}": Count("id", filter=Q(region=value)) for value in Region.values},
        **{
            f"seated_gender_{value}": Count("id", filter=seated & Q(gender=value))
            for value in Gender.values
        },
        **{
            f"seated_region_{value}": Count("id", filter=seated & Q(region=value))
            for value in Region.values
        },
    )
    total, total_seated = totals["total"], totals["seated"]

    def percent(count: int, whole: int) -> float:
        return round(100 * count / whole, 1) if whole else 0.0

    def shares(prefix: str, choices) -> list[Share]:
        return [
            Share(
                value,
                str(label),
                totals[f"{prefix}_{value}"],
                percent(totals[f"{prefix}_{value}"], total),
                totals[f"seated_{prefix}_{value}"],
                percent(totals[f"seated_{prefix}_{value}"], total_seated),
            )
            for value, label in choices
        ]

    return {
        "total": total,
        "seated": total_seated,
        "gender": shares("gender", Gender.choices),
        "region": shares("region", Region.choices),
    }


def countries_present(meeting: Meeting) -> list[tuple[str, str]]:
    """The countries the meeting's participants come from, by name (for the filter)."""
    codes = (
        Participant.objects.filter(meeting=meeting)
        .exclude(country="")
        .order_by()  # the default ordering would make DISTINCT run over every row
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda pair: pair[1])


@dataclass(frozen=True, slots=True)
class TrackerRow:
    """One participant as the tracker shows them: labels and local times made once, in
    Python, so a page of all 5,000 rows costs the template only plain lookups."""

    pk: int
    formal_name: str
    full_name: str
    email: str
    organisation: str
    country: str
    role: str
    funded: bool
    status: str
    status_label: str
    invited_at: str
    responded_at: str
    registered_at: str


def tracker_page(
    meeting: Meeting, participants: QuerySet[Participant], *, page: int | None
) -> list[TrackerRow]:
    """One page of rows (``page`` None: all of them), only the columns the tracker shows."""
    rows = export_values(participants)
    if page is not None:
        start = (page - 1) * PAGE_SIZE
        rows = rows[start : start + PAGE_SIZE]
    zone = meeting.zone
    names = {country.code: str(country.name) for country in countries}
    roles = {value: str(label) for value, label in Role.choices}
    statuses = {value: str(label) for value, label in Status.choices}

    def local(moment) -> str:
        return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        TrackerRow(
            pk=pk,
            formal_name=Participant.compose_formal_name(honorific, given, family),
            full_name=f"{given} {family}".strip(),
            email=email,
            organisation=organisation,
            country=names.get(country, country),
            role=roles.get(role, role),
            funded=funded,
            status=status,
            status_label=statuses.get(status, status),
            invited_at=local(invited_at),
            responded_at=local(responded_at),
            registered_at=local(registered_at),
        )
        for (
            pk,
            honorific,
            given,
            family,
            email,
            organisation,
            _job_title,
            country,
            _nationality,
            _gender,
            _region,
            role,
            funded,
            status,
            invited_at,
            responded_at,
            registered_at,
        ) in rows  # fmt: skip
    ]


_EXPORT_NAME_KEY = operator.itemgetter(
    TRACKER_FIELDS.index("family_name"), TRACKER_FIELDS.index("given_name"), 0
)


def export_values(participants: QuerySet[Participant]) -> Iterable[tuple]:
    """Rows for the organisers' export as tuples in TRACKER_FIELDS order (one query), in
    name order."""
    if connections[participants.db].vendor == "sqlite":
        # The same order, sorted in Python: see collation.sorted_by_name.
        return sorted_by_name(
            participants.order_by().values_list(*TRACKER_FIELDS), _EXPORT_NAME_KEY
        )
    return participants.order_by(*by_name(), "id").values_list(*TRACKER_FIELDS)


def public_participants(meeting: Meeting):
    """Those who registered and agreed to be listed publicly: name, organisation, country, role.

    Nothing else is read, so nothing else can leak into the public list.
    """
    return (
        Participant.objects.filter(
            meeting=meeting,
            status__in=(Status.REGISTERED, Status.ATTENDED),
            registration__consent_listed=True,
        )
        .order_by(*by_name(), "id")
        .values_list("honorific", "given_name", "family_name", "organisation", "country", "role")
    )


def participant_for_calendar(slug: str, token: str) -> Participant:
    """The participant whose personal feed this is; 404 for an unknown or revoked token."""
    if not token:
        raise Http404
    participant = (
        Participant.objects.select_related(
            # The reverse relations of logistics' rows, read by its calendar contribution.
            "meeting",
            "meeting__venue",
            "working_group",
            "travel_plan",
            "hotel_booking__hotel",
        )
        .filter(meeting__slug=slug, calendar_token=token)
        .first()
    )
    if participant is None:
        raise Http404
    return participant


# ------------------------------------------------------------------ a person's own meetings

# Where an organiser lands for a meeting: its dashboard, which links to every organiser page.
ORGANISER_HOME = "participants:dashboard"


@dataclass(frozen=True)
class MyMeetings:
    """The meetings a signed-in person organises, and their own participations."""

    organised: list[Meeting]
    participations: list[Participant]

    @property
    def count(self) -> int:
        return len(self.organised) + len(self.participations)


def my_meetings(user) -> MyMeetings:
    """Meetings the user organises (every meeting for a superuser) and takes part in (2 queries).

    A participation in a meeting the user also organises is listed once, as organised.
    """
    organised = list(Meeting.objects.organised_by(user).order_by("-starts_on", "title"))
    organised_ids = {meeting.pk for meeting in organised}
    participations = [
        participant
        for participant in Participant.objects.for_user(user)
        .select_related("meeting")
        .order_by("-meeting__starts_on", "meeting__title")
        if participant.meeting_id not in organised_ids
    ]
    return MyMeetings(organised=organised, participations=participations)


def meeting_of_address(email: str) -> Meeting | None:
    """The one meeting an address takes part in or organises, to brand the account emails
    sent to it; None when it has none or several (2 queries, 3 with the meeting)."""
    ids = set(
        Participant.objects.filter(email__iexact=email)
        .order_by()
        .values_list("meeting_id", flat=True)
        .distinct()[:2]
    )
    ids |= set(
        Meeting.objects.filter(organisers__email__iexact=email)
        .order_by()
        .values_list("pk", flat=True)
        .distinct()[:2]
    )
    if len(ids) != 1:
        return None
    return Meeting.objects.filter(pk=ids.pop()).first()


def landing_url(user) -> str:
    """Where a person lands after signing in, when no page asked for the sign-in.

    One meeting organised: its dashboard; one participation: its portal; several (or
    both): the list of their meetings; none: the back office for staff, else the home page.
    """
    meetings = my_meetings(user)
    if meetings.count > 1:
        return reverse("participant:my_meetings")
    if meetings.organised:
        return reverse(ORGANISER_HOME, kwargs={"slug": meetings.organised[0].slug})
    if meetings.participations:
        return reverse(
            "participant:portal", kwargs={"slug": meetings.participations[0].meeting.slug}
        )
    return reverse("admin:index") if user.is_staff else reverse("agenda:home")
