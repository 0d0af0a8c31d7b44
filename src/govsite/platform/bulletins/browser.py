"""Debian's chromium, driven by Playwright, for what only a browser does well here: the
PDF of the HTML bulletin, and the chart (inline SVG) as a PNG for the .docx. The page it
opens may fetch nothing: every request is aborted, so a bulletin renders the same
offline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip


class BrowserMissing(RuntimeError):
    """Chromium or Playwright is not installed."""


@contextmanager
def page(scale: float = 1) -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:  # pragma: no cover - a dependency
        raise BrowserMissing("Playwright is not installed") from exc
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=settings.CHROMIUM, args=ARGS)
        except Error as exc:
            raise BrowserMissing(f"cannot start chromium at {settings.CHROMIUM}: {exc}") from exc
        try:
            opened = browser.new_page(device_scale_factor=scale)
            opened.route("**/*", lambda route: route.abort())
            yield opened
        finally:
            browser.close()
