"""How the dashboards write numbers: rates as percent, changes with their sign."""

from __future__ import annotations

NONE = "—"
MINUS = "−"  # a real minus sign, as the bulletins print it


def percent(rate: float | None) -> str:
    """0.6 → "60.0%"; no rate (nothing judged) → "—"."""
    return NONE if rate is None else f"{100 * rate:.1f}%"


def signed(change: float | None, digits: int = 0) -> str:
    """A change: +3, −2, 0 (or +5.0 with ``digits=1``); none → "—"."""
    if change is None:
        return NONE
    text = f"{abs(change):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if change > 0 else MINUS) + text


def average(value: float | None) -> str:
    return NONE if value is None else f"{value:.1f}"
