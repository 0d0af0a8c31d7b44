"""Screenshots of findings (``GOVSITE_SCREENSHOTS=1``) kept in the platform's one store.

A scan (a campaign's, or a re-check's) draws them into a staging folder of its own attempt
(``staging``); when its result is saved they are kept in the store (platform/storage.py:
the shared directory, or a bucket) under ``campaign-<id>/screenshots/<sha256>.png``, beside
the campaign's WARC files, and the staging folder is removed whatever became of the scan.
A screenshot's reference is its scan's WARC reference with the file name replaced by
``screenshots/<name>`` (``reference``), so the web app finds it on either backend, and
only names the engine gives (a SHA-256 and ``.png``) are ever looked up.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from govsite.engine import ScanResult
from govsite.platform import storage

NAME = re.compile(r"[0-9a-f]{64}\.png")
FOLDER = "screenshots"


@contextmanager
def staging(kept: storage.Store, warc_key: str) -> Iterator[Path | None]:
    """The folder the scan kept under ``warc_key`` draws its screenshots into (None when
    screenshots are off), removed when the scan is over."""
    if not settings.SCREENSHOTS:
        yield None
        return
    folder = kept.staging(warc_key.removesuffix(".warc.gz") + "-screenshots")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def keep(kept: storage.Store, warc_key: str, folder: Path | None, result: ScanResult) -> None:
    """Keep the screenshots ``result``'s findings name (drawn into ``folder``) in the store,
    beside the WARC file kept under ``warc_key``."""
    if folder is None:
        return
    names = {n for f in result.findings if f.evidence for n in f.evidence.screenshots if NAME.fullmatch(n)}
    base = warc_key.rsplit("/", 1)[0]
    for name in sorted(names):
        drawn = folder / name
        if drawn.is_file():
            kept.keep_bytes(f"{base}/{FOLDER}/{name}", drawn.read_bytes())


def reference(warc: str, name: str) -> str | None:
    """The stored screenshot ``name`` of the scan whose WARC reference is ``warc``; None
    for a name the engine never gives."""
    if not NAME.fullmatch(name):
        return None
    return f"{warc.rsplit('/', 1)[0]}/{FOLDER}/{name}"


def read(warc: str, name: str, limit: int | None = None) -> bytes | None:
    """The screenshot's PNG, or None when it is not in the store (or is over ``limit``
    bytes: its size is looked at before it is read)."""
    ref = reference(warc, name)
    if ref is None:
        return None
    try:
        with storage.local_copy(ref) as path:
            if limit is not None and path.stat().st_size > limit:
                return None
            return path.read_bytes()
    except FileNotFoundError:
        return None
