"""Server-rendered SVG charts as strings: bar, line and stacked bar. No JavaScript.

Each chart is an accessible image: `role="img"`, a `<title>` and a `<desc>` that says what it
shows, and the values written as text labels so the chart reads without colour and prints in
black and white. Colours are the Okabe–Ito palette, distinguishable with colour blindness.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from hashlib import sha1
from html import escape

__all__ = ["PALETTE", "bar_chart", "line_chart", "stacked_bar_chart"]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.1f}"


def _open(title: str, desc: str, width: int, height: int) -> tuple[str, str]:
    # Ids from the content: the same chart renders the same bytes; two charts never clash.
    uid = "nf-chart-" + sha1(f"{title}\n{desc}".encode()).hexdigest()[:10]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{uid}-title {uid}-desc" {_FONT} font-size="11">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>'
        f'<text x="8" y="16" font-size="13" font-weight="bold" fill="#1d2330">'
        f"{escape(title)}</text>"
    )
    return head, uid


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    title: str,
    data: Mapping[str, float | None],
    *,
    unit: str = "",
    width: int = 640,
    bar_height: int = 22,
) -> str:
    """Draw horizontal bars, one per label, each with its value written beside it."""
    items = list(data.items())
    label_w, top, right = 150, 28, 60
    height = top + max(len(items), 1) * (bar_height + 6) + 10
    scale_max = max((v for _, v in items if v is not None), default=0) or 1
    described = "; ".join(f"{k}: {_fmt(v)}{unit}" for k, v in items) or "no data"
    svg, _uid = _open(title, f"Bar chart. {described}.", width, height)
    parts = [svg]
    plot_w = width - label_w - right
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + 6)
        w = 0 if value is None else max(plot_w * value / scale_max, 1 if value else 0)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'fill="#1d2330">{escape(_short(label, 22))}</text>'
            f'<rect class="bar" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {_fmt(value)}{escape(unit)}</title>'
            f"</rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_height * 0.7:.1f}" fill="#1d2330">'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _axis_and_legend(series: Sequence[str], x0: int, y0: int, plot_w: int, width: int) -> list[str]:
    parts = [f'<line x1="{x0}" y1="{y0}" x2="{x0 + plot_w}" y2="{y0}" stroke="#5b6475"/>']
    x = x0
    for i, name in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="24" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="33" fill="#1d2330">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
        if x > width - 60:
            break
    return parts


def stacked_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    width: int = 640,
    height: int = 260,
) -> str:
    """Draw vertical bars per category, stacked by series, each bar's total written on top."""
    names = list(series)
    totals = [sum(series[n][i] for n in names) for i in range(len(categories))]
    x0, top, bottom = 36, 50, 40
    plot_w, plot_h = width - x0 - 10, height - top - bottom
    y0 = top + plot_h
    scale_max = max(totals, default=0) or 1
    slot = plot_w / max(len(categories), 1)
    bar_w = min(slot * 0.7, 48)
    described = "; ".join(
        f"{c}: {_fmt(t)} (" + ", ".join(f"{n} {_fmt(series[n][i])}" for n in names) + ")"
        for i, (c, t) in enumerate(zip(categories, totals, strict=True))
    )
    svg, _uid = _open(title, f"Stacked bar chart. {described or 'no data'}.", width, height)
    parts = [svg, *_axis_and_legend(names, x0, y0, plot_w, width)]
    for i, category in enumerate(categories):
        x = x0 + slot * i + (slot - bar_w) / 2
        y = float(y0)
        for j, name in enumerate(names):
            value = series[name][i]
            h = plot_h * value / scale_max
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{escape(category)}, {escape(name)}: {_fmt(value)}</title></rect>"
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'fill="#1d2330">{_fmt(totals[i])}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{y0 + 16}" text-anchor="middle" '
            f'fill="#1d2330">{escape(_short(category, 10))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    unit: str = "",
    width: int = 640,
    height: int = 240,
) -> str:
    """Draw one line per series across the categories; gaps where a value is missing."""
    names = list(series)
    x0, top, bottom = 36, 50, 40
    plot_w, plot_h = width - x0 - 20, height - top - bottom
    y0 = top + plot_h
    values = [v for n in names for v in series[n] if v is not None]
    scale_max = max(values, default=0) or 1
    step = plot_w / max(len(categories) - 1, 1)
    described = "; ".join(
        f"{n}: " + ", ".join(f"{c} {_fmt(v)}{unit}" for c, v in zip(categories, series[n],
                                                                     strict=True))
        for n in names
    )  # fmt: skip
    svg, _uid = _open(title, f"Line chart. {described or 'no data'}.", width, height)
    parts = [svg, *_axis_and_legend(names, x0, y0, plot_w, width)]
    for i, category in enumerate(categories):
        parts.append(
            f'<text x="{x0 + step * i:.1f}" y="{y0 + 16}" text-anchor="middle" '
            f'fill="#1d2330">{escape(_short(category, 10))}</text>'
        )
    for j, name in enumerate(names):
        colour = PALETTE[j % len(PALETTE)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, value in enumerate(series[name]):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            x, y = x0 + step * i, y0 - plot_h * value / scale_max
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}, {escape(categories[i])}: {_fmt(value)}{escape(unit)}"
                f"</title></circle>"
                f'<text x="{x:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="10" '
                f'fill="#1d2330">{_fmt(value)}</text>'
            )
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                parts.append(
                    f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(r)}"/>'
                )
    parts.append("</svg>")
    return "".join(parts)
