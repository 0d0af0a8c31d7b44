"""The bulletin's annexes as an .xlsx workbook: one sheet per annex (its tables one
below the other, each with its caption and note). Text that a spreadsheet would run as a
formula is neutralised by ``govsite.platform.exports`` (the one neutraliser); site names
and URLs come from the registry and are not trusted."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from govsite.platform.bulletins.assemble import Document
from govsite.platform.exports import neutralised as neutral

SHEET_NAME_MAX = 31


def cell(text: str) -> str | int:
    """A table cell: a signed figure such as the ledger's "-29" stays a number, other text
    is neutralised (``exports.neutralised``)."""
    if text.lstrip("-").isdigit() and len(text) < 12:
        return int(text)
    return neutral(text)


def write(doc: Document) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for number, annex in enumerate(doc.annexes, 1):
        sheet = book.create_sheet(f"附件{number}")
        sheet.append([neutral(f"附件{number}　{annex.title}")])
        sheet["A1"].font = bold
        for line in annex.lines:
            sheet.append([neutral(line)])
        for table in annex.tables:
            sheet.append([])
            if table.caption:
                sheet.append([neutral(table.caption)])
            sheet.append([neutral(c) for c in table.columns])
            for c in sheet[sheet.max_row]:
                c.font = bold
            for row in table.rows:
                sheet.append([cell(v) for v in row])
            if table.note:
                sheet.append([neutral(table.note)])
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width * 2))
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
