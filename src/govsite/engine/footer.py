"""Footer identifiers (政府网站发展指引) as a browser would show them: 党政机关网站标识,
网站标识码, ICP备案号, 公安机关备案号 and the 我为政府网站找错 entrance.

What counts (docs/checks.md, "Footer identifiers"):

- text is read as shown: inline tags do not split it (``京<span>ICP</span>备…``), block
  tags do; markup inside HTML comments does not exist; text under an element hidden
  with ``display:none``, ``visibility:hidden`` or the ``hidden`` attribute is *hidden*,
  not present;
- markup a page writes with a script (``document.write(unescape("%3Cspan id='_ideConac'…"))``,
  ``innerHTML = '…'``, ``.html('…')``) counts as the markup it writes;
- the official embeds count by their code as well as by their text: a link to the
  conac certificate (``bszs.conac.cn``) or its ``dcs.conac.cn`` script, a ``j-gov``
  placeholder the platform fills; the 找错 script (``id="_jiucuo_"`` or ``jiucuo.js``),
  a link or ``onclick`` to the national page (``…/exposure/jiucuo.html``,
  ``zfwzgl``/``zfwzzc.www.gov.cn``), its clickable ``jiucuo`` image, a ``j-jiucuo``
  placeholder; a ``beian.gov.cn`` registration link for the 公安机关备案号.

States are ``present``, ``hidden`` (only under hidden markup) or ``missing``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

IDS = ("conac", "site_code", "icp", "psb", "error_report")

SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})(?!\d)", re.IGNORECASE)
ICP = re.compile(r"[\u4e00-\u9fff]\s*ICP\s*[备证]\s*字?\s*[:：]?\s*\d{6,10}", re.IGNORECASE)
PSB = re.compile(r"(?:公网安备|公安机关备案号|公安备案号)\s*号?\s*[:：]?\s*\d{14}(?!\d)")
ERROR_REPORT_TEXT = re.compile(r"政府网站找错")
CONAC_LINK = re.compile(r"(^|\.)conac\.cn$", re.IGNORECASE)
#: The dcs.conac.cn badge script's own path (``/js/09/152/0000/60060634/CA0915….js``), whatever
#: host serves it: sites behind an IPv6 relay or a CDN serve it from their own host.
CONAC_SCRIPT = re.compile(r"/js/\d{2}/\d{3}/\d{4}/\d{8}/CA\d{10,}\.js$", re.IGNORECASE)
JIUCUO_TARGET = re.compile(r"/exposure/jiucuo|zfwz(gl|zc)\.www\.gov\.cn|jiucuo\.(php|jsp|do|aspx?)\b", re.IGNORECASE)
PSB_LINK = re.compile(r"(^|\.)beian\.gov\.cn$", re.IGNORECASE)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
WRITES = re.compile(r"document\.write|\.innerHTML\s*=|\.html\(|\.append\(|\.before\(|\.after\(")
JS_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")
BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
#: A script writes at most this much markup we read (hostile pages are bounded).
WRITTEN_CAP = 200_000


@dataclass(frozen=True)
class Identifiers:
    states: dict[str, str]  # id -> present | hidden | missing
    site_codes: tuple[str, ...]  # the 网站标识码 shown, in order

    def as_record(self) -> dict[str, str]:
        """The flat form a snapshot stores (``Page.identity``)."""
        return {**self.states, "site_codes": " ".join(self.site_codes)}

    @classmethod
    def from_record(cls, record: dict[str, str]) -> Identifiers:
        states = {k: record.get(k, "missing") for k in IDS}
        return cls(states, tuple(record.get("site_codes", "").split()))


def _hidden(node: etree._Element) -> bool:
    return node.get("hidden") is not None or bool(HIDDEN_STYLE.search(node.get("style", "")))


def _texts(root: etree._Element) -> tuple[str, str]:
    """(visible text, hidden text) as shown: inline tags join, block tags separate."""
    parts: dict[bool, list[str]] = {False: [], True: []}
    stack: list[tuple[etree._Element | str, bool]] = [(root, False)]
    while stack:
        item, hidden = stack.pop()
        if isinstance(item, str):
            parts[hidden].append(item)
            continue
        if not isinstance(item.tag, str) or item.tag.lower() in ("script", "style", "template"):
            continue  # comments hold no text; a tail is pushed by the parent
        here = hidden or _hidden(item)
        sep = " " if item.tag.lower() in BLOCK else ""
        parts[here].append(sep + (item.text or ""))
        stack.append((sep, here))
        for child in reversed(item):
            if child.tail:
                stack.append((child.tail, here))
            stack.append((child, here))
    return _norm("".join(parts[False])), _norm("".join(parts[True]))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _js_strings(script: str) -> str:
    """The markup a script writes: its string literals joined, ``unescape``d."""
    out = []
    for m in JS_STRING.finditer(script):
        literal = m.group(1) if m.group(1) is not None else m.group(2) or ""
        literal = re.sub(r"\\(.)", r"\1", literal)
        out.append(unquote(literal) if "%3C" in literal.upper() else literal)
    return "".join(out)[:WRITTEN_CAP]


def _inline_scripts(root: etree._Element) -> list[str]:
    return [script.text or "" for script in root.iter("script") if not script.get("src")]


def written_markup(scripts: list[str]) -> list[lxml.html.HtmlElement]:
    """Fragments the page's inline scripts write into the document: when any script
    writes (``document.write``, ``innerHTML``, ``.html()`` …), the markup every script
    builds in its strings (a footer is often built in one script, written in another)."""
    if not any(WRITES.search(code) for code in scripts):
        return []
    fragments = []
    for code in scripts:
        markup = _js_strings(code)
        if not re.search(r"<[a-zA-Z]", markup):
            continue
        try:
            fragments.append(lxml.html.fragment_fromstring(markup, create_parent="div"))
        except (etree.ParserError, ValueError):
            continue
    return fragments


def _jiucuo_functions(scripts: list[str]) -> set[str]:
    """Names of inline functions that open the 找错 page (``function Link(site_code)``)."""
    names = set()
    for code in scripts:
        for m in re.finditer(r"function\s+(\w+)\s*\(", code):
            body = code[m.end() : m.end() + 600].split("function", 1)[0]
            if JIUCUO_TARGET.search(body):
                names.add(m.group(1))
    return names


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


@dataclass
class _Signals:
    conac: bool = False
    error_report: bool = False
    psb_link: bool = False


def _embeds(nodes: Iterable[etree._Element], opens_jiucuo: set[str]) -> tuple[_Signals, _Signals]:
    """Official embeds found by their code: (in visible markup, in hidden markup)."""
    seen = (_Signals(), _Signals())
    for top in nodes:
        stack: list[tuple[etree._Element, bool]] = [(top, False)]
        while stack:
            node, hidden = stack.pop()
            if not isinstance(node.tag, str):
                continue
            hidden = hidden or _hidden(node)
            _embed(node, seen[hidden], opens_jiucuo)
            stack.extend((child, hidden) for child in node)
    return seen


def _embed(node: etree._Element, s: _Signals, opens_jiucuo: set[str]) -> None:
    tag = node.tag.lower() if isinstance(node.tag, str) else ""
    ident = f"{node.get('id', '')} {node.get('class', '')}".lower()
    href = node.get("href", "") if tag in ("a", "area") else ""
    src = node.get("src", "") if tag in ("script", "img", "iframe") else ""
    onclick = node.get("onclick", "")
    if tag in ("a", "area") and CONAC_LINK.search(_host(href)):
        s.conac = True
    if tag == "script" and CONAC_LINK.search(_host(src) or _host("http:" + src if src.startswith("//") else "")):
        s.conac = True
    if tag == "script" and "conac.cn/" in src.lower():  # relative copies of the dcs script (saved pages)
        s.conac = True
    if tag == "script" and CONAC_SCRIPT.search(src.split("?")[0]):
        s.conac = True
    if "j-gov" in ident.split() or "ex-gov-mark" in ident.split():
        s.conac = s.conac or "sitecode" in node.get("data-setting", "")
    if tag == "script" and ("_jiucuo_" in ident or "jiucuo" in src.lower()):
        s.error_report = True
    if JIUCUO_TARGET.search(href) or JIUCUO_TARGET.search(onclick):
        s.error_report = True
    called = re.match(r"\s*(?:javascript:)?\s*(\w+)\s*\(", onclick or href)
    if called and called.group(1) in opens_jiucuo:
        s.error_report = True
    if ("j-jiucuo" in ident.split() or "ex-find-wrong" in ident.split()) and "sitecode" in node.get("data-setting", ""):
        s.error_report = True
    if tag == "img" and "jiucuo" in src.lower() and (onclick or _in_link(node)):
        s.error_report = True
    if tag in ("a", "area") and PSB_LINK.search(_host(href)) and "recordcode" in href.lower():
        s.psb_link = True


def _in_link(node: etree._Element) -> bool:
    return any(a.tag == "a" and (a.get("href") or a.get("onclick")) for a in node.iterancestors())


def identify(root: etree._Element) -> Identifiers:
    """The identifiers a browser would show on the page rooted at ``root``."""
    scripts = _inline_scripts(root)
    fragments = written_markup(scripts)
    visible, hidden = _texts(root)
    written = " ".join(_texts(f)[0] for f in fragments)
    visible = f"{visible} {written}"
    shown, under_hidden = _embeds([root, *fragments], _jiucuo_functions(scripts))
    codes = tuple(dict.fromkeys(m.lower() if m.lower().startswith("bm") else m for m in SITE_CODE.findall(visible)))

    def state(in_visible: bool, in_hidden: bool) -> str:
        return "present" if in_visible else "hidden" if in_hidden else "missing"

    states = {
        "conac": state(shown.conac, under_hidden.conac),
        "site_code": state(bool(codes), bool(SITE_CODE.search(hidden))),
        "icp": state(bool(ICP.search(visible)), bool(ICP.search(hidden))),
        "psb": state(bool(PSB.search(visible)) or shown.psb_link, bool(PSB.search(hidden)) or under_hidden.psb_link),
        "error_report": state(
            shown.error_report or bool(ERROR_REPORT_TEXT.search(visible)),
            under_hidden.error_report or bool(ERROR_REPORT_TEXT.search(hidden)),
        ),
    }
    return Identifiers(states, codes)


def from_text(text: str, urls: Iterable[str]) -> Identifiers:
    """The identifiers a stored page's text, link and script URLs show (snapshots
    made before ``Page.identity`` existed)."""
    hosts = [(u, _host(u)) for u in urls]
    codes = tuple(dict.fromkeys(SITE_CODE.findall(text)))
    states = {
        "conac": "present" if any(CONAC_LINK.search(h) for _, h in hosts) else "missing",
        "site_code": "present" if codes else "missing",
        "icp": "present" if ICP.search(text) else "missing",
        "psb": "present"
        if PSB.search(text) or any(PSB_LINK.search(h) and "recordcode" in u.lower() for u, h in hosts)
        else "missing",
        "error_report": "present"
        if ERROR_REPORT_TEXT.search(text) or any(JIUCUO_TARGET.search(u) or "jiucuo" in u.lower() for u, _ in hosts)
        else "missing",
    }
    return Identifiers(states, codes)


def identify_script(code: str) -> Identifiers:
    """The identifiers a script file shows by the markup it writes (a ``footer.js``)."""
    holder = lxml.html.Element("div")
    for fragment in written_markup([code]):
        holder.append(fragment)
    return identify(holder)


def merge(shown: Iterable[Identifiers]) -> Identifiers:
    """What a page shows with its includes: present anywhere wins, then hidden."""
    parts = list(shown)
    states = {}
    for key in IDS:
        found = {p.states.get(key, "missing") for p in parts}
        states[key] = "present" if "present" in found else "hidden" if "hidden" in found else "missing"
    codes = tuple(dict.fromkeys(code for p in parts for code in p.site_codes))
    return Identifiers(states, codes)
