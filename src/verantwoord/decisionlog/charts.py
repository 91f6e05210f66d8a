"""Server-rendered SVG charts: no script, a text alternative in the SVG, and the same data as a table beside
it on the page (WCAG 1.1.1 and 1.4.1: nothing is told by colour alone)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from verantwoord.decisionlog.selectors import DayCount

WIDTH, HEIGHT = 720, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 48, 40, 16


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    total: int
    by_decision: dict[str, int]


def per_week(days: Sequence[DayCount]) -> list[Period]:
    """Days grouped into weeks starting on Monday (the first and last may be partial)."""
    weeks: list[Period] = []
    for day in days:
        monday = day.day - datetime.timedelta(days=day.day.weekday())
        if weeks and weeks[-1].start == max(monday, days[0].day):
            last = weeks[-1]
            merged = dict(last.by_decision)
            for decision, count in day.by_decision.items():
                merged[decision] = merged.get(decision, 0) + count
            weeks[-1] = Period(last.start, day.day, last.total + day.total, merged)
        else:
            weeks.append(Period(max(monday, days[0].day), day.day, day.total, dict(day.by_decision)))
    return weeks


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return value


def bar_chart(periods: Sequence[Period], *, title: str, description: str, chart_id: str) -> SafeString:
    """A bar per period; the y axis from 0 to a round maximum."""
    top = _nice_max(max((period.total for period in periods), default=0))
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(len(periods), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = MARGIN_TOP + plot_height * (1 - fraction)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" stroke="#767676" '
            f'stroke-width="{1 if fraction == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">'
            f"{round(top * fraction)}</text>"
        )
    for position, period in enumerate(periods):
        height = plot_height * period.total / top if top else 0
        x = MARGIN_LEFT + position * slot + slot * 0.15
        y = MARGIN_TOP + plot_height - height
        label = f"{period.start:%d-%m} to {period.end:%d-%m}: {period.total}"
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" fill="#01689b">'
            f"<title>{escape(label)}</title></rect>"
        )
        if position % 2 == 0:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11" fill="#1a1a1a">{period.start:%d-%m}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
