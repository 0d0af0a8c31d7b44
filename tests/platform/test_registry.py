"""The registry: sample province, import/export round trips, whole-file rejection,
history, closures."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import connections
from openpyxl import Workbook

from govsite.platform.registry.models import Region, Site, SiteChange
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.registry.tabular import COLUMNS, ImportRejected, export_file, import_file
from govsite.samples.generate import build_world
from govsite.samples.testing import TEST_AS_OF

pytestmark = pytest.mark.django_db

HEADER = [h for h, _f, _r in COLUMNS]
GOOD = ["3700000046", "某某市人民政府", "http://www.moumou.gov.cn/", "某某市人民政府办公室", "某某市人民政府", "370100", "某某市",
        "市级政府门户", "门户网站", "运行", "", "张三", "李四", "0531-12345678", "wz@moumou.gov.cn"]  # fmt: skip
PROVINCE = ["", "", "", "", "", "370000", "山东省"]


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def with_province() -> None:
    Region.objects.create(code="370000", name="山东省", level="province")


def test_the_sample_province_loads_with_regions_and_history() -> None:
    count = load_sample_province(build_world(1, TEST_AS_OF))
    assert count == Site.objects.count() == 37
    portal = Site.objects.get(code="3900000001")
    assert (portal.level, portal.kind, portal.region.code) == ("provincial_portal", "portal", "390000")
    county = Site.objects.get(url="http://www.qinghe.gov.cn/")
    assert [r.code for r in county.region.ancestors_and_self()] == ["390000", "390100", "390121"]
    assert SiteChange.objects.filter(site=portal).count() == len(Site.TRACKED)
    assert load_sample_province(build_world(1, TEST_AS_OF)) == 37 and Site.objects.count() == 37  # idempotent


def test_import_creates_regions_from_codes_and_updates_by_site_code(tmp_path: Path) -> None:
    with_province()
    report = import_file("sites.xlsx", xlsx([HEADER, GOOD]))
    assert report.created == ["3700000046"] and report.regions_created == ["370100"]
    assert Region.objects.get(code="370100").parent == Region.objects.get(code="370000")
    changed = list(GOOD)
    changed[1], changed[9], changed[10] = "某某市人民政府门户网站", "暂时关停", "2026-10-01"
    report = import_file("sites.csv", csv_bytes([HEADER, changed]))
    assert report.updated == ["3700000046"]
    site = Site.objects.get(code="3700000046")
    assert site.status == "temporarily_closed" and site.status_since == date(2026, 10, 1)
    fields = set(SiteChange.objects.filter(site=site, reason="导入 sites.csv").values_list("field", flat=True))
    assert fields == {"name", "status", "status_since"}
    assert site.closure_overdue(date(2026, 11, 23)) and not site.closure_overdue(date(2026, 10, 20))
    assert import_file("again.csv", csv_bytes([HEADER, changed])).unchanged == ["3700000046"]


def test_gbk_csv_from_chinese_excel_is_read() -> None:
    with_province()
    assert import_file("gbk.csv", csv_bytes([HEADER, GOOD], "gb18030")).created == ["3700000046"]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("网站标识码", "37000046", "网站标识码应为 10 位数字"),
        ("统计层级", "市级门户", "应为"),
        ("网站类型", "网站", "应为"),
        ("首页地址", "www.moumou.gov.cn", "URL"),
        ("电子邮箱", "not-an-email", "邮件地址"),
        ("状态日期", "2026/10/01", "YYYY-MM-DD"),
        ("网站名称", "", "必填"),
        ("行政区划代码", "3701", "6 位数字"),
    ],
)
def test_a_bad_cell_rejects_the_whole_file_naming_row_and_column(column: str, value: str, message: str) -> None:
    with_province()
    good_other = list(GOOD)
    good_other[0] = "3700000047"
    bad = list(GOOD)
    bad[HEADER.index(column)] = value
    with pytest.raises(ImportRejected) as caught:
        import_file("bad.xlsx", xlsx([HEADER, good_other, bad]))
    errors = caught.value.errors
    assert any(e.row == 3 and e.column == column and message in e.message for e in errors), errors
    assert Site.objects.count() == 0 and Region.objects.count() == 1  # nothing half-imported


def test_file_level_errors() -> None:
    with_province()
    duplicate = import_errors([HEADER, GOOD, GOOD])
    assert any("与第 2 行重复" in e.message for e in duplicate)
    unknown_region = list(GOOD)
    unknown_region[5], unknown_region[6] = "420100", ""
    assert any("未登记" in e.message for e in import_errors([HEADER, unknown_region]))
    orphan = list(GOOD)
    orphan[5], orphan[6] = "420100", "武汉市"
    assert any("上级行政区划 420000 未登记" in e.message for e in import_errors([HEADER, orphan]))
    assert any(e.column == "备注" for e in import_errors([[*HEADER, "备注"], [*GOOD, "x"]]))
    assert any(
        e.column == "主办单位" and "缺少必填列" in e.message
        for e in import_errors([HEADER[:3] + HEADER[4:], GOOD[:3] + GOOD[4:]])
    )
    with pytest.raises(ImportRejected, match="只接受"):
        import_file("sites.txt", b"x")
    with pytest.raises(ImportRejected, match=r"不是有效的 \.xlsx"):
        import_file("sites.xlsx", b"PK\x03\x04 this is not a workbook")
    with pytest.raises(ImportRejected, match="文件超过"):
        import_file("huge.csv", b"x" * (10 * 1024 * 1024 + 1))
    assert Site.objects.count() == 0


def import_errors(rows: list[list[str]]) -> list:  # type: ignore[type-arg]
    with pytest.raises(ImportRejected) as caught:
        import_file("f.xlsx", xlsx(rows))
    return caught.value.errors


def test_export_then_import_changes_nothing(tmp_path: Path) -> None:
    load_sample_province(build_world(1, TEST_AS_OF))
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"registry{suffix}"
        assert export_file(path) == 37
        report = import_file(path.name, path.read_bytes())
        assert len(report.unchanged) == 37 and not report.created and not report.updated


@pytest.mark.django_db(transaction=True)
def test_two_uploads_at_once_lose_nothing_and_half_import_nothing() -> None:
    with_province()
    data = csv_bytes([HEADER, GOOD])
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def upload() -> None:
        start.wait()
        try:
            import_file("sites.csv", data)
            outcomes.append("imported")
        except ImportRejected as rejected:  # the other one won: told so, nothing written
            outcomes.append(str(rejected))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert "imported" in outcomes and len(outcomes) == 2, outcomes
    assert all(o == "imported" or "重新上传" in o for o in outcomes), outcomes
    assert Site.objects.filter(code="3700000046").count() == 1
    assert SiteChange.objects.filter(site__code="3700000046", field="name").count() == 1
