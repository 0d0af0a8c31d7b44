"""Cells of exported files that a spreadsheet would run as a formula (= + - @, tab, CR
first) get a leading apostrophe, so user text is shown, never executed.

Kept here until the platform has one shared neutraliser (issue 14); then this module goes."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A string cell made inert; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
