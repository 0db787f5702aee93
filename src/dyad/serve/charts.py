"""Charts as geometry, computed on the server and drawn by the templates as inline SVG.

No chart library and no script: a chart is a frozen dataclass of rectangles, points and tick
labels in SVG user units, which a template writes out as ``<rect>``, ``<polyline>`` and
``<circle>`` elements (each with a ``<title>`` tooltip). The map is an equirectangular plot of
longitude and latitude with a graticule and no country outlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dyad.query import SeriesPoint
from dyad.serve.queries import PlacePoint

WIDTH = 720
HEIGHT = 220
PAD_LEFT = 40
PAD_RIGHT = 40
PAD_TOP = 12
PAD_BOTTOM = 28
MAX_BAR = 36
"""The widest a bar gets (a series of one or two periods)."""


def _bar(slot: float) -> tuple[float, float]:
    """A bar's offset within its slot and its width."""
    width = min(slot * 0.8, MAX_BAR)
    return (slot - width) / 2, width


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str
    """``events``, ``cooperation`` or ``conflict`` (the CSS class that colours it)."""
    title: str


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    r: float
    title: str
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    line: tuple[Dot, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    right_ticks: tuple[Tick, ...]
    baseline: float
    caption: str

    @property
    def points(self) -> str:
        """The line's points as an SVG ``points`` attribute."""
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.line)


def _x_ticks(periods: Sequence[date], slot: float, y: float) -> tuple[Tick, ...]:
    if not periods:
        return ()
    step = max(1, len(periods) // 6)
    return tuple(
        Tick(PAD_LEFT + i * slot + slot / 2, y, p.isoformat())
        for i, p in enumerate(periods)
        if i % step == 0
    )


def events_chart(points: Sequence[SeriesPoint], caption: str) -> Chart:
    """Events per period as bars (zero-filled periods get no bar)."""
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = max((p.events for p in points), default=0) or 1
    slot = inner_w / max(len(points), 1)
    base = PAD_TOP + inner_h
    gap, width = _bar(slot)
    bars = tuple(
        Bar(
            PAD_LEFT + i * slot + gap, base - p.events / top * inner_h, width,
            p.events / top * inner_h, "events", f"{p.period}: {p.events} events",
        )
        for i, p in enumerate(points)
        if p.events
    )  # fmt: skip
    y_ticks = (Tick(PAD_LEFT - 4, base, "0"), Tick(PAD_LEFT - 4, PAD_TOP + 4, str(top)))
    return Chart(
        WIDTH, HEIGHT, bars, (), _x_ticks([p.period for p in points], slot, HEIGHT - 8),
        y_ticks, (), base, caption,
    )  # fmt: skip


def dyad_chart(points: Sequence[SeriesPoint], caption: str) -> Chart:
    """Cooperation above the axis, conflict below, and the mean Goldstein score as a line
    (right axis, -10 to +10) through the periods that have events."""
    inner_w, inner_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM
    top = max((max(p.cooperation, p.conflict) for p in points), default=0) or 1
    slot = inner_w / max(len(points), 1)
    mid = PAD_TOP + inner_h / 2
    half = inner_h / 2
    bars: list[Bar] = []
    line: list[Dot] = []
    gap, width = _bar(slot)
    for i, p in enumerate(points):
        x = PAD_LEFT + i * slot
        if p.cooperation:
            h = p.cooperation / top * half
            title = f"{p.period}: {p.cooperation} cooperation"
            bars.append(Bar(x + gap, mid - h, width, h, "cooperation", title))
        if p.conflict:
            h = p.conflict / top * half
            title = f"{p.period}: {p.conflict} conflict"
            bars.append(Bar(x + gap, mid, width, h, "conflict", title))
        if p.goldstein_mean is not None:
            y = mid - p.goldstein_mean / 10 * half
            line.append(Dot(x + slot / 2, y, 3, f"{p.period}: Goldstein {p.goldstein_mean:+.1f}"))
    y_ticks = (
        Tick(PAD_LEFT - 4, PAD_TOP + 4, str(top)),
        Tick(PAD_LEFT - 4, mid + 4, "0"),
        Tick(PAD_LEFT - 4, PAD_TOP + inner_h, str(top)),
    )
    right = (
        Tick(WIDTH - PAD_RIGHT + 4, PAD_TOP + 4, "+10"),
        Tick(WIDTH - PAD_RIGHT + 4, mid + 4, "0"),
        Tick(WIDTH - PAD_RIGHT + 4, PAD_TOP + inner_h, "-10"),
    )
    return Chart(
        WIDTH, HEIGHT, tuple(bars), tuple(line),
        _x_ticks([p.period for p in points], slot, HEIGHT - 8), y_ticks, right, mid, caption,
    )  # fmt: skip


MAP_WIDTH = 720
MAP_HEIGHT = 360
LABELLED = 6
"""The busiest places get their name written beside their dot."""


@dataclass(frozen=True, slots=True)
class MapPlot:
    width: int
    height: int
    meridians: tuple[float, ...]
    parallels: tuple[float, ...]
    dots: tuple[Dot, ...]
    labels: tuple[Tick, ...]
    """Names of the busiest places, and the graticule's latitudes."""


def project(lat: float, lon: float) -> tuple[float, float]:
    """Equirectangular: longitude -180..180 to x 0..width, latitude 90..-90 to y 0..height."""
    return (lon + 180) / 360 * MAP_WIDTH, (90 - lat) / 180 * MAP_HEIGHT


def place_map(points: Sequence[PlacePoint]) -> MapPlot:
    """A dot per place, its area growing with the number of events there."""
    top = max((p.events for p in points), default=1)
    dots = []
    labels = []
    for i, p in enumerate(points):
        x, y = project(p.lat, p.lon)
        r = 3 + 7 * (p.events / top) ** 0.5
        where = f"{p.place}, {p.country}" if p.country else p.place
        dots.append(Dot(x, y, r, f"{where}: {p.events} events"))
        if i < LABELLED:
            labels.append(Tick(x + r + 2, y + 4, p.place))
    for lat in range(-60, 90, 30):
        name = f"{abs(lat)}°{'N' if lat > 0 else 'S' if lat < 0 else ''}"
        labels.append(Tick(4, project(lat, 0)[1] - 3, name))
    return MapPlot(
        MAP_WIDTH,
        MAP_HEIGHT,
        tuple(project(0, lon)[0] for lon in range(-150, 180, 30)),
        tuple(project(lat, 0)[1] for lat in range(-60, 90, 30)),
        tuple(dots),
        tuple(labels),
    )
