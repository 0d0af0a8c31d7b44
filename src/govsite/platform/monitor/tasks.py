"""The monitor's Celery tasks (distributed mode), scheduled by beat: the same round and
pruning the embedded scheduler thread runs."""

from __future__ import annotations

from django.db import connections

from govsite.platform.celery_app import app
from govsite.platform.monitor import runner


@app.task(name="govsite.monitor.round", acks_late=False, ignore_result=True)
def monitor_round() -> int:
    try:
        return runner.run_due()
    finally:
        connections.close_all()


@app.task(name="govsite.monitor.prune", ignore_result=True)
def monitor_prune() -> int:
    try:
        return runner.prune()
    finally:
        connections.close_all()
