"""The bulletin as one self-contained HTML page (``templates/bulletins/document.html``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from govsite.platform.bulletins.assemble import Document
from govsite.platform.dashboards import charts


def chart(doc: Document) -> SafeString:
    """The pass-rate chart as inline SVG (the dashboards' server-drawn bars)."""
    bars = [charts.Bar(b.label, b.value, f"{b.value:g}%", "passed") for b in doc.chart]
    return charts.bar_chart(bars, title=doc.chart_title, maximum=100)


def render(doc: Document) -> str:
    opening = [p.strip() for p in doc.opening.replace("\r\n", "\n").split("\n") if p.strip()]
    return render_to_string("bulletins/document.html", {"doc": doc, "opening": opening, "chart": chart(doc)})
