"""Politeness shared between scans: :class:`HostLimiter` holds each host's requests in
flight and the pause between two of them for every scan that is given it, whatever
thread or event loop each scan runs in — so two campaigns scanning one site at once
never double the load on it. A scan without one keeps limits of its own (the command
line). :class:`Slots` is the counting gate underneath, safe across threads and loops."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Slots:
    """At most ``limit`` holders at once, waited for without blocking any event loop."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held = 0
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._lock = threading.Lock()

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            self._release()

    async def _acquire(self) -> None:
        with self._lock:
            if self._held < self.limit:
                self._held += 1
                return
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
        try:
            await waiter  # the releasing holder hands its slot over
        except asyncio.CancelledError:
            with self._lock:
                handed = waiter not in self._waiting
                if not handed:
                    self._waiting.remove(waiter)
            if handed:
                self._release()
            raise

    def _release(self) -> None:
        with self._lock:
            if not self._waiting:
                self._held -= 1
                return
            waiter = self._waiting.popleft()
        waiter.get_loop().call_soon_threadsafe(_wake, waiter)


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


class HostLimiter:
    """Per host: at most ``per_host`` requests in flight, and ``min_interval`` seconds
    between the starts of two of them."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self.per_host, self.min_interval = per_host, min_interval
        self._slots: dict[str, Slots] = defaultdict(lambda: Slots(per_host))
        self._next: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    @asynccontextmanager
    async def request(self, host: str, pace: bool = True) -> AsyncIterator[None]:
        """Hold one of ``host``'s slots (after its pause, when ``pace``) for one request."""
        with self._lock:
            slots = self._slots[host]
        async with slots.held():
            if pace and self.min_interval:
                with self._lock:
                    now = time.monotonic()
                    wait = self._next[host] - now
                    self._next[host] = max(now, self._next[host]) + self.min_interval
                if wait > 0:
                    await asyncio.sleep(wait)
            yield
