"""A bulletin's content as data: every figure from the campaign's reviewed results, the
registry, the deduction ledger and the accountability actions; only the opening and the
requirements are supervisors' text. The writers (``html``, ``docx``, ``xlsx``, ``pdf``)
lay out this one structure; ``as_json`` is what an export keeps as its inputs.

The document is Chinese whatever the page's language: it is what the office publishes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from govsite.engine import PASS
from govsite.platform.bulletins import pictures
from govsite.platform.bulletins.models import Accountability, Bulletin
from govsite.platform.bulletins.phrases import problem_name, problems_text
from govsite.platform.bulletins.pictures import Figure
from govsite.platform.campaigns.models import Campaign
from govsite.platform.dashboards.labels import FAILED, PASSED
from govsite.platform.dashboards.stats import Outcome, problems
from govsite.platform.jiucuo import figures as error_reports
from govsite.platform.jiucuo.models import Report
from govsite.platform.ledger import compute
from govsite.platform.ledger.verdicts import judged
from govsite.platform.rectification import selfinspection
from govsite.platform.rectification.figures import closed_before, group_pass_streak, repeat_offenders
from govsite.platform.rectification.models import SelfInspectionRound, SelfResult
from govsite.platform.registry.models import FILE_LABELS, Region, Site

#: How many top-scoring portals the annex lists.
TOP_PORTALS = 10
#: How many of the most common problems the text names.
COMMON_PROBLEMS = 3
KINDS = {"census": "普查", "spot_check": "抽查"}
#: The problem-site list's 结果 of a site an earlier published bulletin listed as unqualified.
REPEAT = "不合格（屡查屡犯）"
DIGITS = "零一二三四五六七八九"
#: How the text counts each accountability action (seed 000: 190名责任人被上级主管单位约谈，32人作出书面检查…).
ACTION_TEXT = {
    "interview": "{n}名责任人被上级主管单位约谈",
    "written_review": "{n}人作出书面检查",
    "criticism": "{n}人被通报批评",
    "transfer": "{n}人被调离岗位",
    "party_warning": "{n}人被党内警告",
    "suspension": "{n}人被停职",
}


@dataclass(frozen=True)
class Table:
    caption: str  # above the table: (各市政府)
    columns: list[str]
    rows: list[list[str]]
    note: str = ""  # below: 注：…


@dataclass(frozen=True)
class Annex:
    title: str
    tables: list[Table] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)  # screenshots, after the tables (pictures.py)
    figures_note: str = ""  # above them


@dataclass(frozen=True)
class Section:
    heading: str  # 一、总体情况
    paragraphs: list[str]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # 0..100


@dataclass(frozen=True)
class Document:
    title: str
    issuer: str
    issued: str  # 2018年7月24日
    opening: str
    sections: list[Section]
    annexes: list[Annex]
    chart_title: str
    chart: list[Bar]
    scan_verdicts: bool  # made from unreviewed sites' scan verdicts (said in the text)


def percent(part: int, whole: int) -> str:
    """96%, 90.8%: one decimal, none when it is whole."""
    if not whole:
        return "—"
    value = round(100 * part / whole, 1)
    return f"{value:.1f}".removesuffix(".0") + "%"


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def group_of(site: Site, names: dict[str, str]) -> tuple[str, str]:
    """The bulletin's 地区/部门 of a site: its city, or 省直部门 for provincial sites."""
    code = Region.city_level(site.region.code)
    if Region.level_of(code) == "province":
        return code, "省直部门"
    return code, names.get(code, code)


def listed_as(site: Site, names: dict[str, str]) -> str:
    """A site's 地区/部门 in the bulletin's site lists: its city, or for a provincial site the
    department that runs it (its 主办单位), as seed 000's lists name 发展改革委 or 教育部 beside
    the regions; the region table and the ledger keep them together as 省直部门."""
    code, name = group_of(site, names)
    return site.organizer or name if Region.level_of(code) == "province" else name


@dataclass
class Group:
    code: str
    name: str
    running: int = 0
    sampled: int = 0
    passed: int = 0
    judged: int = 0


def _groups(outcomes: list[Outcome], running: list[Site]) -> list[Group]:
    names = dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))
    groups: dict[str, Group] = {}
    for site in running:
        code, name = group_of(site, names)
        groups.setdefault(code, Group(code, name)).running += 1
    for o in outcomes:
        code, name = group_of(o.site, names)
        g = groups.setdefault(code, Group(code, name))
        g.sampled += 1
        g.passed += o.outcome == PASSED
        g.judged += o.outcome in (PASSED, FAILED)
    return sorted(groups.values(), key=lambda g: g.code)


def assemble(bulletin: Bulletin, use_scan_verdicts: bool = False, screenshots: bool = False) -> Document:
    """``screenshots``: the problem-site annex shows each site's finding screenshots (pictures.py)."""
    campaign = bulletin.campaign
    campaigns = [campaign, *bulletin.more_campaigns.order_by("as_of", "pk")]
    outcomes = [o for c in campaigns for o in judged(c, use_scan_verdicts)]  # a period: every campaign's sites
    region = campaign.region
    running = list(
        Site.objects.filter(region__code__in=region.descendant_codes(), status=Site.Status.RUNNING).select_related(
            "region"
        )
    )
    kinds = {c.kind for c in campaigns}
    kind = KINDS.get(campaign.kind, "检查") if len(kinds) == 1 else "检查"
    scope = f"本期{len(campaigns)}次{kind}" if len(campaigns) > 1 else f"本次{kind}"
    passed = sum(o.outcome == PASSED for o in outcomes)
    failed = [o for o in outcomes if o.outcome == FAILED]
    judged_count = sum(o.outcome in (PASSED, FAILED) for o in outcomes)
    groups = _groups(outcomes, running)
    full = [g for g in groups if g.sampled and g.passed == g.sampled]
    by_level = Counter(s.level for s in running)

    overall = [
        f"截至{chinese_date(bulletin.issued)}，{region.name}正在运行的政府网站{len(running)}家。其中，"
        + "，".join(
            f"{label}网站{by_level[level]}家" for level, label in FILE_LABELS["level"].items() if by_level[level]
        )
        + "。"
        if running
        else f"截至{chinese_date(bulletin.issued)}，{region.name}没有正在运行的政府网站。",
        f"{scope}共{kind}政府网站{len(outcomes)}个，合格{passed}个，不合格{len(failed)}个，"
        f"总体合格率{percent(passed, judged_count)}。"
        + _closed_before_publication(bulletin, campaigns, failed, kind)
        + (
            f"其中，{full[0].name}等{len(full)}个地区和部门政府网站{kind}合格率为100%。"
            if len(full) > 1
            else f"其中，{full[0].name}政府网站{kind}合格率为100%。"
            if full
            else ""
        ),
    ]
    streaks = _streaks(full, max(campaigns, key=lambda c: (c.as_of, c.pk)), kind)
    if streaks:
        overall[-1] += streaks
    undecided = len(outcomes) - judged_count
    if undecided:
        overall.append(f"另有{undecided}个网站尚无结论（待核查或未能完成扫描），未计入合格率。")
    if use_scan_verdicts:
        overall.append("注：部分网站尚未完成人工核查，本通报采用其扫描结论。")
    people = dict.fromkeys(ACTION_TEXT, 0)
    for a in Accountability.objects.filter(bulletin=bulletin):
        people[a.action] += a.people
    if sum(people.values()):
        overall.append(
            f"各有关单位对不合格网站责任单位和相关人员进行了问责，共有{sum(people.values())}人被问责，其中"
            + "，".join(ACTION_TEXT[k].format(n=n) for k, n in people.items() if n)
            + "。"
        )
    own = _self_inspection(campaigns)
    if own:
        overall.append(own)
    reports = _error_reports(region, campaigns, bulletin.issued)
    if reports:
        overall.append(reports)
    common = [p for p in problems(outcomes) if p.sites][:COMMON_PROBLEMS]
    issues = []
    if failed:
        issues.append(f"{scope}发现不合格网站{len(failed)}个，名单见附件。")
    repeats = {e.pk for c in campaigns for e in repeat_offenders(c)}
    again = [o for o in failed if o.entry.pk in repeats]
    if again:
        issues.append(f"其中，{len(again)}个网站此前已被通报为不合格，{scope}仍不合格，在名单中标注为“屡查屡犯”。")
    if common:
        issues.append(
            f"{scope}的{judged_count}个网站中，"
            + "；".join(
                f"{p.sites}个（{percent(p.sites, judged_count)}）存在“{problem_name(p.check)}”问题" for p in common
            )
            + "。"
        )
    sections = [Section("一、总体情况", overall)]
    if issues:
        sections.append(Section("二、主要问题", issues))
    if bulletin.requirements.strip():
        sections.append(Section(f"{'三' if issues else '二'}、下一步工作要求", _paragraphs(bulletin.requirements)))

    annexes = []
    if full:
        annexes.append(Annex(f"{kind}合格率达100%的地区和部门", lines=["、".join(g.name for g in full)]))
    annexes.append(
        Annex(
            "各地区政府网站运行和抽查情况",
            [
                Table(
                    "",
                    ["序号", "地区/部门", "运行数", "抽查数", "合格数", "合格率"],
                    [
                        [str(i), g.name, str(g.running), str(g.sampled), str(g.passed), percent(g.passed, g.judged)]
                        for i, g in enumerate(groups, 1)
                    ],
                    f"注：运行网站数据取自本平台网站基本信息库{chinese_date(bulletin.issued)}的数据。",
                )
            ],
        )
    )
    names = dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))
    if failed:
        annexes.append(
            Annex(
                f"{kind}发现存在突出问题的政府网站名单",
                [
                    Table(
                        "",
                        ["序号", "地区/部门", "网站名称", "首页地址", "结果", "突出问题"],
                        [
                            [
                                str(i),
                                listed_as(o.site, names),
                                o.site.name,
                                o.site.url,
                                REPEAT if o.entry.pk in repeats else "不合格",
                                problems_text(o.counts),
                            ]
                            for i, o in enumerate(failed, 1)
                        ],
                    )
                ],
                **(_pictures(failed) if screenshots else {}),
            )
        )
    top = sorted(
        (o for o in outcomes if o.outcome == PASSED and o.site.kind == "portal" and o.score is not None),
        key=lambda o: (-(o.score or 0), o.site.code),
    )[:TOP_PORTALS]
    if top:
        annexes.append(
            Annex(
                f"{kind}评分较高的政府门户网站名单",
                [
                    Table(
                        "",
                        ["序号", "地区/部门", "网站名称", "得分"],
                        [[str(i), listed_as(o.site, names), o.site.name, f"{o.score:g}"] for i, o in enumerate(top, 1)],
                    )
                ],
            )
        )
    if bulletin.ledger is not None:
        rules = bulletin.ledger.rules()
        ranked = compute.rows(bulletin.ledger, use_scan_verdicts)
        annexes.append(
            Annex(
                rules.title,
                [
                    Table(
                        f"（{t.heading}）",
                        ["序号", t.label, f"{rules.period}扣分", "扣分说明"],
                        [
                            [str(i), r.unit.name, compute.signed(r.total), r.explanation(rules.separator)]
                            for i, r in enumerate(ranked[t.id], 1)
                        ],
                    )
                    for t in rules.unit_types
                    if ranked[t.id]
                ],
            )
        )
    return Document(
        title=bulletin.title,
        issuer=bulletin.issuer,
        issued=chinese_date(bulletin.issued),
        opening=bulletin.opening,
        sections=sections,
        annexes=annexes,
        chart_title=f"各地区政府网站{kind}合格率（%）",
        chart=[Bar(g.name, round(100 * g.passed / g.judged, 1)) for g in groups if g.judged],
        scan_verdicts=use_scan_verdicts,
    )


def chinese_number(n: int) -> str:
    """两, 四, 十二: how the text counts quarters (1–99)."""
    if n == 2:
        return "两"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones or not tens else "")


def _streaks(full: list[Group], latest: Campaign, kind: str) -> str:
    """Seed 000's "北京、天津…连续四个季度抽查合格率达100%": the groups at 100 % now — cities and
    省直部门 alike — whose checked sites also passed every supervision check of the calendar
    quarters before, without a quarter missed (``group_pass_streak``), longest first."""
    by_streak: dict[int, list[str]] = {}
    for g in full:
        n = group_pass_streak(g.code, latest)
        if n > 1:
            by_streak.setdefault(n, []).append(g.name)
    return "".join(
        f"{'、'.join(names)}连续{chinese_number(n)}个季度{kind}合格率达100%。"
        for n, names in sorted(by_streak.items(), reverse=True)
    )


def _closed_before_publication(bulletin: Bulletin, campaigns: list[Campaign], failed: list[Outcome], kind: str) -> str:
    """Seed 004's sentence on unqualified sites closed (申请关停 or 已关停) on or before the
    results were published: the ledger's publication date for a quarter it counts, else the
    bulletin's date (``rectification.figures.closed_before``). They stay among the unqualified
    sites here; the ledger leaves them out of the quarter."""
    published = {q.campaign_id: q.results_published for q in bulletin.ledger.campaigns.all()} if bulletin.ledger else {}
    gone = {e.pk for c in campaigns for e in closed_before(c, published.get(c.pk, bulletin.issued))}
    names = dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))
    counts = Counter(group_of(o.site, names)[1] for o in failed if o.entry.pk in gone)
    if not counts:
        return ""
    who = "、".join(f"{name}{n}家" for name, n in counts.items())
    return f"其中，{who}不合格网站在{kind}情况公示前已进行了关停（不计入当季考核成绩）。"


def _self_inspection(campaigns: list[Campaign]) -> str:
    """Seed 000's sentences on the lower levels' own checks, from the self-inspection rounds
    compared with these campaigns (``SelfInspectionRound.campaign``): sites they checked, their
    share of the running sites and pass rate ("各地区、各部门共抽查本地区、本部门政府网站12286个，占运行
    政府网站总数的55%，总体合格率97%"), then the sampled re-verification's agreement ("经抽样复核…")."""
    rounds = list(SelfInspectionRound.objects.filter(campaign__in=campaigns).order_by("deadline", "pk"))
    results = SelfResult.objects.filter(report__round__in=rounds)
    checked = results.count()
    if not checked:
        return ""
    running = sum(len(u.sites) for r in rounds for u in selfinspection.units(r))
    passed = results.filter(verdict=PASS).count()
    text = (
        f"各地区、各部门共自查本地区、本部门政府网站{checked}个，占运行政府网站总数的{percent(checked, running)}，"
        f"总体合格率{percent(passed, checked)}。"
    )
    found = [selfinspection.agreement(v) for r in rounds for v in r.reverifications.select_related("campaign", "round")]
    compared, agreed = sum(a.compared for a in found), sum(a.agreed for a in found)
    if compared:
        text += f"经抽样复核{compared}个网站，{agreed}个与自查结论一致，一致率{percent(agreed, compared)}。"
    return text


def _error_reports(region: Region, campaigns: list[Campaign], issued: date) -> str:
    """Seed 000's sentence on 我为政府网站找错 over the quarters the campaigns fall in, as of the
    bulletin's date: valid messages, overall 办结率, and the regions and departments at 100 % on
    time. Empty where the region's sites received no message then (the office may not use the
    channel, and no figure is better than a made-up zero)."""
    days = [timezone.localdate(c.as_of) for c in campaigns]
    start, end = error_reports.quarter_of(min(days))[0], error_reports.quarter_of(max(days))[1]
    mine = Report.objects.filter(site__region__code__in=region.descendant_codes())
    groups, total = error_reports.tallies(mine, start, end, by="region", today=issued)
    if not total.received:
        return ""
    text = f"“我为政府网站找错”平台收到网民有效留言{total.valid}条，总体办结率{percent(total.closed, total.valid)}。"
    full = [g.label for g in groups if g.decided and g.on_time == g.decided]
    if len(full) > 1:
        text += f"{'、'.join(full[:5])}等{len(full)}个地区和部门留言按期办结率达100%。"
    elif full:
        text += f"{full[0]}留言按期办结率达100%。"
    return text


def _pictures(failed: list[Outcome]) -> dict[str, Any]:
    """The problem-site annex's screenshots and the line above them."""
    chosen = pictures.choose(failed)
    n = chosen.left_out
    if chosen.figures:
        note = "问题截图（红框标出问题所在）：" + (f"另有{n}张截图因数量、大小限制或文件缺失未收录。" if n else "")
    else:
        note = f"{n}张问题截图因数量、大小限制或文件缺失未收录。" if n else "问题网站没有留存截图。"
    return {"figures": chosen.figures, "figures_note": note}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def as_json(document: Document) -> dict[str, Any]:
    return asdict(document)


def from_json(data: dict[str, Any]) -> Document:
    """An export's kept inputs back as a document (to write the same file again)."""
    return Document(
        **{
            **data,
            "sections": [Section(**s) for s in data["sections"]],
            "annexes": [
                Annex(
                    a["title"],
                    [Table(**t) for t in a["tables"]],
                    a["lines"],
                    [Figure(**f) for f in a.get("figures", [])],  # an export made before screenshots has none
                    a.get("figures_note", ""),
                )
                for a in data["annexes"]
            ],
            "chart": [Bar(**b) for b in data["chart"]],
        }
    )
