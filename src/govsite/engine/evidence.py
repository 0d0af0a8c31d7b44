"""Read a page back out of a scan's WARC file, as it was captured.

The file holds what a scanned site sent, so it is hostile input. Nothing of it is held
whole in memory: the file's gzip members are undone a piece at a time (warcio would undo
each block at once, and a block of a page of blanks is megabytes), the stored body is
read a piece at a time, and its content encoding is undone with the fetcher's cap
(:class:`~govsite.engine.inflate.Inflater`), so a small gzip of zeros never becomes
gigabytes. A damaged or truncated file gives what can be read and says what cannot,
instead of failing.

:func:`read_record` reads a record through once to describe it (status, headers, how much
of it decodes, whether it is over the cap or damaged) and keeps none of its body;
:func:`record_body` reads it again and hands out its decoded body in pieces, never more
than the cap in all, for a response streamed to the browser.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from govsite.engine.config import EngineConfig
from govsite.engine.inflate import PIECE, Inflater
from govsite.engine.transport import ARCHIVED_PREFIX

GZIP_MAGIC = b"\x1f\x8b"


class ArchiveDamaged(Exception):
    """The file is damaged before the record asked for: nothing of it can be read."""


@dataclass(frozen=True)
class Archived:
    url: str
    captured: str  # WARC-Date
    status: int
    headers: tuple[tuple[str, str], ...]
    size: int  # decoded bytes that can be shown (at most the cap)
    too_large: bool  # the decoded page is over the cap: not shown
    damaged: str | None  # what could not be read (what can be shown is what could)

    @property
    def content_type(self) -> str:
        return next((v for k, v in self.headers if k.lower() == "content-type"), "text/html")


def read_record(path: Path, record_id: str, cap: int = EngineConfig.max_body_bytes) -> Archived | None:
    """The response record ``record_id`` of ``path`` described, or None when the file does
    not hold it (raises ArchiveDamaged when the file breaks before reaching it)."""
    with _Members.open(path) as members:
        record = _find(members, record_id)
        if record is None:
            return None
        reading = _Body(record, cap)
        for _piece in reading.pieces():
            pass  # counted, not kept
        headers = record.rec_headers
        return Archived(headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Date"), reading.status,
                        reading.headers, reading.inflater.size, reading.too_large, reading.damaged)  # fmt: skip


def record_body(path: Path, record_id: str, cap: int = EngineConfig.max_body_bytes) -> Iterator[bytes]:
    """The decoded body of record ``record_id`` of ``path`` in pieces of at most 64 KiB,
    never more than ``cap`` bytes in all; it ends early, without raising, where the file is
    damaged or the encoding cannot be undone, and yields nothing when the record cannot be
    found (:func:`read_record` says why)."""
    try:
        with _Members.open(path) as members:
            record = _find(members, record_id)
            if record is not None:
                yield from _Body(record, cap).pieces()
    except ArchiveDamaged:
        return


def _find(members: _Members, record_id: str) -> Any:
    records = iter(ArchiveIterator(members))
    while True:
        try:
            record = next(records)
        except StopIteration:
            return None
        except Exception as exc:  # warcio, gzip and zlib raise many kinds on a damaged file
            raise ArchiveDamaged(f"the archive file is damaged before this record: {_reason(exc)}") from exc
        if record.rec_type == "response" and record.rec_headers.get_header("WARC-Record-ID") == record_id:
            return record


class _Body:
    """One read of a record's body: its HTTP status and headers, then its decoded pieces;
    once they are all read, what kept them short (too large, damaged)."""

    def __init__(self, record: Any, cap: int) -> None:
        http = record.http_headers
        self.raw = record.raw_stream
        self.status = int(http.statusline.partition(" ")[0]) if http else 0
        self.headers = tuple((k.removeprefix(ARCHIVED_PREFIX), v) for k, v in (http.headers if http else []))
        encoding = next((v for k, v in self.headers if k.lower() == "content-encoding"), None)
        self.cap = cap
        self.inflater = Inflater(encoding, cap)
        self.stored = 0
        self.over = False  # more stored than the fetcher ever stores
        self.damaged: str | None = None

    @property
    def too_large(self) -> bool:
        return self.over or self.inflater.too_large

    def pieces(self) -> Iterator[bytes]:
        try:
            while not self.inflater.stopped:
                chunk = self.raw.read(PIECE)
                if not chunk:
                    break
                self.stored += len(chunk)
                if self.stored > self.cap:
                    self.over = True
                    break
                yield from self.inflater.feed(chunk)
        except Exception as exc:  # a truncated or corrupt gzip member
            self.damaged = f"the archive file is damaged after {self.stored} bytes of this page: {_reason(exc)}"
            return
        missing = getattr(self.raw, "limit", 0)  # warcio's reader counts down the record's declared length
        if self.inflater.undecodable:
            self.damaged = "the stored content encoding cannot be undone"
        elif not self.too_large and missing > 0:
            self.damaged = f"the archive file ends {self.stored} bytes into this page; {missing} bytes are missing"


class _Members:
    """The WARC file with its gzip members undone one after another, never more than asked
    for per read; a file that is not gzip is read as it is."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.gzip = stream.read(2) == GZIP_MAGIC
        stream.seek(0)
        self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.tail = b""  # input given to the inflater and not used yet

    @classmethod
    def open(cls, path: Path) -> _Members:
        try:
            return cls(path.open("rb"))
        except OSError as exc:
            raise ArchiveDamaged(f"the archive file cannot be opened: {exc}") from exc

    def __enter__(self) -> _Members:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def read(self, size: int = -1) -> bytes:
        size = size if size and size > 0 else PIECE
        if not self.gzip:
            return self.stream.read(size)
        while True:
            if self.inflater.eof:  # the next member starts with what this one left over
                left = self.inflater.unused_data
                self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self.tail = left
            if not self.tail:
                self.tail = self.stream.read(PIECE)
                if not self.tail:
                    return b""  # the end of the file (inside a member: the file was cut)
            out = self.inflater.decompress(self.tail, size)  # zlib.error on a corrupt member
            self.tail = self.inflater.unconsumed_tail if not self.inflater.eof else b""
            if out:
                return out


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]
