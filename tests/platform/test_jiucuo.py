"""Error reports (我为政府网站找错): the public form, the unit's and the supervisors'
handling per persona, the national platform's exchange files and API, figures, reminders."""

from __future__ import annotations

import csv
import io
import re
import struct
import threading
import zipfile
import zlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from PIL import Image

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.jiucuo import exchange, figures
from govsite.platform.jiucuo.intake import forward
from govsite.platform.jiucuo.models import CalendarChange, CalendarDay, CalendarYear, Report, Step
from govsite.platform.jiucuo.privacy import mask_contact
from govsite.platform.jiucuo.reminders import send_reminders
from govsite.platform.jiucuo.workdays import WorkCalendar, add_working_days, forget_calendar, package_years
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

from .jiucuo_helpers import form_fields, report_fields

pytestmark = pytest.mark.django_db(transaction=True)
SITE, OTHER_SITE = "3904000001", "3901000001"

PERSONAS = {
    "admin": (Role.ADMIN, None, []),
    "province": (Role.PROVINCIAL, "390000", []),
    "city": (Role.MUNICIPAL, "390400", []),
    "other_city": (Role.MUNICIPAL, "390100", []),
    "inspector": (Role.INSPECTOR, None, []),
    "operator": (Role.OPERATOR, None, [SITE]),
    "other_operator": (Role.OPERATOR, None, [OTHER_SITE]),
}


@pytest.fixture
def people(sample_world: World) -> None:
    forget_calendar()  # a rolled-back test's table must not linger in the process's cache
    load_sample_province(sample_world)
    for name, (role, region, sites) in PERSONAS.items():
        user = User.objects.create_user(name, email=f"{name}@example.gov.cn", password="pw")
        m = Membership.objects.create(user=user, role=role, region=Region.objects.get(code=region) if region else None)
        m.sites.set(Site.objects.filter(code__in=sites))


def client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password="pw")
    return c


def send(c: Client, site: str = SITE, **given: Any) -> Any:
    page = c.get(f"/jiucuo/?site={site}")
    assert page.status_code == 200
    return c.post(f"/jiucuo/?site={site}", {**form_fields(page.content.decode()), **report_fields(**given)})


def png(width: int = 40, height: int = 30, trailer: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue() + trailer


# -- the public side ---------------------------------------------------------------------------


def test_search_the_form_and_one_ticket_per_form(people: None) -> None:
    c = Client()
    found = c.get("/jiucuo/?q=北溪市")
    assert found.status_code == 200 and f"?site={SITE}" in found.content.decode()
    assert "3904000001" in c.get("/jiucuo/?q=3904000001").content.decode()
    unknown = c.get("/jiucuo/?site=9999999999")
    assert unknown.status_code == 404 and "9999999999" in unknown.content.decode()
    page = c.get(f"/jiucuo/?site={SITE}")
    fields = {**form_fields(page.content.decode()), **report_fields()}
    first = c.post(f"/jiucuo/?site={SITE}", fields)
    again = c.post(f"/jiucuo/?site={SITE}", fields)  # a double click, a retried request
    assert first.status_code == again.status_code == 200
    assert Report.objects.count() == 1
    report = Report.objects.get()
    for response in (first, again):
        assert report.number in response.content.decode()
    assert first.context["receipt"].code == again.context["receipt"].code
    assert report.due == WorkCalendar().add_working_days(timezone.localdate(report.received), 3)
    assert report.steps.get().action == Step.Action.SUBMITTED


def test_every_rejected_input_gets_a_clear_message(people: None, settings: Any) -> None:
    c = Client()
    wrong = send(c, answer="999")
    assert wrong.status_code == 400 and "答案不正确" in wrong.content.decode()
    bad = send(c, contact="call me", page_url="javascript:alert(1)", description="x")
    text = bad.content.decode()
    assert bad.status_code == 400 and "请填写电话号码或电子邮箱" in text and "http://" in text and "至少 5 个字" in text
    assert Report.objects.count() == 0
    settings.JIUCUO_RATE_LIMIT = (2, 3600)
    assert send(c).status_code == 200 and send(c).status_code == 200
    limited = send(c)
    assert limited.status_code == 429 and "过于频繁" in limited.content.decode()
    assert Report.objects.count() == 2


def test_the_rate_limit_holds_for_posts_sent_at_the_same_moment(people: None, settings: Any) -> None:
    """Twelve forms from one address posted at once, each request in its own thread with its
    own database connection: exactly the limit's three pass. SQLite serialises the check with
    IMMEDIATE transactions, PostgreSQL with a transaction-level advisory lock per client (the
    PostgreSQL rerun, test_postgres.py, runs this file); without it several would pass."""
    settings.JIUCUO_RATE_LIMIT = (3, 3600)
    forms = [form_fields(Client().get(f"/jiucuo/?site={SITE}").content.decode()) for _ in range(12)]
    start, statuses = threading.Barrier(len(forms)), []

    def post(fields: dict[str, str]) -> None:
        c = Client()
        try:
            start.wait()
            statuses.append(c.post(f"/jiucuo/?site={SITE}", {**fields, **report_fields()}).status_code)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=post, args=(fields,)) for fields in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 3 + [429] * 9
    assert Report.objects.count() == 3


def test_the_entrance_script_and_the_page_address_it_passes(people: None) -> None:
    c = Client()
    script = c.get("/jiucuo/jiucuo.js")
    source = script.content.decode()
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    assert 'link.textContent = "我为政府网站找错";' in source and "innerHTML" not in source
    hostile = c.get(f"/jiucuo/?site={SITE}&url=" + quote('http://www.beixi.gov.cn/a.html?x=1"><script>'))
    assert 'value="http://www.beixi.gov.cn/a.html?x=1&quot;&gt;&lt;script&gt;"' in hostile.content.decode()
    for refused in ("javascript:alert(1)", "http://www.beixi.gov.cn/" + "a" * 500):
        page = c.get(f"/jiucuo/?site={SITE}&url=" + quote(refused)).content.decode()
        assert 'id="id_page_url" maxlength="500" size="60" required value=""' in page


def test_forms_need_the_csrf_token(people: None) -> None:
    c = Client(enforce_csrf_checks=True)
    page = c.get(f"/jiucuo/?site={SITE}")
    fields = {k: v for k, v in form_fields(page.content.decode()).items() if k != "csrfmiddlewaretoken"}
    assert c.post(f"/jiucuo/?site={SITE}", {**fields, **report_fields()}).status_code == 403
    assert Report.objects.count() == 0


def test_screenshots_are_checked_by_content_and_re_encoded(people: None, settings: Any) -> None:
    c = Client()
    exif_and_trailer = png(trailer=b"<?php system($_GET['c']); ?>")
    stored = send(c, screenshot=SimpleUploadedFile("shot.png", exif_and_trailer, "image/png"))
    assert stored.status_code == 200
    data = bytes(Report.objects.get().screenshot.data)
    assert data.startswith(b"\x89PNG") and b"php" not in data and Image.open(io.BytesIO(data)).size == (40, 30)
    text_as_png = send(c, screenshot=SimpleUploadedFile("shot.png", b"<html>not a picture</html>", "image/png"))
    assert text_as_png.status_code == 400 and "截图必须是图片" in text_as_png.content.decode()
    # a PNG header claiming 100000 × 100000 pixels: refused before decoding
    header = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
    )
    bomb = header + struct.pack(">I", zlib.crc32(header[12:29]))
    assert send(c, screenshot=SimpleUploadedFile("b.png", bomb, "image/png")).status_code == 400
    settings.JIUCUO_SCREENSHOT_MAX_BYTES = 2000
    big = send(c, screenshot=SimpleUploadedFile("big.png", png(300, 300) + b"\0" * 5000, "image/png"))
    assert big.status_code == 413 and "截图超过" in big.content.decode()  # stopped by the capped upload handler
    settings.JIUCUO_SCREENSHOT_MAX_BYTES = 0
    huge = send(c, screenshot=SimpleUploadedFile("big.png", b"\0" * 70_000, "image/png"))
    assert huge.status_code == 413  # refused by its Content-Length, before reading
    assert Report.objects.count() == 1


def test_follow_a_report_with_its_number_and_code(people: None) -> None:
    public = Client()
    receipt = send(public, description="<script>alert('x')</script> 错别字", contact="someone@example.cn").context[
        "receipt"
    ]
    number, code = receipt.report.number, receipt.code
    assert public.post("/jiucuo/track/", {"number": number, "code": "WRONG"}).status_code == 404
    assert public.post("/jiucuo/track/", {"number": "JC" + "9" * 18, "code": code}).status_code == 404
    shown = public.post("/jiucuo/track/", {"number": number, "code": code.lower()})
    text = shown.content.decode()
    assert shown.status_code == 200 and "待受理" in text
    assert "<script>alert" not in text and "&lt;script&gt;" in text and "someone@example.cn" not in text
    operator = client("operator")
    for action, extra in (("accept", {}), ("reply", {"text": "已改正，感谢 <b>指正</b>"}), ("close", {})):
        assert (
            operator.post(f"/jiucuo/reports/{receipt.report.pk}/act/", {"action": action, **extra}).status_code == 302
        )
    text = public.post("/jiucuo/track/", {"number": number, "code": code}).content.decode()
    assert "已办结" in text and "已改正，感谢 &lt;b&gt;指正&lt;/b&gt;" in text


# -- handling per persona ----------------------------------------------------------------------


def test_each_persona_sees_and_does_what_its_role_allows(people: None) -> None:
    receipt = send(Client()).context["receipt"]
    pk = receipt.report.pk
    detail, acting = f"/jiucuo/reports/{pk}/", f"/jiucuo/reports/{pk}/act/"
    sees = {"admin", "province", "city", "operator"}
    for name in PERSONAS:
        c = client(name)
        listed = c.get("/jiucuo/reports/").content.decode()
        assert (receipt.report.number in listed) == (name in sees), name
        if name in sees:
            assert "138****5678" in listed and "13812345678" not in listed, name
        assert c.get(detail).status_code == (200 if name in sees else 404), name
        unit_try = c.post(acting, {"action": "accept"})
        supervisor_try = c.post(acting, {"action": "invalidate", "text": ""})
        if name not in sees:
            assert unit_try.status_code == supervisor_try.status_code == 404, name
        else:
            assert supervisor_try.status_code == (400 if name != "operator" else 403), name  # a reason is required
            assert unit_try.status_code == (302 if name in ("operator", "admin") else 403), name
            if unit_try.status_code == 302:
                Report.objects.filter(pk=pk).update(state="new")  # for the next persona
    anonymous = Client().get(detail)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_supervisor_reassigns_returns_and_invalidates_with_audit(people: None) -> None:
    pk = send(Client()).context["receipt"].report.pk
    city, operator, other = client("city"), client("operator"), client("other_operator")
    acting = f"/jiucuo/reports/{pk}/act/"
    assert (
        city.post(acting, {"action": "reassign", "site": OTHER_SITE, "text": "不在本市"}).status_code == 400
    )  # not theirs
    province = client("province")
    assert (
        province.post(acting, {"action": "reassign", "site": OTHER_SITE, "text": "应由云江市办理"}).status_code == 302
    )
    report = Report.objects.get(pk=pk)
    assert report.site.code == OTHER_SITE and report.state == "new"
    assert operator.get(f"/jiucuo/reports/{pk}/").status_code == 404  # no longer theirs
    for action, extra in (("accept", {}), ("reply", {"text": "已处理"})):
        assert other.post(acting, {"action": action, **extra}).status_code == 302
    assert province.post(acting, {"action": "return", "text": "答复过于简单"}).status_code == 302
    assert Report.objects.get(pk=pk).state == "accepted" and Report.objects.get(pk=pk).returns == 1
    assert other.post(acting, {"action": "close"}).status_code == 400  # nothing to close: the reply went back
    assert province.post(acting, {"action": "invalidate", "text": "重复留言"}).status_code == 302
    steps = [(s.action, s.user.username if s.user else None) for s in Report.objects.get(pk=pk).steps.all()]
    assert steps == [("submitted", None), ("reassigned", "province"), ("accepted", "other_operator"),
                     ("replied", "other_operator"), ("returned", "province"), ("invalidated", "province")]  # fmt: skip
    page = province.get(f"/jiucuo/reports/{pk}/").content.decode()
    assert "重复留言" in page and "应由云江市办理" in page


# -- exchange with the national platform ------------------------------------------------------


def national_csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([h for h, _, _ in exchange.IMPORT_COLUMNS])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_national_import_checks_the_whole_file_and_keeps_national_ids(people: None) -> None:
    city = client("city")
    good = ["GJ2026000001", SITE, "信息不更新", "http://www.beixi.gov.cn/", "栏目长期未更新", "2026-11-02 09:30", ""]
    bad = national_csv(good, ["GJ2026000002", OTHER_SITE, "乱码", "ftp://x", "", "昨天", "nobody"])
    rejected = city.post("/jiucuo/reports/import/", {"file": SimpleUploadedFile("n.csv", bad)})
    errors = {(e.row, e.column) for e in rejected.context["errors"]}
    assert rejected.status_code == 400 and Report.objects.count() == 0
    assert errors == {
        (3, "网站标识码"),
        (3, "问题类型"),
        (3, "问题页面"),
        (3, "留言内容"),
        (3, "留言时间"),
        (3, "联系方式"),
    }
    data = national_csv(good, ["GJ2026000003", SITE, "其他", "", '=HYPERLINK("http://evil")', "2026/11/03", "a@b.cn"])
    assert city.post("/jiucuo/reports/import/", {"file": SimpleUploadedFile("n.csv", data)}).status_code == 200
    again = city.post("/jiucuo/reports/import/", {"file": SimpleUploadedFile("n.csv", data)})
    assert len(again.context["imported"].skipped) == 2 and Report.objects.count() == 2
    imported = Report.objects.get(national_id="GJ2026000001")
    assert imported.source == "national" and imported.due == date(2026, 11, 5)  # Monday + 3 working days
    assert client("operator").post("/jiucuo/reports/import/", {}).status_code == 403


def national_xlsx(*rows: list[Any]) -> bytes:
    book = Workbook()
    book.active.append([h for h, _, _ in exchange.IMPORT_COLUMNS])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewritten(book: bytes, dimension: str = "", extra_rows: str = "") -> bytes:
    """``book`` with its sheet's declared dimension replaced and rows appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', data.decode())
                data = text.replace("</sheetData>", extra_rows + "</sheetData>").encode()
            dst.writestr(item, data)
    return out.getvalue()


GOOD_NATIONAL = [
    "GJ2026000001",
    SITE,
    "信息不更新",
    "http://www.beixi.gov.cn/",
    "栏目长期未更新",
    "2026-11-02 09:30",
    "",
]


def test_national_files_are_read_within_bounds_and_crafted_ones_refused(people: None, settings: Any) -> None:
    """The registry's bounded reader reads the national platform's files too: each wrong,
    oversized or crafted file gets a clear message, and nothing is written."""
    city = client("city")
    settings.REGISTRY_UNZIPPED_MAX_BYTES = 64 * 1024  # a small cap, so a small file can cross it
    bomb = national_xlsx(*[[f"GJ{n:010d}", SITE, "其他", "", "x" * 1900, "2026-11-02", ""] for n in range(200)])
    crafted = {
        "wrong.txt": (national_csv(GOOD_NATIONAL), "只接受 .xlsx 或 .csv"),
        "picture.xlsx": (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "不是有效的 .xlsx"),
        "bomb.xlsx": (bomb, "解压后超过"),
        "broken.xlsx": (_rewritten(national_xlsx(GOOD_NATIONAL), "A1:G3",
                                   '<row r="3"><c r="A3" t="s"><v>99999</v></c></row>'), "第 3 行无法读取"),
        "long.csv": (national_csv(GOOD_NATIONAL, ["GJ2", SITE, "其他", "", "张" * 131_073, "2026-11-02", ""]),
                     "第 3 行无法读取"),
        "wide.csv": (national_csv([*GOOD_NATIONAL, *["x"] * 10]).replace(b"\r\n", b"," + b"h," * 80 + b"\r\n", 1),
                     "表头超过"),
        "blank.csv": (b"", "文件为空"),
        "rows.csv": (national_csv(*[[f"GJ{n}", SITE, "其他", "", "内容五个字", "2026-11-02", ""]
                                    for n in range(exchange.MAX_ROWS + 1)]), f"超过 {exchange.MAX_ROWS} 行"),
    }  # fmt: skip
    for name, (data, message) in crafted.items():
        page = city.post("/jiucuo/reports/import/", {"file": SimpleUploadedFile(name, data)})
        assert page.status_code == 400, name
        assert any(message in e.message for e in page.context["errors"]), (name, page.context["errors"])
        assert message in page.content.decode(), name
    big = SimpleUploadedFile("big.csv", national_csv(GOOD_NATIONAL) + b"\r\n" * exchange.MAX_BYTES)
    assert city.post("/jiucuo/reports/import/", {"file": big}).status_code == 400  # refused by its size, unread
    with pytest.raises(exchange.ImportRejected, match="文件超过 10 MB"):
        exchange.read_file("big.csv", b"x" * (exchange.MAX_BYTES + 1))
    assert Report.objects.count() == 0
    # what the reader keeps: a huge declared sheet is read as what it holds, times of day survive
    huge = _rewritten(national_xlsx([*GOOD_NATIONAL[:5], datetime(2026, 11, 2, 9, 30), "a@b.cn"]), "A1:XFD1048576")
    assert city.post("/jiucuo/reports/import/", {"file": SimpleUploadedFile("n.xlsx", huge)}).status_code == 200
    imported = Report.objects.get()
    assert timezone.localtime(imported.received).strftime("%Y-%m-%d %H:%M") == "2026-11-02 09:30"


def test_exported_replies_are_neutralised(people: None) -> None:
    pk = send(Client(), description="=cmd|' /C calc'!A0 注入").context["receipt"].report.pk
    operator = client("operator")
    for action, extra in (("accept", {}), ("reply", {"text": "+SUM(1,2) 已处理"}), ("close", {})):
        operator.post(f"/jiucuo/reports/{pk}/act/", {"action": action, **extra})
    city = client("city")
    rows = list(csv.reader(io.StringIO(city.get("/jiucuo/reports/export.csv").content.decode("utf-8-sig"))))
    assert rows[0] == [h for h, _ in exchange.EXPORT_COLUMNS]
    assert rows[1][10] == "'+SUM(1,2) 已处理" and rows[1][6] == "已办结" and rows[1][9] == "是"
    book = load_workbook(io.BytesIO(city.get("/jiucuo/reports/export.xlsx").content))
    cell = book.active.cell(row=2, column=11)
    assert cell.value == "'+SUM(1,2) 已处理" and cell.data_type == "s"
    assert client("operator").get("/jiucuo/reports/export.csv").status_code == 403


def test_the_api_imports_lists_and_exports(people: None) -> None:
    city = client("city")
    record = {"national_id": "GJ9", "site_code": SITE, "kind": "broken", "page_url": "", "description": "链接打不开",
              "received": "2026-11-02T09:00:00+08:00", "contact": ""}  # fmt: skip
    bad = city.post(
        "/api/v1/error-reports/import/", [{**record, "site_code": OTHER_SITE}], content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["column"] == "网站标识码"
    made = city.post("/api/v1/error-reports/import/", [record], content_type="application/json")
    assert made.status_code == 201 and made.json() == {"created": [Report.objects.get().number], "skipped": []}
    listed = city.get("/api/v1/error-reports/").json()["results"]
    assert listed[0]["national_id"] == "GJ9" and "contact" not in listed[0]
    replies = city.get("/api/v1/error-reports/replies/").json()["results"]
    assert replies[0]["national_id"] == "GJ9" and replies[0]["state"] == "待受理"
    assert (
        client("operator").post("/api/v1/error-reports/import/", [record], content_type="application/json").status_code
        == 403
    )
    assert client("other_city").get("/api/v1/error-reports/").json()["results"] == []


# -- figures, the ledger's input, reminders ----------------------------------------------------


def received_on(day: date, site: str = SITE, **values: Any) -> Report:
    when = timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=10))
    due = WorkCalendar().add_working_days(day, 3)
    return Report.objects.create(site=Site.objects.get(code=site), kind="other", description="x" * 10,
                                 received=when, due=due, **values)  # fmt: skip


def closed(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=15))


def test_figures_per_unit_and_region_and_the_ledger_input(people: None) -> None:
    # received 2026-09-30 (due 10-10, a working Saturday), closed on time / late / open; one invalid
    received_on(date(2026, 9, 30), state="closed", closed_at=closed(date(2026, 10, 10)))
    late = received_on(date(2026, 9, 30), state="closed", closed_at=closed(date(2026, 10, 14)))
    received_on(date(2026, 9, 30), site=OTHER_SITE)
    received_on(date(2026, 9, 30), state="invalid")
    received_on(date(2026, 12, 1))  # outside the period
    start, end, today = date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 13)
    _, total = figures.tallies(Report.objects.all(), start, end, "unit", today=today)
    assert (total.received, total.valid, total.closed, total.overdue) == (4, 3, 2, 2)
    assert (total.closed_rate, total.on_time_rate) == (Decimal("66.7"), Decimal("33.3"))
    assert total.overdue_days == 3 + 2  # 10-14 is 3 working days past 10-10 (12, 13, 14); the open one 2 by 10-13
    by_region = {t.key: t for t in figures.tallies(Report.objects.all(), start, end, "region", today=today)[0]}
    assert by_region["390400"].received == 3 and by_region["390100"].overdue == 1
    ledger = figures.overdue_reports(Report.objects.all(), start, end, today=today)
    assert [(o.site_code, o.number, o.days_overdue) for o in ledger if o.site_code == SITE] == [(SITE, late.number, 3)]
    assert len(ledger) == 2
    page = client("city").get("/jiucuo/figures/?start=2026-07-01&end=2026-09-30&by=region")
    assert page.status_code == 200 and "<svg" in page.content.decode() and page.context["total"].received == 3
    api = client("province").get("/api/v1/error-reports/figures/?start=2026-07-01&end=2026-09-30&by=unit").json()
    assert api["total"]["received"] == 4 and {r["label"] for r in api["rows"]} >= {"云江市人民政府办公室"}


def test_reminders_go_once_before_the_deadline(people: None) -> None:
    report = received_on(date(2026, 11, 30))  # due 12-03
    sent = send_reminders(today=date(2026, 12, 2))
    assert (
        sent == 1
        and mail.outbox[0].to == ["operator@example.gov.cn", Site.objects.get(code=SITE).email]
        and report.number in mail.outbox[0].subject
    )
    assert send_reminders(today=date(2026, 12, 2)) == 0 and len(mail.outbox) == 1
    assert send_reminders(today=date(2026, 11, 30)) == 0  # not yet within a working day of the deadline


def test_contacts_are_masked() -> None:
    assert mask_contact("13812345678") == "138****5678"
    assert mask_contact("zhang.san@example.cn") == "z********@example.cn"
    assert mask_contact("") == ""


# -- the holiday table's page -------------------------------------------------------------------


def test_the_holiday_table_page_edits_validates_and_audits(people: None) -> None:
    first, last = package_years()
    beyond = last + 1  # the first year chinese-calendar does not cover
    assert Client().get("/jiucuo/calendar/").status_code == 302  # to the login
    for name in ("operator", "inspector"):
        assert client(name).get("/jiucuo/calendar/").status_code == 403
    site = Site.objects.get(code=SITE)
    waiting, _ = forward(national_id="GJ-GAP", site=site, kind="other", page_url="", description="跨年的留言",
                         contact="", received=timezone.make_aware(datetime(last, 12, 30, 10)))  # fmt: skip
    assert waiting.due is None  # its third working day lies in a year no calendar covers
    city = client("city")
    page = city.get("/jiucuo/calendar/").content.decode()
    assert f"{first}–{last}" in page and f'id="year-{beyond}"' in page
    assert ('id="gap"' in page) == (last < timezone.localdate().year + 1)  # next year's arrangement is missing
    refused = {
        (("action", "set"), ("day", f"{beyond}-02-30"), ("kind", "休")): "YYYY-MM-DD",
        (("action", "set"), ("day", "1999-01-01"), ("kind", "休")): "只能填写",
        (("action", "set"), ("day", f"{beyond}-01-01"), ("kind", "假")): "休",
        (("action", "declare"), ("year", str(beyond)), ("source", "国办发明电")): "请先填写",
        (("action", "declare"), ("year", str(last)), ("source", "国办发明电")): "已包含",
        (("action", "remove"), ("day", f"{beyond}-03-03")): "没有",
        (("action", "undeclare"), ("year", "20x7")): "四位数字",
    }
    for fields, message in refused.items():
        answer = city.post("/jiucuo/calendar/", dict(fields))
        assert answer.status_code == 400 and message in answer.context["error"], (fields, answer.context["error"])
    assert CalendarDay.objects.count() == CalendarYear.objects.count() == CalendarChange.objects.count() == 0
    notice = f"国办发明电〔{last}〕99号"
    entered = {"action": "set", "day": f"{beyond}-01-01", "kind": "休", "name": "元旦<script>", "source": notice}
    assert city.post("/jiucuo/calendar/", entered).status_code == 302
    override = {"action": "set", "day": f"{last}-12-31", "kind": "休", "name": "更正"}
    assert city.post("/jiucuo/calendar/", override).status_code == 302
    waiting.refresh_from_db()
    assert waiting.due is None  # the year is not declared complete yet: still no guess
    declared = {"action": "declare", "year": str(beyond), "source": notice}
    assert city.post("/jiucuo/calendar/", declared).status_code == 302
    waiting.refresh_from_db()
    assert waiting.due == add_working_days(date(last, 12, 30), 3) and waiting.due.year == beyond  # set at once
    page = city.get("/jiucuo/calendar/").content.decode()
    assert "元旦&lt;script&gt;" in page and "<script>" not in page.split("<main>")[1]
    assert page.count('class="extends"') == 1 and page.count('class="overrides"') == 1
    assert city.post("/jiucuo/calendar/", {"action": "remove", "day": f"{last}-12-31"}).status_code == 302
    assert city.post("/jiucuo/calendar/", {"action": "undeclare", "year": str(beyond)}).status_code == 302
    changes = [(c.action, c.user.username if c.user else None) for c in CalendarChange.objects.order_by("id")]
    assert changes == [("set_day", "city"), ("set_day", "city"), ("declare_year", "city"), ("remove_day", "city"),
                       ("remove_year", "city")]  # fmt: skip
    assert CalendarChange.objects.get(action="declare_year").source == notice
    assert not CalendarYear.objects.exists() and list(CalendarDay.objects.values_list("name", flat=True)) == [
        "元旦<script>"
    ]
