"""The organiser tracker: who is where in the invitation process, with counts and balance."""

import math

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from agenda.access import organiser_required

from .. import exports, queries
from ..filters import TrackerFilterForm


def _filters(request, meeting, *, menu: bool = True):
    """The filter form; the page's country menu lists only the countries present."""
    countries = queries.countries_present(meeting) if menu else None
    form = TrackerFilterForm(request.GET or None, countries=countries)
    return form, form.filters()


def _admin_change_prefix() -> str | None:
    """The admin's participant URL without the id, or None where the admin is not installed."""
    try:
        return reverse("admin:participants_participant_changelist")
    except NoReverseMatch:
        return None


@organiser_required
def participant_tracker(request, meeting):
    form, filters = _filters(request, meeting)
    participants = queries.filtered_participants(meeting, filters)
    balance = queries.balance(participants)
    total = balance["total"]
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    requested = request.GET.get("page", "1")
    if requested == "all":
        page = None
    else:
        page = int(requested) if requested.isdigit() else 1
        page = min(max(page, 1), pages)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participants/organise/tracker.html",
        {
            "meeting": meeting,
            "form": form,
            "counts": queries.status_and_role_counts(meeting),
            "balance": balance,
            "rows": queries.tracker_page(meeting, participants, page=page),
            "page": page,
            "pages": range(1, pages + 1) if pages > 1 else [],
            "query": query.urlencode(),
            "admin_prefix": _admin_change_prefix(),
            # One reverse() for the page, not one per row: at 5,000 rows it shows.
            "open_prefix": reverse(
                "participant:organise_participant", kwargs={"slug": meeting.slug, "pk": 0}
            ).removesuffix("0/"),
            "zone": meeting.zone_label(),
        },
    )


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@organiser_required
def export_csv(request, meeting):
    _, filters = _filters(request, meeting, menu=False)
    participants = queries.filtered_participants(meeting, filters)
    return _download(
        exports.participants_csv(meeting, participants),
        content_type="text/csv; charset=utf-8",
        filename=f"{meeting.slug}-participants.csv",
    )


@organiser_required
def export_xlsx(request, meeting):
    _, filters = _filters(request, meeting, menu=False)
    participants = queries.filtered_participants(meeting, filters)
    return _download(
        exports.participants_xlsx(meeting, participants),
        content_type=exports.XLSX_CONTENT_TYPE,
        filename=f"{meeting.slug}-participants.xlsx",
    )
