"""Moving messages to and from the national platform (全国政府网站信息报送系统): import
its forwarded messages (.csv/.xlsx in one column layout, or the same records through the
REST API) keeping their national ids, and export the replies in the same layout.

A file or a batch is checked whole first: any error rejects it, with its row and
column, and nothing is written. A national id already imported is skipped (a file may
be imported again). docs/jiucuo.md lists the columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govsite.platform.exports import csv_bytes, xlsx_bytes
from govsite.platform.jiucuo import intake
from govsite.platform.jiucuo.deadlines import finished_on
from govsite.platform.jiucuo.intake import MAX_DESCRIPTION
from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.privacy import is_valid_contact
from govsite.platform.registry.models import Site
from govsite.platform.registry.tabular import ImportRejected, RowError, read_rows

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
#: Header cells read at most: the national platform's files may carry columns of their own beside ours.
MAX_COLUMNS = 64

#: The file's words for the problem types and states: data, in Chinese whatever the page's language.
KIND_LABELS = {
    "broken": "页面无法访问/链接错误",
    "stale": "信息不更新",
    "content": "内容错误/错别字",
    "unanswered": "咨询留言不回复",
    "service": "办事服务问题",
    "other": "其他",
}
STATE_LABELS = {"new": "待受理", "accepted": "办理中", "replied": "已答复", "closed": "已办结", "invalid": "无效留言"}

#: Import layout: (header, record key, required).
IMPORT_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("留言编号", "national_id", True),
    ("网站标识码", "site_code", True),
    ("问题类型", "kind", True),
    ("问题页面", "page_url", False),
    ("留言内容", "description", True),
    ("留言时间", "received", True),
    ("联系方式", "contact", False),
)
#: Export layout of the replies: (header, what).
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("留言编号", "national_id"),
    ("受理编号", "number"),
    ("网站标识码", "site_code"),
    ("网站名称", "site_name"),
    ("问题类型", "kind"),
    ("留言时间", "received"),
    ("处理状态", "state"),
    ("办理时限", "due"),
    ("办结时间", "closed"),
    ("是否按期", "on_time"),
    ("答复内容", "reply"),
    ("无效原因", "invalid_reason"),
)


@dataclass
class Imported:
    created: list[Report] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # national ids already here


def _kind(value: str) -> str | None:
    value = value.strip()
    if value in KIND_LABELS:
        return value
    return next((k for k, label in KIND_LABELS.items() if label == value), None)


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time(0)))
    text = str(value or "").strip().replace("/", "-")
    for shape in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, shape)
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    try:
        aware = datetime.fromisoformat(text)
    except ValueError:
        return None
    return aware if timezone.is_aware(aware) else timezone.make_aware(aware)


def ingest(records: Sequence[dict[str, Any]], sites: QuerySet[Site], first_row: int = 1) -> Imported:
    """Check every record (keys: the record keys of ``IMPORT_COLUMNS``), then store them in
    one transaction; ``sites``: those the importer may route to. ``ImportRejected`` on any error."""
    if len(records) > MAX_ROWS:
        raise ImportRejected([RowError(0, "", f"最多 {MAX_ROWS} 行，本次 {len(records)} 行")])
    header = {key: label for label, key, _ in IMPORT_COLUMNS}
    codes = {str(r.get("site_code") or "").strip() for r in records}
    # a list of codes longer than a region's sites could overflow the database's bound parameters: read the region's
    known = {s.code: s for s in (sites.filter(code__in=codes) if len(codes) <= 500 else sites) if s.code in codes}
    errors: list[RowError] = []
    checked: list[dict[str, Any]] = []
    seen: set[str] = set()
    for offset, record in enumerate(records):
        row = first_row + offset

        def fail(key: str, message: str, row: int = row) -> None:
            errors.append(RowError(row, header[key], message))

        values = {key: str(record.get(key) or "").strip() for _, key, _ in IMPORT_COLUMNS if key != "received"}
        for _, key, required in IMPORT_COLUMNS:
            if required and not (record.get(key) if key == "received" else values[key]):
                fail(key, "必填")
        national_id, site = values["national_id"], known.get(values["site_code"])
        if national_id and (len(national_id) > 64 or national_id in seen):
            fail("national_id", "超过 64 个字符" if len(national_id) > 64 else "在本文件中重复")
        seen.add(national_id)
        if values["site_code"] and site is None:
            fail("site_code", f"登记库中没有该网站，或不在您的管辖范围内：{values['site_code']}")
        kind = _kind(values["kind"])
        if values["kind"] and kind is None:
            fail("kind", f"应为：{'、'.join(KIND_LABELS.values())}")
        received = _when(record.get("received"))
        if record.get("received") and received is None:
            fail("received", "时间格式应为 YYYY-MM-DD HH:MM[:SS]")
        if len(values["description"]) > MAX_DESCRIPTION:
            fail("description", f"超过 {MAX_DESCRIPTION} 个字符")
        if len(values["page_url"]) > 500 or (
            values["page_url"] and not values["page_url"].startswith(("http://", "https://"))
        ):
            fail("page_url", "应为 http:// 或 https:// 开头、不超过 500 个字符的网址")
        if values["contact"] and (len(values["contact"]) > 100 or not is_valid_contact(values["contact"])):
            fail("contact", "应为电话号码或电子邮箱")
        checked.append({**values, "site": site, "kind": kind, "received": received})
    if errors:
        raise ImportRejected(errors)
    done = Imported()
    with transaction.atomic():
        for r in checked:
            report, created = intake.forward(national_id=r["national_id"], site=r["site"], kind=r["kind"],
                                             page_url=r["page_url"], description=r["description"],
                                             contact=r["contact"], received=r["received"])  # fmt: skip
            (done.created.append(report) if created else done.skipped.append(r["national_id"]))
    return done


def read_file(name: str, data: bytes) -> list[dict[str, Any]]:
    """The records of a .csv or .xlsx file in the import layout, read by the registry's
    bounded reader (size, rows, header width, zip members; ``registry.tabular.read_rows``);
    ``ImportRejected`` when the file itself is wrong (type, size, encoding, headers, an unreadable row)."""
    rows = read_rows(name, data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    headers = next(rows, None)
    if not headers or not any(headers):
        raise ImportRejected([RowError(1, "表头", "文件为空或缺少表头")])
    missing = [label for label, _, required in IMPORT_COLUMNS if required and label not in headers]
    if missing:
        raise ImportRejected([RowError(1, label, "缺少此列") for label in missing])
    by_label = {label: key for label, key, _ in IMPORT_COLUMNS}
    index = {by_label[h]: i for i, h in enumerate(headers) if h in by_label}
    records = []
    for row in rows:
        if any(row):
            records.append({key: row[i] if i < len(row) else "" for key, i in index.items()})
    return records


def reply_record(report: Report) -> dict[str, Any]:
    """One exported line, by the export layout's keys (the API returns the same)."""
    closed = finished_on(report)
    return {
        "national_id": report.national_id or "",
        "number": report.number,
        "site_code": report.site.code,
        "site_name": report.site.name,
        "kind": KIND_LABELS[report.kind],
        "received": timezone.localtime(report.received).strftime("%Y-%m-%d %H:%M:%S"),
        "state": STATE_LABELS[report.state],
        "due": report.due.isoformat() if report.due else "",
        "closed": timezone.localtime(report.closed_at).strftime("%Y-%m-%d %H:%M:%S") if report.closed_at else "",
        "on_time": "" if closed is None or report.due is None else ("是" if closed <= report.due else "否"),
        "reply": report.reply if report.state == Report.State.CLOSED else "",
        "invalid_reason": report.invalid_reason,
    }


def export_bytes(reports: Iterable[Report], kind: str) -> bytes:
    """The replies as .csv (UTF-8 with BOM, for Excel) or .xlsx, every text cell neutralised."""
    rows = [[h for h, _ in EXPORT_COLUMNS], *(list(reply_record(r).values()) for r in reports)]
    return csv_bytes(rows) if kind == "csv" else xlsx_bytes(rows, "留言办理")
