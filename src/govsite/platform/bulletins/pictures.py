"""Screenshots in the problem-site annex (截图留证), when the bulletin is asked for them.

For each unqualified site, in the annex's order, the window screenshots (the problem
outlined in red) of its counted findings, at most ``BULLETIN_SCREENSHOTS_PER_SITE`` and
each picture once. Only pictures of our own content-addressed store are taken: a name the
engine gives (``<sha256>.png``) looked up beside the site's WARC file
(``campaigns.screenshots``), its bytes hashing to its name, a PNG Pillow reads, at most
``BULLETIN_SCREENSHOT_MAX_BYTES`` each (the size is looked at before it is read) and
``BULLETIN_SCREENSHOTS_MAX_BYTES`` for the bulletin; what does not fit is left out and
the annex says how many.

The document keeps each picture's reference, not its bytes (an export's kept inputs stay
small); :func:`load` reads them again for the writers, with the same checks.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from PIL import Image

from govsite.platform.bulletins.phrases import problem_name
from govsite.platform.campaigns import screenshots
from govsite.platform.dashboards.stats import Outcome
from govsite.platform.review.actions import reviewed_findings


@dataclass(frozen=True)
class Figure:
    caption: str  # 北溪市人民政府门户网站：栏目不更新
    warc: str  # the site's WARC reference (the store keeps its screenshots beside it)
    name: str  # <sha256>.png
    width: int  # pixels
    height: int


@dataclass(frozen=True)
class Chosen:
    figures: list[Figure]
    left_out: int  # pictures the caps (or a missing, damaged or foreign file) kept out


def choose(failed: Iterable[Outcome]) -> Chosen:
    """The problem sites' pictures within the caps (see the module's docstring)."""
    per_site, budget = settings.BULLETIN_SCREENSHOTS_PER_SITE, settings.BULLETIN_SCREENSHOTS_MAX_BYTES
    figures: list[Figure] = []
    left_out = used = 0
    seen: set[str] = set()
    for outcome in failed:
        entry = outcome.entry
        taken = 0
        for r in reviewed_findings(entry):
            evidence = r.finding.evidence
            if not r.counted or evidence is None or not evidence.screenshots or not entry.warc:
                continue
            name = evidence.screenshots[0]  # the window, the problem scrolled into view
            if name in seen:
                continue
            seen.add(name)
            if taken >= per_site:
                left_out += 1
                continue
            data = picture(entry.warc, name)
            if data is None or used + len(data) > budget:
                left_out += 1
                continue
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
            used += len(data)
            taken += 1
            figures.append(Figure(f"{outcome.site.name}：{problem_name(r.finding.check)}", entry.warc, name,
                                  width, height))  # fmt: skip
    return Chosen(figures, left_out)


def picture(warc: str, name: str) -> bytes | None:
    """The stored PNG ``name`` of the scan at ``warc``, if it is ours and within the cap."""
    data = screenshots.read(warc, name, limit=settings.BULLETIN_SCREENSHOT_MAX_BYTES)
    if data is None or hashlib.sha256(data).hexdigest() + ".png" != name:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                return None
            image.verify()
    except Exception:  # not a picture Pillow reads: left out
        return None
    return data


def load(figures: Iterable[Figure]) -> dict[str, bytes]:
    """Each figure's PNG by name, read again from the store (those gone since are missing)."""
    found = {}
    for figure in figures:
        data = picture(figure.warc, figure.name)
        if data is not None:
            found[figure.name] = data
    return found
