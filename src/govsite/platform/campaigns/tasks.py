"""Celery tasks of distributed mode: one per site scan, thin around the executor's
per-site step (``executor.scan_entry``), which claims the site in the database, so a
task delivered twice never stores two results."""

from __future__ import annotations

from typing import Any

from django.db import connections

from govsite.platform.campaigns.claims import TRANSIENT
from govsite.platform.campaigns.executor import engine_config, finish_if_done, in_worker, scan_entry
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.celery_app import app

#: How every scanning task (a campaign's site, a re-check) is run: acknowledged only when
#: done, so a task whose worker died is delivered again, and retried with backoff on
#: transient failures only.
SCAN_TASK: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


@app.task(
    name="govsite.scan_site",
    **SCAN_TASK,
)
def scan_site(self: Any, entry_pk: int) -> str | None:
    """Scan one site of a campaign (a site's own failure is kept as 扫描失败, not retried)."""
    try:
        entry = CampaignSite.objects.select_related("site", "campaign").get(pk=entry_pk)
        campaign = entry.campaign
        config = engine_config()
        token = self.request.id or ""
        line = in_worker(
            lambda browser: scan_entry(campaign, entry, campaign.profile(), config, token, browser), config
        )
        finish_if_done(campaign)
        return line
    finally:
        connections.close_all()


def dispatch(entries: list[int]) -> None:
    """Queue one task per campaign site (by primary key)."""
    for pk in entries:
        scan_site.delay(pk)
