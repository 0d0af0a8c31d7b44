"""Does a page's plain HTML look script-built (需渲染)? The decision, and its reason.

A page is rendered only when its HTML says a browser would show more than the HTML
holds; each rule gives its reason in words, recorded on the page (``Page.render``):

- ``empty list`` — a list container (``ul``/``ol``/``tbody``/``div`` named for a list)
  is empty while an inline script loads data (``fetch``, ``XMLHttpRequest``,
  ``$.ajax``/``$.get``/``$.getJSON``, ``axios``) or writes markup;
- ``JSON endpoint`` — an inline script asks a URL ending in ``.json`` or under ``/api/``;
- ``inline data`` — an inline script holds a list literal (``var list = [{…}]``) and
  writes markup from it;
- ``known loader`` — a script of a front-end framework or CMS loader that builds the
  page (Vue, React, the webpack ``app``/``chunk-vendors`` bundles, 大汉 and 拓尔思
  list loaders), unless the page says it was rendered on the server
  (``data-server-rendered``, Nuxt's ``__NUXT__``) and holds text: then the HTML is
  what the app shows;
- ``noscript`` — a ``<noscript>`` asking the visitor to turn JavaScript on;
- ``few text`` — hardly any text in the body while scripts are present;
- ``document.write`` — the homepage's footer written by an inline script (its
  identifiers are what the browser shows).

The official badge embeds (the conac ``document.write(unescape(...))`` snippet, the
找错 script) write only their badge: they are not a list's loading script.

The plain fleet and a site whose lists are in its HTML trigger none of these.
"""

from __future__ import annotations

import re

from govsite.engine.html import ParsedPage

#: Page kinds rendered when they look script-built (articles and link targets never are).
KINDS = ("home", "column")
_INLINE = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
_LOADS = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|getJSON|post)\s*\(|\baxios\b|jQuery\.ajax", re.IGNORECASE
)
_WRITES = re.compile(r"\.innerHTML\s*[+]?=|insertAdjacentHTML|appendChild\s*\(|\.append\s*\(|\.html\s*\(")
_ENDPOINT = re.compile(r"""["'`][^"'`\s]*(?:\.json\b|/api/)[^"'`\s]*["'`]""", re.IGNORECASE)
_DATA = re.compile(r"=\s*\[\s*\{", re.DOTALL)
_DOCWRITE = re.compile(r"document\.write(?:ln)?\s*\(", re.IGNORECASE)
_LOADERS = re.compile(
    r"(?:^|/)(?:vue(?:\.runtime)?(?:\.global)?(?:\.min)?\.js|react(?:-dom)?(?:\.production)?(?:\.min)?\.js"
    r"|app\.[0-9a-f]{6,}\.js|chunk-vendors[^/]*\.js|hanweb[^/]*list[^/]*\.js|jpage[^/]*\.js|trs[^/]*list[^/]*\.js)$",
    re.IGNORECASE,
)
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>(.*?)</noscript>", re.IGNORECASE | re.DOTALL)
_NOSCRIPT_HINT = re.compile(r"javascript|启用|开启|打开.{0,6}脚本|浏览器.{0,10}脚本|enable", re.IGNORECASE)
_LISTISH = re.compile(r"list|news|item|xxgk|info|data|article|content|column|lanmu|wzlb", re.IGNORECASE)
FEW_TEXT = 60  # characters of body text below which a scripted page is judged script-built


def reason(html: str, parsed: ParsedPage, kind: str) -> str | None:
    """Why ``html`` should be rendered, or None when its plain HTML is what a visitor sees."""
    if kind not in KINDS or parsed.root is None:
        return None
    inline = [m.group(1) for m in _INLINE.finditer(html)] if "<script" in html.lower() else []
    code = "\n".join(c for c in inline if not (_BADGE.search(c) and not _FOOTERISH.search(c)))
    loads, writes = bool(_LOADS.search(code)), bool(_WRITES.search(code) or _DOCWRITE.search(code))
    if loads or writes:
        empty = _empty_lists(parsed)
        if empty:
            return f"empty list ({empty}) with a loading script"
        if _ENDPOINT.search(code):
            return "JSON endpoint referenced by an inline script"
        if writes and _DATA.search(code):
            return "inline data written by a script"
    loader = next((u for u in parsed.scripts if _LOADERS.search(u.split("?")[0])), None)
    if loader and not (_SERVER_RENDERED.search(html) and len(parsed.text) >= FEW_TEXT):
        return f"known loader {loader.rsplit('/', 1)[-1]}"
    if "<noscript" in html.lower() and any(_NOSCRIPT_HINT.search(m.group(1)) for m in _NOSCRIPT.finditer(html)):
        return "noscript hint"
    if (inline or parsed.scripts) and len(parsed.text) < FEW_TEXT:
        return "few text nodes with scripts present"
    if kind == "home" and any(_DOCWRITE.search(c) and _FOOTERISH.search(c) for c in inline):
        return "footer written by document.write"
    return None


_BADGE = re.compile(r"conac\.cn|_ideConac|jiucuo", re.IGNORECASE)
_SERVER_RENDERED = re.compile(r"\bdata-server-rendered\s*=\s*[\"']?true|window\.__NUXT__", re.IGNORECASE)
_FOOTERISH = re.compile(r"主办|标识码|ICP|备案|版权|copyright", re.IGNORECASE)


def _empty_lists(parsed: ParsedPage) -> str | None:
    """The first empty list container of the page's main region, by tag and name."""
    assert parsed.root is not None
    for node in parsed.root.iter("ul", "ol", "tbody", "table", "div", "dl"):
        marks = f"{node.get('class', '')} {node.get('id', '')}".strip()
        if node.tag in ("div", "table") and not _LISTISH.search(marks):
            continue
        if node.tag in ("ul", "ol", "dl") and not marks:
            continue
        if len(node) == 0 and not (node.text or "").strip():
            return f"{node.tag}.{marks.split()[0]}" if marks else str(node.tag)
    return None
