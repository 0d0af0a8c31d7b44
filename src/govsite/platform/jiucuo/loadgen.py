"""Clients that send error reports the way browsers do — read the form, answer its
question, post it (multipart, with the CSRF cookie), read the ticket — many at once over
HTTP: for the load test and ``benchmarks/reports.py``. A post that fails in transit is
sent again with the same form (the idempotency key makes it one ticket)."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
FIELD = re.compile(r'name="(form_key|challenge|csrfmiddlewaretoken)" value="([^"]*)"')
QUESTION = re.compile(r"(\d+) \+ (\d+) = \?")
TICKET = re.compile(r'id="number">([A-Z]+\d+)<')
COOKIE = re.compile(r"csrftoken=([^;]+)")


@dataclass
class Outcome:
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (form key, ticket number)
    latencies: list[float] = field(default_factory=list)  # seconds per accepted post (the last attempt)
    failures: list[str] = field(default_factory=list)  # what went wrong, per report given up
    retries: int = 0
    doubles: int = 0  # posts sent twice on purpose (a double click)


class Browser:
    """One client with its own connection and cookie."""

    def __init__(self, base: str, source: str | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.source = (source, 0) if source else None  # the client's own address, as people have theirs
        self.cookie = ""
        self.connection = self.connect()

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=self.source)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        sent = {**(headers or {}), **({"Cookie": f"csrftoken={self.cookie}"} if self.cookie else {})}
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = self.connect()
            raise
        found = COOKIE.search(response.getheader("Set-Cookie") or "")
        if found:
            self.cookie = found.group(1)
        return response.status, text


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----govsite" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="screenshot"; filename=""\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n\r\n")  # fmt: skip
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def fetch_form(browser: Browser, site: str, n: int) -> dict[str, str] | str:
    """The filled-in form for report ``n`` (fields to post), or what went wrong."""
    path = f"/jiucuo/?site={site}"
    for _ in range(3):
        try:
            status, page = browser.request("GET", path)
            break
        except (OSError, http.client.HTTPException):
            continue
    else:
        return f"{site}#{n}: the form never loaded"
    hidden = dict(FIELD.findall(page))
    asked = QUESTION.search(page)
    if status != 200 or asked is None or len(hidden) != 3:
        return f"{site}#{n}: form status {status}"
    return {**hidden, "answer": str(int(asked.group(1)) + int(asked.group(2))), "kind": "content", "site": site,
            "page_url": f"http://example.gov.cn/{n}.html", "description": f"第 {n} 条：页面有错别字（负载测试）",
            "contact": ""}  # fmt: skip


def post_form(browser: Browser, form: dict[str, str], outcome: Outcome, lock: threading.Lock, double: bool) -> None:
    """Post the form (twice with ``double``), again after a failure in transit, and record the ticket."""
    fields = dict(form)
    path = f"/jiucuo/?site={fields.pop('site')}"
    body, kind = multipart(fields)
    headers = {"Content-Type": kind, "Referer": f"http://{browser.host}:{browser.port}{path}"}
    last = ""
    for attempt in range(5 if double else 4):
        started = time.perf_counter()
        try:
            status, text = browser.request("POST", path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            last = type(exc).__name__
            with lock:
                outcome.retries += 1
            continue
        ticket = TICKET.search(text)
        if status == 200 and ticket:
            if double and attempt == 0:  # a double click: the same form once more
                with lock:
                    outcome.doubles += 1
                continue
            with lock:
                outcome.accepted.append((fields["form_key"], ticket.group(1)))
                outcome.latencies.append(time.perf_counter() - started)
            return
        last = f"status {status}"
        if status < 500:
            break
        with lock:
            outcome.retries += 1
    with lock:
        outcome.failures.append(f"{path}: {last}")


def run(base: str, sites: list[str], total: int, clients: int, double_every: int = 0, forms_first: bool = False,
        timing: Callable[[], None] | None = None) -> tuple[Outcome, float]:  # fmt: skip
    """Send ``total`` reports from ``clients`` concurrent browsers over ``sites``; (outcome,
    seconds). Each browser loads a form and posts it; with ``forms_first`` every browser
    loads all its forms first (as people read the form before they send it) and the
    seconds count the posts only. With ``double_every`` k, every k-th report is posted twice.
    ``timing`` is called when the seconds start counting (to read CPU clocks at the same moment)."""
    outcome, lock = Outcome(), threading.Lock()
    counter = iter(range(total))
    ready = threading.Barrier(clients + 1)
    own_addresses = loopback_aliases(base)

    def work(i: int) -> None:
        browser, mine = Browser(base, f"127.0.0.{2 + i % 250}" if own_addresses else None), []
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            form = fetch_form(browser, sites[n % len(sites)], n)
            if isinstance(form, str):
                with lock:
                    outcome.failures.append(form)
            elif forms_first:
                mine.append((n, form))
            else:
                post_form(browser, form, outcome, lock, bool(double_every) and n % double_every == 0)
        if forms_first:
            ready.wait()
            for n, form in mine:
                post_form(browser, form, outcome, lock, bool(double_every) and n % double_every == 0)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    if timing is not None and not forms_first:
        timing()
    started = time.perf_counter()
    for t in threads:
        t.start()
    if forms_first:
        ready.wait()
        if timing is not None:
            timing()
        started = time.perf_counter()
    for t in threads:
        t.join()
    return outcome, time.perf_counter() - started


def loopback_aliases(base: str) -> bool:
    """Whether each client may send from an address of its own (127.0.0.2, 127.0.0.3, …: all
    of 127.0.0.0/8 is this machine on Linux), so that, as with real senders, the per-address
    rate limit and its lock apply to each client apart; else all send from 127.0.0.1."""
    if urlsplit(base).hostname != "127.0.0.1":
        return False
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
    except OSError:
        return False
    return True


class Platform:
    """``govsite registry load-samples`` then ``govsite serve --web-port 0`` in a child
    process, as the README starts the platform (waitress, the database ``env`` names)."""

    def __init__(self, env: dict[str, str], threads: int = 8, processes: int = 1) -> None:
        self.env, self.threads, self.processes = env, threads, processes
        self.process: subprocess.Popen[str] | None = None
        self.log: IO[str] | None = None
        self.url = ""

    def __enter__(self) -> Platform:
        loaded = subprocess.run([sys.executable, "-m", "govsite", "registry", "load-samples"], env=self.env,
                                capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
        if loaded.returncode != 0:
            raise RuntimeError(f"load-samples failed: {loaded.stderr[-2000:]}")
        command = [sys.executable, "-m", "govsite", "serve", "--web-port", "0", "--threads", str(self.threads),
                   "--processes", str(self.processes)]  # fmt: skip
        # stderr (waitress's queue warnings, request logs) goes to a file: a pipe nobody reads fills and stalls the server
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, env=self.env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # the announcement, once it listens
        threading.Thread(target=self.process.stdout.read, daemon=True).start()  # and whatever follows
        found = re.search(r"http://[\d.]+:\d+/", line)
        if found is None:
            self.__exit__()
            raise RuntimeError(f"the platform did not start: {line!r}")
        self.url = found.group(0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the platform's processes have used so far: the server and
        any processes it started; None where ``/proc`` does not tell (not Linux)."""
        if self.process is None or not Path(f"/proc/{self.process.pid}/stat").exists():
            return None
        stats: dict[int, tuple[int, float]] = {}  # pid -> (parent pid, seconds)
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended meanwhile
            stats[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
        mine, grew = {self.process.pid}, True
        while grew:
            more = {pid for pid, (parent, _) in stats.items() if parent in mine} - mine
            mine |= more
            grew = bool(more)
        return sum(stats[pid][1] for pid in mine if pid in stats)


def stored(database_url: str) -> list[tuple[int, str]]:
    """(id, form key) of every stored report, read straight from the database."""
    if database_url.startswith("sqlite"):
        import sqlite3

        import dj_database_url

        with sqlite3.connect(dj_database_url.parse(database_url)["NAME"]) as db:
            rows = db.execute("SELECT id, form_key FROM jiucuo_report").fetchall()
    else:
        import psycopg

        with psycopg.connect(database_url) as db:
            rows = db.execute("SELECT id, form_key::text FROM jiucuo_report").fetchall()
    return [(int(pk), str(key).replace("-", "")) for pk, key in rows]
