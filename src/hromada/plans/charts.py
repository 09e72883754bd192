"""Server-drawn charts (SVG), so they show without JavaScript; each page pairs a chart
with a table of the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

from hromada.plans.models import Indicator, Measure, ProgressReport

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 640, 260, 56, 16, 28


@dataclass(frozen=True)
class TimelineMark:
    left: float
    label: str
    url: str


@dataclass(frozen=True)
class Timeline:
    elapsed: float
    today: float | None
    progress: int
    marks: list[TimelineMark]


def _position(day: date, start: date, end: date) -> float:
    span = max((end - start).days, 1)
    return round(min(max((day - start).days / span, 0), 1) * 100, 2)


def measure_timeline(*, measure: Measure, reports: list[ProgressReport], on: date) -> Timeline:
    """Where today falls between start and end, and where each published report sits."""
    today = (
        _position(on, measure.start, measure.end) if measure.start <= on <= measure.end else None
    )
    return Timeline(
        elapsed=_position(on, measure.start, measure.end),
        today=today,
        progress=measure.progress,
        marks=[
            TimelineMark(
                left=_position(report.period_end, measure.start, measure.end),
                label=f"{report.period_end:%d.%m.%Y}: {report.progress}%",
                url=report.get_absolute_url(),
            )
            for report in reports
        ],
    )


def indicator_chart(*, indicator: Indicator, title: str) -> SafeString:
    """A line of actual values against the target line, with the baseline if known."""
    values = list(indicator.values.order_by("date"))
    numbers = [v.value for v in values] + [indicator.target]
    if indicator.baseline is not None:
        numbers.append(indicator.baseline)
    top = max(numbers + [Decimal(1)]) * Decimal("1.1")
    bottom = min(min(numbers), Decimal(0))
    days = [v.date for v in values] or [date.today()]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def x(day: date) -> float:
        return PAD_LEFT + (WIDTH - PAD_LEFT - PAD_RIGHT) * (
            (day - first).days / span if values else 0.5
        )

    def y(value: Decimal) -> float:
        return HEIGHT - PAD_Y - float((value - bottom) / (top - bottom)) * (HEIGHT - 2 * PAD_Y)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title-{indicator.pk}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title-{indicator.pk}">{escape(title)}</title>',
        f'<line x1="{PAD_LEFT}" y1="{HEIGHT - PAD_Y}" x2="{WIDTH - PAD_RIGHT}" y2="{HEIGHT - PAD_Y}" class="axis"/>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_Y}" x2="{PAD_LEFT}" y2="{HEIGHT - PAD_Y}" class="axis"/>',
    ]
    for tick in (bottom, (bottom + top) / 2, top):
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">{tick:.0f}</text>'
        )
    target_y = y(indicator.target)
    parts.append(
        f'<line x1="{PAD_LEFT}" y1="{target_y:.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{target_y:.1f}" class="target"/>'
    )
    parts.append(
        f'<text x="{WIDTH - PAD_RIGHT}" y="{target_y - 6:.1f}" class="tick" text-anchor="end">▲ {indicator.target:.0f} {escape(indicator.unit)}</text>'
    )
    if indicator.baseline is not None:
        base_y = y(indicator.baseline)
        parts.append(
            f'<line x1="{PAD_LEFT}" y1="{base_y:.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{base_y:.1f}" class="baseline"/>'
        )
    if values:
        points = " ".join(f"{x(v.date):.1f},{y(v.value):.1f}" for v in values)
        parts.append(f'<polyline points="{points}" class="actual"/>')
        for v in values:
            parts.append(
                f'<circle cx="{x(v.date):.1f}" cy="{y(v.value):.1f}" r="4" class="point point-{v.source}"/>'
            )
        parts.append(f'<text x="{PAD_LEFT}" y="{HEIGHT - 8}" class="tick">{first:%d.%m.%Y}</text>')
        parts.append(
            f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 8}" class="tick" text-anchor="end">{last:%d.%m.%Y}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every interpolated text is escaped
