"""Charts as server-side SVG: no JavaScript, readable without colour (each series has its own pattern and
every bar carries its number), titled for screen readers; the page also gives each chart as a table."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.typography import colon, quantity

# (fill colour, pattern kind): colour helps, the pattern is what tells series apart in black and white.
STYLES = [
    ("#1f77b4", "solid"),
    ("#ff7f0e", "hatch"),
    ("#2ca02c", "dots"),
    ("#d62728", "cross"),
    ("#9467bd", "backhatch"),
    ("#8c564b", "vertical"),
    ("#e377c2", "horizontal"),
    ("#7f7f7f", "grid"),
    ("#bcbd22", "zigzag"),
    ("#17becf", "bigdots"),
    ("#393b79", "diamonds"),
]


def _pattern(index: int) -> str:
    colour, kind = STYLES[index % len(STYLES)]
    pid = f"p{index}"
    marks = {
        "solid": "",
        "hatch": '<path d="M0,8 L8,0" stroke="#fff" stroke-width="2"/>',
        "backhatch": '<path d="M0,0 L8,8" stroke="#fff" stroke-width="2"/>',
        "cross": '<path d="M0,8 L8,0 M0,0 L8,8" stroke="#fff" stroke-width="1.5"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "bigdots": '<circle cx="4" cy="4" r="2.6" fill="#fff"/>',
        "vertical": '<path d="M4,0 L4,8" stroke="#fff" stroke-width="2"/>',
        "horizontal": '<path d="M0,4 L8,4" stroke="#fff" stroke-width="2"/>',
        "grid": '<path d="M4,0 L4,8 M0,4 L8,4" stroke="#fff" stroke-width="1"/>',
        "zigzag": '<path d="M0,6 L2,2 L4,6 L6,2 L8,6" stroke="#fff" fill="none" stroke-width="1.2"/>',
        "diamonds": '<path d="M4,1 L7,4 L4,7 L1,4 Z" fill="#fff"/>',
    }[kind]
    return (
        f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{marks}</pattern>'
    )


def fill(index: int, prefix: str) -> str:
    return f"url(#{prefix}-p{index})"


def _defs(count: int, prefix: str) -> str:
    return "<defs>" + "".join(_pattern(i).replace('id="p', f'id="{prefix}-p') for i in range(count)) + "</defs>"


def legend_swatch(index: int) -> SafeString:
    prefix = f"sw{index}"
    return mark_safe(  # noqa: S308 (every label is escaped above)
        f'<svg width="14" height="14" aria-hidden="true" focusable="false">{_defs(index + 1, prefix)}'
        f'<rect width="14" height="14" fill="{fill(index, prefix)}" stroke="#000"/></svg>'
    )


@dataclass
class Series:
    label: str
    values: list[float]


def stacked_bars(title: str, categories: list[str], series: list[Series], prefix: str = "m") -> SafeString:
    """Vertical stacked bars, one per category; each segment patterned per series, totals written on top."""
    width, height, left, bottom, top = max(360, 60 * len(categories) + 60), 240, 40, 40, 20
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals or [0]) or 1
    scale = (height - bottom - top) / peak
    bar = min(40, (width - left) / max(len(categories), 1) * 0.6)
    parts = [_defs(len(series), prefix)]
    for i, category in enumerate(categories):
        x = left + (i + 0.5) * (width - left) / len(categories) - bar / 2
        y: float = height - bottom
        for n, s in enumerate(series):
            value = s.values[i]
            if not value:
                continue
            h = value * scale
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{fill(n, prefix)}" '
                f'stroke="#000" stroke-width="0.5">'
                f"<title>{escape(category)}, {escape(s.label)}{colon()} {_num(value)}</title></rect>"
            )
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_num(totals[i])}</text>')
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#000"/>')
    return _svg(title, width, height, parts)


def horizontal_bars(title: str, rows: list[tuple[str, float]], unit: str, prefix: str = "h") -> SafeString:
    """One labelled bar per row, the value written at its end."""
    label_width, bar_area, row_h = 230, 300, 22
    width, height = label_width + bar_area + 110, max(row_h * len(rows) + 10, 40)
    peak = max((v for _label, v in rows), default=0) or 1
    parts = [_defs(1, prefix)]
    for i, (label, value) in enumerate(rows):
        y = 5 + i * row_h
        w = value / peak * bar_area
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(label[:40])}</text>')
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" fill="{fill(0, prefix)}" '
            f'stroke="#000" stroke-width="0.5">'
            f"<title>{escape(label)}{colon()} {_num(value)}\u00a0{escape(unit)}</title></rect>"
        )
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 14}">{_num(value)}\u00a0{escape(unit)}</text>')
    return _svg(title, width, height, parts)


def box_plot(title: str, q: dict[str, float], unit: str) -> SafeString:
    """Minimum, quartiles, median and maximum on one axis, each written under its mark."""
    width, height, left, right = 560, 90, 20, 20
    low, high = q["min"], q["max"]
    span = (high - low) or 1

    def x(v: float) -> float:
        return left + (v - low) / span * (width - left - right)

    mid = 35
    parts = [
        f'<line x1="{x(low):.1f}" y1="{mid}" x2="{x(high):.1f}" y2="{mid}" stroke="#000"/>',
        f'<rect x="{x(q["q1"]):.1f}" y="{mid - 14}" width="{max(x(q["q3"]) - x(q["q1"]), 1):.1f}" height="28" '
        f'fill="#ddd" stroke="#000"/>',
        f'<line x1="{x(q["median"]):.1f}" y1="{mid - 14}" x2="{x(q["median"]):.1f}" y2="{mid + 14}" stroke="#000" '
        f'stroke-width="3"/>',
    ]
    for key in ("min", "q1", "median", "q3", "max"):
        anchor = "start" if key == "min" else "end" if key == "max" else "middle"
        y = mid + 30 if key in ("min", "median", "max") else mid - 18
        parts.append(f'<text x="{x(q[key]):.1f}" y="{y}" text-anchor="{anchor}">{_num(q[key])} {escape(unit)}</text>')
    return _svg(title, width, height, parts)


def _svg(title: str, width: float, height: float, parts: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 (every label is escaped above)
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" font-family="DejaVu Sans, sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _num(value: float) -> str:
    """A value in the reader's language: whole above 10, one decimal below ('31\u202f600', '2,5')."""
    return quantity(value, 0 if value >= 10 else 1)
