"""Horizontal bar charts as inline SVG, drawn on the server: no script, no chart
library, nothing fetched — they work in an offline intranet and print as they look.

Each chart is a label column, the bars, and the value written after each bar, so it
reads without hovering; every shape also carries a ``<title>`` (the tooltip). Colours
are attributes, so a chart looks the same without any stylesheet."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 760
FONT = 13
LABEL_MAX = 300  # longest label column, px; longer labels are cut with … (full in the tooltip)
TONES = {
    "passed": "#2e7d32",
    "failed": "#c62828",
    "undecided": "#e08a00",
    "scan_failed": "#6d4c41",
    "pending": "#9e9e9e",
    "primary": "#1f5fa8",
    "before": "#9aa5b1",
    "after": "#1f5fa8",
}
TRACK = "#eceff3"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # written after the bar
    tone: str = "primary"


@dataclass(frozen=True)
class Stack:
    """One row split into parts, each drawn as its share of the row's total."""

    label: str
    parts: tuple[float, ...]
    text: str


@dataclass(frozen=True)
class Pair:
    """One row with a value before and after."""

    label: str
    before: float
    after: float
    text: str


def text_width(text: str, size: float = FONT) -> float:
    """Roughly how wide ``text`` is drawn: CJK characters (and the ambiguous ones, such as
    “ ” and ·, which CJK fonts draw full width) a full em, the rest ~0.62 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WFA" else size * 0.62 for ch in text)


def fit(text: str, width: float) -> str:
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def bar_chart(bars: Sequence[Bar], *, title: str, maximum: float | None = None) -> SafeString:
    """One bar per row, lengths against ``maximum`` (default: the largest value)."""
    if not bars:
        return mark_safe("")
    top = maximum if maximum is not None else max(b.value for b in bars)
    frame = _Frame([b.label for b in bars], [b.text for b in bars], row=26)
    body = []
    for i, b in enumerate(bars):
        y = frame.y(i)
        body.append(frame.label(b.label, y + 13))
        body.append(_rect(frame.left, y + 4, frame.bar, 18, TRACK))
        body.append(
            _rect(frame.left, y + 4, _share(b.value, top) * frame.bar, 18, TONES[b.tone], f"{b.label}: {b.text}")
        )
        body.append(_text(frame.left + frame.bar + 8, y + 13, b.text))
    return frame.svg(title, body)


def stacked_chart(stacks: Sequence[Stack], *, title: str, legend: Sequence[tuple[str, str]]) -> SafeString:
    """One bar per row, 100 % wide, split into parts; ``legend`` names each part: (name, tone)."""
    if not stacks:
        return mark_safe("")
    used = [i for i in range(len(legend)) if any(s.parts[i] for s in stacks)]
    frame = _Frame([s.label for s in stacks], [s.text for s in stacks], row=26, legend=True)
    body = [frame.legend([legend[i] for i in used])]
    for i, s in enumerate(stacks):
        y = frame.y(i)
        body.append(frame.label(s.label, y + 13))
        body.append(_rect(frame.left, y + 4, frame.bar, 18, TRACK))
        total, x = sum(s.parts), float(frame.left)
        for part in used:
            width = _share(s.parts[part], total) * frame.bar
            if width:
                name, tone = legend[part]
                body.append(_rect(x, y + 4, width, 18, TONES[tone], f"{s.label} · {name}: {_num(s.parts[part])}"))
            x += width
        body.append(_text(frame.left + frame.bar + 8, y + 13, s.text))
    return frame.svg(title, body)


def paired_chart(
    pairs: Sequence[Pair], *, title: str, names: tuple[str, str], maximum: float | None = None
) -> SafeString:
    """Two bars per row, before (grey) above after (blue)."""
    if not pairs:
        return mark_safe("")
    top = maximum if maximum is not None else max(max(p.before, p.after) for p in pairs)
    frame = _Frame([p.label for p in pairs], [p.text for p in pairs], row=30, legend=True)
    body = [frame.legend([(names[0], "before"), (names[1], "after")])]
    for i, p in enumerate(pairs):
        y = frame.y(i)
        body.append(frame.label(p.label, y + 15))
        for n, (value, tone) in enumerate(((p.before, "before"), (p.after, "after"))):
            top_y = y + 3 + n * 12
            body.append(_rect(frame.left, top_y, frame.bar, 11, TRACK))
            hover = f"{p.label} · {names[n]}: {_num(value)}"
            body.append(_rect(frame.left, top_y, _share(value, top) * frame.bar, 11, TONES[tone], hover))
        body.append(_text(frame.left + frame.bar + 8, y + 15, p.text))
    return frame.svg(title, body)


class _Frame:
    """The layout shared by the charts: label column, bar area, value column."""

    def __init__(self, labels: Sequence[str], texts: Sequence[str], *, row: int, legend: bool = False) -> None:
        self.row = row
        self.top = 26 if legend else 2
        label_width = min(LABEL_MAX, max(text_width(s) for s in labels))
        self.left = math.ceil(label_width) + 12
        value_width = math.ceil(max(text_width(s) for s in texts)) + 16
        self.bar = max(120, WIDTH - self.left - value_width)
        self.width = self.left + self.bar + value_width
        self.height = self.top + row * len(labels) + 2

    def y(self, index: int) -> int:
        return self.top + index * self.row

    def label(self, text: str, baseline: float) -> str:
        shown = fit(text, self.left - 12)
        hover = f"<title>{escape(text)}</title>" if shown != text else ""
        return _text(self.left - 8, baseline, shown, anchor="end", extra=hover)

    def legend(self, items: Sequence[tuple[str, str]]) -> str:
        out, x = [], float(self.left)
        for name, tone in items:
            out.append(_rect(x, 6, 12, 12, TONES[tone]))
            out.append(_text(x + 16, 13, name))
            x += 16 + text_width(name) + 18
        self.width = max(self.width, math.ceil(x))  # a long legend widens the chart, never runs off it
        return "".join(out)

    def svg(self, title: str, body: list[str]) -> SafeString:
        return mark_safe(
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" aria-label="{escape(title)}" font-size="{FONT}">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>"
        )


def _share(value: float, total: float) -> float:
    return max(0.0, min(1.0, value / total)) if total > 0 else 0.0


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def _rect(x: float, y: float, width: float, height: float, fill: str, hover: str = "") -> str:
    tip = f"<title>{escape(hover)}</title>" if hover else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}">{tip}</rect>'
        if tip
        else f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"/>'
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle" fill="#222">'
        f"{extra}{escape(text)}</text>"
    )
