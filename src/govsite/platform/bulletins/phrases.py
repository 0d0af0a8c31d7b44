"""How a bulletin's problem-site list names what was found (突出问题), one entry per
check id, phrased as the published bulletins phrase them (seed 002: "未按时更新栏目数量>5
（13个栏目未按时更新）"). These are the document's words, Chinese whatever the page's
language. ``{n}`` is the number of counted findings of that check on the site; an entry
with a threshold uses its second phrasing above it."""

from __future__ import annotations

from collections import Counter

from django.utils import translation

from govsite.engine import CHECK_IDS
from govsite.platform.review.labels import check_name

#: check id → (phrasing, threshold, phrasing above the threshold)
PHRASES: dict[str, tuple[str, int | None, str]] = {
    "availability.homepage_down": ("首页无法访问", None, ""),
    "links.broken": ("链接不可用（{n}个）", None, ""),
    "update.homepage_stale": ("首页长期不更新", None, ""),
    "update.column_stale": ("{n}个栏目未按时更新", 5, "未按时更新栏目数量>5（{n}个栏目未按时更新）"),
    "update.column_blank": ("空白栏目{n}个", None, ""),
    "identity.conac_missing": ("未悬挂党政机关网站标识", None, ""),
    "identity.site_code_missing": ("未注明网站标识码", None, ""),
    "identity.icp_missing": ("未注明ICP备案编号", None, ""),
    "identity.psb_missing": ("未注明公安机关备案标识", None, ""),
    "identity.error_report_entry_missing": ("未添加“我为政府网站找错”平台入口", None, ""),
    "domain.nonconforming": ("网站域名不规范", None, ""),
    "search.missing": ("没有搜索功能", None, ""),
    "search.broken": ("搜索不准确、不实用", None, ""),
    "interaction.channel_missing": ("未开设互动回应类栏目", None, ""),
    "interaction.unanswered": ("互动栏目长期不回应（{n}条留言未回复）", None, ""),
    "service.missing": ("未提供办事服务", None, ""),
    "service.guide_incomplete": ("办事指南信息不完整、不准确（{n}项）", None, ""),
    "interpretation.missing": ("未发布政策解读", None, ""),
    "annual_report.missing": ("未公开网站工作年报", None, ""),
    "wording.serious_error": ("存在严重表述错误（{n}处）", None, ""),
    "content.republished": ("旧稿新发（{n}篇）", None, ""),
    "content.forged_date": ("发稿日期造假", None, ""),
}


def phrase(check: str, n: int) -> str:
    plain, threshold, above = PHRASES[check]
    return (above if threshold is not None and n > threshold else plain).format(n=n)


def problems_text(counts: Counter[str]) -> str:
    """A site's counted findings as the bulletin's 突出问题 column, in check-id order."""
    return "；".join(phrase(c, counts[c]) for c in CHECK_IDS if counts[c])


def problem_name(check: str) -> str:
    """The check's short name in Chinese (the names the review pages and dashboards use)."""
    with translation.override("zh-hans"):
        return check_name(check)
