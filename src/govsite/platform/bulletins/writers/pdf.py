"""The bulletin as PDF: the HTML page printed by chromium on A4, with the page number
"— 1 —" at the foot of each page (GB/T 9704)."""

from __future__ import annotations

from collections.abc import Mapping

from govsite.platform.bulletins.assemble import Document
from govsite.platform.bulletins.browser import page
from govsite.platform.bulletins.writers.html import render

FOOTER = (
    "<div style=\"width:100%;text-align:center;font-size:14pt;font-family:'Noto Serif CJK SC',serif\">"
    '— <span class="pageNumber"></span> —</div>'
)


def write(doc: Document, shots: Mapping[str, bytes] | None = None) -> bytes:
    with page() as opened:
        opened.set_content(render(doc, shots), wait_until="load")
        data: bytes = opened.pdf(
            format="A4",
            prefer_css_page_size=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            print_background=True,
        )
    return data
