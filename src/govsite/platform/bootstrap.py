"""Start Django from the command line or a script: one place sets the settings module."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import threading
import time
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


def make_server(host: str, port: int, threads: int = 8, sockets: list[socket.socket] | None = None) -> Any:
    """The platform behind waitress (a production WSGI server), not yet running; on
    ``sockets`` already listening instead of ``host``:``port`` when given. Waitress answers
    413 to a body over ``REQUEST_MAX_BYTES`` before Django reads any of it."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    where: dict[str, Any] = {"sockets": sockets} if sockets else {"host": host, "port": port}
    return create_server(
        get_wsgi_application(), threads=threads, max_request_body_size=settings.REQUEST_MAX_BYTES, **where
    )


class ServeRefused(ValueError):
    """Serving as asked would change what the platform does: the message says why."""


def serve(
    host: str,
    port: int,
    announce: Callable[[str], None],
    threads: int = 8,
    archive_port: int | None = None,
    processes: int = 1,
) -> None:
    """Serve the platform with waitress until interrupted (with ``GOVSITE_MONITOR=1`` the
    monitor's scheduler thread runs beside it). With ``archive_port`` and no
    ``ARCHIVE_ORIGIN`` configured, archived copies get an origin of their own there:
    ``http://localhost:<archive_port>`` beside ``http://<host>:<port>``, another host
    name, so the browser sends it none of the platform's cookies. With ``processes`` > 1,
    that many serving processes share the listening socket (``serve_processes``)."""
    from django.conf import settings

    # What start-up made (modules, settings, URL patterns) leaves the collector's generations:
    # its collections then walk only what requests make, and forked copies keep sharing those
    # pages instead of each writing its own copy when the collector touches them.
    gc.freeze()
    if processes > 1:
        serve_processes(host, port, announce, threads, processes)
        return
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


def serve_processes(host: str, port: int, announce: Callable[[str], None], threads: int, processes: int) -> None:
    """Serve with ``processes`` forked copies of the platform on one listening socket, each
    with ``threads`` threads (one process's threads share one interpreter lock, so one
    process uses one core at most). This process only binds, forks, replaces a copy that
    dies, and stops them all on SIGTERM or Ctrl-C.

    Only where nothing runs inside the serving process, i.e. the distributed deployment
    (docs/deployment.md): scans on Celery workers (the in-process executor knows only its
    own process's campaigns) and the monitor scheduled by beat (an embedded scheduler in
    each copy would probe every site once per copy). Otherwise ``ServeRefused``."""
    from django.conf import settings
    from django.db import connections

    from govsite.i18n import tr

    if settings.EXECUTOR != "celery" or settings.MONITOR["scheduler"]:
        raise ServeRefused(
            tr(
                "多个服务进程需要 GOVSITE_EXECUTOR=celery 和 GOVSITE_MONITOR=0：检查任务和监测须在服务进程之外运行"
                "（见 docs/deployment.md）",
                "more than one serving process needs GOVSITE_EXECUTOR=celery and GOVSITE_MONITOR=0: "
                "campaigns and the monitor must run outside the serving processes (docs/deployment.md)",
            )
        )
    if not hasattr(os, "fork"):
        raise ServeRefused(
            tr("多个服务进程需要 POSIX 系统（os.fork）", "more than one serving process needs POSIX (os.fork)")
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.create_server((host, port), family=family, backlog=1024)
    connections.close_all()  # no copy may share this process's database connections
    copies: set[int] = set()
    stopping = False

    def start_copy() -> None:
        pid = os.fork()
        if pid == 0:  # the copy: serve until killed
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops the copies
                make_server(host, port, threads, sockets=[listening]).run()
                code = 0
            finally:
                os._exit(code)
        copies.add(pid)

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in copies:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    for _ in range(processes):
        start_copy()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    announce(f"http://{host}:{listening.getsockname()[1]}/")
    while copies:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        copies.discard(pid)
        if not stopping:  # a copy died: start another, not in a tight loop
            time.sleep(1)
            start_copy()
    listening.close()
