"""The bulletin as one self-contained HTML page (``templates/bulletins/document.html``)."""

from __future__ import annotations

import base64
from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from govsite.platform.bulletins.assemble import Document
from govsite.platform.dashboards import charts


def chart(doc: Document) -> SafeString:
    """The pass-rate chart as inline SVG (the dashboards' server-drawn bars)."""
    bars = [charts.Bar(b.label, b.value, f"{b.value:g}%", "passed") for b in doc.chart]
    return charts.bar_chart(bars, title=doc.chart_title, maximum=100)


def render(doc: Document, shots: Mapping[str, bytes] | None = None) -> str:
    """The page; ``shots``: the annexes' screenshots by name (inline, as data: URIs — the
    page asks for nothing), a figure whose picture is not given left out."""
    opening = [p.strip() for p in doc.opening.replace("\r\n", "\n").split("\n") if p.strip()]
    given = shots or {}
    figures = [
        [(f, "data:image/png;base64," + base64.b64encode(given[f.name]).decode("ascii")) for f in a.figures
         if f.name in given]
        for a in doc.annexes
    ]  # fmt: skip
    return render_to_string("bulletins/document.html", {"doc": doc, "opening": opening, "chart": chart(doc),
                                                        "annexes": zip(doc.annexes, figures, strict=True)})  # fmt: skip
