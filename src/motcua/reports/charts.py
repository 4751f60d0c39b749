"""Light charts as server-rendered SVG (no script, no CDN): a line chart of a trend, horizontal
bars, stacked bars, and bars against a target. Each returns markup that is decorative for
assistive technology (``aria-hidden``): the page shows the same numbers in a table next to it.

Labels are escaped here; the result is safe to put in a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

Number = int | float | Decimal

# Colours with at least 3:1 contrast against white and against each other's neighbours; a
# pattern or a label always says the same (never colour alone).
BLUE = "#1d4f91"
GREEN = "#1e6b3a"
RED = "#b3261e"
GREY = "#5f6368"
LIGHT = "#d0d7de"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


# A bar's label ends 8 units before the bars, in the 220 units left of them. At font-size 12 a
# Vietnamese name averages about 7 units a character (DejaVu Sans, the fallback of system-ui on
# Linux, is the widest usual font), so 28 characters (27 and "…") fit in 212 with a margin; a
# longer one was cut off at the left edge ("ộ phận Một cửa…"). The full name is the label's
# tooltip and the table beside the chart.
LABEL_CHARS = 28


# Agency names start with words that officials abbreviate in tables and charts; left whole they
# take the label's room and every commune reads "Ủy ban nhân dân phường Phú…".
ABBREVIATIONS = (("Ủy ban nhân dân ", "UBND "), ("Uỷ ban nhân dân ", "UBND "))


def _fit(label: str, chars: int) -> str:
    """``label`` with its usual abbreviation, as is when it has at most ``chars`` characters,
    else cut to ``chars`` with "…"."""
    for long, short in ABBREVIATIONS:
        if label.startswith(long):
            label = short + label[len(long) :]
            break
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _num(value: Number | None) -> float:
    return float(value) if value is not None else 0.0


def _fmt(value: Number | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".") + suffix
    return f"{float(value):.1f}".replace(".", ",") + suffix


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(  # noqa: S308  (every text inside went through escape())
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart" aria-hidden="true" focusable="false" {FONT}>'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]
    colour: str
    dashed: bool = False


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, maximum: Number = 100
) -> SafeString:
    """Lines over ``labels`` (e.g. months), 0..``maximum`` (percent by default)."""
    width, height, left, right, top, bottom = 640, 260, 44, 40, 16, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _num(maximum) or 1.0
    step = plot_w / max(len(labels) - 1, 1)
    body: list[str] = []
    for tick in range(0, 5):
        value = top_value * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LIGHT}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}">'
            f"{escape(_fmt(round(value)))}</text>"
        )
    for i, label in enumerate(labels):
        x = left + step * i
        body.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="{GREY}">'
            f"{escape(label)}</text>"
        )
    for n, s in enumerate(series):
        points = [
            (left + step * i, top + plot_h - plot_h * min(_num(v), top_value) / top_value)
            for i, v in enumerate(s.values)
            if v is not None
        ]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        if points:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5"{dash}/>'
            )
            body.extend(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{s.colour}"/>' for x, y in points
            )
        lx = left + n * 200
        body.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{height - 12}" y2="{height - 12}" '
            f'stroke="{s.colour}" stroke-width="2.5"{dash}/>'
            f'<text x="{lx + 30}" y="{height - 8}" fill="#1f2328">{escape(s.name)}</text>'
        )
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class Bar:
    label: str
    parts: Sequence[Number | None]  # one value per segment (a single one for plain bars)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    segments: Sequence[tuple[str, str]],
    maximum: Number | None = None,
    target: Number | None = None,
    target_label: str = "",
    suffix: str = "",
) -> SafeString:
    """Horizontal bars, one row per ``bars`` item, stacked by ``segments`` (name, colour); the
    total is written at the end of each bar; an optional ``target`` line (e.g. 100%)."""
    label_w, value_w, row_h, top = 220, 64, 26, 8
    width = 640
    plot_w = width - label_w - value_w
    legend_h = 26 if len(segments) > 1 or target is not None else 0
    height = top + row_h * max(len(bars), 1) + legend_h + 8
    totals = [sum(_num(p) for p in bar.parts) for bar in bars]
    top_value = _num(maximum) if maximum is not None else max(totals or [0.0]) or 1.0
    body: list[str] = []
    for i, bar in enumerate(bars):
        y = top + row_h * i
        label = _fit(bar.label, LABEL_CHARS)
        body.append(
            f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" fill="#1f2328">'
            f"<title>{escape(bar.label)}</title>{escape(label)}</text>"
        )
        x = float(label_w)
        for (_, colour), value in zip(segments, bar.parts, strict=False):
            w = plot_w * min(_num(value), top_value) / top_value
            if w > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
                    f'fill="{colour}"/>'
                )
            x += w
        shown: Number | None = None if all(p is None for p in bar.parts) else totals[i]
        if shown is not None and all(isinstance(p, int) for p in bar.parts):
            shown = int(shown)
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + 16}" fill="#1f2328">{escape(_fmt(shown, suffix))}</text>'
        )
    if target is not None:
        tx = label_w + plot_w * min(_num(target), top_value) / top_value
        body.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top}" y2="{top + row_h * len(bars)}" '
            f'stroke="{RED}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    if legend_h:
        ly = height - 12
        lx = label_w
        for name, colour in segments if len(segments) > 1 else []:
            body.append(
                f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
                f'<text x="{lx + 18}" y="{ly}" fill="#1f2328">{escape(name)}</text>'
            )
            lx += 150
        if target is not None:
            body.append(
                f'<line x1="{lx}" x2="{lx + 20}" y1="{ly - 4}" y2="{ly - 4}" stroke="{RED}" '
                f'stroke-width="2" stroke-dasharray="4 3"/>'
                f'<text x="{lx + 26}" y="{ly}" fill="#1f2328">{escape(target_label)}</text>'
            )
    return _svg(width, height, body, title)
