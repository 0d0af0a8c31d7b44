"""Parse a page once, on the tree a browser would build (``engine/dom.py``): title,
meta tags, links with anchor text, region and kind, the images, scripts and stylesheets
it loads, forms, scripts, the text of its main and footer regions, and (for homepages)
the footer identifiers (``engine/footer.py``).

Regions come from the markup, not from any one CMS: an element whose tag, class or
id says nav/menu is navigation; footer/foot/bottom/copyright is the footer;
header/head/top is the header; the rest is main — and a named element holding more
than half of the page's text is main whatever its name (``bg-bottom`` wrappers).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from govsite.engine import footer
from govsite.engine.dom import document, flatten
from govsite.engine.snapshot import LinkRecord
from govsite.engine.urlnorm import normalise

_FOOTER = re.compile(r"(^|[\s_-])(foot|footer|bottom|copyright|copy|btm)", re.IGNORECASE)
_NAV = re.compile(r"(^|[\s_-])(nav|menu|daohang|dh)", re.IGNORECASE)
_HEADER = re.compile(r"(^|[\s_-])(header|head|top|banner|logo)([\s_-]|$)", re.IGNORECASE)
#: A class or id token that styles one side of a box (Bootstrap's ``border-bottom``,
#: ``fixed-top``; ``margin-top-15``), whatever region word it ends with.
_UTILITY = re.compile(r"(border|margin|padding|rounded|align|valign|fixed|sticky|scroll|inset)[-_]", re.IGNORECASE)
#: The attribute :func:`mark_regions` records an element's region in.
REGION = "data-govsite-region"
#: A region holds at most this share of the page's text, once the page has this much.
REGION_MAX_SHARE = 0.5
REGION_MIN_PAGE = 200
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
#: Elements whose ``src`` the browser loads, and the kind of link each makes.
LOADED = {"img": "img", "iframe": "frame", "frame": "frame", "script": "script"}


@dataclass(frozen=True)
class Form:
    action: str
    method: str
    fields: tuple[str, ...]  # names of text inputs
    all_fields: tuple[tuple[str, str], ...]  # (name, value) of hidden inputs


@dataclass(frozen=True)
class ParsedPage:
    title: str
    meta: dict[str, str]
    links: tuple[LinkRecord, ...]  # hyperlinks and frames
    forms: tuple[Form, ...]
    scripts: tuple[str, ...]
    main_text: str
    footer_text: str
    text: str
    root: lxml.html.HtmlElement | None
    identity: dict[str, str]  # footer identifiers as shown (footer.Identifiers.as_record)
    assets: tuple[LinkRecord, ...]  # images, scripts and stylesheets the page loads

    def meta_value(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.meta.items() if k.lower() == lowered), None)


def clean(text: str) -> str:
    return " ".join(text.split())  # runs of whitespace (str.isspace, as the regex \s) made one space


def _marked_region(element: etree._Element) -> str | None:
    """The region an element's tag, class or id names, if any (a styling utility such as
    ``border-bottom`` or ``margin-top-15`` names a side of a box, not a region)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    marks = " ".join(
        token for token in f"{element.get('class', '')} {element.get('id', '')}".split() if not _UTILITY.match(token)
    )
    if tag == "footer" or _FOOTER.search(marks):
        return "footer"
    if tag == "nav" or _NAV.search(marks):
        return "nav"
    if tag == "header" or _HEADER.search(marks):
        return "header"
    return None


def mark_regions(root: etree._Element) -> None:
    """Decide once which elements are regions and record it on them (:data:`REGION`).

    A name is not enough on real sites (``bg-bottom``, ``menu_con``, ``margin-top-15``
    and ``tit_header`` wrap whole articles): an element is a region only while it holds
    at most half of the page's text. One pass from the leaves up, linear in the page.
    """
    nodes = [node for node in root.iter() if isinstance(node.tag, str)]
    size: dict[etree._Element, int] = {}
    for node in reversed(nodes):  # descendants come before their ancestors
        if node.get(REGION) is not None:
            del node.attrib[REGION]  # never trust the page's own
        total = len((node.text or "").strip()) if node.tag not in ("script", "style") else 0
        for child in node:
            total += size.get(child, 0) + len((child.tail or "").strip())
        size[node] = total
    page = size.get(root, 0)
    for node in nodes:
        region = _marked_region(node)
        if region and (page < REGION_MIN_PAGE or size[node] <= page * REGION_MAX_SHARE):
            node.set(REGION, region)


def own_region(element: etree._Element) -> str | None:
    """The region ``element`` is (after :func:`mark_regions`), if any."""
    region: str | None = element.get(REGION)
    return region


def _walk(
    element: etree._Element, region: str, visit: Callable[[etree._Element, str], None], texts: dict[str, list[str]]
) -> None:
    """Depth first, each element with the region of its nearest marked ancestor; text in
    document order (a child's text before the text that follows it: ``<b>回复时间：</b>2020-08-17``
    reads label, then date)."""
    stack: list[tuple[etree._Element | str, str]] = [(element, region)]
    while stack:
        node, inherited = stack.pop()
        if isinstance(node, str):  # the tail of an element already walked
            texts[inherited].append(node)
            continue
        if not isinstance(node.tag, str):  # a comment (its tail, pushed by its parent, is text)
            continue
        here = own_region(node) or inherited
        visit(node, here)
        if node.text and node.text.strip():
            texts[here].append(node.text.strip())
        for child in reversed(node):
            if child.tail and child.tail.strip():
                stack.append((child.tail.strip(), here))
            stack.append((child, here))


#: ``var name = '…'`` in an inline script, and the argument of each ``document.write(…)``.
_SCRIPT_VAR = re.compile(r"""\b([A-Za-z_$][\w$]*)\s*=\s*(['"])([^'"\n]{0,500})\2\s*;""")
_SCRIPT_WRITE = re.compile(r"document\.write(?:ln)?\s*\(([^()]*)\)")
_SCRIPT_PART = re.compile(r"""\s*(?:'([^'\n]{0,2000})'|"([^"\n]{0,2000})"|([A-Za-z_$][\w$]*))\s*(\+|$)""")
#: The most script text read for what it writes (a template's inline script is short).
SCRIPT_READ_LIMIT = 20_000


def _put_written_text(script: etree._Element) -> None:
    """Put the text an inline script writes where it stands, as a browser shows it: each
    ``document.write`` whose argument is string literals and variables the script sets
    to string literals (TRS templates print an article's date as ``var pubdata='2017年08月11日';
    document.write(pubdata)``). Markup in the written string counts as its text only; a
    write with any other part is not guessed at."""
    code = (script.text or "")[:SCRIPT_READ_LIMIT]
    if "document.write" not in code:
        return
    values = {m.group(1): m.group(3) for m in _SCRIPT_VAR.finditer(code)}
    written = []
    for call in _SCRIPT_WRITE.finditer(code):
        parts: list[str] | None = []
        variables: list[str] = []
        pos, arg = 0, call.group(1).strip()
        while parts is not None and pos < len(arg):
            m = _SCRIPT_PART.match(arg, pos)
            if m is None or m.end() == pos or (m.group(3) is not None and m.group(3) not in values):
                parts = None
                break
            value = values[m.group(3)] if m.group(3) is not None else (m.group(1) or m.group(2) or "")
            if m.group(3) is not None:
                variables.append(value)
            parts.append(value)
            pos = m.end()
        # a template prints a label only with its value: '文章来源：'+wzly with wzly='' shows nothing
        if parts and (not variables or any(v.strip() for v in variables)):
            written.append(html_lib.unescape(re.sub(r"<[^>]*>", " ", "".join(parts))))
    text = " ".join(w.strip() for w in written if w.strip())
    if not text:
        return
    previous = script.getprevious()
    if previous is not None:
        previous.tail = f"{previous.tail or ''} {text} "
    elif (parent := script.getparent()) is not None:
        parent.text = f"{parent.text or ''} {text} "


def _target(node: etree._Element) -> tuple[str, str] | None:
    """``(URL as written, kind)`` when the element makes the browser load or offer a
    target: hyperlinks, images, frames, scripts and stylesheets are all links of the page."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in ("a", "area"):
        href = node.get("href")
        return (href, "a") if href is not None else None
    if tag == "link":
        rel = (node.get("rel") or "").lower().split()
        href = node.get("href")
        return (href, "style") if href and ("stylesheet" in rel or "icon" in rel) else None
    kind = LOADED.get(tag)
    src = node.get("src")
    return (src, kind) if kind and src else None


def parse(text: str, base_url: str, identity: bool = True) -> ParsedPage:
    """Parse ``text`` as a browser does (``engine/dom.py``); malformed markup is
    repaired, never an error. ``identity``: read the footer identifiers too."""
    text = _XML_DECL.sub("", text)
    root = document(text) if text.strip() else None
    if root is None:
        return ParsedPage("", {}, (), (), (), "", "", clean(text), None, {}, ())
    # before inline scripts go: they may write the footer; only homepages are judged on it
    marks = footer.identify(root).as_record() if identity else {}
    mark_regions(root)
    for script in root.xpath("//script[not(@src)]"):
        _put_written_text(script)
    for bad in root.xpath("//script[not(@src)]|//style|//noscript|//comment()"):
        if bad.getparent() is not None and not isinstance(bad, etree._Comment | etree._ProcessingInstruction):
            bad.drop_tree()
    base = root.xpath("string(//base/@href)") or base_url
    base = normalise(base, base_url) or base_url
    title = clean(root.xpath("string(//title)"))
    meta: dict[str, str] = {}
    for node in root.xpath("//meta[@name or @http-equiv]"):
        key = node.get("name") or node.get("http-equiv") or ""
        meta.setdefault(key, clean(node.get("content", "")))
    links: list[LinkRecord] = []
    assets: list[LinkRecord] = []
    texts: dict[str, list[str]] = {"main": [], "footer": [], "nav": [], "header": []}

    resolved: dict[str, str | None] = {}  # a list page repeats its targets: each spelling normalised once

    def visit(node: etree._Element, region: str) -> None:
        target = _target(node)
        if target is None:
            return
        href, kind = target
        url = resolved[href] if href in resolved else resolved.setdefault(href, normalise(href, base))
        if url:
            label = clean(node.text_content()) or clean(node.get("title", "")) or clean(node.get("alt", ""))
            if not label:
                label = " ".join(clean(img.get("alt", "")) for img in node.iter("img") if img.get("alt"))
            (links if kind in ("a", "frame") else assets).append(LinkRecord(url, label.strip(), region, kind))

    head = root.find("head")
    for node in head.iter() if head is not None else ():
        visit(node, "header")

    body = root.find("body")
    _walk(body if body is not None else root, "main", visit, texts)
    forms = []
    for form in root.xpath("//form"):
        action = normalise(form.get("action") or base, base) or base
        names = tuple(
            i.get("name")
            for i in form.xpath(".//input[@name]")
            if (i.get("type") or "text").lower() in ("text", "search", "")
        )
        hidden = tuple(
            (i.get("name"), i.get("value", "")) for i in form.xpath(".//input[@name][@type='hidden' or @type='HIDDEN']")
        )
        forms.append(Form(action, (form.get("method") or "get").lower(), names, hidden))
    scripts = tuple(u for s in root.xpath("//script[@src]") if (u := normalise(s.get("src", ""), base)))
    full = clean(root.text_content())
    return ParsedPage(
        title,
        meta,
        tuple(links),
        tuple(forms),
        scripts,
        " ".join(texts["main"]),
        " ".join(texts["footer"]),
        full,
        root,
        marks,
        tuple(assets),
    )


#: What :func:`links_only` reads: every element that makes a link of the page.
_LINKING = "a[href], area[href], link[href], img[src], iframe[src], frame[src], script[src], base[href], title"


def links_only(text: str, base_url: str) -> ParsedPage:
    """The title, links and assets of a page, read straight from lexbor's tree (no
    lxml copy, no regions, no text): what full-site mode needs of the pages it only
    walks through (``engine/fullsite.py``), at a fraction of :func:`parse`'s cost. The
    same elements make the same links, with the same labels, as in :func:`parse`."""
    tree = LexborHTMLParser(flatten(_XML_DECL.sub("", text)))
    nodes = tree.css(_LINKING)
    base = next((n.attributes.get("href") for n in nodes if n.tag == "base" and n.attributes.get("href")), None)
    base = (normalise(base, base_url) if base else None) or base_url
    title = next((clean(n.text()) for n in nodes if n.tag == "title"), "")
    links: list[LinkRecord] = []
    assets: list[LinkRecord] = []
    resolved: dict[str, str | None] = {}
    for node in nodes:
        tag, attrs = node.tag or "", node.attributes
        if tag in ("a", "area"):
            href, kind = attrs.get("href"), "a"
        elif tag == "link":
            rel = (attrs.get("rel") or "").lower().split()
            href, kind = attrs.get("href"), "style"
            if "stylesheet" not in rel and "icon" not in rel:
                continue
        elif tag in LOADED:
            href, kind = attrs.get("src"), LOADED[tag]
        else:
            continue
        if not href:
            continue
        url = resolved[href] if href in resolved else resolved.setdefault(href, normalise(href, base))
        if not url:
            continue
        label = clean(node.text(deep=True)) or clean(attrs.get("title") or "") or clean(attrs.get("alt") or "")
        if not label and tag in ("a", "area"):
            label = " ".join(clean(img.attributes.get("alt") or "") for img in node.css("img[alt]"))
        (links if kind in ("a", "frame") else assets).append(LinkRecord(url, label.strip(), "main", kind))
    return ParsedPage(title, {}, tuple(links), (), (), "", "", "", None, {}, tuple(assets))
