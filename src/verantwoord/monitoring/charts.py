"""Server-rendered SVG line charts of a metric over check runs: no script, a text alternative in the SVG,
and the same numbers in a table beside it on the page. Lines differ by dash pattern and marker shape, not
by colour alone (WCAG 1.4.1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 150, 16, 40
COLOURS = ("#01689b", "#a90061", "#275937", "#e17000", "#42145f", "#1a1a1a")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")


def line_chart(
    points: Sequence[dict[str, Any]], *, title: str, description: str, chart_id: str
) -> SafeString:
    """``points``: oldest first, each {"at": datetime, "values": {group: (value, [low, high] | None)}}."""
    groups = sorted({group for point in points for group in point["values"]})
    top = max([1e-9] + [value for point in points for value, _ci in point["values"].values()])
    top = min(1.0, max(0.1, round(top * 1.2 + 0.05, 1)))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(points) - 1, 1)

    def xy(position: int, value: float) -> tuple[float, float]:
        x = LEFT + (position * step if len(points) > 1 else plot_width / 2)
        return x, TOP + plot_height * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_width}" y2="{y:.1f}" stroke="#767676" '
            f'stroke-width="{1 if fraction == 0 else 0.5}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#1a1a1a">'
            f"{top * fraction:.0%}</text>"
        )
    for number, group in enumerate(groups):
        colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
        coordinates = [
            xy(position, point["values"][group][0])
            for position, point in enumerate(points)
            if group in point["values"]
        ]
        if len(coordinates) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attribute}/>'
            )
        for position, point in enumerate(points):
            if group not in point["values"]:
                continue
            value, interval = point["values"][group]
            x, y = xy(position, value)
            if interval:
                _x, low = xy(position, interval[0])
                _x, high = xy(position, interval[1])
                parts.append(
                    f'<line x1="{x:.1f}" y1="{low:.1f}" x2="{x:.1f}" y2="{high:.1f}" stroke="{colour}"/>'
                )
            label = f"{group}, {point['at']:%Y-%m-%d}: {value:.1%}"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{3 + number % 3}" fill="{colour}">'
                f"<title>{escape(label)}</title></circle>"
            )
        legend_y = TOP + 14 + number * 18
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 12}" y1="{legend_y - 4}" x2="{WIDTH - RIGHT + 36}" y2="{legend_y - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attribute}/>'
            f'<text x="{WIDTH - RIGHT + 40}" y="{legend_y}" font-size="12" fill="#1a1a1a">{escape(group)}</text>'
        )
    for position, point in enumerate(points):
        if position % max(1, len(points) // 6) == 0:
            x, _y = xy(position, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                f'fill="#1a1a1a">{point["at"]:%d-%m}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
