"""Start Django from the command line or a script: one place sets the settings module."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

#: The executor's settings (``settings.EXECUTOR_ENGINE``) for the sample fleet, our own
#: server: quicker than the polite defaults real sites get.
FLEET_ENGINE = {"GOVSITE_MIN_INTERVAL": "0.05", "GOVSITE_PER_HOST_CONCURRENCY": "4",
                "GOVSITE_PROXY_RESOLVES_SAFELY": "1"}  # the fleet's proxy never leaves loopback  # fmt: skip


def setup(migrate: bool = False, fleet_proxy: str | None = None) -> None:
    """Configure Django; with ``migrate``, bring the database schema up to date first
    (the embedded SQLite database is created on first use). With ``fleet_proxy`` every
    scan the platform starts goes to the sample fleet there (``govsite demo``), and the
    monitor watches its homepages: the settings read it from the environment, once."""
    if fleet_proxy is not None:
        os.environ.update({**FLEET_ENGINE, "GOVSITE_PROXY": fleet_proxy, "GOVSITE_MONITOR": "1"})  # watched 7×24 too
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.platform.settings")
    import django
    from django.conf import settings

    django.setup()
    if migrate:
        from django.core.management import call_command

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)


def make_server(host: str, port: int, threads: int = 8) -> Any:
    """The platform behind waitress (a production WSGI server), not yet running. Waitress
    answers 413 to a body over ``REQUEST_MAX_BYTES`` before Django reads any of it."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    return create_server(
        get_wsgi_application(), host=host, port=port, threads=threads, max_request_body_size=settings.REQUEST_MAX_BYTES
    )


def serve(
    host: str, port: int, announce: Callable[[str], None], threads: int = 8, archive_port: int | None = None
) -> None:
    """Serve the platform with waitress until interrupted (with ``GOVSITE_MONITOR=1`` the
    monitor's scheduler thread runs beside it). With ``archive_port`` and no
    ``ARCHIVE_ORIGIN`` configured, archived copies get an origin of their own there:
    ``http://localhost:<archive_port>`` beside ``http://<host>:<port>``, another host
    name, so the browser sends it none of the platform's cookies."""
    from django.conf import settings

    if archive_port is not None and not settings.ARCHIVE_ORIGIN:
        archive = make_server("127.0.0.1", archive_port)
        settings.ARCHIVE_ORIGIN = f"http://localhost:{archive.effective_port}"
        threading.Thread(target=archive.run, name="govsite-archive-origin", daemon=True).start()
    server = make_server(host, port, threads)
    if settings.MONITOR["scheduler"]:  # embedded mode: the monitor runs in this process
        from govsite.platform.monitor.scheduler import Scheduler

        Scheduler().start()
    announce(f"http://{host}:{server.effective_port}/")
    server.run()
