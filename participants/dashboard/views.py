"""The organiser dashboard and the page of every download, for one meeting."""

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agenda.access import organiser_required

from ..contributions import dashboard_panels
from . import charts
from .menu import safe_reverse


@organiser_required
@require_GET
def dashboard(request, meeting):
    # The deadlines are read by several panels: once here.
    prefetch_related_objects([meeting], "deadlines")
    panels = dashboard_panels(meeting)
    return render(
        request,
        "participants/organise/dashboard.html",
        {
            "meeting": meeting,
            "panels": [
                (panel, [(chart, charts.layout(chart)) for chart in panel.charts])
                for panel in panels
            ],
            "attention": [item for panel in panels for item in panel.attention],
        },
    )


@organiser_required
@require_GET
def exports(request, meeting):
    """Every file the organisers take away, in one list; pages not installed are left out."""
    slug = meeting.slug
    candidates = [
        ("Participants (CSV)", safe_reverse("participants:export_csv", slug=slug)),
        ("Participants (Excel, XLSX)", safe_reverse("participants:export_xlsx", slug=slug)),
        ("All current papers (ZIP)", safe_reverse("papers:archive", slug=slug)),
        ("Arrivals (CSV)", safe_reverse("logistics:arrivals_csv", slug=slug)),
        ("Hotel rooming list (CSV)", safe_reverse("logistics:rooming_csv", slug=slug)),
        ("Hotel rooming list (Excel, XLSX)", safe_reverse("logistics:rooming_xlsx", slug=slug)),
        ("Agenda (calendar, .ics)", safe_reverse("agenda:agenda_ics", slug=slug)),
        (
            "Public list of participants (CSV)",
            safe_reverse("participants:public_list_csv", slug=slug),
        ),
    ]
    return render(
        request,
        "participants/organise/exports.html",
        {"meeting": meeting, "downloads": [(label, url) for label, url in candidates if url]},
    )
