"""The bulletin (通报) of a census scanned over real HTTP on the sample fleet and reviewed
(the session's scans, ``tests.factories``):
each format opened with the tools people use (python-docx, openpyxl, LibreOffice, poppler,
chromium) and every figure checked against the stored rows; first pages rendered to
test-artifacts/; unreviewed sites refused unless asked; an export made again from its
kept inputs; hostile registry text escaped and neutralised."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from govsite.engine import score
from govsite.platform.bulletins import exports
from govsite.platform.bulletins.assemble import assemble
from govsite.platform.bulletins.models import Accountability, Bulletin, draft
from govsite.platform.bulletins.writers import docx as docx_writer
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.jiucuo.models import Report
from govsite.platform.ledger import compute
from govsite.platform.ledger.models import Ledger, LedgerCampaign, LedgerLine
from govsite.platform.ledger.rules import load
from govsite.platform.ledger.verdicts import Unreviewed
from govsite.platform.public.models import Publication
from govsite.platform.rectification import selfinspection
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review import actions
from govsite.platform.review.models import Decision
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import filled, person, scanned_campaign
from ..helpers import TEST_NOW, database_url, govsite

pytestmark = pytest.mark.django_db
CST = timezone(timedelta(hours=8))
AS_OF = TEST_NOW
CITY = "390400"  # 北溪市: 7 sites
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "bulletins"
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)
HOSTILE = '=HYPERLINK("http://evil.invalid")<script>x</script>'


@pytest.fixture
def census(sample_world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(sample_world)
    made = scanned_campaign(sample_scans, name="北溪市2026年第四季度普查", kind="census",
                            region=Region.objects.get(code=CITY))  # fmt: skip
    made.inspectors.add(person("inspector"))
    return made


def review_all(campaign: Campaign) -> None:
    """An inspector confirms every finding and passes every check the scan left open."""
    inspector = User.objects.get(username="inspector")
    for entry in campaign.sites.all():
        result = entry.scan_result
        assert result is not None
        Decision.objects.bulk_create(
            Decision(entry=entry, index=i, check_id=f.check, subject=f.subject, state="confirmed", user=inspector)
            for i, f in enumerate(result.findings)
        )
        actions.recompute(entry)
        for check in result.checks:
            if check.open:
                actions.resolve(entry, check.ids[0], inspector, "人工核查通过")  # by check id


def counted(entry: CampaignSite) -> Counter[str]:
    """Counted findings straight from the rows (after review_all, every finding counts)."""
    result = entry.scan_result
    return Counter(f.check for f in result.findings) if result else Counter()


def figures(campaign: Campaign) -> dict[str, Any]:
    entries = list(campaign.sites.select_related("site"))
    passed = [e for e in entries if e.final_verdict == score.PASS]
    failed = [e for e in entries if e.final_verdict == score.FAIL]
    running = Site.objects.filter(region__code__startswith=CITY[:4], status="running").count()
    rate = round(100 * len(passed) / (len(passed) + len(failed)), 1)
    return {
        "sampled": len(entries),
        "passed": len(passed),
        "failed": sorted(failed, key=lambda e: e.site.code),
        "running": running,
        "rate": f"{rate:.1f}".removesuffix(".0") + "%",
    }


def stale_text(entry: CampaignSite) -> str:
    n = counted(entry)["update.column_stale"]
    return f"未按时更新栏目数量>5（{n}个栏目未按时更新）" if n > 5 else f"{n}个栏目未按时更新"


def test_unreviewed_sites_are_named_and_refused(census: Campaign, tmp_path: Path) -> None:
    bulletin = draft(census)
    with pytest.raises(Unreviewed) as caught:
        assemble(bulletin)
    waiting = {o.site.code for o in caught.value.outcomes}
    assert waiting and all(code in str(caught.value) for code in list(waiting)[:20])
    with override_settings(DATA_DIR=tmp_path):
        made = exports.export(bulletin, "html", use_scan_verdicts=True)
    assert "采用其扫描结论" in made.data.decode() and made.export.scan_verdicts


def test_docx_and_xlsx_hold_the_campaigns_figures(census: Campaign, tmp_path: Path) -> None:
    review_all(census)
    want = figures(census)
    assert want["failed"] and want["passed"], "the fleet gives both outcomes"
    worst = want["failed"][0]
    Site.objects.filter(pk=worst.site.pk).update(name=HOSTILE)
    bulletin = draft(census)
    bulletin.opening = "为加强政府网站管理，现将本次普查情况通报如下："
    bulletin.requirements = "（一）加大整改力度。\n各单位要对照问题逐项整改。\n整改情况于12月31日前报送。"
    bulletin.issued = date(2026, 12, 3)
    bulletin.save()
    Accountability.objects.create(bulletin=bulletin, entry=worst, action="interview", people=2)
    Accountability.objects.create(bulletin=bulletin, entry=worst, action="written_review", people=1)
    with override_settings(DATA_DIR=tmp_path):
        made = exports.export(bulletin, "docx")
        sheet_made = exports.export(bulletin, "xlsx")

    doc = Document(io.BytesIO(made.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"正在运行的政府网站{want['running']}家" in text
    assert (
        f"本次普查共普查政府网站{want['sampled']}个，合格{want['passed']}个，不合格{len(want['failed'])}个，"
        f"总体合格率{want['rate']}。" in text
    )
    assert "共有3人被问责，其中2名责任人被上级主管单位约谈，1人作出书面检查。" in text
    assert "整改情况于12月31日前报送。" in text and bulletin.opening in text
    # GB/T 9704 page: A4, top 37 mm, left 28 mm, type area 156 × 225 mm; page numbers in the feet
    s = doc.sections[0]
    mm = lambda length: round(length / Mm(1), 1)  # noqa: E731  (stored in twips)
    assert (mm(s.page_width), mm(s.page_height), mm(s.top_margin), mm(s.left_margin)) == (210, 297, 37, 28)
    assert (mm(s.page_width - s.left_margin - s.right_margin), mm(s.page_height - s.top_margin - s.bottom_margin)) == (
        156,
        225,
    )
    grid = re.search(r'<w:docGrid w:linePitch="(\d+)" w:type="lines"/>', s._sectPr.xml)
    assert grid and abs(int(grid[1]) / 20 * 22 - 225 / 25.4 * 72) < 1  # 22 lines fill the 225 mm
    assert '<w:spacing w:val="-5"/>' in doc.styles["Normal"].element.xml  # 28 characters: 0.25 pt condensed
    assert 'instr="PAGE"' in s.footer._element.xml and "— " in s.footer.paragraphs[0].text
    assert s.even_page_footer.paragraphs[0].text.startswith("— ")
    title = doc.paragraphs[0].runs[0]
    assert title.text == bulletin.title and title.font.size.pt == 22
    body = next(p for p in doc.paragraphs if p.text.startswith("截至")).runs[0]
    assert body.font.size.pt == 16
    kai = next(p for p in doc.paragraphs if p.text == "（一）加大整改力度。").runs[0]
    assert kai.font.name == docx_writer.face("subheading") and docx_writer.face("heading") in {
        "黑体",
        "Noto Sans CJK SC",
    }
    assert doc.inline_shapes and mm(doc.inline_shapes[0].width) == 156  # the chart, as an image
    # the annexes: the region table and the problem-site list, figure by figure
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in doc.tables}
    region = tables[("序号", "地区/部门", "运行数", "抽查数", "合格数", "合格率")]
    assert [c.text for c in region.rows[1].cells] == [
        "1", "北溪市", str(want["running"]), str(want["sampled"]), str(want["passed"]), want["rate"],
    ]  # fmt: skip
    listed = tables[("序号", "地区/部门", "网站名称", "首页地址", "结果", "突出问题")]
    assert len(listed.rows) == 1 + len(want["failed"])
    for row, entry in zip(listed.rows[1:], want["failed"], strict=True):
        cells = [c.text for c in row.cells]
        site = Site.objects.select_related("region").get(pk=entry.site.pk)
        city = Region.city_level(site.region.code)
        where = site.organizer if Region.level_of(city) == "province" else Region.objects.get(code=city).name
        assert cells[1:5] == [where, site.name, site.url, "不合格"]  # a provincial site is listed by its department
        if counted(entry)["update.column_stale"]:
            assert stale_text(entry) in cells[5]
        if counted(entry)["update.column_blank"]:
            assert f"空白栏目{counted(entry)['update.column_blank']}个" in cells[5]

    book = load_workbook(io.BytesIO(sheet_made.data))
    values = [[c.value for c in row] for ws in book.worksheets for row in ws.iter_rows()]
    assert ["序号", "地区/部门", "运行数", "抽查数", "合格数", "合格率"] in [v[:6] for v in values]
    assert [1, "北溪市", want["running"], want["sampled"], want["passed"], want["rate"]] in [v[:6] for v in values]
    names = [v[2] for v in values if len(v) > 4 and v[4] == "不合格"]
    assert "'" + HOSTILE in names and HOSTILE not in names  # text, never a formula
    # LibreOffice opens the .docx: its first page as PDF, then PNG, kept for a reviewer
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        pytest.skip("LibreOffice or poppler is not installed (apt-get install libreoffice-writer-nogui poppler-utils)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "bulletin.docx"
    source.write_bytes(made.data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)  # fmt: skip
    pdf = tmp_path / "bulletin.pdf"
    words = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"总体合格率{want['rate']}" in words.replace("\n", "").replace(" ", "")
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTIFACTS / "docx-page1")], check=True, timeout=60)  # fmt: skip
    assert (ARTIFACTS / "docx-page1.png").stat().st_size > 10_000


@needs_chromium
def test_html_and_pdf_and_the_kept_inputs(census: Campaign, tmp_path: Path) -> None:
    review_all(census)
    want = figures(census)
    Site.objects.filter(pk=want["failed"][0].site.pk).update(name=HOSTILE)
    bulletin = draft(census)
    with override_settings(DATA_DIR=tmp_path):
        page = exports.export(bulletin, "html")
        printed = exports.export(bulletin, "pdf")
    html = page.data.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert f"总体合格率{want['rate']}" in html and "<svg" in html
    assert printed.data.startswith(b"%PDF")
    kept = tmp_path / printed.export.path
    assert kept.read_bytes() == printed.data
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(kept), "-"], capture_output=True, text=True, check=True).stdout
        flat = words.replace("\n", "").replace(" ", "")
        assert f"总体合格率{want['rate']}" in flat and "—1—" in flat
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(kept),
                        str(ARTIFACTS / "pdf-page1")], check=True, timeout=60)  # fmt: skip
    # the export made again from its inputs after the data changed: the same bulletin
    CampaignSite.objects.filter(campaign=census).update(final_verdict=score.PASS)
    assert exports.rewrite(page.export) == page.data
    # the first page as the browser shows it
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        shown = browser.new_page(viewport={"width": 800, "height": 1130})
        shown.set_content(html)
        shown.screenshot(path=str(ARTIFACTS / "html-page1.png"))
        browser.close()


def test_the_ledger_is_an_annex(census: Campaign, tmp_path: Path) -> None:
    review_all(census)
    want = figures(census)
    rules = load("shandong-2017h1")
    ledger = Ledger.objects.create(name="台账", region=Region.objects.get(code="390000"), rules_name=rules.name,
                                   rules_text=rules.text)  # fmt: skip
    LedgerCampaign.objects.create(ledger=ledger, campaign=census, quarter="二季度", results_published=date(2026, 12, 1))
    LedgerLine.objects.create(ledger=ledger, unit_type="city", unit="北溪市", kind="missing_report", reason="未报送")
    # a record left stale: the registry now names another host than the one the scan landed on
    moved = census.sites.select_related("site").order_by("site__code").first()
    assert moved is not None and moved.scan_result is not None and moved.scan_result.homepage_url
    Site.objects.filter(pk=moved.site.pk).update(url="http://old-name.example.gov.cn/")
    bulletin = draft(census)
    bulletin.ledger = ledger
    bulletin.save()
    with override_settings(DATA_DIR=tmp_path):
        made = exports.export(bulletin, "xlsx")
    values = [
        [c.value for c in row] for ws in load_workbook(io.BytesIO(made.data)).worksheets for row in ws.iter_rows()
    ]
    failed = want["failed"]
    portals = sum(1 for e in failed if e.site.kind == "portal")
    unqualified = 2 * portals + (len(failed) - portals)
    row = next(v for v in values if v[1] == "北溪市" and v[0] == 1 and isinstance(v[2], int) and v[2] < 0)
    assert row[2] == -(unqualified + 1 + 5)
    assert row[3] == f"二季度 {len(failed)} 个不合格网站-{unqualified}；未报送自查报告-5；1 条网站基本信息未及时更新-1"
    Site.objects.filter(pk=moved.site.pk).update(url=moved.scan_result.homepage_url)  # the record corrected
    ranked = compute.rows(ledger)["city"][0]
    assert ranked.explanation("；") == f"二季度 {len(failed)} 个不合格网站-{unqualified}；未报送自查报告-5"


def test_every_check_has_a_phrase() -> None:
    from govsite.engine.profile import CHECK_IDS
    from govsite.platform.bulletins.phrases import PHRASES, phrase

    assert set(PHRASES) == set(CHECK_IDS)
    assert phrase("update.column_stale", 13) == "未按时更新栏目数量>5（13个栏目未按时更新）"
    assert phrase("update.column_stale", 3) == "3个栏目未按时更新"


def test_a_bulletin_row_is_kept(census: Campaign) -> None:
    assert draft(census) == draft(census) and Bulletin.objects.count() == 1


@pytest.mark.django_db(transaction=True)  # the command reads the committed rows from another process
def test_the_command_refuses_unreviewed_sites_then_writes(census: Campaign, tmp_path: Path) -> None:
    env = {"GOVSITE_DATA_DIR": str(tmp_path / "var"), "GOVSITE_DATABASE_URL": database_url(connection),
           "GOVSITE_LANG": "zh"}  # fmt: skip
    refused = govsite("bulletin", str(census.pk), "--format", "xlsx", cwd=tmp_path, **env)
    assert refused.returncode == 1 and "尚未完成核查" in refused.stderr and "39040" in refused.stderr
    assert not list(tmp_path.glob("bulletin-*"))
    done = govsite("bulletin", str(census.pk), "--format", "xlsx", "--use-scan-verdicts", cwd=tmp_path, **env)
    assert done.returncode == 0, done.stderr
    name = f"bulletin-{Bulletin.objects.filter(campaign=census).latest('pk').pk}.xlsx"  # named by the bulletin's own id
    sheets = load_workbook(tmp_path / name).sheetnames
    assert sheets[0] == "附件1" and name in done.stdout


def test_a_bulletin_over_a_period_counts_every_campaign(census: Campaign, sample_scans: Scans) -> None:
    region = Region.objects.get(code=CITY)
    later_as_of = AS_OF + timedelta(days=20)  # the dashboards' later census too: scanned once a run
    later = scanned_campaign(sample_scans, name="北溪市复查", kind="census", region=region, as_of=later_as_of)
    later.inspectors.add(User.objects.get(username="inspector"))
    review_all(census)
    review_all(later)
    first, second = figures(census), figures(Campaign.objects.get(pk=later.pk))
    bulletin = draft(census)
    bulletin.more_campaigns.set([later])
    doc = assemble(bulletin)
    sampled = first["sampled"] + second["sampled"]
    passed = first["passed"] + second["passed"]
    failed = len(first["failed"]) + len(second["failed"])
    rate = f"{round(100 * passed / (passed + failed), 1):.1f}".removesuffix(".0") + "%"
    text = "".join(doc.sections[0].paragraphs)
    assert f"本期2次普查共普查政府网站{sampled}个，合格{passed}个，不合格{failed}个，总体合格率{rate}。" in text
    listed = next(t for a in doc.annexes for t in a.tables if "突出问题" in t.columns)
    assert len(listed.rows) == failed


def test_repeat_offenders_and_pass_streaks_are_printed(census: Campaign, sample_scans: Scans, tmp_path: Path) -> None:
    """A site failing again after a published bulletin listed it is marked 屡查屡犯 in the
    list and counted in the text; a city whose sites passed both checks keeps seed 000's
    "连续两个季度…合格率达100%"."""
    region = Region.objects.get(code=CITY)
    later = scanned_campaign(
        sample_scans, name="北溪市复查", kind="census", region=region, as_of=AS_OF + timedelta(days=20)
    )
    later.inspectors.add(User.objects.get(username="inspector"))
    review_all(census)
    review_all(later)
    before = {e.site_id for e in figures(census)["failed"]}
    again = [e for e in figures(later)["failed"] if e.site_id in before]
    assert again, "the fleet's failing sites fail both checks"
    first = draft(census)
    with override_settings(DATA_DIR=tmp_path):
        assert "屡查屡犯" not in exports.export(draft(later), "html").data.decode()
        Publication.objects.create(kind="bulletin", title=first.title, region=region, content={}, bulletin=first,
                                   published=AS_OF + timedelta(days=10))  # fmt: skip
        bulletin = draft(later)
        made, sheet = exports.export(bulletin, "docx"), exports.export(bulletin, "xlsx")
    doc = Document(io.BytesIO(made.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"其中，{len(again)}个网站此前已被通报为不合格，本次普查仍不合格，在名单中标注为“屡查屡犯”。" in text
    listed = next(t for t in doc.tables if len(t.columns) == 6 and t.rows[0].cells[5].text == "突出问题")
    marked = {row.cells[3].text for row in listed.rows[1:] if row.cells[4].text == "不合格（屡查屡犯）"}
    assert marked == {e.site.url for e in again}
    rows = [[c.value for c in r] for ws in load_workbook(io.BytesIO(sheet.data)).worksheets for r in ws.iter_rows()]
    assert {r[3] for r in rows if len(r) > 4 and r[4] == "不合格（屡查屡犯）"} == {e.site.url for e in again}
    assert "连续" not in text  # 北溪市 failed sites: no streak
    # every site of the city passes both checks (a reviewer's overruling verdict)
    CampaignSite.objects.filter(campaign__in=[census, later]).update(final_verdict=score.PASS)
    text = "".join(assemble(draft(later)).sections[0].paragraphs)
    assert "其中，北溪市政府网站普查合格率为100%。" in text and "连续" not in text  # both checks in one quarter
    Campaign.objects.filter(pk=later.pk).update(as_of=AS_OF + timedelta(days=60))  # the next calendar quarter
    text = "".join(assemble(draft(Campaign.objects.get(pk=later.pk))).sections[0].paragraphs)
    assert "其中，北溪市政府网站普查合格率为100%。北溪市连续两个季度普查合格率达100%。" in text


def test_the_provincial_departments_keep_a_pass_rate_and_a_streak_as_cities_do(sample_world: World) -> None:
    """省直部门 (the province's own sites) are one group of the bulletin beside the cities:
    their row in the per-region table, the 100 % sentence and seed 000's streak sentence,
    counted in calendar quarters."""
    load_sample_province(sample_world)
    province = Region.objects.get(code="390000")
    departments = list(Site.objects.filter(region=province, status="running").order_by("code")[:2])
    city = list(Site.objects.filter(region__code__startswith="3904", status="running").order_by("code")[:2])
    assert len(departments) == 2 and len(city) == 2

    def check(name: str, as_of: datetime, failing: Site) -> Campaign:
        made = Campaign.objects.create(name=name, kind="spot_check", region=province, seed=0, profile_name="p",
                                       profile_version="1", profile_digest="d", profile_text="", state="finished",
                                       as_of=as_of)  # fmt: skip
        for s in departments + city:
            v = score.FAIL if s == failing else score.PASS
            CampaignSite.objects.create(campaign=made, site=s, stratum="x", state="done", verdict=v, final_verdict=v)
        return made

    check("2026年第三季度抽查", datetime(2026, 8, 20, 10, tzinfo=CST), city[0])
    latest = check("2026年第四季度抽查", datetime(2026, 11, 20, 10, tzinfo=CST), city[1])
    doc = assemble(draft(latest))
    text = "".join(doc.sections[0].paragraphs)
    assert "其中，省直部门政府网站抽查合格率为100%。省直部门连续两个季度抽查合格率达100%。" in text
    table = next(t for a in doc.annexes for t in a.tables if "运行数" in t.columns)
    running = Site.objects.filter(region=province, status="running").count()
    assert ["省直部门", str(running), "2", "2", "100%"] in [row[1:] for row in table.rows]
    CampaignSite.objects.filter(campaign__name="2026年第三季度抽查", site=departments[0]).update(
        final_verdict=score.FAIL
    )
    text = "".join(assemble(draft(latest)).sections[0].paragraphs)
    assert "省直部门政府网站抽查合格率为100%。" in text and "连续" not in text
    # a failing department is listed by its own name (主办单位), the city's site by its city
    CampaignSite.objects.filter(campaign=latest, site=departments[1]).update(final_verdict=score.FAIL)
    listed = next(t for a in assemble(draft(latest)).annexes for t in a.tables if "突出问题" in t.columns)
    where = {row[3]: row[1] for row in listed.rows}
    assert departments[1].organizer and where[departments[1].url] == departments[1].organizer
    assert where[city[1].url] == Region.objects.get(code="390400").name


def test_error_report_figures_come_from_the_error_reports(census: Campaign) -> None:
    """Seed 000's sentence (有效留言…条，总体办结率…；…留言按期办结率达100%) from the region's
    error reports of the campaign's quarter, as of the bulletin's date."""
    review_all(census)
    site = Site.objects.filter(region__code__startswith=CITY[:4]).order_by("code").first()
    assert site is not None

    def at(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), CST) + timedelta(hours=10)

    def report(received: date, due: date, state: str = "closed", closed: date | None = None) -> Report:
        return Report.objects.create(site=site, kind="other", description="页面内容有误", state=state, due=due,
                                     received=at(received), closed_at=at(closed) if closed else None)  # fmt: skip

    report(date(2026, 10, 12), date(2026, 10, 15), closed=date(2026, 10, 14))  # on time
    report(date(2026, 11, 2), date(2026, 11, 5), closed=date(2026, 11, 5))  # on time
    late = report(date(2026, 11, 16), date(2026, 11, 19), state="accepted")  # open past its deadline
    report(date(2026, 11, 17), date(2026, 11, 20), state="invalid")  # not a valid message
    report(date(2026, 9, 21), date(2026, 9, 24), state="accepted")  # the quarter before: not counted
    bulletin = draft(census)
    bulletin.issued = date(2026, 12, 3)
    text = "".join(assemble(bulletin).sections[0].paragraphs)
    assert "“我为政府网站找错”平台收到网民有效留言3条，总体办结率66.7%。" in text
    assert "按期办结率达100%" not in text
    Report.objects.filter(pk=late.pk).update(state="closed", closed_at=at(date(2026, 11, 18)))
    text = "".join(assemble(bulletin).sections[0].paragraphs)
    assert "收到网民有效留言3条，总体办结率100%。北溪市留言按期办结率达100%。" in text
    Report.objects.all().delete()
    assert "找错" not in "".join(assemble(bulletin).sections[0].paragraphs)  # no messages: no made-up zero


def test_sites_closed_before_the_results_were_published_are_said_so(census: Campaign) -> None:
    """Seed 004: 菏泽市 4 家不合格网站在抽查情况公示前已进行了关停（不计入当季考核成绩）— still
    among the unqualified sites, named as closed when the closure was filed by publication."""
    review_all(census)
    want = figures(census)
    gone = want["failed"][0]
    Site.objects.filter(pk=gone.site.pk).update(status="closure_requested", status_since=date(2026, 12, 1))
    bulletin = draft(census)
    bulletin.issued = date(2026, 12, 3)
    text = "".join(assemble(bulletin).sections[0].paragraphs)
    assert f"不合格{len(want['failed'])}个，总体合格率{want['rate']}。" in text
    assert "其中，北溪市1家不合格网站在普查情况公示前已进行了关停（不计入当季考核成绩）。" in text
    bulletin.issued = date(2026, 11, 30)  # filed after the bulletin
    assert "关停" not in "".join(assemble(bulletin).sections[0].paragraphs)
    rules = load("shandong-2017h1")  # a ledger's quarter names the day its results were published
    bulletin.ledger = Ledger.objects.create(name="台账", region=census.region, rules_name=rules.name,
                                            rules_text=rules.text)  # fmt: skip
    LedgerCampaign.objects.create(ledger=bulletin.ledger, campaign=census, quarter="四季度",
                                  results_published=date(2026, 12, 2))  # fmt: skip
    assert "北溪市1家不合格网站" in "".join(assemble(bulletin, use_scan_verdicts=True).sections[0].paragraphs)


def test_the_lower_levels_self_inspection_and_its_reverification(
    census: Campaign, sample_scans: Scans, tmp_path: Path
) -> None:
    """Seed 000: 各地区、各部门共抽查本地区、本部门政府网站…个，占运行政府网站总数的…，总体合格率…。经抽样复核…
    — from the self-inspection round compared with this campaign and its sampled re-verification."""
    province = Region.objects.get(code="390000")
    round_ = selfinspection.create_round(name="2026年第四季度自查", period="2026Q4", region=province,
                                         deadline=date(2026, 11, 30), campaign=census)  # fmt: skip
    assert "自查" not in "".join(assemble(draft(census), use_scan_verdicts=True).sections[0].paragraphs)
    unit = selfinspection.unit_of(round_, f"region:{CITY}")
    assert unit is not None
    rows = "网站标识码,自查得分,自查结论\n" + "".join(f"{s.code},95,合格\n" for s in unit.sites[:3])
    rows += f"{unit.sites[3].code},,不合格\n"
    with override_settings(DATA_DIR=tmp_path):
        selfinspection.submit(round_, unit, person("city"), ("t.csv", rows.encode()), ("r.pdf", b"%PDF-1.4"))
    made = selfinspection.draw_reverification(round_, unit.key, Decimal("1"), as_of=AS_OF, seed=3)
    filled(sample_scans, made.campaign)  # scanned as the executor stores a run
    result = selfinspection.agreement(made)
    assert result.compared
    running = sum(len(u.sites) for u in selfinspection.units(round_))
    share = f"{round(100 * 4 / running, 1):.1f}".removesuffix(".0") + "%"
    rate = f"{round(100 * result.agreed / result.compared, 1):.1f}".removesuffix(".0") + "%"
    text = "".join(assemble(draft(census), use_scan_verdicts=True).sections[0].paragraphs)
    assert f"各地区、各部门共自查本地区、本部门政府网站4个，占运行政府网站总数的{share}，总体合格率75%。" in text
    assert f"经抽样复核{result.compared}个网站，{result.agreed}个与自查结论一致，一致率{rate}。" in text
