"""Pages that list a whole campaign at a census's size (issue 14 §6): each site's finding
counts are stored when its result is saved and at every review, the campaign, mismatches
and dashboards pages never read a result, and the long lists are paginated."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import html

from govsite.platform.campaigns import views as campaign_views
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.dashboards import views as dashboard_views
from govsite.platform.registry import views as registry_views
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review import actions
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import PASSWORD, people, scanned_campaign
from ..helpers import TEST_NOW

pytestmark = pytest.mark.django_db
CITY = "390400"  # 北溪市: 7 sites
#: A read of the stored result column in SQL, however the backend quotes it.
READS_RESULT = re.compile(r"""campaigns_campaignsite["`]?\.["`]?result["`]?""")


def client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def expected_counts(entry: CampaignSite) -> dict[str, Any]:
    """The counts straight from the stored result and the review rows."""
    decided = dict(entry.decisions.values_list("index", "state"))
    counted: Counter[str] = Counter()
    suspected: Counter[str] = Counter()
    for i, f in enumerate(entry.result["findings"]):
        state = decided.get(i)
        if state != "dismissed" and (f["severity"] != "suspected" or state == "confirmed"):
            counted[f["check"]] += 1
        elif state != "dismissed":
            suspected[f["check"]] += 1
    for m in entry.manual_findings.filter(withdrawn=False):
        counted[m.check_id] += 1
    pending = sum(1 for i in range(len(entry.result["findings"])) if i not in decided)
    return {"counted": dict(counted), "suspected": dict(suspected), "pending": pending}


@pytest.fixture
def census(sample_world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(sample_world)
    people("admin", "city", "inspector")
    made = scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code=CITY))
    made.inspectors.add(User.objects.get(username="inspector"))
    return made


def copies(count: int, code: str = "3904000001") -> None:
    """``count`` registry sites copied from site ``code`` (same region, level, kind, homepage)."""
    base = Site.objects.get(code=code)
    fields = {f: getattr(base, f) for f in ("url", "organizer", "supervisor", "region", "level", "kind")}
    made = [Site(code=f"{base.code[:6]}{1000 + i:04d}", name=f"{base.name}（{i}）", **fields) for i in range(count)]
    Site.objects.bulk_create(made)


def cells(page: Any, selector: str = "//main//table//tr[td]") -> list[list[str]]:
    doc = html.fromstring(page.content.decode())
    return [[" ".join(td.text_content().split()) for td in tr.xpath("./td")] for tr in doc.xpath(selector)]


def test_counts_are_stored_with_the_result_and_follow_every_review(census: Campaign) -> None:
    entries = list(census.sites.filter(state="done"))
    assert entries and any(e.counts["counted"] for e in entries) and any(e.counts["suspected"] for e in entries)
    for e in entries:
        assert e.counts == expected_counts(e), e.site.code
        assert e.homepage_url == e.result["homepage_url"] and e.homepage_url
    for e in census.sites.exclude(state="done"):
        assert e.counts == {} and e.homepage_url == ""
    inspector = User.objects.get(username="inspector")
    entry = next(e for e in entries if e.counts["suspected"] and e.counts["counted"])
    doubt = next(i for i, f in enumerate(entry.result["findings"]) if f["severity"] == "suspected")
    counted = next(i for i, f in enumerate(entry.result["findings"]) if f["severity"] != "suspected")
    before = entry.counts
    actions.decide(entry, doubt, "confirmed", inspector)
    actions.decide(entry, counted, "dismissed", inspector, "误报")
    actions.add_manual(entry, inspector, check="update.column_blank", subject="首页", url=entry.site.url,
                       severity="normal", message="栏目空白")  # fmt: skip
    entry.refresh_from_db()
    assert entry.counts == expected_counts(entry) != before
    assert entry.counts["pending"] == before["pending"] - 2


def test_the_pages_never_read_a_stored_result(census: Campaign) -> None:
    admin = client("admin")
    for url in (f"/campaigns/{census.pk}/", f"/campaigns/{census.pk}/progress.json", "/sites/mismatches/",
                f"/dashboard/?campaign={census.pk}", "/dashboard/sites/3904000001/",
                f"/api/v1/campaigns/{census.pk}/results/"):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert admin.get(url).status_code == 200, url
        assert not [q["sql"] for q in queries if READS_RESULT.search(q["sql"])], url
    # the figures those pages show are the stored results' (the dashboards' own tests compare every one)
    shown = {row[0]: row for row in cells(admin.get(f"/campaigns/{census.pk}/"))}
    for e in census.sites.select_related("site"):
        assert shown[e.site.code][3] == e.final_verdict


def test_a_census_of_hundreds_of_sites_is_shown_a_page_at_a_time(census: Campaign) -> None:
    size = campaign_views.PAGE_SIZE
    copies(2 * size + 13)
    big = create_campaign(
        name="北溪市普查（扩大）", kind="census", region=Region.objects.get(code=CITY), as_of=TEST_NOW
    )
    codes = sorted(big.sites.values_list("site__code", flat=True))
    assert len(codes) == 2 * size + 13 + 7
    city = client("city")
    seen: list[str] = []
    for number in (1, 2, 3):
        page = city.get(f"/campaigns/{big.pk}/?page={number}")
        seen += [row[0] for row in cells(page)]
        links = html.fromstring(page.content.decode()).xpath("//nav[@id='pages']//a/@href")
        assert links == {1: ["?page=2"], 2: ["?page=1", "?page=3"], 3: ["?page=2"]}[number]
        assert f"第 {number} 页，共 3 页" in page.content.decode()
    assert seen == codes  # every site once, in code order
    assert [r[0] for r in cells(city.get(f"/campaigns/{big.pk}/?page=99"))] == codes[2 * size :]  # the last page
    assert [r[0] for r in cells(city.get(f"/campaigns/{big.pk}/?page=x"))] == codes[:size]  # the first page
    assert city.get(f"/campaigns/{big.pk}/progress.json").json()["total"] == len(codes)
    # the dashboards count every site and list them a page at a time
    overview = city.get(f"/dashboard/?campaign={big.pk}")
    assert overview.context["data"].total.total == len(codes)
    listed = [row[0] for row in cells(overview, "//section[@id='sites']//table//tr[td]")]
    last = city.get(f"/dashboard/?campaign={big.pk}&page=2")
    listed += [row[0] for row in cells(last, "//section[@id='sites']//table//tr[td]")]
    assert listed == codes and len(codes) <= 2 * dashboard_views.SITES_PAGE
    links = html.fromstring(last.content.decode()).xpath("//section[@id='sites']//nav[@id='pages']//a/@href")
    assert links == [f"?campaign={big.pk}&page=1"]
    small = cells(city.get(f"/campaigns/{census.pk}/"))
    assert len(small) == 7 and b'id="pages"' not in city.get(f"/campaigns/{census.pk}/").content


def test_the_mismatches_are_shown_a_page_at_a_time(census: Campaign) -> None:
    size = registry_views.PAGE_SIZE
    copies(size + 20)  # each copy of 北溪市's portal is a second running portal of one government
    city = client("city")
    first = city.get("/sites/mismatches/")
    assert first.context["found"] == size + 21 and len(first.context["rows"]) == size
    second = city.get("/sites/mismatches/?page=2")
    codes = [m.site for m, _name in first.context["rows"]] + [m.site for m, _name in second.context["rows"]]
    assert len(codes) == len(set(codes)) == size + 21
    assert set(codes) == set(Site.objects.filter(region__code=CITY, kind="portal").values_list("code", flat=True))
    assert html.fromstring(second.content.decode()).xpath("//nav[@id='pages']//a/@href") == ["?page=1"]


def test_the_migration_counts_the_results_stored_before_it(census: Campaign) -> None:
    backfill = importlib.import_module("govsite.platform.review.migrations.0005_count_stored_findings").count_existing
    inspector = User.objects.get(username="inspector")
    entry = next(e for e in census.sites.filter(state="done") if e.counts["counted"])
    actions.decide(entry, 0, "dismissed", inspector, "误报")
    actions.add_manual(entry, inspector, check="links.broken", subject="首页", url=entry.site.url, severity="normal",
                       message="链接失效")  # fmt: skip
    stored = {e.pk: (e.counts, e.homepage_url) for e in census.sites.all()}
    CampaignSite.objects.update(counts={}, homepage_url="")  # as the rows were before campaigns migration 0007
    backfill(django_apps, None)
    assert {e.pk: (e.counts, e.homepage_url) for e in census.sites.all()} == stored
