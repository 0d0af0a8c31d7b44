"""Start Django from the command line or a script: one place sets the settings module."""

from __future__ import annotations

import os
from collections.abc import Callable


def setup(migrate: bool = False) -> None:
    """Configure Django; with ``migrate``, bring the database schema up to date first
    (the embedded SQLite database is created on first use)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.platform.settings")
    import django
    from django.conf import settings

    django.setup()
    if migrate:
        from django.core.management import call_command

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", verbosity=0, interactive=False)


def serve(host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve the platform with waitress (a production WSGI server) until interrupted;
    with ``GOVSITE_MONITOR=1`` the monitor's scheduler thread runs beside it."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    server = create_server(get_wsgi_application(), host=host, port=port, threads=8)
    if settings.MONITOR["scheduler"]:  # embedded mode: the monitor runs in this process
        from govsite.platform.monitor.scheduler import Scheduler

        Scheduler().start()
    announce(f"http://{host}:{server.effective_port}/")
    server.run()
