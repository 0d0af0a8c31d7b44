"""URL normalisation: one spelling per resource, so each target is fetched once.

``normalise`` resolves against a base, keeps only http(s), lower-cases scheme and
host (IDNA for Chinese domains), drops default ports and the fragment, gives an
empty path its ``/``, resolves dot segments and percent-encodes what must be. It is
idempotent: ``normalise(normalise(u)) == normalise(u)``.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Answers remembered (a site's pages repeat their navigation and footer links, and a
#: crawl meets each target on many pages); forgotten all at once when full.
CACHE_SIZE = 50_000
#: An absolute web URL whose host is written out (``urljoin`` keeps it whatever the base).
_ABSOLUTE = re.compile(r"(?:https?:)?//[A-Za-z0-9\[]", re.IGNORECASE)
_UNSAFE = re.compile("[\t\r\n]")
_MISS = object()
_answers: dict[tuple[str, tuple[str, ...]], str | None] = {}
_bases: dict[str, tuple[str, str]] = {}


def normalise(href: str, base: str | None = None) -> str | None:
    """The normal form of ``href`` (relative to ``base``), or None if it is not a web URL."""
    key = (href, _scope(href, base))
    answer = _answers.get(key, _MISS)
    if answer is _MISS:
        answer = _normalise(href, base)
        if len(_answers) >= CACHE_SIZE:
            _answers.clear()
        _answers[key] = answer
    return answer  # type: ignore[return-value]


def _scope(href: str, base: str | None) -> tuple[str, ...]:
    """What of ``base`` the normal form of ``href`` depends on: nothing without a base;
    its scheme for an absolute or scheme-relative URL; its scheme and host for a path
    from the root; the whole of it otherwise."""
    if not base:
        return ()
    written = href.strip().replace("\\", "/")
    if _UNSAFE.search(written):  # urlsplit drops these first: "/\t/" is read as "//"
        return ("relative", base)
    if written.startswith("/") and not written.startswith("//"):
        scheme, netloc = _base_parts(base)
        return ("root", scheme, netloc)
    if _ABSOLUTE.match(written):
        return ("absolute", _base_parts(base)[0])
    return ("relative", base)


def _base_parts(base: str) -> tuple[str, str]:
    parts = _bases.get(base)
    if parts is None:
        try:
            split = urlsplit(base)
            parts = (split.scheme, split.netloc)
        except ValueError:
            parts = ("\x00", base)  # no scheme is spelt so: a key of its own
        if len(_bases) >= CACHE_SIZE:
            _bases.clear()
        _bases[base] = parts
    return parts


def _normalise(href: str, base: str | None) -> str | None:
    href = href.strip().replace("\\", "/")
    if not href:
        return None
    try:
        joined = urljoin(base, href) if base else href
        parts = urlsplit(joined)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        host = parts.hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _dot_segments(quote(parts.path, safe=_SAFE_PATH)) or "/"
    query = quote(parts.query, safe=_SAFE_QUERY)
    return urlunsplit((scheme, netloc, _upper_escapes(path), _upper_escapes(query), ""))


def _dot_segments(path: str) -> str:
    if not path:
        return "/"
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    resolved = posixpath.normpath("/" + path.lstrip("/"))
    resolved = "/" + resolved.lstrip("/")
    if trailing and resolved != "/":
        resolved += "/"
    return resolved


def _upper_escapes(text: str) -> str:
    if "%" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        if text[i] == "%" and _is_hex(text[i + 1 : i + 3]):
            out.append("%" + text[i + 1 : i + 3].upper())
            i += 3
        elif text[i] == "%":
            out.append("%25")
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _is_hex(pair: str) -> bool:
    return len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
