"""Read a page back out of a scan's WARC file, as it was captured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from govsite.engine.transport import ARCHIVED_PREFIX


@dataclass(frozen=True)
class Archived:
    url: str
    captured: str  # WARC-Date
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def read_record(path: Path, record_id: str) -> Archived | None:
    """The response record ``record_id`` of ``path``, or None when it is not there."""
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            headers = record.rec_headers
            if record.rec_type != "response" or headers.get_header("WARC-Record-ID") != record_id:
                continue
            http = record.http_headers
            code = int(http.statusline.partition(" ")[0]) if http else 0
            items = tuple((k.removeprefix(ARCHIVED_PREFIX), v) for k, v in (http.headers if http else []))
            return Archived(headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"), code, items,
                            record.content_stream().read())  # fmt: skip
    return None
