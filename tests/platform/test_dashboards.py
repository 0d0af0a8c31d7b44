"""The dashboards (统计分析) against real campaign runs on the sample fleet: every figure
equals the one computed here straight from the stored rows, each role sees only its
scope, a dismissal changes the figures, two campaigns compare, and every page is inline
SVG with nothing fetched from elsewhere."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polib
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation
from lxml import html

from govsite.engine import CHECK_IDS
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.dashboards import charts
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review import actions
from govsite.platform.review import labels as review_labels
from govsite.platform.review.models import Decision
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import OWN_SITE, people, scanned_campaign
from ..helpers import TEST_NOW

pytestmark = pytest.mark.django_db
LATER = TEST_NOW + timedelta(days=20)
CITY = "390400"  # 北溪市: 7 sites
OWN = OWN_SITE  # the operator's site: 6 blank columns (a veto), no broken link
BROKEN = "3904000005"  # its registered URL is broken for the first census: that scan fails
CATALOG = Path(__file__).resolve().parents[2] / "src/govsite/platform/dashboards/locale/zh_Hans/LC_MESSAGES/django.po"
#: The personas this module walks the dashboards with.
NAMES = ("admin", "province", "city", "other_city", "inspector", "stranger", "operator")


# ---- the world ----------------------------------------------------------------------


@pytest.fixture
def census(sample_world: World, sample_scans: Scans) -> Campaign:
    """北溪市's census at TEST_NOW, scanned over real HTTP; one site's scan fails."""
    load_sample_province(sample_world)
    people(*NAMES)
    good_url = Site.objects.get(code=BROKEN).url
    Site.objects.filter(code=BROKEN).update(url="gopher://offline.invalid/")  # the engine refuses it: the scan fails
    made = scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code=CITY))
    made.inspectors.add(User.objects.get(username="inspector"))
    Site.objects.filter(code=BROKEN).update(url=good_url)
    return made


def rerun(scans: Scans, name: str, as_of: datetime) -> Campaign:
    made = scanned_campaign(scans, name=name, kind="census", region=Region.objects.get(code=CITY), as_of=as_of)
    made.inspectors.add(User.objects.get(username="inspector"))
    return made


def client(name: str, language: str | None = None) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=name))
    if language:
        c.cookies["django_language"] = language
    return c


def dismiss(entry: CampaignSite, check: str, count: int) -> None:
    inspector = User.objects.get(username="inspector")
    indexes = [i for i, f in enumerate(entry.result["findings"]) if f["check"] == check][:count]
    assert len(indexes) == count
    for i in indexes:
        actions.decide(entry, i, "dismissed", inspector, "栏目已按规定撤销")


# ---- the figures, computed here from the stored rows only ----------------------------


def counted(entry: CampaignSite) -> Counter[str]:
    """Findings that count: not dismissed, and not a doubt nobody confirmed."""
    decided = dict(Decision.objects.filter(entry=entry).values_list("index", "state"))
    out: Counter[str] = Counter()
    for i, f in enumerate(entry.result["findings"]):
        state = decided.get(i)
        if state != "dismissed" and (f["severity"] != "suspected" or state == "confirmed"):
            out[f["check"]] += 1
    for m in entry.manual_findings.filter(withdrawn=False):
        out[m.check_id] += 1
    return out


def expected(campaign: Campaign, codes: set[str] | None = None) -> dict[str, Any]:
    entries = [e for e in campaign.sites.select_related("site") if codes is None or e.site.code in codes]
    outcomes = Counter()
    problems: dict[str, list[int]] = {}
    per_site = {}
    for e in entries:
        if e.state == "failed":
            outcomes["scan_failed"] += 1
            per_site[e.site.code] = None
            continue
        outcomes[{"合格": "passed", "不合格": "failed", "待核查": "undecided"}[e.final_verdict]] += 1
        counts = counted(e)
        per_site[e.site.code] = counts
        for check, n in counts.items():
            sites, findings = problems.setdefault(check, [0, 0])
            problems[check] = [sites + 1, findings + n]
    judged = outcomes["passed"] + outcomes["failed"] + outcomes["undecided"]
    return {
        "outcomes": outcomes,
        "total": len(entries),
        "rate": f"{100 * outcomes['passed'] / judged:.1f}%" if judged else "—",
        "problems": problems,
        "per_site": per_site,
    }


def rows(page: Any, section: str) -> list[list[str]]:
    """The cell texts of the table rows in ``<section id=section>`` (header rows left out)."""
    doc = html.fromstring(page.content.decode())
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("./td")]
        for tr in doc.xpath(f"//section[@id='{section}']//table//tr[td]")
    ]


def offline(page: Any, svg: bool = True) -> str:
    """The page's text, after checking it is inline SVG (no script at all, so no chart
    library), names no http(s) URL (nothing to fetch) and links the app's bundled CSS."""
    text = page.content.decode()
    assert page.status_code == 200
    assert ("<svg" in text and 'role="img"' in text) == svg
    assert not re.search(r"https?://", text), re.findall(r"https?://\S{0,60}", text)
    assert "<script" not in text
    assert 'href="/static/dashboards/dashboards.css"' in text
    return text


# ---- tests ---------------------------------------------------------------------------


def test_the_overview_shows_the_stored_results(census: Campaign) -> None:
    page = client("city").get("/dashboard/")
    assert page.status_code == 200 and page.context["campaign"] == census  # the latest finished census by default
    want = expected(census)
    assert want["outcomes"]["scan_failed"] == 1 and want["total"] == 7
    # the total row of the region table: 北溪市's counties count under the city
    city_row, total_row = rows(page, "regions")
    o = want["outcomes"]
    figures = [str(x) for x in (7, o["passed"], o["failed"], o["undecided"], o["scan_failed"])] + [want["rate"]]
    assert city_row == ["北溪市", *figures] and total_row == ["全部网站", *figures]
    levels = {r[0]: r[1:] for r in rows(page, "levels")}
    by_level = Counter(Site.objects.get(code=c).get_level_display() for c in want["per_site"])
    assert {k: int(v[0]) for k, v in levels.items() if k != "全部网站"} == dict(by_level)
    # the most common problems: sites affected and findings, per check id, with its Chinese name
    shown = {r[1]: (r[0], int(r[2]), int(r[4])) for r in rows(page, "problems")}
    assert {c: (s, f) for c, (_, s, f) in shown.items() if s} == {c: tuple(v) for c, v in want["problems"].items()}
    assert shown["update.column_blank"][0] == "空白栏目"
    # each site: its result, and "—" for the one whose scan failed
    sites = {r[0]: r for r in rows(page, "sites")}
    assert sites[BROKEN][2] == "扫描失败" and sites[BROKEN][5:] == ["—", "—"]
    assert sites[OWN][5] == str(want["per_site"][OWN]["update.column_blank"]) == "6"
    # the cards and the latest campaigns
    text = page.content.decode()
    assert f'<span class="n">{want["rate"]}</span>' in text
    assert rows(page, "latest")[0][-1] == want["rate"]
    # Chinese by default; English when the user chose it (the language cookie)
    assert "各地区合格率" in text and "突出问题" in text
    en = client("city", "en").get("/dashboard/").content.decode()
    assert "Pass rate by region" in en and "Most common problems" in en and "Blank columns" in en
    assert "各地区合格率" not in en


def test_each_role_sees_only_its_scope(census: Campaign, sample_scans: Scans) -> None:
    # an operator's self-check (自查) is newer than the census, and is not a supervision result
    own = Site.objects.get(code=OWN)
    selfcheck = scanned_campaign(
        sample_scans,
        name="自查",
        kind="self_check",
        region=own.region,
        as_of=LATER,
        site=own,
        user=User.objects.get(username="operator"),
    )
    for url in ("/dashboard/", "/dashboard/trends/", f"/dashboard/sites/{OWN}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url

    seen = {}
    for name in NAMES:
        c = client(name)
        page = c.get("/dashboard/")
        assert page.status_code == 200, name
        campaigns = list(page.context["campaigns"])
        assert selfcheck not in campaigns, name
        data = page.context.get("data")
        seen[name] = sorted(o.site.code for o in data.outcomes) if data else []
        site = c.get(f"/dashboard/sites/{OWN}/")
        other = c.get("/dashboard/sites/3904000002/")
        chosen = c.get(f"/dashboard/?campaign={census.pk}")
        if name in ("other_city", "stranger"):
            assert campaigns == [] and "data" not in page.context, name
            assert (site.status_code, other.status_code, chosen.status_code) == (404, 404, 404), name
            assert c.get(f"/dashboard/trends/?before={census.pk}&after={census.pk}").status_code == 404
            continue
        assert campaigns == [census], name
        assert site.status_code == 200 and [o.campaign for o in site.context["history"].outcomes] == [census], name
        assert other.status_code == (404 if name == "operator" else 200), name
        assert chosen.status_code == 200, name
    everyone = sorted(
        Site.objects.filter(region__code__in=Region.objects.get(code=CITY).descendant_codes()).values_list(
            "code", flat=True
        )
    )
    assert seen == {"admin": everyone, "province": everyone, "city": everyone, "inspector": everyone,
                    "operator": [OWN], "other_city": [], "stranger": []}  # fmt: skip
    operator_page = client("operator").get("/dashboard/")
    assert "北溪市教育局" not in operator_page.content.decode()  # nothing of the sites they do not run
    mine = expected(census, {OWN})
    assert rows(operator_page, "regions")[0][1:] == [
        "1",
        *(str(mine["outcomes"][k]) for k in ("passed", "failed", "undecided", "scan_failed")),
        mine["rate"],
    ]
    assert client("admin").get("/dashboard/?campaign=abc").status_code == 404
    assert client("admin").get(f"/dashboard/?campaign={selfcheck.pk}").status_code == 404


def test_a_dismissal_changes_the_dashboard(census: Campaign) -> None:
    c = client("city")
    before = c.get("/dashboard/")
    offline(before)
    offline(c.get(f"/dashboard/sites/{BROKEN}/"))  # its only scan failed: shown as such
    assert "对比需要" in offline(c.get("/dashboard/trends/"), svg=False)  # one campaign: nothing to compare yet
    assert c.get("/static/dashboards/dashboards.css").status_code == 200  # bundled and served with the app
    entry = census.sites.get(site__code=OWN)
    assert entry.final_verdict == "不合格"  # 6 blank columns: the columns veto
    dismiss(entry, "update.column_blank", 6)
    entry.refresh_from_db()
    assert entry.final_verdict == "合格"
    after = c.get("/dashboard/")
    old, new = before.context["data"], after.context["data"]
    assert new.total.passed == old.total.passed + 1 and new.total.failed == old.total.failed - 1

    def blank_findings(data: Any) -> int:
        return next((p.findings for p in data.problems if p.check == "update.column_blank"), 0)

    assert blank_findings(new) == blank_findings(old) - 6
    want = expected(census)
    assert rows(after, "regions")[-1][-1] == want["rate"]
    shown = {r[1]: (int(r[2]), int(r[4])) for r in rows(after, "problems") if int(r[2])}
    assert shown == {c: tuple(v) for c, v in want["problems"].items()}
    history = c.get(f"/dashboard/sites/{OWN}/")
    assert "update.column_blank" not in offline(history)  # no blank column counts any more
    assert rows(history, "scores")[0][3] == "合格"


def test_trends_between_two_censuses(census: Campaign, sample_scans: Scans) -> None:
    later = rerun(sample_scans, "北溪市普查（复查）", LATER)
    dismiss(later.sites.get(site__code=OWN), "update.column_blank", 2)  # two columns were closed meanwhile
    c = client("province")
    page = c.get("/dashboard/trends/")
    offline(page)
    comparison = page.context["comparison"]
    assert (comparison.before, comparison.after) == (census, later)  # the two latest finished, oldest first
    old, new = expected(census), expected(later)
    table = {r[0]: r for r in rows(page, "per-site")}
    total = table.pop("合计")
    assert sorted(table) == sorted(new["per_site"])
    for code, row in table.items():
        was, now = old["per_site"][code], new["per_site"][code]
        if was is None:  # the scan failed before: shown, not compared
            assert row[2] == "扫描失败" and row[4] == "—" and row[6] == "—", code
            continue
        for offset, check in ((4, "update.column_blank"), (7, "links.broken")):
            b, a = was[check], now[check]
            change = "0" if a == b else f"{'+' if a > b else '−'}{abs(a - b)}"
            assert row[offset : offset + 3] == [str(b), str(a), change], (code, check)
    assert table[OWN][4:7] == ["6", "4", "−2"]
    compared = [code for code, counts in old["per_site"].items() if counts is not None]
    for offset, check in ((4, "update.column_blank"), (7, "links.broken")):
        b = sum(old["per_site"][code][check] for code in compared)
        a = sum(new["per_site"][code][check] for code in compared)
        assert total[offset - 3 : offset] == [str(b), str(a), "0" if a == b else f"{'+' if a > b else '−'}{abs(a - b)}"]
    # the pass rate over the sites scanned in both (like for like), before and after
    both = {
        code for code, counts in old["per_site"].items() if counts is not None and new["per_site"][code] is not None
    }
    common = rows(page, "pass-rate")[0]
    assert common[6:8] == [expected(census, both)["rate"], expected(later, both)["rate"]]
    assert comparison.common_before.scan_failed == 0 and comparison.compared == len(both) == 6
    # chosen explicitly, the other way round
    swapped = c.get(f"/dashboard/trends/?before={later.pk}&after={census.pk}")
    assert {r[0]: r for r in rows(swapped, "per-site")}[OWN][4:7] == ["4", "6", "+2"]
    # and one site's history across both
    history = c.get(f"/dashboard/sites/{OWN}/")
    offline(history)
    assert [r[1] for r in rows(history, "scores")] == ["北溪市普查", "北溪市普查（复查）"]
    blank_row = next(r for r in rows(history, "findings") if r[1] == "update.column_blank")
    assert blank_row[2:] == ["6", "4"]


# ---- no database -------------------------------------------------------------------


def test_every_check_id_has_a_chinese_and_an_english_name() -> None:
    for check in CHECK_IDS:
        with translation.override("zh-hans"):
            assert re.search(r"[\u4e00-\u9fff]", review_labels.check_name(check)), check
        with translation.override("en"):
            assert re.fullmatch(r"[A-Za-z][A-Za-z -]+", review_labels.check_name(check)), check
    assert review_labels.check_name("made.up") == "made.up"


def test_the_catalog_is_complete_and_compiled() -> None:
    po = polib.pofile(str(CATALOG))
    assert po.percent_translated() == 100 and not po.fuzzy_entries() and not po.metadata_is_fuzzy
    mo = polib.mofile(str(CATALOG.with_suffix(".mo")))
    key = lambda e: (e.msgctxt, e.msgid)  # noqa: E731
    assert {key(e): (e.msgstr, e.msgstr_plural) for e in mo} == {
        key(e): (e.msgstr, {int(k): v for k, v in e.msgstr_plural.items()}) for e in po
    }


def test_charts_escape_and_fit_their_labels() -> None:
    svg = charts.bar_chart([charts.Bar("<b>&", 3, "3 条"), charts.Bar("很长" * 40, 0, "0")], title="t<")
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "<title>t&lt;</title>" in svg
    assert "…" in svg and f"<title>{'很长' * 40}</title>" in svg  # cut, the full label in the tooltip
    assert charts.bar_chart([], title="none") == ""
    stacked = charts.stacked_chart(
        [charts.Stack("a", (1, 0, 1), "50%")], title="s", legend=[("x", "passed"), ("y", "failed"), ("z", "undecided")]
    )
    assert ">x<" in stacked and ">y<" not in stacked  # the legend leaves out parts nobody has
