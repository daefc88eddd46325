"""What other apps contribute to one participant's pages (checklist steps, calendar events)
and to a meeting's organiser dashboard (panels).

The portal and the personal calendar gather a participant's whole meeting: registration
and paper (this app), visa letter, travel and hotel (``logistics``). This app sits below
``logistics`` and never imports it; instead each app registers its parts here from its
``AppConfig.ready()``, the way pretix and pretalx plugins register exporters.

- ``register_checklist_steps(fn)``: ``fn(participant)`` returns an iterable of
  ``participants.portal.Step``; ``Step.order`` places them (respond 10, register 20,
  visa 30, travel 40, paper 50).
- ``register_personal_events(fn)``: ``fn(participant)`` returns an iterable of
  ``agenda.calendars.Flight`` and ``agenda.calendars.Stay``, written into the personal
  calendar feed after the deadlines.
- ``register_status_hook(fn)``: ``fn(change)`` is called with each new
  ``participants.StatusChange`` made by the services, inside their transaction (mail it
  queues goes after commit): logistics sends the information note on acceptance.
- ``register_dashboard_panel(fn, order=...)``: ``fn(meeting)`` returns a
  ``participants.dashboard.panels.Panel`` (or None to show nothing); the dashboard shows
  the panels by ``order`` (invitations 10, balance 20, papers 30, logistics 40, deadlines
  50, reminders before them 55, outbox 60).
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agenda.calendars import Flight, Stay
    from agenda.models import Meeting

    from .dashboard.panels import Panel
    from .models import Participant, StatusChange
    from .portal import Step

_checklist_sources: list[Callable[["Participant"], Iterable["Step"]]] = []
_event_sources: list[Callable[["Participant"], Iterable["Flight | Stay"]]] = []
_status_hooks: list[Callable[["StatusChange"], None]] = []
_panel_sources: list[tuple[int, Callable[["Meeting"], "Panel | None"]]] = []


def register_checklist_steps(fn: Callable[["Participant"], Iterable["Step"]]) -> None:
    """Add ``fn``'s steps to every participant's checklist (registering twice adds once)."""
    if fn not in _checklist_sources:
        _checklist_sources.append(fn)


def checklist_steps(participant: "Participant") -> list["Step"]:
    """Every app's steps for the participant, by ``order`` (ties keep registration order)."""
    steps = [step for source in _checklist_sources for step in source(participant)]
    return sorted(steps, key=lambda step: step.order)


def register_personal_events(fn: Callable[["Participant"], Iterable["Flight | Stay"]]) -> None:
    """Add ``fn``'s flights and stays to every participant's personal calendar."""
    if fn not in _event_sources:
        _event_sources.append(fn)


def personal_events(participant: "Participant") -> list["Flight | Stay"]:
    """Every app's flights and stays for the participant's personal calendar."""
    return [event for source in _event_sources for event in source(participant)]


def register_status_hook(fn: Callable[["StatusChange"], None]) -> None:
    """Call ``fn`` with every status change the services make (registering twice adds once)."""
    if fn not in _status_hooks:
        _status_hooks.append(fn)


def status_changed(change: "StatusChange") -> None:
    """Tell every registered app of a status change; called by ``participants.services``."""
    for hook in _status_hooks:
        hook(change)


def register_dashboard_panel(fn: Callable[["Meeting"], "Panel | None"], *, order: int) -> None:
    """Show ``fn(meeting)``'s panel on every meeting's dashboard (registering twice adds once).

    ``fn`` must read a fixed number of queries whatever the number of participants: the
    dashboard's query count is tested at two sizes.
    """
    if all(source is not fn for _, source in _panel_sources):
        _panel_sources.append((order, fn))


def dashboard_panels(meeting: "Meeting") -> list["Panel"]:
    """Every app's panel for the meeting, by ``order`` (ties keep registration order)."""
    ordered = sorted(_panel_sources, key=lambda pair: pair[0])
    return [panel for _, source in ordered if (panel := source(meeting)) is not None]
