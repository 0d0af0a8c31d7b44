"""Accuracy on real pages nobody here built: saved Chinese government pages with a
truth file each, read by a person from the raw HTML (the htmldate way).

``tests/corpus/MANIFEST.toml`` says where each page comes from (repository, path,
commit, licence, date, original URL, CMS family, SHA-256); ``tests/corpus/truth/*.toml``
holds what a person read in it. The pages themselves are looked up in ``pages/``
beside the manifest, then in ``$GOVSITE_CORPUS_PAGES``, then in ``shared/corpus/pages``
beside the repository (tests/corpus/README.md).

Each page is parsed as the crawl parses a homepage and judged by the same check; a
truth value ``unknown`` (the footer was not saved, it lives in a script or frame the
saved page lacks) is left out of the counts.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from govsite.engine import extract, footer
from govsite.engine.charset import decode
from govsite.engine.checks import identity
from govsite.engine.checks.base import CheckContext
from govsite.engine.html import ParsedPage, parse
from govsite.engine.profile import load as load_profile
from govsite.engine.snapshot import FormRecord, Page, SearchProbe, Snapshot, Stats
from govsite.engine.urlnorm import host_of
from govsite.samples.evaluate import CheckScore

STATES = ("present", "missing", "hidden", "unknown")
AS_OF = datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=8)))


class CorpusError(Exception):
    """The corpus cannot be read: the message names the file and what is wrong."""


@dataclass(frozen=True)
class CorpusPage:
    file: str
    site: str
    cms: str
    kind: str
    html: str
    truth: dict[str, Any]


@dataclass
class CorpusEvaluation:
    pages: int
    sites: int
    families: tuple[str, ...]
    checks: dict[str, CheckScore]
    extractors: dict[str, CheckScore]
    skipped: int = 0  # truth values left unknown
    misses: list[str] = field(default_factory=list)


def pages_dir(corpus: Path) -> Path | None:
    """Where the saved pages are: ``pages/`` beside the manifest, ``$GOVSITE_CORPUS_PAGES``,
    or ``shared/corpus/pages`` beside the repository (where CI finds shared data)."""
    beside = corpus.resolve().parents[2] / "shared" / "corpus" / "pages" if len(corpus.resolve().parents) > 2 else None
    for candidate in (corpus / "pages", Path(os.environ.get("GOVSITE_CORPUS_PAGES", "") or "/nonexistent"), beside):
        if candidate is not None and candidate.is_dir():
            return candidate
    return None


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc


def load(corpus: Path, pages: Path | None = None) -> list[CorpusPage]:
    """Every page of the manifest with its truth; a page whose bytes differ from the
    manifest's SHA-256, or a truth value outside the known states, is an error."""
    manifest = _toml(corpus / "MANIFEST.toml")
    where = pages or pages_dir(corpus)
    if where is None:
        raise CorpusError(
            f"{corpus}: the saved pages are not there (pages/, $GOVSITE_CORPUS_PAGES or shared/corpus/pages)"
        )
    out = []
    for entry in manifest.get("page", []):
        name = entry["file"]
        path = where / name
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise CorpusError(f"{path}: {exc.strerror}") from exc
        if hashlib.sha256(body).hexdigest() != entry["sha256"]:
            raise CorpusError(f"{path}: its SHA-256 differs from MANIFEST.toml's")
        truth = _toml(corpus / "truth" / f"{name.removesuffix('.html')}.toml")
        for key, value in truth.get("identity", {}).items():
            if key in footer.IDS and key != "site_code" and value not in STATES:
                raise CorpusError(f"truth/{name}: identity.{key} = {value!r} is not one of {', '.join(STATES)}")
        text, _ = decode(body, None)
        out.append(CorpusPage(name, entry["site"], entry["cms"], entry["type"], text, truth))
    return out


def mirror_of(mirrors: Path, repo: str) -> Path | None:
    """The local git directory of ``owner/name`` under ``mirrors``: ``owner+name/repo``
    (the layout the fetch tool writes, a bare directory or a checkout holding ``.git``),
    ``owner/name.git`` or ``owner/name``."""
    owner, name = repo.split("/", 1)
    for candidate in (mirrors / f"{owner}+{name}" / "repo", mirrors / owner / f"{name}.git", mirrors / owner / name):
        if (candidate / ".git").is_dir():
            return candidate / ".git"
        if candidate.is_dir():
            return candidate
    return None


def rebuild(corpus: Path, mirrors: Path, out: Path) -> tuple[int, list[str]]:
    """Write every manifest page into ``out`` from local git mirrors of its repository
    (``git show commit:path``); never touches the network. Returns the pages written
    and, per page that could not be, why (no mirror, no such commit, SHA-256 differs)."""
    manifest = _toml(corpus / "MANIFEST.toml")
    out.mkdir(parents=True, exist_ok=True)
    written, problems = 0, []
    for entry in manifest.get("page", []):
        gitdir = mirror_of(mirrors, entry["repo"])
        if gitdir is None:
            problems.append(f"{entry['file']}: no mirror of {entry['repo']} under {mirrors}")
            continue
        shown = subprocess.run(
            ["git", "--git-dir", str(gitdir), "show", f"{entry['commit']}:{entry['path']}"],
            capture_output=True,
            check=False,
        )
        if shown.returncode != 0:
            problems.append(f"{entry['file']}: {shown.stderr.decode(errors='replace').strip()}")
            continue
        if hashlib.sha256(shown.stdout).hexdigest() != entry["sha256"]:
            problems.append(f"{entry['file']}: its SHA-256 differs from MANIFEST.toml's")
            continue
        (out / entry["file"]).write_bytes(shown.stdout)
        written += 1
    return written, problems


def _page(url: str, html: str) -> Page:
    parsed = parse(html, url)
    return Page(
        url=url,
        final_url=url,
        kind="home",
        outcome="ok",
        status=200,
        error=None,
        chain=(),
        elapsed=0.0,
        content_type="text/html",
        charset="utf-8",
        size=len(html),
        record_id=None,
        title=parsed.title,
        meta=dict(parsed.meta),
        links=parsed.links,
        forms=tuple(FormRecord(f.action, f.method, f.fields) for f in parsed.forms),
        scripts=parsed.scripts,
        footer_text=parsed.footer_text,
        text=parsed.main_text,
        identity=parsed.identity,
    )


def _snapshot(page: CorpusPage) -> Snapshot:
    url = f"http://{page.site}/"
    home = _page(url, page.html)
    return Snapshot(
        schema=1,
        url=url,
        host=page.site,
        as_of=AS_OF,
        homepage=home,
        homepage_items=(),
        probes=(),
        pages=(home,),
        columns=(),
        messages=(),
        guides=(),
        search=SearchProbe(form_found=False, url=None, query=None, outcome="ok", found=None, result_count=None),
        links=(),
        stats=Stats(1, 1, 0, 0.0, ()),
        warc=None,
    )


def _expected(truth: str) -> bool | None:
    """Whether a ``*_missing`` finding is due: missing and hidden are, unknown is not judged."""
    if truth == "unknown":
        return None
    return truth != "present"


def evaluate(pages: list[CorpusPage]) -> CorpusEvaluation:
    ctx = CheckContext(profile=load_profile("inspection-2019"))
    checks = {check_id: CheckScore() for check_id, _ in identity.MISSING.values()}
    extractors = (
        {f"footer.{key}": CheckScore() for key in footer.IDS}
        | {
            "footer.site_code_value": CheckScore(),
            "dates.published": CheckScore(),
            "columns.name": CheckScore(),
            "columns.class": CheckScore(),
        }
        | {name: CheckScore() for name in PAGE_KIND_EXTRACTORS}
    )
    result = CorpusEvaluation(len(pages), len({p.site for p in pages}), (), checks, extractors)
    result.families = tuple(sorted({p.cms for p in pages} - {"unknown"}))
    for page in pages:
        snapshot = _snapshot(page)
        _published(extractors["dates.published"], page)
        _columns(extractors["columns.name"], extractors["columns.class"], page)
        _page_kinds(extractors, page)
        truth = page.truth.get("identity")
        if not truth:
            continue
        found = {f.check for f in identity.check(snapshot, ctx)}
        shown = identity.identifiers(snapshot.homepage)
        for key, (check_id, _) in identity.MISSING.items():
            value = str(truth.get(key, "unknown"))
            want_state = value if value in STATES else "present"  # a site code's truth is the code itself
            due = _expected(want_state)
            if due is None:
                result.skipped += 1
                continue
            _count(checks[check_id], due, check_id in found, f"{page.file}")
            _count(extractors[f"footer.{key}"], want_state == "present", shown.states[key] == "present", page.file)
        code = str(truth.get("site_code", "unknown"))
        if code not in STATES:
            _count(extractors["footer.site_code_value"], True, code.lower() in shown.site_codes, page.file)
    return result


def _published(score: CheckScore, page: CorpusPage) -> None:
    """The article's shown date: right (TP), wrong (FP and FN), missed (FN) or made up (FP)."""
    want = page.truth.get("article", {}).get("published", "unknown")
    if want == "unknown":
        return
    parsed = parse(page.html, f"http://{page.site}/")
    titles = (parsed.title, parsed.meta_value("ArticleTitle") or "")
    got = extract.published(parsed.main_text, AS_OF.date(), titles, parsed.text)
    want = want if isinstance(want, date) else None
    if got == want:
        score.tp += want is not None
        return
    if got is not None:
        score.fp += 1
    if want is not None:
        score.fn += 1
    score.misses.append(f"{page.file} shows {want}, read {got}")


def _columns(names: CheckScore, classes: CheckScore, page: CorpusPage) -> None:
    """First-level columns as the crawl finds them on a page (short Chinese anchor texts
    of the site's own links outside the footer), and the class each name gives."""
    truth = page.truth.get("columns")
    if not truth:
        return
    parsed = parse(page.html, f"http://{page.site}/")
    named: dict[str, bool] = {}  # column-like text -> whether the crawl would follow it
    for link in parsed.links:
        own = host_of(link.url) == page.site
        if link.region == "footer" or not extract.column_like(link.text) or extract.is_document(link.url):
            continue
        if own and extract.is_homepage(link.url):
            continue
        named[link.text] = named.get(link.text, False) or own
    # a column on another host (集约化 service or open-government platforms) is still named
    # as a column; a non-column counts against the extractor where the crawl would follow it
    for column in truth.get("first_level", []):
        _count(names, True, column["name"] in named, f"{page.file}: {column['name']}")
        got = extract.classify(column["name"])
        if got == column["class"]:
            classes.tp += 1
        else:
            classes.fp += 1
            classes.fn += 1
            classes.misses.append(f"{page.file}: {column['name']} is {column['class']}, classified {got}")
    for text in truth.get("not_columns", []):
        _count(names, False, named.get(text, False), f"{page.file}: {text}")


# extractors judged on column lists, 办事指南, message and search-result pages, from the
# optional truth tables [list], [guide], [message] and [search] (docs/checks.md, "The
# real-page corpus"); a page without the table is not counted for them
PAGE_KIND_EXTRACTORS = ("lists.items", "lists.dates", "guide.elements", "message.replied", "search.judgement")


def _page_kinds(scores: dict[str, CheckScore], page: CorpusPage) -> None:
    wanted = {key: page.truth[key] for key in ("list", "guide", "message", "search") if key in page.truth}
    if not wanted:
        return
    url = f"http://{page.site}/"
    parsed = parse(page.html, url)
    if "list" in wanted:
        _list(scores["lists.items"], scores["lists.dates"], page, parsed, url)
    if "guide" in wanted:
        found = set(extract.guide_elements(parsed.main_text))
        for element in wanted["guide"].get("present", []):
            _count(scores["guide.elements"], True, element in found, f"{page.file}: {element}")
        for element in wanted["guide"].get("absent", []):
            _count(scores["guide.elements"], False, element in found, f"{page.file}: {element}")
    if "message" in wanted:
        _, replied, _ = extract.message_state(parsed.main_text, AS_OF.date())
        want = wanted["message"]["replied"]
        if replied == want:
            scores["message.replied"].tp += 1
        else:  # wrong or undecided: the state was missed (FN), and a wrong one is also made up (FP)
            scores["message.replied"].fn += 1
            scores["message.replied"].fp += replied is not None
            scores["message.replied"].misses.append(f"{page.file}: replied {want}, read {replied}")
    if "search" in wanted:
        truth = wanted["search"]
        results = [link.text for link in parsed.links if link.region == "main"]
        found_it, _, why = extract.search_answer(parsed.main_text, results, truth["query"])
        # the judgement counted is "the search is broken" (zero results, an error or 系统繁忙 page,
        # results unrelated to the query): a broken search passed is FN, a working one failed FP;
        # a page whose answer a script brings ("script") must not be judged broken from its HTML
        broken = truth["answer"] in ("zero", "error")
        _count(scores["search.judgement"], broken, found_it is False, f"{page.file}: {why}")


def _list(items: CheckScore, dates_: CheckScore, page: CorpusPage, parsed: ParsedPage, url: str) -> None:
    """The page's main list as the crawl reads a column: each truth item found (by its
    title), rows the crawl takes for items that are not (FP); and each found item's date."""
    rows = extract.list_items(extract.rows(parsed.root, url, AS_OF.date(), set())) if parsed.root is not None else []
    matched: set[int] = set()
    shown = [_bare(r.title) for r in rows]
    for item in page.truth["list"]["items"]:
        title = str(item["title"])
        at = next((i for i, t in enumerate(shown) if i not in matched and _bare(title) in t), None)
        if at is None:
            _count(items, True, False, f"{page.file}: {title}")
            continue
        matched.add(at)
        items.tp += 1
        want = item.get("date", "none")
        want = want if isinstance(want, date) else None
        got = rows[at].date
        if got == want:
            dates_.tp += want is not None
        else:
            dates_.fp += got is not None
            dates_.fn += want is not None
            dates_.misses.append(f"{page.file}: {title} shows {want}, read {got}")
    for i, row in enumerate(rows):
        if i not in matched:
            _count(items, False, True, f"{page.file}: {row.title}")


def _bare(text: str) -> str:
    """A title without its spaces (ideographic spaces and line breaks included)."""
    return re.sub(r"\s+", "", text)


def _count(score: CheckScore, wanted: bool, got: bool, where: str) -> None:
    if wanted and got:
        score.tp += 1
    elif got:
        score.fp += 1
        score.misses.append(f"FP {where}")
    elif wanted:
        score.fn += 1
        score.misses.append(f"FN {where}")


def table(evaluation: CorpusEvaluation) -> str:
    lines = [
        f"corpus: {evaluation.pages} pages, {evaluation.sites} sites, "
        f"CMS families: {', '.join(evaluation.families)}; truth values not judged (unknown): {evaluation.skipped}",
        f"{'check / extractor':<38} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}",
    ]
    for name, s in [*evaluation.checks.items(), *evaluation.extractors.items()]:
        if not s.tp + s.fp + s.fn:  # no page carries truth for it: nothing measured, no figure
            lines.append(f"{name:<38} {0:>4} {0:>4} {0:>4} {'—':>9} {'—':>7}")
            continue
        lines.append(f"{name:<38} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>9.1%} {s.recall:>7.1%}")
    total = CheckScore(*(sum(getattr(s, k) for s in evaluation.checks.values()) for k in ("tp", "fp", "fn")))
    lines.append(
        f"{'all check ids':<38} {total.tp:>4} {total.fp:>4} {total.fn:>4} {total.precision:>9.1%} {total.recall:>7.1%}"
    )
    for name, s in [*evaluation.checks.items(), *evaluation.extractors.items()]:
        lines += [f"  {name} {m}" for m in s.misses]
    return "\n".join(lines)
