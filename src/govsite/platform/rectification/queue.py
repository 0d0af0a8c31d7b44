"""The re-check's Celery task in distributed mode (``GOVSITE_EXECUTOR=celery``): a worker
runs ``recheck.run_recheck`` with the task id as its claim's token, as it runs a
campaign's site (``campaigns/tasks.py``), so a re-check never scans in the web process
and a task delivered again after its worker died takes its own claim back."""

from __future__ import annotations

from typing import Any

from django.db import connections

from govsite.platform.campaigns.executor import engine_config
from govsite.platform.campaigns.tasks import SCAN_TASK
from govsite.platform.celery_app import app
from govsite.platform.rectification.models import Recheck
from govsite.platform.rectification.recheck import run_recheck


@app.task(
    name="govsite.recheck",
    **SCAN_TASK,
)
def recheck_site(self: Any, recheck_pk: int) -> str:
    """Run one re-check (a scan's own failure is kept as the re-check's, not retried)."""
    try:
        return run_recheck(Recheck.objects.get(pk=recheck_pk), engine_config(), token=self.request.id or "").state
    finally:
        connections.close_all()
