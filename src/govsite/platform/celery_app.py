"""The Celery application of distributed mode (``GOVSITE_EXECUTOR=celery``): workers run
one task per site scan (campaigns/tasks.py), per re-check (rectification/queue.py) and the monitor's rounds
(monitor/tasks.py); beat schedules the rounds. Start them with ``govsite worker`` and
``govsite beat`` (docs/deployment.md)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.platform.settings")

app = Celery("govsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["govsite.platform.campaigns", "govsite.platform.monitor"])
app.autodiscover_tasks(["govsite.platform.rectification"], related_name="queue")  # (its tasks.py is 整改任务)
