"""Writing tables for people to open in Excel or WPS: every export goes through here.

A cell a scanned site or a user wrote (a site name ``=HYPERLINK(...)``, a contact
``=cmd|' /C calc'!A0``) must not become a live formula in the reader's spreadsheet, so
:func:`neutralised` prefixes every cell starting with ``= + - @``, a tab or a carriage
return with an apostrophe (OWASP's advice for CSV injection), and :func:`xlsx_bytes`
and :func:`csv_bytes` write every cell that way. :func:`restored` undoes it on import,
so an export read back changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

#: A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def neutralised(value: Any) -> Any:
    """``value`` as a cell that a spreadsheet shows as text, never evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return PREFIX + value
    return value


def restored(text: str) -> str:
    """The cell text an export neutralised, as it was."""
    if text.startswith(PREFIX) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def xlsx_bytes(rows: Iterable[Iterable[Any]], title: str) -> bytes:
    """An .xlsx workbook of one sheet holding ``rows``, every string cell plain text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append([neutralised(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV file (with the BOM Excel needs to read it as UTF-8) holding ``rows``."""
    text = io.StringIO()
    writer = csv.writer(text)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return text.getvalue().encode("utf-8-sig")
