"""Parse a page as a browser does and hand the engine an lxml tree.

lexbor (through selectolax) builds the tree by the HTML5 rules browsers follow:
content after ``</html>`` lands in the body, misnested and unclosed tags are
repaired the way the page is displayed, and depth is not limited — libxml2, lxml's
own parser, stops at 256 levels and drops the rest of the page (its footer among
it). The tree is copied into lxml elements without recursion, so the extractors
keep their lxml API.

Tree building is quadratic in the depth of open elements (every browser's is), so a
hostile page nested tens of thousands deep is first flattened in one linear pass:
beyond :data:`MAX_DEPTH` open elements, start and end tags of further elements are
dropped while their text, links, images, frames and scripts stay — the effect of
Chromium's own depth cap (512), where deeper elements become siblings.
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.html
from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

MAX_DEPTH = 512
#: Elements a page's meaning hangs on: kept wherever they are, never pushed.
KEEP = frozenset({"a", "area", "img", "iframe", "frame", "script", "link", "meta", "input", "form", "br", "title"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
#: Start tags that close an open element of the same name (an unclosed <li>, <p> …).
SELF_CLOSING_RUNS = frozenset({"li", "p", "dt", "dd", "tr", "td", "th", "option"})
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)([^>]*)>")
OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)")
RAW = re.compile(r"<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
#: Characters an lxml tree cannot hold (XML 1.0); a browser shows none of them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: How far back an end tag or a run-closing start tag looks for its element.
LOOKBACK = 64


def _depth_estimate_exceeds(text: str, limit: int) -> bool:
    """Whether open tags (void ones left out) ever outnumber closed ones by ``limit``."""
    if text.count("<") <= limit:
        return False
    depth = 0
    for closing, name in OPEN_OR_CLOSE.findall(text):
        if closing:
            depth -= 1
        elif name.lower() not in VOID:
            depth += 1
            if depth > limit:
                return True
    return False


def flatten(text: str, limit: int = MAX_DEPTH) -> str:
    """``text`` with the tags of elements nested deeper than ``limit`` removed (their
    content kept); unchanged when no element is that deep. Linear in ``text``."""
    if not _depth_estimate_exceeds(text, limit):
        return text
    out: list[str] = []
    stack: list[str] = []
    dropped: Counter[str] = Counter()
    pos = 0
    raw_spans = {m.start(): m.end() for m in RAW.finditer(text)}
    for m in TAG.finditer(text):
        if m.start() < pos:
            continue  # inside a script or style already copied
        out.append(text[pos : m.start()])
        pos = m.end()
        closing, name = bool(m.group(1)), m.group(2).lower()
        if not closing and m.start() in raw_spans:  # copy script/style bodies verbatim
            out.append(text[m.start() : raw_spans[m.start()]])
            pos = raw_spans[m.start()]
            continue
        if closing:
            if dropped[name]:
                dropped[name] -= 1
                continue
            for back in range(len(stack) - 1, max(-1, len(stack) - 1 - LOOKBACK), -1):
                if stack[back] == name:
                    del stack[back:]
                    break
            out.append(m.group(0))
            continue
        if name in VOID or m.group(3).endswith("/"):
            out.append(m.group(0))
            continue
        if name in SELF_CLOSING_RUNS:
            for back in range(len(stack) - 1, max(-1, len(stack) - 1 - 4), -1):
                if stack[back] == name:
                    del stack[back:]
                    break
        if len(stack) >= limit:
            if name in KEEP:
                out.append(m.group(0))
            else:
                dropped[name] += 1
            continue
        stack.append(name)
        out.append(m.group(0))
    out.append(text[pos:])
    return "".join(out)


def _copy_attributes(source: LexborNode, target: etree._Element) -> None:
    for key, value in source.attributes.items():
        try:
            target.set(key, value or "")
        except (ValueError, TypeError):
            continue  # names XML cannot hold (x:y="", "a<b") carry nothing we read


def document(text: str) -> lxml.html.HtmlElement:
    """The page's ``<html>`` element, built as a browser builds it."""
    parsed = LexborHTMLParser(flatten(NOT_XML.sub("", text)))
    top = parsed.root
    root = lxml.html.Element("html")
    if top is None:
        return root
    _copy_attributes(top, root)
    stack: list[tuple[LexborNode | None, etree._Element]] = [(top.child, root)]
    while stack:
        node, parent = stack.pop()
        if node is None:
            continue
        stack.append((node.next, parent))
        tag = node.tag or ""
        if tag == "-text":
            content = node.text_content or ""
            if len(parent):
                last = parent[-1]
                last.tail = (last.tail or "") + content
            else:
                parent.text = (parent.text or "") + content
        elif tag and not tag.startswith(("-", "_")):
            attributes = node.attributes
            try:
                element = etree.SubElement(parent, tag, {k: v or "" for k, v in attributes.items()})
            except ValueError:  # a name XML cannot hold: the element without it, or its content alone
                try:
                    element = etree.SubElement(parent, tag)
                except ValueError:
                    stack.append((node.child, parent))
                    continue
                _copy_attributes(node, element)
            stack.append((node.child, element))
    return root
