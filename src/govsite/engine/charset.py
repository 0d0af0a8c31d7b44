"""Turn a response body into text: declared charset, then detection.

Order: a body that is valid UTF-8 with non-ASCII bytes is UTF-8 whatever it declares
(valid multi-byte UTF-8 by accident is vanishingly rare, while a wrong declaration is
common); then the charset in the Content-Type header, then the one in a meta tag,
each decoded strictly; then a declared charset that fails on only a few bytes (a
damaged page); then charset-normalizer; last, GB18030 with replacement.
The GB family is decoded as GB18030, the superset of GB2312 and GBK.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
_CONTROLS = bytes([*range(9), *range(14, 32)])  # control bytes no text has (tab to CR are text)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn"}


def normalise(name: str | None) -> str | None:
    """A Python codec name for ``name``, or None if it is not a known charset."""
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered in GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(lowered).name
    except LookupError:
        return None


def declared(content_type: str | None, body: bytes) -> tuple[str | None, str | None]:
    """The charsets declared in the header and in the first meta tag."""
    header = None
    if content_type and (m := _HEADER.search(content_type)):
        header = normalise(m.group(1))
    meta = None
    if m2 := _META.search(body[:4096]):
        meta = normalise(m2.group(1).decode("ascii", "ignore"))
    return header, meta


def decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """``(text, charset used)``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not body.isascii():
            return text, "utf-8"
    header, meta = declared(content_type, body)
    for candidate in (header, meta):
        if candidate and candidate != "utf-8":
            try:
                return body.decode(candidate), candidate
            except UnicodeDecodeError:
                continue
    # a declared charset with a few bad bytes (a truncated or corrupted page) still wins
    for candidate in dict.fromkeys(c for c in (header, meta) if c):
        text = body.decode(candidate, "replace")
        if text.count("\ufffd") <= max(2, len(text) // 200):
            return text, candidate
    if body.isascii():
        return body.decode("ascii"), header or meta or "ascii"
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        encoding = normalise(best.encoding) or best.encoding
        return body.decode(encoding, "replace"), encoding
    return body.decode("gb18030", "replace"), "gb18030"


def looks_binary(body: bytes) -> bool:
    """True for bodies that are not text whatever their Content-Type says."""
    head = body[:2048]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls / len(head) > 0.05
