"""Start Django from the command line or a script: one place sets the settings module."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any


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


def make_server(host: str, port: int) -> Any:
    """The platform behind waitress (a production WSGI server), not yet running. Waitress
    answers 413 to a body over ``REQUEST_MAX_BYTES`` before Django reads any of it."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    return create_server(
        get_wsgi_application(), host=host, port=port, threads=8, max_request_body_size=settings.REQUEST_MAX_BYTES
    )


def serve(host: str, port: int, announce: Callable[[str], None], archive_port: int | None = None) -> None:
    """Serve the platform with waitress until interrupted. With ``archive_port`` and no
    ``ARCHIVE_ORIGIN`` configured, archived copies get an origin of their own there:
    ``http://localhost:<archive_port>`` beside ``http://<host>:<port>``, another host
    name, so the browser sends it none of the platform's cookies."""
    from django.conf import settings

    if archive_port is not None and not settings.ARCHIVE_ORIGIN:
        archive = make_server("127.0.0.1", archive_port)
        settings.ARCHIVE_ORIGIN = f"http://localhost:{archive.effective_port}"
        threading.Thread(target=archive.run, name="govsite-archive-origin", daemon=True).start()
    server = make_server(host, port)
    announce(f"http://{host}:{server.effective_port}/")
    server.run()
