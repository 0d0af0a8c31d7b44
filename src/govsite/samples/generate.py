"""Build the sample world from a seed: the sites, their columns and their defects.

The defect plan is drawn from the seed: a few sites are kept clean, each defect kind
is given to a few of the others. What the manifest reports is then read back from
the built world (:mod:`govsite.samples.manifest`), not from the plan, so the ground
truth is what the pages really show.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

from govsite.engine.dates import report_due_year
from govsite.samples import content, layouts
from govsite.samples.places import (
    CITIES,
    CITY_DEPARTMENTS,
    COUNTIES,
    NATIONAL_HOSTS,
    NONCONFORMING_HOSTS,
    PROVINCE,
    PROVINCIAL_DEPARTMENTS,
    RECORD_PREFIX,
    Department,
    Place,
)
from govsite.samples.scripted import script_sites
from govsite.samples.world import Article, BrokenLink, Column, Guide, Message, Site, World

#: (key, name for portals, name for departments, class, parent, kind, path)
COLUMN_DEFS: tuple[tuple[str, str, str, str, str | None, str, str], ...] = (
    ("news", "政务要闻", "工作动态", "news", None, "list", "zwyw"),
    ("dept_news", "部门动态", "", "news", None, "list", "bmdt"),
    ("local_news", "县区动态", "", "news", None, "list", "xqdt"),
    ("notice", "通知公告", "通知公告", "notice", None, "list", "tzgg"),
    ("xxgk", "信息公开", "信息公开", "open_government", None, "container", "xxgk"),
    ("policy", "政策文件", "政策文件", "policy", "xxgk", "list", "xxgk/zcwj"),
    ("personnel", "人事信息", "人事信息", "personnel", "xxgk", "list", "xxgk/rsxx"),
    ("plan", "规划计划", "规划计划", "plan", "xxgk", "list", "xxgk/ghjh"),
    ("budget", "财政预决算", "部门预决算", "other", "xxgk", "list", "xxgk/czyjs"),
    ("stats", "统计信息", "统计信息", "other", "xxgk", "list", "xxgk/tjxx"),
    ("proposals", "建议提案办理", "建议提案办理", "other", "xxgk", "list", "xxgk/jyta"),
    ("key_areas", "重点领域信息公开", "重点领域信息公开", "other", "xxgk", "list", "xxgk/zdly"),
    ("annual", "政府网站工作年度报表", "政府网站工作年度报表", "other", "xxgk", "reports", "xxgk/ndbb"),
    ("interpretation", "政策解读", "政策解读", "interpretation", None, "list", "zcjd"),
    ("service", "办事服务", "办事服务", "service", None, "container", "bsfw"),
    ("guides", "办事指南", "办事指南", "service", "service", "guides", "bsfw/bszn"),
    ("forms", "表格下载", "表格下载", "service", "service", "list", "bsfw/bgxz"),
    ("interaction", "互动交流", "互动交流", "interaction", None, "container", "hdjl"),
    ("board", "咨询投诉", "领导信箱", "interaction", "interaction", "board", "hdjl/zxts"),
    ("survey", "调查征集", "调查征集", "interaction", "interaction", "list", "hdjl/dczj"),
    ("interview", "在线访谈", "在线访谈", "interaction", "interaction", "list", "hdjl/zxft"),
    ("about", "走进{place}", "机构概况", "other", None, "page", "gk"),
)

FRESH_AGE = {"news": (0, 6), "notice": (0, 60), "policy": (0, 120), "personnel": (0, 200), "plan": (0, 250)}
STALE_AGE = {
    "news": (20, 150),
    "notice": (200, 600),
    "policy": (200, 700),
    "personnel": (400, 1200),
    "plan": (400, 1500),
}
OTHER_AGE = (0, 200)
GAP = {
    "news": (1.2, 3.5),
    "notice": (4.0, 12.0),
    "policy": (6.0, 20.0),
    "interpretation": (8.0, 25.0),
    "personnel": (15.0, 60.0),
    "plan": (30.0, 120.0),
}
COUNT = {
    "news": (40, 90),
    "notice": (15, 45),
    "policy": (12, 40),
    "interpretation": (8, 25),
    "personnel": (6, 20),
    "plan": (4, 12),
}
BLANK_CANDIDATES = ("budget", "stats", "proposals", "key_areas", "survey", "interview", "forms")
EMPTY_NOTES = (
    "说明：本单位不涉及该类事项，故本栏目暂无相关信息。",
    "说明：根据机构改革职能调整，该项工作已划转至其他部门，本栏目不再更新。",
    "说明：本年度未承办人大代表建议和政协提案，故本栏目暂无内容。",
)
#: (charset, declared in the Content-Type header, declared in a meta tag)
CHARSETS = (
    ("utf-8", True, True),
    ("utf-8", False, True),
    ("gbk", True, False),
    ("gb2312", False, True),
    ("gbk", True, True),
    ("gb18030", True, False),
)

#: How many sites get each defect (clean sites and down sites excluded).
DEFECT_QUOTA: dict[str, int] = {
    "homepage_stale": 2,
    "column_stale": 6,
    "column_blank": 5,
    "blank_note": 4,  # control: empty columns with an explanatory note (not a defect)
    "conac_missing": 2,
    "site_code_missing": 2,
    "site_code_mismatch": 2,
    "icp_missing": 2,
    "psb_missing": 3,
    "jiucuo_missing": 3,
    "search_missing": 2,
    "search_broken": 2,
    "channel_missing": 2,
    "unanswered": 3,
    "old_unanswered": 3,  # control: unanswered, but asked more than a year ago
    "service_missing": 1,
    "guide_incomplete": 3,
    "interpretation_missing": 2,
    "annual_report_missing": 3,
    "republished": 2,
    "forged_date": 2,
    "wording": 3,
    "broken_links": 12,
}
EXCLUSIVE = (
    {"search_missing", "search_broken"},
    {"channel_missing", "unanswered", "old_unanswered"},
    {"service_missing", "guide_incomplete"},
    {"site_code_missing", "site_code_mismatch"},
    {"homepage_stale", "forged_date"},
)
CLEAN_SITES = 6
MAX_DEFECTS_PER_SITE = 5


def build_world(
    seed: int, as_of: date, items_per_column: int | None = None, scripted: bool = False, copies: int = 1
) -> World:
    """The sample province for ``seed``, with every date relative to ``as_of``;
    ``scripted``: a few sites build their lists with JavaScript (``samples/scripted.py``);
    ``copies`` > 1: the province's 37 sites plus ``copies - 1`` more provinces' worth of
    distinct sites on hosts of their own (:func:`copy_place`), for benchmarks at scale."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be between 1 and {MAX_COPIES}")
    world = World(seed=seed, as_of=as_of, sites={}, items_per_column=items_per_column)
    for copy in range(copies):
        _build_province(world, copy)
    if scripted:
        script_sites(world)
    return world


#: Copy ``k`` numbers its sites' codes from ``k`` × 100 (portal ``k``01, departments after).
MAX_COPIES = 99


def copy_place(place: Place, copy: int) -> Place:
    """The place as copy ``copy`` of the province names it in its hosts: ``www.c3-huachuan.gov.cn``
    (never ending in a digit, so never one of the unknown hosts broken links point to)."""
    return place if copy == 0 else replace(place, slug=f"c{copy}-{place.slug}")


def _build_province(world: World, copy: int) -> None:
    seed = world.seed
    rng = random.Random(f"govsite-fleet:{seed}" if copy == 0 else f"govsite-fleet:{seed}:copy{copy}")
    skeletons = list(_skeletons(copy))
    plan = _plan_defects(rng, [s[0] for s in skeletons], _nonconforming(copy))
    province: dict[str, Site] = {}
    for host, name, code, kind, level, place, dept, organizer, supervisor in skeletons:
        srng = random.Random(f"{seed}:{host}")
        family = srng.choice(layouts.FAMILIES)
        charset, in_header, in_meta = srng.choice(CHARSETS)
        site = Site(
            host=host,
            name=name,
            code=code,
            kind=kind,
            level=level,
            place=place,
            department=dept,
            organizer=organizer,
            supervisor=supervisor,
            family=family,
            charset=charset,
            charset_in_header=in_header,
            charset_in_meta=in_meta,
            home_redirect=srng.choice(("none", "none", "http", "meta", "script")),
            footer_style=srng.choice(("div", "id", "footer", "table")),
            contacts=_contacts(srng, host),
            layout=layouts.draw(family, random.Random(f"{seed}:{host}:layout")),
        )
        province[host] = site
    world.sites.update(province)
    healthy = [h for h, s in province.items() if not plan[h] & {"down", "error", "slow", "intermittent"}]
    for host, site in province.items():
        _furnish(world, province, site, random.Random(f"{seed}:{host}:furnish"), plan[host], healthy)


def _nonconforming(copy: int) -> dict[tuple[str, str], str]:
    return {key: host if copy == 0 else f"c{copy}-{host}" for key, host in NONCONFORMING_HOSTS.items()}


def _skeletons(copy: int = 0) -> Iterator[tuple[str, str, str, str, str, Place, Department | None, str, str]]:
    odd = _nonconforming(copy)
    yield _portal(copy_place(PROVINCE, copy), "省级政府门户", "华川省人民政府办公厅", copy)
    for i, dept in enumerate(PROVINCIAL_DEPARTMENTS):
        yield _department(copy_place(PROVINCE, copy), dept, i, "省级政府部门", copy, odd)
    for city in CITIES:
        yield _portal(copy_place(city, copy), "市级政府门户", f"{city.name}人民政府办公室", copy)
        for i, dept in enumerate(CITY_DEPARTMENTS):
            yield _department(copy_place(city, copy), dept, i, "市级政府部门", copy, odd)
        for county in COUNTIES:
            if county.parent == city.division_code:
                yield _portal(copy_place(county, copy), "县级政府门户", f"{county.name}人民政府办公室", copy)


def _portal(
    place: Place, level: str, organizer: str, copy: int = 0
) -> tuple[str, str, str, str, str, Place, None, str, str]:
    host = f"www.{place.slug}.gov.cn"
    name = f"{place.name}人民政府"
    return host, name, f"{place.division_code}{copy * 100 + 1:04d}", "portal", level, place, None, organizer, name


def _department(
    place: Place, dept: Department, index: int, level: str, copy: int, odd: dict[tuple[str, str], str]
) -> tuple[str, str, str, str, str, Place, Department, str, str]:
    host = odd.get((place.division_code, dept.slug), f"{dept.slug}.{place.slug}.gov.cn")
    name = f"{place.name}{dept.name}"
    code = f"{place.division_code}{copy * 100 + index + 2:04d}"
    return host, name, code, "department", level, place, dept, name, name


def _contacts(rng: random.Random, host: str) -> dict[str, str]:
    return {
        "负责人": content.person(rng),
        "联系人": content.person(rng),
        "电话": f"0{rng.randint(800, 899)}-{rng.randint(2000000, 8999999)}",
        "邮箱": f"wzgl@{host.removeprefix('www.')}",
    }


def _plan_defects(rng: random.Random, hosts: list[str], odd: dict[tuple[str, str], str]) -> dict[str, set[str]]:
    plan: dict[str, set[str]] = {h: set() for h in hosts}
    nonconforming = set(odd.values())
    for host in nonconforming:
        plan[host].add("domain")
    clean = set(rng.sample(sorted(set(hosts) - nonconforming), CLEAN_SITES))
    others = [h for h in hosts if h not in clean]
    for kind in ("down", "error", "slow", "intermittent"):
        host = rng.choice([h for h in others if not plan[h]])
        plan[host].add(kind)
    for kind, quota in DEFECT_QUOTA.items():
        eligible = [
            h
            for h in others
            if not plan[h] & {"down", "error"}
            and len(plan[h]) < MAX_DEFECTS_PER_SITE
            and not any(kind in group and plan[h] & (group - {kind}) for group in EXCLUSIVE)
        ]
        for host in rng.sample(eligible, min(quota, len(eligible))):
            plan[host].add(kind)
    return plan


def _furnish(
    world: World, province: dict[str, Site], site: Site, rng: random.Random, plan: set[str], healthy: list[str]
) -> None:
    """Give ``site`` of ``province`` its columns, footer, services and links, shaped by its defects."""
    if "down" in plan or "error" in plan or "slow" in plan or "intermittent" in plan:
        site.availability = next(k for k in ("down", "error", "slow", "intermittent") if k in plan)
    site.columns = _columns(world, site, rng, plan)
    _identity(site, rng, plan)
    site.search = "missing" if "search_missing" in plan else "broken" if "search_broken" in plan else "ok"
    _content_defects(world, site, rng, plan)
    peers = [h for h in healthy if h != site.host]
    parent = next(
        (s.host for s in province.values() if s.kind == "portal" and s.place.division_code == site.place.parent),
        None,
    )
    links = [("中国政府网", "http://www.gov.cn/")]
    if parent and parent in healthy:
        links.append((world.sites[parent].name, f"http://{parent}/"))
    for peer in sorted(rng.sample(peers, 2)):
        links.append((world.sites[peer].name, f"http://{peer}/"))
    site.links_out = tuple(links)
    if "broken_links" in plan:
        site.broken_links = tuple(_broken_links(world, site, rng, peers))


def _columns(world: World, site: Site, rng: random.Random, plan: set[str]) -> dict[str, Column]:
    portal_with_subunits = site.kind == "portal" and site.place.level != "county"
    columns: dict[str, Column] = {}
    base_cid = rng.randint(10, 89) * 100
    for position, (key, portal_name, dept_name, cls, parent, kind, path) in enumerate(COLUMN_DEFS):
        if key in ("dept_news", "local_news") and not portal_with_subunits:
            continue
        if key == "interpretation" and "interpretation_missing" in plan:
            continue
        if key in ("service", "guides", "forms") and "service_missing" in plan:
            continue
        if key == "board" and "channel_missing" in plan:
            continue
        name = (portal_name if site.kind == "portal" else dept_name).format(place=site.place.short)
        if key == "local_news" and site.place.level == "province":
            name = "市县动态"
        columns[key] = Column(key, name, cls, kind, path, base_cid + position, parent)
    if "interaction" in columns and not any(c.parent == "interaction" for c in columns.values()):
        del columns["interaction"]

    stale_pool = [k for k in ("dept_news", "local_news", "notice", "policy", "personnel", "plan") if k in columns]
    stale: set[str] = set()
    if "homepage_stale" in plan:
        stale = {k for k in columns if columns[k].cls == "news"}
    if "column_stale" in plan:
        stale |= set(rng.sample(stale_pool, rng.randint(1, len(stale_pool))))
    blank: set[str] = set()
    present_blank = [k for k in BLANK_CANDIDATES if k in columns]
    if "column_blank" in plan:
        blank = set(rng.sample(present_blank, rng.randint(1, min(6, len(present_blank)))))
    noted: set[str] = set()
    if "blank_note" in plan:
        rest = [k for k in present_blank if k not in blank]
        noted = set(rng.sample(rest, min(len(rest), rng.randint(1, 2))))

    for key, col in columns.items():
        if col.kind != "list":
            continue
        cls = col.cls if col.cls in COUNT else "other"
        lo, hi = COUNT.get(cls, (3, 12))
        col.count = world.items_per_column or rng.randint(lo, hi)
        col.gap = rng.uniform(*GAP.get(cls, (20.0, 90.0)))
        if key in stale:
            col.latest_age = rng.randint(*STALE_AGE[col.cls])
        elif "homepage_stale" in plan and col.cls in ("notice", "policy", "interpretation"):
            col.latest_age = rng.randint(20, 170)
        else:
            col.latest_age = rng.randint(*FRESH_AGE.get(col.cls, OTHER_AGE))
        if key in blank or key in noted:
            col.count = 0
            col.note = rng.choice(EMPTY_NOTES) if key in noted else None
    if "board" in columns:
        columns["board"].explicit = tuple(_messages(world, site, rng, plan))
        columns["board"].count = len(columns["board"].explicit)
    if "guides" in columns:
        columns["guides"].explicit = tuple(_guides(world, site, rng, plan))
        columns["guides"].count = len(columns["guides"].explicit)
    annual = columns["annual"]
    annual.explicit = tuple(_reports(world, site, rng, plan))
    annual.count = len(annual.explicit)
    return columns


def _reports(world: World, site: Site, rng: random.Random, plan: set[str]) -> list[Article]:
    last = report_due_year(world.as_of) - (1 if "annual_report_missing" in plan else 0)
    out = []
    for i, year in enumerate(range(last, last - 3, -1)):
        published = date(year + 1, 1, rng.randint(8, 28))
        title = f"{site.name}政府网站工作年度报表（{year}年度）"
        body = (
            f"根据《政府网站发展指引》要求，现将{site.name}{year}年度政府网站工作年度报表公布如下。",
            f"网站名称：{site.name}；网站标识码：{site.code}；首页网址：{site.url}；主办单位：{site.organizer}。",
            f"本年度发布信息{rng.randint(300, 3000)}条，其中概况类信息{rng.randint(10, 60)}条，"
            f"政务动态信息{rng.randint(200, 2000)}条，信息公开目录信息{rng.randint(50, 600)}条。",
        )
        out.append(Article(i, title, published, published, body))
    return out


def _messages(world: World, site: Site, rng: random.Random, plan: set[str]) -> list[Message]:
    ages = sorted(rng.sample(range(1, 700), rng.randint(10, 22)))
    unanswered: set[int] = set()
    if "unanswered" in plan:
        overdue = [a for a in range(100, 331) if a not in ages]
        extra = rng.sample(overdue, rng.randint(1, 3))
        ages = sorted(ages + extra)
        unanswered |= set(extra)
    if "old_unanswered" in plan:
        extra = [a for a in rng.sample(range(420, 700), 1) if a not in ages]
        ages = sorted(ages + extra)
        unanswered |= set(extra)
    out = []
    for i, age in enumerate(ages):
        asked = world.as_of - timedelta(days=age)
        title, text = content.question(rng, site.place.name)
        pending = age in unanswered or (age < 45 and rng.random() < 0.3)
        replied = None if pending else asked + timedelta(days=rng.randint(1, min(15, age)))
        out.append(Message(i, title, asked, text, replied, None if pending else content.reply(rng, site.org)))
    return out


def _guides(world: World, site: Site, rng: random.Random, plan: set[str]) -> list[Guide]:
    count = rng.randint(5, 10)
    incomplete = set(rng.sample(range(count), rng.randint(1, 3))) if "guide_incomplete" in plan else set()
    out = []
    for i in range(count):
        name = rng.choice(content.SERVICES).format(topic=rng.choice(content.TOPICS))
        values = content.guide_values(rng, name, site.org, site.contacts["电话"])
        missing: tuple[str, ...] = ()
        if i in incomplete:
            missing = tuple(rng.sample(content.GUIDE_ELEMENTS[1:], rng.randint(1, 3)))
        elements = tuple((k, v) for k, v in values.items() if k not in missing)
        out.append(Guide(i, name, world.as_of - timedelta(days=rng.randint(30, 900)), elements, missing))
    return out


def _identity(site: Site, rng: random.Random, plan: set[str]) -> None:
    site.shown_code = site.code
    if "site_code_missing" in plan:
        site.shown_code = None
    elif "site_code_mismatch" in plan:
        site.shown_code = site.code[:-4] + f"{(int(site.code[-4:]) + rng.randint(11, 90)) % 10000:04d}"
    site.conac = "conac_missing" not in plan
    site.jiucuo = "jiucuo_missing" not in plan
    if "icp_missing" not in plan:
        site.icp = f"{RECORD_PREFIX}ICP备{rng.randint(10000000, 99999999)}号"
    if "psb_missing" not in plan:
        site.psb = f"{RECORD_PREFIX}公网安备{site.place.division_code}{rng.randint(2000000, 2999999):08d}号"


def _content_defects(world: World, site: Site, rng: random.Random, plan: set[str]) -> None:
    news = site.columns["news"]
    if "forged_date" in plan:
        news.latest_age = rng.randint(200, 700)
        for i in range(rng.randint(1, 3)):
            site.forged[("news", i)] = world.item_date(news, i)
    if "republished" in plan and news.count > 12:
        for later in rng.sample(range(0, 5), rng.randint(1, 2)):
            site.republished[("news", later)] = rng.randint(12, min(28, news.count - 1))
    if "wording" in plan:
        keys = [k for k in ("news", "notice") if site.columns[k].count]
        for _ in range(rng.randint(1, 2)):
            key = rng.choice(keys)
            index = rng.randint(0, 4)
            if (key, index) not in site.republished:
                site.miswritten[(key, index)] = rng.choice(sorted(content.MISWRITINGS))


def _broken_links(world: World, site: Site, rng: random.Random, peers: list[str]) -> list[BrokenLink]:
    year = world.as_of.year - rng.randint(3, 8)
    news0 = ("news", 0)
    peer = rng.choice(peers)
    ghost = f"www.{site.place.slug}{rng.randint(2, 9)}.gov.cn"
    options = [
        BrokenLink("home", f"/ztzl/{year}/zt{rng.randint(1, 30)}.html", "", f"{year}年专题专栏", 404, "internal"),
        BrokenLink(news0, f"/uploads/{year}/{rng.randint(1000, 9999)}.pdf", "", "附件：实施细则.pdf", 404, "internal"),
        BrokenLink("home", "/manage/", "", "网站管理", 403, "internal"),
        BrokenLink("home", f"http://{peer}/zt/{year}/index.html", "", "相关专题", 404, "external"),
        BrokenLink(news0, f"http://{ghost}/", "", "原网站", 502, "external"),
    ]
    chosen = rng.sample(options, rng.randint(1, 4))
    out = []
    for link in chosen:
        target = link.href if link.href.startswith("http") else f"http://{site.host}{link.href}"
        out.append(BrokenLink(link.on, link.href, target, link.text, link.status, link.scope))
    assert all(not link.target.startswith(f"http://{h}/") for h in NATIONAL_HOSTS for link in out)
    return out
