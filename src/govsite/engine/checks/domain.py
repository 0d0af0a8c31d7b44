"""域名规范 (政府网站发展指引, 国办函〔2018〕55号): only .gov.cn (or .政务); portals at
www.<place>.gov.cn; department sites at <dept>.<place>.gov.cn."""

from __future__ import annotations

import re

from govsite.engine.checks.base import CheckContext, Finding, evidence
from govsite.engine.snapshot import Snapshot

GOV = re.compile(r"\.(gov\.cn|xn--zfr164b)$")  # .政务 in IDNA form
PORTAL = re.compile(r"^www\.[a-z0-9-]+\.(gov\.cn|xn--zfr164b)$")
DEPARTMENT = re.compile(r"^(?!www\.)[a-z0-9-]+\.[a-z0-9-]+\.(gov\.cn|xn--zfr164b)$")
NATIONAL = {"www.gov.cn"}


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    host = snapshot.host
    kind = ctx.kind or ("portal" if host.startswith("www.") else "department")
    if host in NATIONAL:
        return []
    if kind == "portal":
        ok, expected = bool(PORTAL.match(host)), "www.<地名>.gov.cn"
    else:
        ok, expected = bool(DEPARTMENT.match(host)), "<部门>.<地名>.gov.cn"
    if ok:
        return []
    why = "不是 .gov.cn 域名" if not GOV.search(host) else f"不符合 {expected} 的格式"
    return [
        Finding(
            "domain.nonconforming",
            snapshot.url,
            snapshot.url,
            "normal",
            f"域名 {host} {why}",
            {"host": host, "expected": expected, "kind": kind, "kind_from_registry": ctx.kind is not None},
            evidence(snapshot, snapshot.homepage, host),
        )
    ]
