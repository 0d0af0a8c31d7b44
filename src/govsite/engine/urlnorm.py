"""URL normalisation: one spelling per resource, so each target is fetched once.

``normalise`` resolves against a base, keeps only http(s), lower-cases scheme and
host (IDNA for Chinese domains), drops default ports and the fragment, gives an
empty path its ``/``, resolves dot segments and percent-encodes what must be. It is
idempotent: ``normalise(normalise(u)) == normalise(u)``.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise(href: str, base: str | None = None) -> str | None:
    """The normal form of ``href`` (relative to ``base``), or None if it is not a web URL."""
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
