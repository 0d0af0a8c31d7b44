"""The ordered registry of checks: each entry owns its slice — the function, and every
check id it may report with the severities it gives and its names in Chinese and
English. ``CHECK_IDS``, the pages' check names and the accuracy evaluation derive from
here. Adding a check: write a module with a ``(snapshot, ctx) -> list[Finding]``
function, add its entry here, its lines to the profiles, and a test (docs/checks.md)."""

from __future__ import annotations

from govsite.engine.checks import (
    annual_report,
    availability,
    content,
    domain,
    identity,
    interaction,
    interpretation,
    links,
    noop,
    search,
    service,
    update,
    wording,
)
from govsite.engine.checks.base import Check, Reports

SERIOUS, NORMAL = ("serious",), ("normal",)
DOUBTFUL = ("suspected",)

CHECKS: tuple[Check, ...] = (
    Check("noop", (), noop.check),
    Check(
        "availability",
        (Reports("availability.homepage_down", SERIOUS + DOUBTFUL, "站点无法访问", "Homepage unavailable"),),
        availability.check,
    ),
    Check(
        "homepage_stale",
        (Reports("update.homepage_stale", SERIOUS, "首页不更新", "Homepage not updated"),),
        update.homepage_stale,
    ),
    Check(
        "column_stale",
        (Reports("update.column_stale", NORMAL, "栏目不更新", "Columns not updated"),),
        update.column_stale,
    ),
    Check("column_blank", (Reports("update.column_blank", NORMAL, "空白栏目", "Blank columns"),), update.column_blank),
    Check("links", (Reports("links.broken", NORMAL + DOUBTFUL, "链接不可用", "Broken links"),), links.check),
    Check(
        "identity",
        (
            Reports(
                "identity.conac_missing", NORMAL, "缺少党政机关网站标识", "Party and government website mark missing"
            ),
            Reports("identity.site_code_missing", NORMAL, "缺少网站标识码", "Website identification code missing"),
            Reports("identity.icp_missing", NORMAL, "缺少ICP备案号", "ICP filing number missing"),
            Reports("identity.psb_missing", NORMAL, "缺少公安机关备案号", "Public security filing number missing"),
            Reports(
                "identity.error_report_entry_missing",
                NORMAL,
                "缺少“我为政府网站找错”入口",
                "Error-report entrance missing",
            ),
        ),
        identity.check,
    ),
    Check(
        "domain", (Reports("domain.nonconforming", NORMAL, "域名不规范", "Non-conforming domain name"),), domain.check
    ),
    Check(
        "search",
        (
            Reports("search.missing", NORMAL, "缺少站内搜索", "No site search"),
            Reports("search.broken", NORMAL, "站内搜索不可用", "Site search not working"),
        ),
        search.check,
    ),
    Check(
        "channel",
        (Reports("interaction.channel_missing", SERIOUS, "缺少互动交流渠道", "No consultation channel"),),
        interaction.channel_missing,
    ),
    Check(
        "unanswered",
        (Reports("interaction.unanswered", SERIOUS, "留言超期未答复", "Messages left unanswered"),),
        interaction.unanswered,
    ),
    Check("services", (Reports("service.missing", SERIOUS, "缺少在线服务", "No online services"),), service.missing),
    Check(
        "guides",
        (Reports("service.guide_incomplete", NORMAL, "办事指南要素不全", "Service guide incomplete"),),
        service.guide_incomplete,
    ),
    Check(
        "interpretation",
        (Reports("interpretation.missing", NORMAL, "缺少政策解读", "No policy interpretation"),),
        interpretation.check,
    ),
    Check(
        "annual_report",
        (Reports("annual_report.missing", NORMAL, "未发布网站工作年度报表", "Annual report not published"),),
        annual_report.check,
    ),
    Check(
        "wording",
        (Reports("wording.serious_error", SERIOUS + DOUBTFUL, "严重表述错误", "Serious wording error"),),
        wording.check,
    ),
    Check(
        "republished",
        (Reports("content.republished", NORMAL, "旧稿新发、一稿多发", "Old articles republished"),),
        content.republished,
    ),
    Check(
        "forged_date",
        (Reports("content.forged_date", SERIOUS, "伪造发稿日期", "Forged publication date"),),
        content.forged_date,
    ),
)
#: Every check id, in the registry's order (docs/domain.md names them); profiles may refer only to these.
CHECK_IDS: tuple[str, ...] = tuple(r.id for check in CHECKS for r in check.reports)
#: What each check id is: its severities and names.
REPORTS: dict[str, Reports] = {r.id: r for check in CHECKS for r in check.reports}
