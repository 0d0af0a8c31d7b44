"""The bulletin as an official document (公文) per GB/T 9704-2012: A4; top margin 37 mm,
left 28 mm, type area 156 × 225 mm; 22 lines of 28 characters; the title in a 小标宋-style
face at 二号 (22 pt), the body in 仿宋 at 三号 (16 pt), first-level headings in 黑体 and
second-level ones in 楷体; each annex (附件) on a new page; the page number "— 1 —" in
四号 (14 pt) at the foot, odd pages right and even pages left, one character in.

The faces are the official ones where this machine has them; otherwise the installed Noto
CJK faces stand in (serif for 小标宋/仿宋/楷体, sans for 黑体) and ``Written.fallbacks``
says so. The chart is the HTML page's SVG, drawn to PNG by chromium.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from govsite.platform.bulletins.assemble import Document
from govsite.platform.bulletins.browser import page
from govsite.platform.bulletins.pictures import Figure
from govsite.platform.bulletins.writers.html import chart

TYPE_WIDTH, TYPE_HEIGHT = Mm(156), Mm(225)
LINES, CHARS = 22, 28
LINE_PITCH = Pt(225 / 25.4 * 72 / LINES)  # 28.99 pt: 22 lines fill 225 mm
CONDENSE = Pt(-0.25)
#: A second-level heading a supervisor typed in the requirements: "（一）加大常态化监管力度。" (楷体).
SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")
SIZES = {"title": Pt(22), "body": Pt(16), "page": Pt(14), "table": Pt(12)}  # 二号, 三号, 四号, 小四
#: The official faces, each with the installed stand-in used when it is missing.
FACES = {
    "title": ("方正小标宋简体", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "Noto Serif CJK SC"),
    "heading": ("黑体", "Noto Sans CJK SC"),
    "subheading": ("楷体_GB2312", "Noto Serif CJK SC"),
    "page": ("宋体", "Noto Serif CJK SC"),
}


@dataclass(frozen=True)
class Written:
    data: bytes
    fallbacks: list[str]  # "仿宋_GB2312 → Noto Serif CJK SC", one per face not installed


@cache
def installed() -> frozenset[str]:
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=20, check=False)
    except OSError:
        return frozenset()
    return frozenset(name.strip() for line in out.stdout.splitlines() for name in line.split(","))


def face(role: str) -> str:
    official, stand_in = FACES[role]
    return official if official in installed() else stand_in


def fallbacks() -> list[str]:
    return [f"{official} → {stand_in}" for official, stand_in in FACES.values() if official not in installed()]


def _font(run: Run, role: str, size: Pt) -> Run:
    name = face(role)
    run.font.name = name
    run.font.size = size
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    return run


def _paragraph(doc: object, text: str, role: str = "body", *, size: Pt | None = None, indent: bool = True,
               align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:  # fmt: skip
    p: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), role, size or SIZES["body"])
    return p


def _grid(section: object) -> None:
    """22 lines: Word's line grid (w:docGrid); the 28 characters come from the condensed
    spacing of ``_condensed`` (a character grid makes LibreOffice give each full-width
    character two cells)."""
    sect = section._sectPr  # type: ignore[attr-defined]
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))


def _condensed(style: object) -> None:
    """28 characters of 三号 in 156 mm: each character 0.25 pt narrower (紧缩), as the
    official templates set it (28 × 15.75 pt = 441 pt ≤ 156 mm = 442.2 pt)."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(round(CONDENSE.pt * 20)))
    style.element.get_or_add_rPr().append(spacing)  # type: ignore[attr-defined]


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(14)  # one character in
    _font(paragraph.add_run("— "), "page", SIZES["page"])
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), "page", SIZES["page"])


def _table(doc: object, columns: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(text), "heading", SIZES["table"])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _font(cell.paragraphs[0].add_run(text), "body", SIZES["table"])


def chart_png(doc: Document) -> bytes | None:
    svg = chart(doc)
    if not svg:
        return None
    html = f'<html><body style="margin:0;background:#fff">{svg}</body></html>'
    with page(scale=2) as opened:
        opened.set_content(html, wait_until="load")
        data: bytes = opened.locator("svg").first.screenshot(type="png")
    return data


def _picture_width(figure: Figure) -> Mm:
    """The type area's width, or less for a picture tall enough to overflow half a page."""
    if not figure.width or not figure.height:
        return TYPE_WIDTH
    return Mm(min(156, 225 / 2 * figure.width / figure.height))


def write(doc: Document, shots: Mapping[str, bytes] | None = None) -> Written:
    """``shots``: the annexes' screenshots by name (a figure whose picture is not given is left out)."""
    given = shots or {}
    out = new_document()
    normal = out.styles["Normal"]  # the grid's character pitch is counted from the default size: 三号
    normal.font.size = SIZES["body"]
    normal.font.name = face("body")
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face("body"))
    _condensed(normal)
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin = Mm(210 - 28 - 156)
    section.bottom_margin = Mm(297 - 37 - 225)
    section.footer_distance = Mm(28 - 7)  # the number sits 7 mm below the type area (GB/T 9704 7.5)
    _grid(section)
    out.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    _paragraph(out, doc.title, "title", size=SIZES["title"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(out, "", indent=False)
    for text in (p.strip() for p in doc.opening.replace("\r\n", "\n").split("\n")):
        if text:
            _paragraph(out, text)
    picture = chart_png(doc)
    for i, section_ in enumerate(doc.sections):
        _paragraph(out, section_.heading, "heading")
        for text in section_.paragraphs:
            _paragraph(out, text, "subheading" if SUBHEADING.match(text) else "body")
        if i == 0 and picture:
            out.add_picture(io.BytesIO(picture), width=TYPE_WIDTH)
    if doc.annexes:
        _paragraph(out, "", indent=False)
        for i, annex in enumerate(doc.annexes, 1):
            head = "附件：" if i == 1 else "　　　"
            _paragraph(out, f"{head}{i}.{annex.title}")
    _paragraph(out, "", indent=False)
    _paragraph(out, doc.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(out, doc.issued, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    for i, annex in enumerate(doc.annexes, 1):
        out.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _paragraph(out, f"附件{i}", "heading", indent=False)
        _paragraph(out, annex.title, "title", size=SIZES["title"], indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        for line in annex.lines:
            _paragraph(out, line)
        for table in annex.tables:
            if table.caption:
                _paragraph(out, table.caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            _table(out, table.columns, table.rows)
            if table.note:
                _paragraph(out, table.note, indent=False, size=SIZES["table"])
        if annex.figures_note:
            _paragraph(out, annex.figures_note)
        for n, figure in enumerate((f for f in annex.figures if f.name in given), 1):
            out.add_picture(io.BytesIO(given[figure.name]), width=_picture_width(figure))
            _paragraph(out, f"图{n}　{figure.caption}", indent=False, size=SIZES["table"],
                       align=WD_ALIGN_PARAGRAPH.CENTER)  # fmt: skip
    data = io.BytesIO()
    out.save(data)
    return Written(data.getvalue(), fallbacks())
