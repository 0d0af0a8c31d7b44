"""The embedded scheduler: a daemon thread of the web process that runs a monitoring
round every ``tick`` seconds and prunes old tallies once a day. Distributed
deployments use Celery beat instead (tasks.py); both call runner.run_due."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.db import connections
from django.utils import timezone

from govsite.platform.monitor import runner

log = logging.getLogger(__name__)
TICK_SECONDS = 30.0


class Scheduler:
    def __init__(self, tick: float = TICK_SECONDS) -> None:
        self.tick = tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="govsite-monitor", daemon=True)

    def start(self) -> Scheduler:
        self._thread.start()
        return self

    def wait(self) -> None:
        """Block until the scheduler stops (the foreground ``govsite monitor run``)."""
        while self._thread.is_alive():
            self._thread.join(timeout=1.0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        pruned = None
        while not self._stop.is_set():
            try:
                runner.run_due()
                if pruned is None or timezone.now() - pruned > timedelta(days=1):
                    runner.prune()
                    pruned = timezone.now()
            except Exception:  # a bad round is logged; the next one runs on time
                log.exception("monitoring round failed")
            finally:
                connections.close_all()
            self._stop.wait(self.tick)
