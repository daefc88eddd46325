"""Bar charts as SVG geometry, computed on the server: no JavaScript, no chart library.

The template draws what ``layout`` returns; the numbers themselves are always also given
as text beside the chart (the panel's rows or table), so the picture only repeats them.
"""

from dataclasses import dataclass

from .panels import BarChart

BAR_HEIGHT = 18
GAP = 10
LABEL_WIDTH = 190
BAR_SPACE = 260
VALUE_SPACE = 70
WIDTH = LABEL_WIDTH + BAR_SPACE + VALUE_SPACE


@dataclass(frozen=True)
class DrawnBar:
    label: str
    value: int
    limit: int | None
    y: int
    text_y: int
    width: int
    limit_x: int | None
    limit_top: int
    limit_bottom: int


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    label_width: int
    value_x: int
    bar_height: int
    bars: list[DrawnBar]

    @property
    def has_limits(self) -> bool:
        return any(bar.limit is not None for bar in self.bars)


def layout(chart: BarChart) -> Drawing:
    """Where each bar goes: widths scaled to the largest value or limit (1 when all are 0)."""
    largest = max([bar.value for bar in chart.bars] + [bar.limit or 0 for bar in chart.bars] + [1])
    drawn = []
    for index, bar in enumerate(chart.bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(BAR_SPACE * bar.value / largest)
        drawn.append(
            DrawnBar(
                label=bar.label,
                value=bar.value,
                limit=bar.limit,
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                # A zero stays visible as a hairline, so the row does not look missing.
                width=max(width, 1),
                limit_x=(
                    LABEL_WIDTH + round(BAR_SPACE * bar.limit / largest)
                    if bar.limit is not None
                    else None
                ),
                limit_top=y - 3,
                limit_bottom=y + BAR_HEIGHT + 3,
            )
        )
    return Drawing(
        width=WIDTH,
        height=GAP + len(chart.bars) * (BAR_HEIGHT + GAP),
        label_width=LABEL_WIDTH,
        value_x=LABEL_WIDTH + BAR_SPACE + 6,
        bar_height=BAR_HEIGHT,
        bars=drawn,
    )
