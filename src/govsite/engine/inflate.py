"""Undoing a gzip or deflate content encoding with a cap: what a site sends (and what its
archived copy holds) is hostile, and a small gzip of zeros may claim gigabytes.

:class:`Inflater` works piece by piece, so the archived-page viewer streams a copy with
no more than a piece of it in memory; :func:`decoded_body` is the fetcher's whole-body
form of the same thing.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

PIECE = 65536  # the most an Inflater hands out at once
ENCODED = ("gzip", "x-gzip", "deflate")


class Inflater:
    """Undo ``content_encoding`` (gzip or deflate; anything else passes through) on input
    fed in pieces, handing out the decoded bytes in pieces of at most :data:`PIECE`, and
    never more than ``cap`` of them in all: past the cap :attr:`too_large` is set and the
    rest is dropped. Input that cannot be decoded sets :attr:`undecodable` and stops the
    output there (a body whose deflate data lacks its zlib header is read as raw deflate,
    as browsers do). Input cut short simply ends the output."""

    def __init__(self, content_encoding: str | None, cap: int) -> None:
        coding = (content_encoding or "").strip().lower()
        self.encoded = coding in ENCODED
        self.cap = cap
        self.size = 0  # decoded bytes handed out
        self.too_large = False
        self.undecodable = False
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS)
        self._fed = False

    @property
    def stopped(self) -> bool:
        return self.too_large or self.undecodable

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces ``data`` gives (to be consumed before the next feed)."""
        if not self.encoded:
            for start in range(0, len(data), PIECE):
                yield from self._hand_out(data[start : start + PIECE])
            return
        first, self._fed = not self._fed, True
        while data and not self.stopped and not self._inflater.eof:
            try:
                out = self._inflater.decompress(data, PIECE)
            except zlib.error:
                if first and not self.size:  # deflate without its zlib header: raw deflate
                    self._inflater, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                self.undecodable = True
                return
            data = self._inflater.unconsumed_tail
            yield from self._hand_out(out)

    def _hand_out(self, out: bytes) -> Iterator[bytes]:
        room = self.cap - self.size
        if len(out) > room:
            self.too_large = True
            out = out[:room]
        if out:
            self.size += len(out)
            yield out


def decoded_body(body: bytes, content_encoding: str | None, cap: int) -> tuple[bytes, str | None]:
    """``body`` with its gzip or deflate content encoding undone, never more than ``cap``
    bytes of it, and what went wrong if anything (``"too large"``: the first ``cap`` bytes;
    ``"undecodable content encoding"``: ``body`` as it came)."""
    inflater = Inflater(content_encoding, cap)
    if not inflater.encoded or not body:
        return body, None
    out = b"".join(inflater.feed(body))
    if inflater.undecodable:
        return body, "undecodable content encoding"
    return out, "too large" if inflater.too_large else None
