"""The platform's bulletin and ledger pages, and the public section (监管专题): a supervisor
writes the bulletin's text, records accountability actions, is refused an export while
sites are unreviewed, publishes the bulletin, a ledger and the registry; an anonymous
visitor then walks every public link and reaches only what was published."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from lxml import html

from govsite.platform.accounts import access
from govsite.platform.bulletins.models import Bulletin, Export
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.public.models import Publication
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

from ..factories import person
from ..helpers import TEST_NOW
from .test_bulletins import CHROMIUM, census, figures, review_all  # noqa: F401  (census is a fixture)

pytestmark = pytest.mark.django_db


def supervisor() -> Client:
    c = Client()
    c.force_login(person("province"))
    return c


def notice(page: object) -> str:
    return " ".join(str(m) for m in page.context["messages"])  # type: ignore[attr-defined]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_supervisor_publishes_and_the_public_sees_only_that(census: Campaign, tmp_path: Path) -> None:  # noqa: F811
    c = supervisor()
    assert f'href="/bulletins/campaigns/{census.pk}/"' in c.get(f"/campaigns/{census.pk}/").content.decode()
    url = f"/bulletins/campaigns/{census.pk}/"
    assert c.get(url).status_code == 200
    saved = c.post(url, {"step": "text", "title": "关于北溪市普查情况的通报", "issuer": "北溪市人民政府办公室",
                         "issued": "2026-12-03", "opening": "现将有关情况通报如下：", "requirements": "限期整改。"},
                   follow=True)  # fmt: skip
    assert "已保存" in notice(saved)
    bulletin = Bulletin.objects.get(campaign=census)
    assert (bulletin.issuer, bulletin.issued) == ("北溪市人民政府办公室", date(2026, 12, 3))
    refused = c.post(url, {"step": "docx"}, follow=True)
    assert "尚未完成核查" in notice(refused) and not Export.objects.exists()
    with override_settings(DATA_DIR=tmp_path):
        quick = c.post(url, {"step": "html", "scan_verdicts": "1"})
        assert quick.status_code == 302
        shown = c.get(quick["Location"])
        assert shown.status_code == 200 and "采用其扫描结论" in b"".join(shown.streaming_content).decode()
        review_all(census)
        want = figures(census)
        worst = want["failed"][0]
        added = c.post(url, {"step": "accountability", "entry": worst.pk, "action": "criticism", "people": "2"},
                       follow=True)  # fmt: skip
        assert "已记录" in notice(added)
        bad = c.post(url, {"step": "accountability", "entry": worst.pk, "action": "fire", "people": "2"}, follow=True)
        assert "人数" in notice(bad) and bulletin.actions.count() == 1
        assert "已在监管专题中发布" in notice(c.post(url, {"step": "publish"}, follow=True))
        # a ledger: created, a quarter counted, a line entered, published
        made = c.post("/ledger/", {"name": "北溪市日常考核", "region": "390000", "rules": "shandong-2017h1"})
        ledger_url = made["Location"]
        c.post(
            ledger_url,
            {"step": "quarter", "campaign": census.pk, "quarter": "二季度", "results_published": "2026-12-01"},
        )
        c.post(ledger_url, {"step": "line", "unit_type": "city", "unit": "北溪市", "kind": "missing_report",
                            "count": "1", "reason": "未报送"})  # fmt: skip
        page = c.get(ledger_url).content.decode()
        assert "未报送自查报告-5" in page and "二季度" in page
        c.post(ledger_url, {"step": "publish"})
        # the registry, then a withdrawn publication and an unpublished bulletin
        Site.objects.filter(region__code__startswith="3904").update(phone="0000-1234567")
        registry = c.post("/public/registry/publish/", {"region": "390400"})
        assert registry.status_code == 302
        withdrawn = Publication.objects.create(kind="ledger", title="已撤回的扣分表", region=Region.objects.get(code="390000"),
                                               content={"title": "已撤回的扣分表", "tables": []})  # fmt: skip
        c.post(f"/public/{withdrawn.pk}/withdraw/")
        Bulletin.objects.create(campaign=census, title="未发布的通报草稿", issuer="x", issued=date(2026, 12, 4))

        # the anonymous walk: every link from /public/, followed
        anonymous = Client()
        seen: dict[str, int] = {}
        todo = ["/public/"]
        texts = []
        while todo and len(seen) < 200:
            path = todo.pop()
            if path in seen:
                continue
            if not path.startswith(("/public/", "/static/")):  # the rest of the platform asks for a login
                chain = anonymous.get(path, follow=True).redirect_chain
                assert chain and chain[-1][0].startswith("/accounts/login/"), path
                seen[path] = 302
                continue
            response = anonymous.get(path)
            seen[path] = response.status_code
            assert response.status_code == 200, path
            if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
                text = response.content.decode()
                texts.append(text)
                for href in html.fromstring(text).xpath("//a/@href"):
                    parts = urlsplit(href)
                    if not parts.netloc and parts.path.startswith("/"):
                        todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        everything = "\n".join(texts)
        assert "关于北溪市普查情况的通报" in everything and f"总体合格率{want['rate']}" in everything
        assert worst.site.name in everything and "未报送自查报告-5" in everything
        assert "未发布的通报草稿" not in everything and "已撤回的扣分表" not in everything
        assert "0000-1234567" not in everything  # contacts are not published
        files = [p for p in seen if re.search(r"/public/\d+/files/\d+/$", p)]
        assert len(files) == 4 and all(seen[p] == 200 for p in files)
        assert anonymous.get(f"/public/{withdrawn.pk}/").status_code == 404
        assert anonymous.get(f"/bulletins/campaigns/{census.pk}/").status_code == 302
        # the registry: searched and downloaded
        reg = Publication.objects.get(kind="registry")
        one = Site.objects.filter(region__code__startswith="3904").order_by("code").first()
        assert one is not None
        found = anonymous.get(f"/public/{reg.pk}/", {"q": one.name}).content.decode()
        assert one.url in found and 'id="found"' in found
        csv = anonymous.get(f"/public/{reg.pk}/registry.csv").content.decode("utf-8-sig")
        assert csv.count("\n") == 1 + Site.objects.filter(region__code__startswith="3904").count()


def test_who_may_write_bulletins_manage_ledgers_and_publish(sample_world: World) -> None:
    load_sample_province(sample_world)
    city = Region.objects.get(code="390400")
    campaign = create_campaign(name="北溪市普查", kind="census", region=city, as_of=TEST_NOW)
    allowed_to = {"admin": True, "province": True, "city": True, "other_city": False, "inspector": False,
                  "operator": False}  # fmt: skip
    for name, allowed in allowed_to.items():
        user = person(name)
        assert access.can_edit_bulletin(user, campaign) is allowed, name
        assert access.can_manage_ledger(user, city) is allowed, name
        assert access.can_publish(user, city) is allowed, name
        c = Client()
        c.force_login(user)
        status = c.get(f"/bulletins/campaigns/{campaign.pk}/").status_code
        assert (status == 200) is allowed and status in (200, 403, 404), name
    assert Bulletin.objects.count() == 1  # one draft, made by the first allowed visit
    anonymous = Client().post("/public/registry/publish/", {"region": "390400"})
    assert anonymous.status_code == 302 and not Publication.objects.exists()
