"""Read a page back out of a scan's WARC file, as it was captured.

The file holds what a scanned site sent, so it is hostile input: the stored body is
read as stored and its content encoding undone here with the fetcher's cap (a small
gzip of zeros never becomes gigabytes), and a damaged or truncated file gives what
can be read and says what cannot, instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import decoded_body
from govsite.engine.transport import ARCHIVED_PREFIX

CHUNK = 65536


class ArchiveDamaged(Exception):
    """The file is damaged before the record asked for: nothing of it can be read."""


@dataclass(frozen=True)
class Archived:
    url: str
    captured: str  # WARC-Date
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes  # decoded, at most the cap
    too_large: bool  # the decoded page is over the cap: not shown
    damaged: str | None  # what could not be read (the body is then what could)


def read_record(path: Path, record_id: str, cap: int = EngineConfig.max_body_bytes) -> Archived | None:
    """The response record ``record_id`` of ``path``, or None when the file does not hold it
    (raises ArchiveDamaged when the file breaks before reaching it)."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ArchiveDamaged(f"the archive file cannot be opened: {exc}") from exc
    with stream:
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                record = next(records)
            except StopIteration:
                return None
            except Exception as exc:  # warcio, gzip and zlib raise many kinds on a damaged file
                raise ArchiveDamaged(f"the archive file is damaged before this record: {_reason(exc)}") from exc
            headers = record.rec_headers
            if record.rec_type != "response" or headers.get_header("WARC-Record-ID") != record_id:
                continue
            http = record.http_headers
            code = int(http.statusline.partition(" ")[0]) if http else 0
            items = tuple((k.removeprefix(ARCHIVED_PREFIX), v) for k, v in (http.headers if http else []))
            stored, damaged = _read_stored(record.raw_stream, cap)
            encoding = next((v for k, v in items if k.lower() == "content-encoding"), None)
            body, problem = decoded_body(stored, encoding, cap)
            if problem == "undecodable content encoding" and damaged is None:
                damaged = "the stored content encoding cannot be undone"
            too_large = problem == "too large"
            return Archived(headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"), code, items,
                            b"" if too_large else body, too_large, damaged)  # fmt: skip


def _read_stored(raw: object, cap: int) -> tuple[bytes, str | None]:
    """The stored body (never more than the fetcher stored: ``cap`` bytes) and, when the file
    ends or breaks inside it, what happened."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= cap:
            chunk = raw.read(CHUNK)  # type: ignore[attr-defined]
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except Exception as exc:  # a truncated or corrupt gzip member
        return b"".join(chunks), f"the archive file is damaged after {size} bytes of this page: {_reason(exc)}"
    missing = getattr(raw, "limit", 0)  # warcio's reader counts down the record's declared length
    if size <= cap and missing > 0:
        return b"".join(chunks), f"the archive file ends {size} bytes into this page; {missing} bytes are missing"
    return b"".join(chunks)[: cap + 1], None


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
