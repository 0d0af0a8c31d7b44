"""How far a campaign has got, counted over the sites the asking user may see — one
definition for the pages and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from govsite.platform.campaigns.models import CampaignSite


def summary(states: Mapping[str, int]) -> dict[str, int]:
    """``states`` (a count per site state) with the total, those finished (done or failed) and the percentage."""
    counts = {state: int(states.get(state, 0)) for state in CampaignSite.State.values}
    total = sum(counts.values())
    finished = counts["done"] + counts["failed"]
    return {"total": total, "finished": finished, "percent": round(100 * finished / total) if total else 100, **counts}


def progress_of(entries: QuerySet[CampaignSite]) -> dict[str, Any]:
    """Counted by the database (the campaign page asks every 2 s while a campaign runs)."""
    rows = entries.order_by().values_list("state").annotate(n=Count("pk"))
    return summary(dict(rows))
