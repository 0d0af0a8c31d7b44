"""Footer identifiers (政府网站发展指引): 党政机关网站标识, 网站标识码, ICP备案号,
公安机关备案号 and the 我为政府网站找错 entrance, on the homepage as shown."""

from __future__ import annotations

import re

from govsite.engine.checks.base import CheckContext, Finding, around, evidence, home_ok
from govsite.engine.snapshot import Page, Snapshot
from govsite.engine.urlnorm import host_of

SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*((?:bm)?\d{8,10})", re.IGNORECASE)
ICP = re.compile(r"[\u4e00-\u9fff]ICP[备证]\s*\d{6,10}\s*号?(?:-\d+)?", re.IGNORECASE)
PSB = re.compile(r"公网安备\s*\d{14}\s*号?")
ERROR_REPORT = re.compile(r"我为政府网站找错|政府网站找错")


def _visible(home: Page) -> str:
    return f"{home.footer_text} {home.text}"


def _hosts(home: Page) -> set[str]:
    return {host_of(link.url) for link in home.links} | {host_of(src) for src in home.scripts}


def _finding(snapshot: Snapshot, home: Page, check: str, message: str, **data: object) -> Finding:
    return Finding(
        check, snapshot.url, snapshot.url, "normal", message, data, evidence(snapshot, home, home.footer_text)
    )


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    text = _visible(home)
    hosts = _hosts(home)
    findings = []
    if "bszs.conac.cn" not in hosts:
        findings.append(
            _finding(snapshot, home, "identity.conac_missing", "首页未悬挂党政机关网站标识（链接至 bszs.conac.cn）")
        )
    codes = SITE_CODE.findall(text)
    if not codes:
        findings.append(
            _finding(
                snapshot,
                home,
                "identity.site_code_missing",
                "首页未标注网站标识码",
                registered=ctx.site_code,
                shown=None,
            )
        )
    elif ctx.site_code and ctx.site_code not in codes:
        findings.append(
            Finding(
                "identity.site_code_missing",
                snapshot.url,
                snapshot.url,
                "normal",
                f"首页标注的网站标识码 {codes[0]} 与登记的 {ctx.site_code} 不一致",
                {"registered": ctx.site_code, "shown": codes[0]},
                evidence(snapshot, home, around(text, codes[0])),
            )
        )
    if not ICP.search(text):
        findings.append(_finding(snapshot, home, "identity.icp_missing", "首页未标注 ICP 备案编号"))
    if not PSB.search(text) and not any(
        link.url.startswith("http://www.beian.gov.cn/portal/registerSystemInfo") for link in home.links
    ):
        findings.append(_finding(snapshot, home, "identity.psb_missing", "首页未标注公安机关备案号"))
    has_entry = (
        "zfwzzc.www.gov.cn" in hosts
        or any("jiucuo" in src for src in home.scripts)
        or any(ERROR_REPORT.search(link.text) for link in home.links)
    )
    if not has_entry:
        findings.append(
            _finding(snapshot, home, "identity.error_report_entry_missing", "首页未添加“我为政府网站找错”平台入口")
        )
    return findings
