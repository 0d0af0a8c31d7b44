"""The real-page corpus (tests/corpus): its manifest and truth files always; its
figures when the saved pages are at hand (tests/corpus/README.md)."""

from __future__ import annotations

import hashlib
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import pytest

from govsite.engine import footer
from govsite.samples import corpus

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_every_page_is_cited_and_has_a_truth_file() -> None:
    manifest = tomllib.loads((CORPUS / "MANIFEST.toml").read_text(encoding="utf-8"))
    entries = manifest["page"]
    assert len(entries) >= 60
    assert len({e["site"] for e in entries}) >= 30
    for entry in entries:
        for key in ("file", "site", "type", "cms", "repo", "path", "commit", "licence", "saved", "sha256"):
            assert entry.get(key) not in (None, ""), (entry["file"], key)
        assert len(entry["commit"]) == 40 and len(entry["sha256"]) == 64
        truth = tomllib.loads((CORPUS / "truth" / f"{entry['file'].removesuffix('.html')}.toml").read_text("utf-8"))
        assert truth["page"] == entry["file"]
        assert set(footer.IDS) <= set(truth["identity"])
    assert len(list((CORPUS / "truth").glob("*.toml"))) == len(entries)


def test_a_page_that_differs_from_its_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    first = tomllib.loads((CORPUS / "MANIFEST.toml").read_text(encoding="utf-8"))["page"][0]
    (tmp_path / "MANIFEST.toml").write_text(
        f'[[page]]\nfile = "{first["file"]}"\nsite = "x"\ntype = "article"\ncms = "x"\nsha256 = "{first["sha256"]}"\n',
        encoding="utf-8",
    )
    (tmp_path / "pages" / first["file"]).write_text("<html>changed</html>", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="SHA-256"):
        corpus.load(tmp_path)


@pytest.fixture(scope="module")
def evaluation() -> corpus.CorpusEvaluation:
    if corpus.pages_dir(CORPUS) is None:
        pytest.skip("the corpus pages are not here: tests/corpus/pages, $GOVSITE_CORPUS_PAGES or shared/corpus/pages")
    return corpus.evaluate(corpus.load(CORPUS))


def test_corpus_figures(evaluation: corpus.CorpusEvaluation) -> None:
    # docs/checks.md publishes these; a change here is a change there
    assert (evaluation.pages, evaluation.sites) == (104, 66)
    found = {name: (s.tp, s.fp, s.fn) for name, s in evaluation.checks.items()}
    assert found == {
        "identity.conac_missing": (5, 0, 0),
        "identity.site_code_missing": (4, 0, 0),
        "identity.icp_missing": (2, 0, 0),
        "identity.psb_missing": (2, 0, 0),
        "identity.error_report_entry_missing": (5, 0, 0),
    }
    for name, score in evaluation.extractors.items():
        assert score.precision == score.recall == 1.0, (name, score.misses)
    judged = {name: s.tp + s.fn for name, s in evaluation.extractors.items()}
    assert judged["dates.published"] == 60 and judged["columns.class"] == 131
    assert judged["lists.items"] == judged["lists.dates"] == 325
    assert (judged["guide.elements"], judged["message.replied"]) == (30, 4)
    # the three saved search-result pages get their answer by script: none may be judged
    # broken from its HTML (no FP, checked above), and none is a working or broken search
    assert judged["search.judgement"] == 0


def test_the_pages_are_rebuilt_from_a_local_mirror_only(tmp_path: Path) -> None:
    # a local git repository laid out as the fetch tool lays out its mirrors
    work = tmp_path / "work"
    work.mkdir()
    commit = _committed(work, "index.html", b"<html><body>\xe7\xbd\x91\xe7\xab\x99</body></html>")
    mirrors = tmp_path / "mirrors"
    (mirrors / "owner+site.gov.cn").mkdir(parents=True)
    (work / ".git").rename(mirrors / "owner+site.gov.cn" / "repo")
    digest = hashlib.sha256((work / "index.html").read_bytes()).hexdigest()
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    entry = f'repo = "owner/site.gov.cn"\npath = "index.html"\ncommit = "{commit}"\n'
    (corpus_dir / "MANIFEST.toml").write_text(
        f'[[page]]\nfile = "a.html"\n{entry}sha256 = "{digest}"\n\n'
        f'[[page]]\nfile = "b.html"\n{entry}sha256 = "{"0" * 64}"\n\n'
        f'[[page]]\nfile = "c.html"\nrepo = "owner/absent"\npath = "x"\ncommit = "{commit}"\nsha256 = "{digest}"\n',
        encoding="utf-8",
    )
    out = tmp_path / "pages"
    written, problems = corpus.rebuild(corpus_dir, mirrors, out)
    assert written == 1 and (out / "a.html").read_bytes() == (work / "index.html").read_bytes()
    assert not (out / "b.html").exists() and not (out / "c.html").exists()
    assert [p.split(":")[0] for p in problems] == ["b.html", "c.html"]
    assert "SHA-256" in problems[0] and "no mirror" in problems[1]


def _written(name: str, html: str, truth: dict[str, object]) -> corpus.CorpusPage:
    return corpus.CorpusPage(name, "www.example.gov.cn", "written", "column", html, {"page": name, **truth})


def test_list_guide_message_and_search_truth_is_scored() -> None:
    # markup written here, not saved pages: this holds how a truth table is counted
    listing = _written(
        "list.html",
        '<html><body><div class="main"><ul>'
        '<li><a href="/a/1.html">关于开展春季安全检查的通知</a><span>2026-05-28</span></li>'
        '<li><a href="/a/2.html">关于公布公开招聘考试成绩的公告</a><span>[05-03]</span></li>'
        '<li><a href="/a/3.html">区政府召开第十次常务会议</a><span>2026年4月9日</span></li>'
        "</ul></div></body></html>",
        {
            "list": {
                "items": [
                    {"title": "关于开展春季安全检查的通知", "date": date(2026, 5, 28)},
                    {"title": "关于公布公开招聘考试成绩的公告", "date": date(2026, 5, 4)},  # read 05-03: FP and FN
                    {"title": "不在本页的条目标题"},  # not on the page: FN
                ]
            }
        },
    )
    guide = _written(
        "guide.html",
        "<html><body><div class=main><table><tr><th>申请材料</th><td>身份证</td></tr>"
        "<tr><th>受理地点</th><td>政务服务中心</td></tr></table></div></body></html>",
        {"guide": {"present": ["办理材料", "办理地点"], "absent": ["办理流程"]}},
    )
    message = _written(
        "message.html",
        "<html><body><div class=main><p>留言时间：2026-05-01</p><p>答复时间：2026-05-06</p>"
        "<p>答复内容：已转相关部门办理。</p></div></body></html>",
        {"message": {"replied": True}},
    )
    search = _written(
        "search.html",
        "<html><body><div class=main><p>共找到 0 条与“春季安全检查”相关的结果</p></div></body></html>",
        {"search": {"query": "春季安全检查", "answer": "zero"}},
    )
    scores = corpus.evaluate([listing, guide, message, search]).extractors
    found = {name: (scores[name].tp, scores[name].fp, scores[name].fn) for name in corpus.PAGE_KIND_EXTRACTORS}
    assert found == {
        "lists.items": (2, 1, 1),  # the third row is on the page but not in the truth: FP
        "lists.dates": (1, 1, 1),
        "guide.elements": (2, 0, 0),
        "message.replied": (1, 0, 0),
        "search.judgement": (1, 0, 0),
    }


def test_a_mirror_that_is_a_checkout_is_read_through_its_git_directory(tmp_path: Path) -> None:
    # the fetch tool also writes owner+name/repo/.git (a checkout), not only a bare repo
    work = tmp_path / "mirrors" / "owner+site.gov.cn" / "repo"
    work.mkdir(parents=True)
    commit = _committed(work, "list.html", b"<html><body>list</body></html>")
    assert corpus.mirror_of(tmp_path / "mirrors", "owner/site.gov.cn") == work / ".git"
    digest = hashlib.sha256((work / "list.html").read_bytes()).hexdigest()
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "MANIFEST.toml").write_text(
        f'[[page]]\nfile = "a.html"\nrepo = "owner/site.gov.cn"\npath = "list.html"\ncommit = "{commit}"\n'
        f'sha256 = "{digest}"\n',
        encoding="utf-8",
    )
    written, problems = corpus.rebuild(corpus_dir, tmp_path / "mirrors", tmp_path / "pages")
    assert (written, problems) == (1, [])


def _committed(work: Path, name: str, page: bytes) -> str:
    """``page`` saved as ``name`` and committed in a new git repository at ``work``; its commit."""
    (work / name).write_bytes(page)
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", name], check=True)
    subprocess.run([*git, "commit", "-qm", "page"], check=True)
    return subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
