"""What the programme needs to know about people, told by the app that knows them.

``agenda`` sits below ``participants`` and never imports it. The programme still shows
who chairs or speaks, keeps its feeds fresh when a name changes, warns of a person booked
twice and records who a change concerns: for that it asks the ``PeopleSource`` that the
participants app registers in its ``AppConfig.ready()``. Until one is registered the
programme has no people (no parts, no audience, no warnings).
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Part:
    """A person's part in a session as the programme shows it: names and parts only."""

    label: str  # "Chair"
    name: str  # "Dr. Ama Mensah"
    paper_title: str = ""


class PeopleSource(Protocol):
    def parts(self, session_ids) -> dict[int, list[Part]]:
        """Session id -> its people's parts in programme order (one query)."""

    def latest_edits(self, meeting_ref) -> dict[str, object]:
        """Querysets, keyed "people" and "papers", whose latest ``updated_at`` is that of the people
        and papers a programme shows; ``meeting_ref`` is ``OuterRef`` to the meeting's pk."""

    def audience(self, meeting, session) -> list[int]:
        """Ids of the participants ``session`` concerns now (for changes once announced)."""

    def clash_warnings(self, session) -> list[str]:
        """Warnings for people with a part here and elsewhere at the same time."""


class _Nobody:
    def parts(self, session_ids) -> dict[int, list[Part]]:
        return {}

    def latest_edits(self, meeting_ref) -> dict[str, object]:
        return {}

    def audience(self, meeting, session) -> list[int]:
        return []

    def clash_warnings(self, session) -> list[str]:
        return []


_source: PeopleSource = _Nobody()


def register_people_source(source: PeopleSource) -> None:
    """Called once, from the participants app's ``ready()``."""
    global _source
    _source = source


def people() -> PeopleSource:
    return _source
