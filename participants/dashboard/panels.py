"""What a dashboard panel is: plain data that any app's panel function returns.

A panel is a title, rows of (label, number, link to the list behind the number), an
optional table (rows by columns, each cell linked), an optional bar chart drawn on the
server from the same numbers as the rows, and the items it wants on the "needs your
attention" list. Apps build panels from their own reads and register the function in
``participants.contributions.register_dashboard_panel``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.timesince import timesince, timeuntil


@dataclass(frozen=True)
class Row:
    """One number and where it comes from: ``url`` opens the filtered list it counts."""

    label: str
    number: int | None = None
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Cell:
    """A linked number, or plain ``text`` (a share, a limit) when it counts no list."""

    number: int | None = None
    url: str = ""
    text: str = ""


@dataclass(frozen=True)
class Table:
    """A grid of linked numbers: ``columns`` head it, each row is a label and its cells."""

    caption: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    row_header: str = ""  # what the row labels are ("Role")
    # On a phone each row becomes a block of "column: value" lines instead of scrolling:
    # for tables of words more than of numbers.
    stack: bool = False

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, "Cell"]]]]:
        """Each row's cells with their column's name, for the stacked layout's labels."""
        return [(label, list(zip(self.columns, cells, strict=True))) for label, cells in self.rows]


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    # A second value drawn as a mark on the bar (a quota or a capacity); None for none.
    limit: int | None = None


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars; the panel's rows or table give the same numbers as text."""

    title: str
    bars: list[Bar]
    unit: str = ""


@dataclass(frozen=True)
class Attention:
    """An item for the "needs your attention" list: what, how many, and where to act."""

    text: str
    url: str
    number: int | None = None


@dataclass(frozen=True)
class Panel:
    title: str
    slug: str
    rows: list[Row] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[BarChart] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    intro: str = ""
    link: Row | None = None  # the panel's own page ("All papers")


def relative_to(moment: dt.datetime, now: dt.datetime) -> str:
    """'in 2 weeks' or 'passed 3 days ago': a deadline's distance, as the panels word it."""
    if moment >= now:
        return f"in {timeuntil(moment, now, depth=1)}".replace("\xa0", " ")
    return f"passed {timesince(moment, now, depth=1)} ago".replace("\xa0", " ")
