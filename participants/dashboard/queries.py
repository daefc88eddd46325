"""The participants app's dashboard panels: invitations, balance, papers and deadlines.

Each panel reads one or two aggregate queries whatever the number of participants, and
every number links to the tracker (or the papers tracker) filtered to the rows it counts:
the filters are the lists' own, so a number and its list cannot disagree.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from agenda.models import DeadlineKind, Meeting, RoleQuota

from ..models import SEAT_HOLDING_STATUSES, Participant, Role, Status
from ..papers import queries as paper_queries
from ..queries import NOT_STATED, balance
from .panels import Attention, Bar, BarChart, Cell, Panel, Row, Table, relative_to

# The funnel's columns, in the order an invitation moves through them.
FUNNEL = (
    Status.NOT_INVITED,
    Status.INVITED,
    Status.ACCEPTED,
    Status.DECLINED,
    Status.WAITLISTED,
    Status.REGISTERED,
    Status.ATTENDED,
    Status.CANCELLED,
)


def tracker_url(meeting: Meeting, **filters: str) -> str:
    """The participant tracker narrowed to ``filters`` (the tracker form's field names)."""
    url = reverse("participants:tracker", kwargs={"slug": meeting.slug})
    return f"{url}?{urlencode(filters)}" if filters else url


def papers_url(meeting: Meeting, show: str = "") -> str:
    url = reverse("papers:tracker", kwargs={"slug": meeting.slug})
    return f"{url}?{urlencode({'show': show})}" if show else url


def _label(value: str, choices) -> str:
    return str(dict(choices)[value])


def invitations_panel(meeting: Meeting) -> Panel:
    """Where every invitation stands, by role, against the capacity and each role's places.

    Two queries: one aggregate over the participants, one for the role quotas.
    """
    seated = Q(status__in=SEAT_HOLDING_STATUSES)
    counts = Participant.objects.filter(meeting=meeting).aggregate(
        seated=Count("pk", filter=seated),
        **{f"s_{status}": Count("pk", filter=Q(status=status)) for status in FUNNEL},
        **{
            f"r_{role}_{status}": Count("pk", filter=Q(role=role, status=status))
            for role in Role.values
            for status in FUNNEL
        },
        **{f"r_{role}_seated": Count("pk", filter=seated & Q(role=role)) for role in Role.values},
    )
    quotas = dict(RoleQuota.objects.filter(meeting=meeting).values_list("role", "limit"))

    rows = [
        Row(
            _label(status, Status.choices),
            counts[f"s_{status}"],
            tracker_url(meeting, status=status),
        )
        for status in FUNNEL
    ]
    capacity_note = f"of {meeting.capacity} places" if meeting.capacity else "no capacity set"
    rows.append(
        Row("Holding a seat", counts["seated"], tracker_url(meeting, seated="yes"), capacity_note)
    )

    table_rows = []
    bars = []
    attention = []
    for role, role_label in Role.choices:
        cells = [
            Cell(counts[f"r_{role}_{status}"], tracker_url(meeting, role=role, status=status))
            for status in FUNNEL
        ]
        held = counts[f"r_{role}_seated"]
        limit = quotas.get(role)
        cells.append(Cell(held, tracker_url(meeting, role=role, seated="yes")))
        cells.append(Cell(text=str(limit) if limit is not None else "-"))
        table_rows.append((str(role_label), cells))
        bars.append(Bar(str(role_label), held, limit))
        if limit is not None and held > limit:
            attention.append(
                Attention(
                    f"{role_label}: {held} seats held for {limit} places",
                    tracker_url(meeting, role=role, seated="yes"),
                    held,
                )
            )
    if meeting.capacity and counts["seated"] > meeting.capacity:
        attention.append(
            Attention(
                f"{counts['seated']} seats held for a capacity of {meeting.capacity}",
                tracker_url(meeting, seated="yes"),
                counts["seated"],
            )
        )
    waiting = counts[f"s_{Status.WAITLISTED}"]
    free = (meeting.capacity - counts["seated"]) if meeting.capacity else None
    if waiting and (free is None or free > 0):
        attention.append(
            Attention(
                f"On the waiting list while seats are free ({free} free)"
                if free is not None
                else "On the waiting list, with no capacity set",
                tracker_url(meeting, status=Status.WAITLISTED),
                waiting,
            )
        )

    return Panel(
        title="Invitations",
        slug="invitations",
        intro=(
            f"{counts['seated']} of {meeting.capacity} places held (accepted, registered "
            "or attended)."
            if meeting.capacity
            else f"{counts['seated']} places held (accepted, registered or attended)."
        ),
        rows=rows,
        tables=[
            Table(
                caption="By role: where each invitation stands, seats held and places",
                columns=[_label(status, Status.choices) for status in FUNNEL]
                + ["Seats held", "Places"],
                rows=table_rows,
                row_header="Role",
            )
        ],
        charts=[BarChart("Seats held by role, against each role's places", bars)],
        attention=attention,
        link=Row("All participants", url=tracker_url(meeting)),
    )


def balance_panel(meeting: Meeting) -> Panel:
    """Gender and regional balance of those holding a seat, beside everyone listed (one query)."""
    shares = balance(Participant.objects.filter(meeting=meeting))
    tables = []
    charts = []
    for key, caption in (("gender", "Gender"), ("region", "Region (UN M49)")):
        rows = []
        for share in shares[key]:
            value = share.value or NOT_STATED
            rows.append(
                (
                    share.label,
                    [
                        Cell(share.seated, tracker_url(meeting, seated="yes", **{key: value})),
                        Cell(text=f"{share.seated_percent}%"),
                        Cell(share.count, tracker_url(meeting, **{key: value})),
                    ],
                )
            )
        tables.append(
            Table(
                caption=caption,
                columns=["With a seat", "Share of seats", "All listed"],
                rows=rows,
                row_header=caption.split(" (")[0],
            )
        )
        charts.append(
            BarChart(
                f"{caption}: participants holding a seat",
                [Bar(share.label, share.seated) for share in shares[key]],
            )
        )
    return Panel(
        title="Gender and regional balance",
        slug="balance",
        intro=(
            f"Of {shares['total']} participants listed, {shares['seated']} hold a seat: "
            "the composition the meeting's report gives."
        ),
        tables=tables,
        charts=charts,
        link=Row("All participants", url=tracker_url(meeting)),
    )


def papers_panel(meeting: Meeting) -> Panel:
    """Papers owed, received, late, missing, outside the page range, to review (one query)."""
    counts = paper_queries.paper_counts(meeting)
    window = paper_queries.paper_window(meeting)
    Show = paper_queries.Show
    rows = [
        Row(str(label), counts[value], papers_url(meeting, value)) for value, label in Show.choices
    ]
    attention = []
    if counts[Show.TO_REVIEW]:
        attention.append(
            Attention(
                "Papers waiting for a review",
                papers_url(meeting, Show.TO_REVIEW),
                counts[Show.TO_REVIEW],
            )
        )
    if counts[Show.OUT_OF_RANGE]:
        attention.append(
            Attention(
                "Papers outside the page range",
                papers_url(meeting, Show.OUT_OF_RANGE),
                counts[Show.OUT_OF_RANGE],
            )
        )
    due = window.due_text(meeting)
    return Panel(
        title="Papers",
        slug="papers",
        intro=(f"Papers {due} ({window.time_left}). " if due else "No paper deadline set. ")
        + f"Page range {meeting.paper_min_pages} to {meeting.paper_max_pages}.",
        rows=rows,
        charts=[
            BarChart("Papers", [Bar(str(label), counts[value]) for value, label in Show.choices])
        ],
        attention=attention,
        link=Row("All papers", url=papers_url(meeting)),
    )


def deadlines_panel(meeting: Meeting) -> Panel | None:
    """The meeting's deadlines, soonest first, with how many people still owe each.

    Registration: those who accepted and have not registered; papers: those still owing
    one. Visa requests and travel details are counted by the logistics app's own panel.
    Two queries (the deadlines are usually prefetched: then one).
    """
    deadlines = sorted(meeting.deadlines.all(), key=lambda item: item.due_at)
    if not deadlines:
        return None
    now = timezone.now()
    accepted = dict(
        Participant.objects.filter(meeting=meeting, status=Status.ACCEPTED)
        .order_by()
        .values_list("role")
        .annotate(count=Count("pk"))
    )
    missing = None
    rows = []
    attention = []
    for item in deadlines:
        label = f"{item.get_kind_display()}: {paper_queries.format_moment(meeting, item.due_at)}"
        number, url = None, ""
        if item.kind == DeadlineKind.REGISTRATION and len(item.roles) <= 1:
            number = sum(
                count for role, count in accepted.items() if not item.roles or role in item.roles
            )
            filters = {"status": Status.ACCEPTED}
            if item.roles:
                filters["role"] = item.roles[0]
            url = tracker_url(meeting, **filters)
        elif item.kind == DeadlineKind.PAPER:
            if missing is None:
                missing = paper_queries.paper_counts(meeting)[paper_queries.Show.MISSING]
            number, url = missing, papers_url(meeting, paper_queries.Show.MISSING)
        note = relative_to(item.due_at, now) + ("; still to do:" if number is not None else "")
        rows.append(Row(label, number, url, note))
        if item.due_at < now and number:
            attention.append(
                Attention(
                    f"Past the {item.get_kind_display().lower()} deadline, still owed", url, number
                )
            )
    return Panel(
        title="Deadlines",
        slug="deadlines",
        intro=f"Times in {meeting.zone_label()}.",
        rows=rows,
        attention=[item for item in attention if item.url],
    )
