"""Logistics' panel on the organiser dashboard, read on the demo meeting."""

import pytest
from django.urls import reverse

from agenda.demo import load_demo
from logistics import queries
from participants.organisers import ensure_organiser

pytestmark = pytest.mark.django_db


def _logistics_panel(client):
    meeting = load_demo().meeting
    organiser, _ = ensure_organiser(
        email="desk@example.org", password="a long pass phrase 1", meetings=[meeting]
    )
    client.force_login(organiser)
    response = client.get(reverse("participants:dashboard", kwargs={"slug": meeting.slug}))
    assert response.status_code == 200
    (panel,) = [panel for panel, _ in response.context["panels"] if panel.slug == "logistics"]
    return meeting, panel, response.content.decode()


def test_dashboard_counts_visa_letters_arrivals_and_nights_over_the_block(client):
    meeting, panel, page = _logistics_panel(client)

    numbers = {row.label: row.number for row in panel.rows}
    assert numbers["Visa letters asked for, waiting"] == 1
    assert numbers["Visa letters in force"] == 2
    assert numbers["Visa letters outdated"] == 1
    assert numbers["Nights over the hotel block"] == 1
    assert numbers["Arrivals with flights entered"] > 0
    assert {item.text for item in panel.attention} == {
        "Visa letters asked for and not yet issued",
        "Visa letters outdated by new passport details",
        "Nights over the hotel block",
    }
    assert "Rooms per night against the block" in page


def test_every_logistics_number_opens_its_page(client):
    meeting, panel, _ = _logistics_panel(client)

    for row in [*panel.rows, panel.link]:
        assert client.get(row.url).status_code == 200, row.label


def test_the_arrivals_chart_has_the_boards_days_and_arrivals(client):
    meeting, panel, _ = _logistics_panel(client)
    board = [
        (f"{day.day:%a %d %b}", sum(m.direction == "arrival" for m in day.movements))
        for day in queries.arrivals_board(meeting)
    ]

    (chart,) = [chart for chart in panel.charts if chart.title == "Arrivals by day"]
    assert [(bar.label, bar.value) for bar in chart.bars] == board
    assert any(arrivals == 0 for _, arrivals in board)  # a day of departures only
    assert sum(arrivals for _, arrivals in board) == next(
        row.number for row in panel.rows if row.label == "Arrivals with flights entered"
    )
