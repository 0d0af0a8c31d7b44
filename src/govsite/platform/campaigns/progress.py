"""How far a campaign has got, counted over the sites the asking user may see — one
definition for the pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from govsite.platform.campaigns.models import CampaignSite


def summary(states: Mapping[str, int]) -> dict[str, int]:
    """``states`` (a count per site state) with the total, those finished (done or failed) and the percentage."""
    counts = {state: int(states.get(state, 0)) for state in CampaignSite.State.values}
    total = sum(counts.values())
    finished = counts["done"] + counts["failed"]
    return {"total": total, "finished": finished, "percent": round(100 * finished / total) if total else 100, **counts}


def progress_of(entries: QuerySet[CampaignSite]) -> dict[str, Any]:
    states: dict[str, int] = {}
    for state in entries.values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    return summary(states)
