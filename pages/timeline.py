"""A case's timeline, laid out on the server as an SVG (no script needed to read it).

It draws the dated items of proceedings.items, one lane per kind; laying them out costs no query.
"""

import datetime
from dataclasses import dataclass, field

from core.validators import clamp_date, date_bounds
from proceedings.items import KINDS, DatedItem


@dataclass(frozen=True)
class Style:
    shape: str
    colour: str


# Colours keep at least 3:1 contrast with the white background (WCAG non-text contrast);
# the shape repeats the distinction for readers who cannot tell the colours apart.
STYLES = {
    "event": Style("bar", "#5f6b76"),
    "filing": Style("circle", "#0b4f8a"),
    "hearing": Style("square", "#6a3d9a"),
    "decision": Style("diamond", "#b3261e"),
    "claim": Style("triangle", "#a04f00"),
}


@dataclass(frozen=True)
class LaneKind:
    """A kind of dated item as the timeline draws it: its lane's name, its mark's shape and colour."""

    key: str
    label: str
    plural: str
    shape: str
    colour: str


LANE_KINDS = [LaneKind(k.key, k.label, k.plural, STYLES[k.key].shape, STYLES[k.key].colour) for k in KINDS]

WIDTH = 1000
LABEL_WIDTH = 190
RIGHT_MARGIN = 20
AXIS_HEIGHT = 28
LANE_HEIGHT = 26
GROUP_HEADING = 24
MARK = 6


@dataclass
class Mark:
    item: DatedItem
    kind: LaneKind
    x: float
    y: float
    x2: float = 0
    points: str = ""

    @property
    def width(self):
        return round(self.x2 - self.x, 1)

    @property
    def left(self):
        return self.x - MARK

    @property
    def top(self):
        return self.y - MARK


@dataclass
class Lane:
    label: str
    y: float
    marks: list = field(default_factory=list)


@dataclass
class Group:
    heading: str
    y: float


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    items: list
    lanes: list
    groups: list
    ticks: list
    legend: list
    height: float
    start: datetime.date | None
    end: datetime.date | None
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def label_text_x(self):
        return self.label_width - 8

    @property
    def plot_right(self):
        return self.width - RIGHT_MARGIN


# At most about this many year labels fit on the axis; a longer span labels every 2nd, 5th, 10th year.
MAX_YEAR_TICKS = 20
YEAR_STEPS = (1, 2, 5, 10, 20, 50, 100)


def drawable_range() -> tuple[datetime.date, datetime.date]:
    """The dates the axis can show: those a record may hold (core.validators), today's included.

    A date stored before the check existed, or written by raw SQL (9999-12-31, 0001-01-01), is
    drawn at the edge instead of stretching the axis over millennia or overflowing datetime.date.
    """
    return date_bounds(future=True)


def _ticks(start, end, scale):
    first_year = start.year + (0 if (start.month, start.day) == (1, 1) else 1)
    step = next((s for s in YEAR_STEPS if (end.year + 1 - first_year) / s <= MAX_YEAR_TICKS), YEAR_STEPS[-1])
    if step > 1:
        first_year += -first_year % step
    years = range(first_year, end.year + 1, step)
    ticks = [Tick(scale(datetime.date(year, 1, 1)), str(year)) for year in years]
    if len(ticks) < 2:
        # A short span still needs a readable axis: mark the months instead of the years.
        ticks, day = [], datetime.date(start.year, start.month, 1)
        while day <= end:
            if day >= start:
                ticks.append(Tick(scale(day), f"{day:%b %Y}"))
            day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


def build_timeline(groups):
    """Lay out `groups`, a list of (heading or None, items), one lane per kind within each group."""
    all_items = [item for _, items in groups for item in items]
    if not all_items:
        return Timeline([], [], [], [], [], 0, None, None)
    lowest, highest = drawable_range()
    first = clamp_date(min(item.start for item in all_items), lowest, highest)
    last = clamp_date(max(item.end or item.start for item in all_items), lowest, highest)
    pad = datetime.timedelta(days=max(30, (last - first).days // 40))
    start, end = first - pad, last + pad
    span = (end - start).days
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def scale(day):
        return round(LABEL_WIDTH + (clamp_date(day, lowest, highest) - start).days / span * plot, 1)

    lanes, headings, y = [], [], AXIS_HEIGHT + 6
    for heading, items in groups:
        if heading:
            headings.append(Group(heading, y + GROUP_HEADING - 8))
            y += GROUP_HEADING
        for kind in LANE_KINDS:
            kind_items = [item for item in items if item.kind == kind.key]
            if not kind_items:
                continue
            lane = Lane(kind.plural, y + LANE_HEIGHT / 2)
            for item in kind_items:
                lane.marks.append(_mark(item, kind, scale, lane.y))
            lanes.append(lane)
            y += LANE_HEIGHT
    used = {item.kind for item in all_items}
    legend = [kind for kind in LANE_KINDS if kind.key in used]
    return Timeline(all_items, lanes, headings, _ticks(start, end, scale), legend, y + 8, start, end)


def _mark(item, kind, scale, y):
    x = scale(item.start)
    mark = Mark(item, kind, x, y)
    if kind.shape == "bar" or (kind.shape == "square" and item.end and item.end != item.start):
        # An event with no known end is drawn as a short bar: it began then, and the data says no more.
        mark.x2 = max(scale(item.end), x + MARK) if item.end else x + 2 * MARK
    if kind.shape == "diamond":
        mark.points = f"{x},{y - MARK - 1} {x + MARK + 1},{y} {x},{y + MARK + 1} {x - MARK - 1},{y}"
    elif kind.shape == "triangle":
        mark.points = f"{x},{y - MARK} {x + MARK},{y + MARK} {x - MARK},{y + MARK}"
    return mark
