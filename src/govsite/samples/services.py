"""Whether a local service answers (PostgreSQL, Redis, RabbitMQ), for the tests that skip
without one and the benchmarks that measure on it when it is there."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit


def answers(url: str, port: int) -> bool:
    """Whether something accepts a TCP connection at ``url``'s host and port (``port`` when
    the URL names none) within a second."""
    where = urlsplit(url)
    try:
        with socket.create_connection((where.hostname or "127.0.0.1", where.port or port), timeout=1):
            return True
    except OSError:
        return False
