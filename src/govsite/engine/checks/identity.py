"""Footer identifiers (政府网站发展指引): 党政机关网站标识, 网站标识码, ICP备案号,
公安机关备案号 and the 我为政府网站找错 entrance, on the homepage as a browser shows it
(what counts: ``engine/footer.py`` and docs/checks.md)."""

from __future__ import annotations

from govsite.engine import footer
from govsite.engine.checks.base import CheckContext, Finding, around, evidence, home_ok, judged_as_shown
from govsite.engine.snapshot import Page, Snapshot

#: check id and the message for a missing identifier, per identifier
MISSING = {
    "conac": ("identity.conac_missing", "首页未悬挂党政机关网站标识（链接至 bszs.conac.cn）"),
    "site_code": ("identity.site_code_missing", "首页未标注网站标识码"),
    "icp": ("identity.icp_missing", "首页未标注 ICP 备案编号"),
    "psb": ("identity.psb_missing", "首页未标注公安机关备案号"),
    "error_report": ("identity.error_report_entry_missing", "首页未添加“我为政府网站找错”平台入口"),
}


def identifiers(home: Page) -> footer.Identifiers:
    """What the homepage shows; snapshots older than ``Page.identity`` are read from
    their stored text, links and scripts."""
    if home.identity:
        return footer.Identifiers.from_record(home.identity)
    return footer.from_text(f"{home.footer_text} {home.text}", [link.url for link in home.links] + list(home.scripts))


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    shown = identifiers(home)
    findings = []
    for key, (check_id, message) in MISSING.items():
        state = shown.states[key]
        if state == "present":
            continue
        data: dict[str, object] = {"state": state}
        text = f"{message}（已隐藏，页面上不可见）" if state == "hidden" else message
        if key == "site_code":
            hint = next((v for k, v in home.meta.items() if k.lower() == "siteidcode" and v), None)
            data = {**data, "registered": ctx.site_code, "shown": None, "meta": hint}
            if hint:  # the meta tag is a hint for the inspector, not the shown code
                text += f"（页面元数据 SiteIDCode 为 {hint}，但未在页面上展示）"
        findings.append(
            Finding(
                check_id, snapshot.url, snapshot.url, "normal", text, data, evidence(snapshot, home, home.footer_text)
            )
        )
    codes = shown.site_codes
    if codes and ctx.site_code and ctx.site_code.lower() not in codes:
        findings.append(
            Finding(
                "identity.site_code_missing",
                snapshot.url,
                snapshot.url,
                "normal",
                f"首页标注的网站标识码 {codes[0]} 与登记的 {ctx.site_code} 不一致",
                {"registered": ctx.site_code, "shown": codes[0]},
                evidence(snapshot, home, around(f"{home.footer_text} {home.text}", codes[0])),
            )
        )
    return judged_as_shown(findings, snapshot)
