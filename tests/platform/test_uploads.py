"""Registry uploads are hostile input: refused homepages, bounded parsing, row/column messages."""

from __future__ import annotations

import csv
import io
import re
import socket
import threading
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from openpyxl import load_workbook

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.bootstrap import make_server
from govsite.platform.campaigns.models import Campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.registry.tabular import ImportRejected, export_file, import_file
from govsite.samples.generate import build_world
from govsite.samples.testing import TEST_AS_OF
from tests.platform.test_registry import GOOD, HEADER, csv_bytes, with_province, xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["http://100.100.100.200/", "http://10.0.0.5/", "http://[::ffff:127.0.0.1]/", "http://localhost/",
     "http://intranet.local/", "http://169.254.169.254/latest/"],
)  # fmt: skip
def test_a_homepage_the_scanner_would_refuse_is_refused_at_import(url: str) -> None:
    with_province()
    bad = list(GOOD)
    bad[HEADER.index("首页地址")] = url
    with pytest.raises(ImportRejected) as caught:
        import_file("bad.xlsx", xlsx([HEADER, bad]))
    assert any(e.row == 2 and e.column == "首页地址" and "扫描" in e.message for e in caught.value.errors), caught.value
    assert Site.objects.count() == 0


def test_private_homepages_are_accepted_when_the_platform_scans_private_addresses() -> None:
    with_province()
    private = list(GOOD)
    private[HEADER.index("首页地址")] = "http://10.0.0.5/"
    with override_settings(EXECUTOR_ENGINE={"allow_private": True}):
        assert import_file("intranet.xlsx", xlsx([HEADER, private])).created == ["3700000046"]
    assert Region.objects.count() == 2


def _with_dimension(book: bytes, ref: str, extra_rows: str = "") -> bytes:
    """``book`` with its sheet's declared dimension replaced (and rows appended)."""
    src = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', data.decode())
                data = text.replace("</sheetData>", extra_rows + "</sheetData>").encode()
            dst.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_declaring_a_huge_sheet_is_read_as_what_it_holds() -> None:
    with_province()
    hostile = _with_dimension(xlsx([HEADER, GOOD]), "A1:XFD1048576")
    assert len(hostile) < 10_000
    tracemalloc.start()
    try:
        report = import_file("huge.xlsx", hostile)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.created == ["3700000046"]
    assert peak < 20_000_000, peak  # the declared 17 billion cells are never made


def test_an_unreadable_row_is_named_and_nothing_is_written() -> None:
    with_province()
    broken = _with_dimension(xlsx([HEADER, GOOD]), "A1:O3", '<row r="3"><c r="A3" t="s"><v>99999</v></c></row>')
    with pytest.raises(ImportRejected) as caught:
        import_file("broken.xlsx", broken)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "文件")] and "第 3 行" in str(caught.value.errors)
    assert Site.objects.count() == 0


def test_a_zip_member_that_unzips_too_large_is_refused_unread() -> None:
    with override_settings(REGISTRY_UNZIPPED_MAX_BYTES=1024), pytest.raises(ImportRejected, match="解压后超过"):
        import_file("bomb.xlsx", xlsx([HEADER, GOOD] * 20))


def test_hostile_csv_files_get_a_row_message() -> None:
    with_province()
    long_field = list(GOOD)
    long_field[HEADER.index("负责人")] = "张" * 131_073
    with pytest.raises(ImportRejected) as caught:
        import_file("long.csv", csv_bytes([HEADER, GOOD, long_field]))
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "文件")], caught.value.errors
    blank_lines = csv_bytes([HEADER]) + b"\r\n" * (settings.REGISTRY_MAX_ROWS + 5)
    with pytest.raises(ImportRejected, match=f"超过 {settings.REGISTRY_MAX_ROWS} 行"):
        import_file("blank.csv", blank_lines)
    wide = csv_bytes([[*HEADER, *[f"列{i}" for i in range(40)]], GOOD])
    with pytest.raises(ImportRejected, match="表头超过"):
        import_file("wide.csv", wide)
    padded = csv_bytes([[*HEADER, *[""] * 100_000], [*GOOD, *[""] * 100_000, "beyond the header"]])
    assert import_file("padded.csv", padded).created == ["3700000046"]  # cut to the header's width
    Site.objects.all().delete()
    assert Site.objects.count() == 0


FORMULAS = {"网站名称": "=HYPERLINK(\"http://evil.example/\",\"点击\")", "联系人": "=cmd|' /C calc'!A0",
            "主办单位": "@SUM(1+1)*cmd|' /C calc'!A0", "负责人": "+1-2", "联系电话": "-3+3", "电子邮箱": ""}  # fmt: skip


def test_exports_never_carry_a_live_formula_and_read_back_unchanged(tmp_path: Path) -> None:
    with_province()
    row = list(GOOD)
    for column, value in FORMULAS.items():
        row[HEADER.index(column)] = value
    row[HEADER.index("状态日期")] = ""
    assert import_file("formulas.csv", csv_bytes([HEADER, row])).created == ["3700000046"]
    site = Site.objects.get()
    assert site.name == FORMULAS["网站名称"] and site.contact == FORMULAS["联系人"]

    export_file(tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = {h: c for h, c in zip(HEADER, next(iter(sheet.iter_rows(min_row=2))), strict=True)}
    for column, value in FORMULAS.items():
        if value:
            assert cells[column].data_type == "s" and cells[column].value == "'" + value, column
    export_file(tmp_path / "out.csv")
    read = dict(
        zip(HEADER, list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text("utf-8-sig"))))[1], strict=True)
    )
    for column, value in FORMULAS.items():
        assert read[column] == ("'" + value if value else ""), column
    for path in (tmp_path / "out.xlsx", tmp_path / "out.csv"):
        assert len(import_file(path.name, path.read_bytes()).unchanged) == 1  # read back as it was


def test_the_wsgi_server_refuses_an_oversized_body_before_django_reads_it() -> None:
    server = make_server("127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as conn:
            conn.sendall(
                b"POST /sites/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
                + f"Content-Length: {settings.REQUEST_MAX_BYTES + 1}\r\n\r\n".encode()
                + b"x" * 1024
            )  # the rest of the body is never sent: the answer comes without it
            answer = conn.recv(4096)
    finally:
        server.close()
        thread.join(5)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_campaign_name_over_the_model_limit_is_a_message_on_every_backend() -> None:
    load_sample_province(build_world(1, TEST_AS_OF))
    admin = User.objects.create_user("admin", password="pw")
    Membership.objects.create(user=admin, role=Role.ADMIN)
    page = Client()
    assert page.login(username="admin", password="pw")
    answer = page.post("/campaigns/", {"name": "长" * 5000, "kind": "census", "region": "390400"})
    assert answer.status_code == 200 and "200" in answer.content.decode()
    assert not Campaign.objects.exists()
