"""Registry import and export as .xlsx and .csv, with one documented column layout.

Columns are matched by their header, in any order (docs/registry.md lists them). A
file is checked whole before anything is written: any error rejects it, with an
error per row and column, and nothing is half-imported. Re-importing updates sites
by 网站标识码 and records every changed field in the site's history.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from govsite.platform.exports import csv_bytes, restored, xlsx_bytes
from govsite.platform.registry.models import FILE_LABELS, Region, Site, validate_division_code

#: (header, model field, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("网站标识码", "code", True),
    ("网站名称", "name", True),
    ("首页地址", "url", True),
    ("主办单位", "organizer", True),
    ("主管单位", "supervisor", True),
    ("行政区划代码", "region", True),
    ("行政区划名称", "region_name", False),
    ("统计层级", "level", True),
    ("网站类型", "kind", True),
    ("运行状态", "status", False),
    ("状态日期", "status_since", False),
    ("负责人", "head", False),
    ("联系人", "contact", False),
    ("联系电话", "phone", False),
    ("电子邮箱", "email", False),
)
HEADERS = {h: (f, r) for h, f, r in COLUMNS}
ALIASES = {"kind": {"门户": "portal", "部门": "department"}}


@cache
def file_choices() -> dict[str, dict[str, str]]:
    """Label (or accepted alias) in a file → value."""
    return {name: {label: value for value, label in labels.items()} | ALIASES.get(name, {})
            for name, labels in FILE_LABELS.items()}  # fmt: skip


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based, as a spreadsheet shows it (the header is row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」：{self.message}"


class ImportRejected(Exception):
    """The file was rejected whole; ``errors`` says where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors[:50]))
        self.errors = errors


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    regions_created: list[str] = field(default_factory=list)


#: Header columns read at most: the layout's, and room to name a few unknown ones in errors.
MAX_COLUMNS = 2 * len(COLUMNS)


def read_rows(
    name: str, data: bytes, *, max_bytes: int | None = None, max_rows: int | None = None, max_columns: int = MAX_COLUMNS
) -> Iterator[list[str]]:
    """The rows of an .xlsx or .csv file as text cells (CSV in UTF-8 or GB18030), read as a
    stream within bounds whatever the file declares: at most ``max_bytes`` (default
    ``REGISTRY_UPLOAD_MAX_BYTES``), at most ``max_rows`` rows after the header (default
    ``REGISTRY_MAX_ROWS``), a header of at most ``max_columns`` cells, each row cut to the
    header's width, no .xlsx member unzipping past ``REGISTRY_UNZIPPED_MAX_BYTES``; anything
    unreadable is a message naming the row. Every file the platform imports is read here."""
    max_bytes = settings.REGISTRY_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.REGISTRY_MAX_ROWS if max_rows is None else max_rows
    if len(data) > max_bytes:
        raise ImportRejected([RowError(0, "文件", f"文件超过 {max_bytes // 1024 // 1024} MB")])
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data, max_columns)
    elif suffix == ".csv":
        rows = _csv_rows(data, max_columns)
    else:
        raise ImportRejected([RowError(0, "文件", "只接受 .xlsx 或 .csv 文件")])
    width = 0
    for number, row in enumerate(rows, start=1):
        if number == 1:
            while row and not row[-1]:
                row.pop()
            if len(row) > max_columns:
                raise ImportRejected(
                    [RowError(1, "表头", f"表头超过 {max_columns} 列，不是所需的表格（见文档中的列说明）")]
                )
            width = len(row)
        elif number - 1 > max_rows:
            raise ImportRejected([RowError(number, "文件", f"超过 {max_rows} 行")])
        yield [restored(cell) for cell in row[:width]]


def _xlsx_rows(data: bytes, max_columns: int) -> Iterator[list[str]]:
    from zipfile import ZipFile

    from openpyxl import load_workbook

    cap = settings.REGISTRY_UNZIPPED_MAX_BYTES
    try:
        with ZipFile(io.BytesIO(data)) as archive:  # a member's declared size also bounds what unzipping yields
            big = next((m for m in archive.infolist() if m.file_size > cap), None)
        if big is not None:
            raise ImportRejected([RowError(0, "文件", f"文件中的 {big.filename} 解压后超过 {cap // 1024 // 1024} MB")])
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRejected:
        raise
    except Exception as exc:  # whatever the parser raises, this is not a workbook we can read
        raise ImportRejected([RowError(0, "文件", f"不是有效的 .xlsx 文件（{_reason(exc)}）")]) from exc
    number = 0
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size may claim a million rows and columns: read what is there
        for cells in sheet.iter_rows(values_only=True):
            number += 1
            yield [_cell(c) for c in cells[: max_columns + 1]]
    except ImportRejected:
        raise
    except Exception as exc:  # likewise: the row after the last one read is broken
        raise ImportRejected([RowError(number + 1, "文件", f"第 {number + 1} 行无法读取（{_reason(exc)}）")]) from exc
    finally:
        book.close()


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date cell holds midnight: as the sheet shows it, the time only when set
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ", "seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes, max_columns: int) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportRejected([RowError(0, "文件", "无法识别文件编码（应为 UTF-8 或 GB18030）")])
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            yield [c.strip() for c in row[: max_columns + 1]]
    except csv.Error as exc:
        line = reader.line_num
        raise ImportRejected([RowError(line, "文件", f"第 {line} 行无法读取（{exc}）")]) from exc


def import_file(name: str, data: bytes, user: Any = None, scope: Region | None = None) -> ImportReport:
    """Check the whole file, then write it in one transaction (or raise ImportRejected).
    With ``scope`` (a supervisor's region), every row's region and every site it updates
    must lie within it."""
    rows = list(read_rows(name, data))
    plan, regions, errors = _check(rows)
    if scope is not None and not errors:
        errors = _outside(plan, scope)
    if errors:
        raise ImportRejected(errors)
    try:
        return _write(plan, regions, user, f"导入 {Path(name).name}")
    except IntegrityError as exc:  # another import created the same site or division meanwhile; nothing was written
        raise ImportRejected(
            [RowError(0, "文件", f"另一次导入同时修改了这些网站，本次未导入，请重新上传（{exc}）")]
        ) from exc


def _check(rows: list[list[str]]) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str], list[RowError]]:
    errors: list[RowError] = []
    if not rows or not any(rows[0]):
        return [], {}, [RowError(1, "表头", "文件为空或缺少表头")]
    header = rows[0]
    for title in header:
        if title and title not in HEADERS:
            errors.append(RowError(1, title, "不是登记表的列（见 docs/registry.md）"))
    for title, (_field, required) in HEADERS.items():
        if required and title not in header:
            errors.append(RowError(1, title, "缺少必填列"))
    if errors:
        return [], {}, errors
    known_regions = set(Region.objects.values_list("code", flat=True))
    new_regions: dict[str, str] = {}
    plan: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        cells = {HEADERS[h][0]: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        values, row_errors = _row_values(number, cells)
        errors += row_errors
        code = values.get("code", "")
        if code in seen:
            errors.append(RowError(number, "网站标识码", f"与第 {seen[code]} 行重复"))
        seen[code] = number
        region = cells.get("region", "")
        if region and region not in known_regions and region not in new_regions:
            name = cells.get("region_name", "")
            if not name:
                errors.append(RowError(number, "行政区划代码", f"行政区划 {region} 未登记，请同时填写“行政区划名称”"))
            else:
                new_regions[region] = name
        plan.append((number, values))
    for code in sorted(new_regions):
        parent = Region.parent_code(code)
        if parent and parent not in known_regions and parent not in new_regions:
            line = next(n for n, v in plan if v.get("region") == code)
            errors.append(RowError(line, "行政区划代码", f"上级行政区划 {parent} 未登记"))
    return plan, new_regions, errors


def _outside(plan: list[tuple[int, dict[str, Any]]], scope: Region) -> list[RowError]:
    current = dict(Site.objects.filter(code__in=[v["code"] for _, v in plan]).values_list("code", "region__code"))
    errors = []
    for number, values in plan:
        if not Region.within(values["region"], scope.code):
            errors.append(RowError(number, "行政区划代码", f"{values['region']} 不在您的管辖范围（{scope.name}）内"))
        elif values["code"] in current and not Region.within(current[values["code"]], scope.code):
            errors.append(RowError(number, "网站标识码", f"{values['code']} 已登记在您的管辖范围之外，不能修改"))
    return errors


def _row_values(number: int, cells: dict[str, str]) -> tuple[dict[str, Any], list[RowError]]:
    errors: list[RowError] = []
    label = {f: h for h, (f, _r) in HEADERS.items()}
    values: dict[str, Any] = {}
    for header, (name, required) in HEADERS.items():
        text = cells.get(name, "")
        if required and not text:
            errors.append(RowError(number, header, "必填"))
            continue
        if name == "region_name":
            continue
        choices = file_choices().get(name)
        if choices is not None and text:
            if text not in choices:
                errors.append(RowError(number, header, f"应为 {'、'.join(choices)} 之一，不是“{text}”"))
                continue
            values[name] = choices[text]
        elif name == "status_since":
            try:
                values[name] = date.fromisoformat(text) if text else None
            except ValueError:
                errors.append(RowError(number, header, f"日期应为 YYYY-MM-DD，不是“{text}”"))
        elif name == "region":
            try:
                validate_division_code(text)
                values[name] = text
            except ValidationError as exc:
                errors.append(RowError(number, header, exc.messages[0]))
        else:
            values[name] = text
    values.setdefault("status", Site.Status.RUNNING)
    probe = Site(**{k: v for k, v in values.items() if k != "region"})
    try:
        probe.full_clean(
            exclude=["region", "code"] + [k for k in ("level", "kind") if k not in values], validate_unique=False
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.append(RowError(number, label.get(name, name), "；".join(messages)))
    try:
        if values.get("code") is not None:
            Site._meta.get_field("code").run_validators(values["code"])
    except ValidationError as exc:
        errors.append(RowError(number, "网站标识码", exc.messages[0]))
    return values, errors


@transaction.atomic
def _write(plan: list[tuple[int, dict[str, Any]]], regions: dict[str, str], user: Any, reason: str) -> ImportReport:
    report = ImportReport()
    for code in sorted(regions, key=lambda c: (Region.level_of(c) != "province", Region.level_of(c) == "county", c)):
        parent_code = Region.parent_code(code)
        parent = Region.objects.get(code=parent_code) if parent_code else None
        Region.objects.create(code=code, name=regions[code], level=Region.level_of(code), parent=parent)
        report.regions_created.append(code)
    by_code = {r.code: r for r in Region.objects.all()}
    existing = {s.code: s for s in Site.objects.filter(code__in=[v["code"] for _, v in plan])}
    for _row, values in plan:
        values = dict(values)
        values["region"] = by_code[values["region"]]
        site = existing.get(values["code"]) or Site()
        created = site.pk is None
        changes = site.apply(values, user, reason)
        (report.created if created else report.updated if changes else report.unchanged).append(site.code)
    return report


def export_rows(sites: Any) -> Iterator[list[str]]:
    yield [h for h, _f, _r in COLUMNS]
    labels = FILE_LABELS
    for site in sites.select_related("region"):
        yield [
            site.code,
            site.name,
            site.url,
            site.organizer,
            site.supervisor,
            site.region.code,
            site.region.name,
            labels["level"].get(site.level, site.level),
            labels["kind"].get(site.kind, site.kind),
            labels["status"].get(site.status, site.status),
            site.status_since.isoformat() if site.status_since else "",
            site.head,
            site.contact,
            site.phone,
            site.email,
        ]


def export_bytes(suffix: str, sites: Any = None) -> tuple[bytes, int]:
    """The registry (or ``sites``) as an .xlsx or .csv file's bytes, and the number of sites."""
    rows = list(export_rows(sites if sites is not None else Site.objects.all()))
    if suffix.lower() == ".xlsx":
        return xlsx_bytes(rows, "政府网站基本信息"), len(rows) - 1
    if suffix.lower() == ".csv":
        return csv_bytes(rows), len(rows) - 1
    raise ValueError("export to a .xlsx or .csv file")


def export_file(path: Path, sites: Any = None) -> int:
    """Write the registry (or ``sites``) to ``path``; returns the number of sites."""
    data, count = export_bytes(path.suffix, sites)
    path.write_bytes(data)
    return count
