"""Logistics' panel on a meeting's organiser dashboard: visa letters, arrivals by day and
rooms per night against the hotel block. A fixed number of queries whatever the number of
participants (the dashboard's query count is tested at two sizes)."""

from django.urls import reverse

from agenda.models import Meeting
from participants.dashboard.panels import Attention, Bar, BarChart, Panel, Row

from . import queries
from .models import LetterKind


def logistics_panel(meeting: Meeting) -> Panel:
    """Visa letters waiting, in force, outdated; arrivals by day; nights over the block."""
    slug = {"slug": meeting.slug}
    letters_url = reverse("logistics:letters", kwargs=slug)
    valid_url = f"{letters_url}?state={queries.LetterState.VALID}&kind={LetterKind.VISA}"
    outdated_url = f"{letters_url}?state={queries.LetterState.OUTDATED}&kind={LetterKind.VISA}"
    arrivals_url = reverse("logistics:arrivals", kwargs=slug)
    hotel_url = reverse("logistics:hotel", kwargs=slug)

    latest = queries.latest_of_kind(queries.attending_letters(meeting), LetterKind.VISA)
    states = [letter.state for letter in latest]
    waiting = queries.waiting_requests(meeting).filter(kind=LetterKind.VISA).count()
    valid = states.count(queries.LetterState.VALID)
    outdated = states.count(queries.LetterState.OUTDATED)

    arrivals = [Bar(f"{day:%a %d %b}", count) for day, count in queries.arrivals_by_day(meeting)]
    nights = queries.rooms_per_night(meeting)
    over = [night for night in nights if night.over]

    attention = [
        Attention(text, url, number)
        for text, url, number in (
            ("Visa letters asked for and not yet issued", letters_url, waiting),
            ("Visa letters outdated by new passport details", outdated_url, outdated),
            ("Nights over the hotel block", hotel_url, len(over)),
        )
        if number
    ]
    charts = []
    if any(bar.value for bar in arrivals):
        charts.append(BarChart("Arrivals by day", arrivals, unit="arrivals"))
    if nights:
        charts.append(
            BarChart(
                "Rooms per night against the block",
                [Bar(f"{night.day:%a %d %b}", night.rooms, night.block) for night in nights],
                unit="rooms",
            )
        )
    return Panel(
        title="Logistics",
        slug="logistics",
        intro="Visa letters, arrivals for the airport pickup, and the hotel block.",
        rows=[
            Row("Visa letters asked for, waiting", waiting, letters_url),
            Row("Visa letters in force", valid, valid_url),
            Row("Visa letters outdated", outdated, outdated_url),
            Row("Arrivals with flights entered", sum(bar.value for bar in arrivals), arrivals_url),
            Row("Nights over the hotel block", len(over), hotel_url),
        ],
        charts=charts,
        attention=attention,
        link=Row("All logistics", url=reverse("logistics:organise", kwargs=slug)),
    )
