"""Screenshots as evidence (截图留证): every finding whose subject is a page gets a picture
of that page as it was judged, with the offending region outlined where there is one.

The page is drawn from the scan's WARC file, never fetched again: its rendered DOM when
it was rendered, else its raw response, with its scripts off (the DOM is already what was
judged) and its subresources answered from the archive where they are there (else not
loaded). Two PNGs per page and region: the viewport with the region scrolled into view,
and the full page cut at :data:`HEIGHT_CAP` pixels. They are stored content-addressed
(``<sha256>.png``) in the folder given, beside the WARC, and named in the finding's
evidence with the outline's box in page pixels.

The region by check id: the list of a stale or blank column (or of the homepage), the
footer for a missing identifier, a broken link's anchor, the unanswered message's text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from govsite.engine import charset
from govsite.engine.checks.base import Evidence, Finding
from govsite.engine.config import EngineConfig
from govsite.engine.inflate import decoded_body
from govsite.engine.render import Browser, BrowserMissing
from govsite.engine.snapshot import Page, Snapshot
from govsite.engine.transport import RawResponse, ReplayTransport

VIEWPORT = {"width": 1280, "height": 800}
HEIGHT_CAP = 6000  # pixels of a full-page screenshot at most
OUTLINE = "#ff0000"
OUTLINE_WIDTH = 4

#: What to outline for a check id (by prefix): list | footer | link | main.
REGIONS = (
    ("update.", "list"),
    ("identity.", "footer"),
    ("links.", "link"),
    ("interaction.unanswered", "main"),
)

# Finds the region, draws a border of OUTLINE_WIDTH around it (outside its box) and
# returns the box [x, y, width, height] in page pixels, or null.
_OUTLINE_JS = """([kind, value, colour, width]) => {
  const marks = (e) => `${typeof e.className === 'string' ? e.className : ''} ${e.id || ''}`;
  const text = (e) => (e.innerText || e.textContent || '');
  let el = null;
  if (kind === 'link') {
    el = [...document.querySelectorAll('a[href], area[href], img[src], iframe[src], frame[src]')]
      .find((a) => (a.href || a.src) === value) || null;
  } else if (kind === 'footer') {
    el = document.querySelector('footer')
      || [...document.querySelectorAll('div, table, section')].filter((e) => /foot|bottom|btm|copyright/i.test(marks(e)))[0]
      || null;
  } else if (kind === 'list') {
    const dated = /\\d{4}[-/.年]\\d{1,2}[-/.月]\\d{1,2}|\\[\\d{2}-\\d{2}\\]/g;
    let best = null, most = 0;
    for (const e of document.querySelectorAll('ul, ol, table, tbody, dl, div')) {
      const n = (text(e).match(dated) || []).length;
      if (n > most || (n === most && n > 0 && best && best.contains(e))) { best = e; most = n; }
    }
    el = best || [...document.querySelectorAll('ul, ol, tbody, table, div')]
      .find((e) => /list|news|item|data|info/i.test(marks(e)) && e.children.length === 0) || null;
  } else if (kind === 'main') {
    el = document.querySelector('main, .main, #main, .content, .article, table') || null;
  }
  if (!el) return null;
  while (el.parentElement && el.getBoundingClientRect().height < 8) el = el.parentElement;
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  const x = r.left + window.scrollX, y = r.top + window.scrollY;
  const box = document.createElement('div');
  box.setAttribute('style', `position:absolute;left:${x - width}px;top:${y - width}px;width:${r.width}px;`
    + `height:${r.height}px;border:${width}px solid ${colour};z-index:2147483647;pointer-events:none;`
    + 'box-sizing:content-box;margin:0;padding:0');
  document.body.appendChild(box);
  return [Math.round(x), Math.round(y), Math.round(r.width), Math.round(r.height)];
}"""


@dataclass(frozen=True)
class Shot:
    viewport: str  # file name in the folder
    full: str
    outline: tuple[int, int, int, int] | None  # x, y, width, height of the outlined region


def region(check: str) -> str | None:
    """The region outlined for findings of ``check``."""
    return next((kind for prefix, kind in REGIONS if check.startswith(prefix)), None)


async def attach(
    findings: tuple[Finding, ...], snapshot: Snapshot, folder: Path, browser: Browser
) -> tuple[Finding, ...]:
    """``findings`` with screenshots named in their evidence (those whose page is in the
    WARC file); a page and region drawn once however many findings share them."""
    if snapshot.warc is None or not browser.available:
        return findings
    try:
        archive = ReplayTransport(Path(snapshot.warc))
    except ValueError:  # not a readable crawl archive: the findings keep their other evidence
        return findings
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[tuple[str, str | None, str | None], Shot | None] = {}
    out = []
    for finding in findings:
        page = snapshot.page(finding.url)
        if page is None or page.record_id is None:
            out.append(finding)
            continue
        kind = region(finding.check)
        value = finding.subject if kind == "link" else None
        key = (page.url, kind, value)
        if key not in made:
            made[key] = await _shoot(browser, archive, page, kind, value, folder)
        shot = made[key]
        if shot is None:
            out.append(finding)
            continue
        base = finding.evidence or Evidence(page.final_url, page.record_id, "", snapshot.as_of)
        out.append(replace(finding, evidence=replace(base, screenshots=(shot.viewport, shot.full),
                                                     outline=shot.outline)))  # fmt: skip
    return tuple(out)


def archived_html(archive: ReplayTransport, page: Page) -> str | None:
    """What was judged of ``page``: its rendered DOM when it was rendered, else its raw response."""
    for _outcome, dom, _details, record in archive.renderings.get(page.final_url, ()):
        if record == page.render_record and dom is not None:
            return dom
    raw = archive.response(page.record_id) if page.record_id else None
    if raw is None:
        return None
    text, _ = charset.decode(raw.body, raw.header("Content-Type") or "")
    return text


async def _shoot(
    browser: Browser, archive: ReplayTransport, page: Page, kind: str | None, value: str | None, folder: Path
) -> Shot | None:
    html = archived_html(archive, page)
    if html is None:
        return None

    async def answer(route: Any) -> None:
        request = route.request
        if request.is_navigation_request() and request.url.split("#")[0] == page.final_url.split("#")[0]:
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html.encode("utf-8"))
            return
        raw = archive.first("GET", request.url)
        if raw is None or raw.status != 200:
            await route.abort("blockedbyclient")
            return
        await route.fulfill(status=200, content_type=raw.header("Content-Type") or "", body=_body(raw))

    try:
        async with browser.context(java_script_enabled=False, viewport=VIEWPORT) as context:
            await context.route("**/*", answer)
            tab = await context.new_page()
            await tab.goto(page.final_url, wait_until="load", timeout=30_000)
            outline = (
                await tab.evaluate(_OUTLINE_JS, [kind or "", value or "", OUTLINE, OUTLINE_WIDTH]) if kind else None
            )
            viewport = await tab.screenshot()
            height = await tab.evaluate("() => document.documentElement.scrollHeight")
            clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": min(int(height), HEIGHT_CAP)}
            full = await tab.screenshot(full_page=True, clip=clip)
    except BrowserMissing:
        return None
    except Exception:  # a page the browser cannot draw keeps its finding without a picture
        return None
    box = (int(outline[0]), int(outline[1]), int(outline[2]), int(outline[3])) if outline else None
    return Shot(_store(folder, viewport), _store(folder, full), box)


def _body(raw: RawResponse) -> bytes:
    body, _ = decoded_body(raw.body, raw.header("Content-Encoding"), EngineConfig.max_body_bytes)
    return body


def _store(folder: Path, png: bytes) -> str:
    name = hashlib.sha256(png).hexdigest() + ".png"
    target = folder / name
    if not target.exists():
        target.write_bytes(png)
    return name
