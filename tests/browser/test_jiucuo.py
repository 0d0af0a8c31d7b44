"""我为政府网站找错 in a real browser (Debian's chromium driven by Playwright): the public
finds the site and sends a report with a screenshot, the site's unit accepts, replies and
closes it, the public page shows the reply, and the figures count it. Screenshots go to
test-artifacts/screenshots/ (40-…). Skipped, with the reason, where chromium is missing."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from PIL import Image

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

from .conftest import shot

SITE = "3904000001"


@pytest.fixture
def people(sample_world: World) -> None:
    load_sample_province(sample_world)
    operator = Membership.objects.create(user=User.objects.create_user("unit", password="pw"), role=Role.OPERATOR)
    operator.sites.set(Site.objects.filter(code=SITE))
    Membership.objects.create(user=User.objects.create_user("city", password="pw"), role=Role.MUNICIPAL,
                              region=Region.objects.get(code="390400"))  # fmt: skip


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/campaigns/")


def test_report_reply_and_figures_in_a_browser(people: None, live_server: Any, browser: Any, tmp_path: Path) -> None:
    base = live_server.url
    picture = tmp_path / "shot.png"
    Image.new("RGB", (320, 200), (240, 240, 240)).save(picture)

    city = browser.new_page()
    log_in(city, base, "city")
    city.goto(f"{base}/jiucuo/figures/")
    assert city.inner_text("#figures .total").split()[1] == "0"  # nothing received yet

    public = browser.new_page(viewport={"width": 1100, "height": 900})
    public.goto(f"{base}/jiucuo/")
    public.fill("#q", "北溪市人民政府")
    public.click("button[type=submit]")
    public.click(f"a[href$='?site={SITE}']")
    public.wait_for_url(f"**/jiucuo/?site={SITE}")
    public.select_option("#id_kind", "content")
    public.fill("#id_page_url", "http://www.beixi.gov.cn/xxgk/1.html")
    public.fill("#id_description", "<b>第二段</b>“帐户”应为“账户”。")
    public.fill("#id_contact", "13812345678")
    a, b = re.search(r"(\d+) \+ (\d+) = \?", public.inner_text("form.report")).groups()  # type: ignore[union-attr]
    public.fill("#id_answer", str(int(a) + int(b)))
    public.set_input_files("#id_screenshot", str(picture))
    shot(public, "40-jiucuo-form")
    public.click("form.report button[type=submit]")
    public.wait_for_selector("#number")
    number, code = public.inner_text("#number"), public.inner_text("#code")
    shot(public, "41-jiucuo-receipt")

    unit = browser.new_page(viewport={"width": 1100, "height": 900})
    log_in(unit, base, "unit")
    unit.click("header >> text=网民留言（找错）")
    assert "138****5678" in unit.inner_text("main") and "13812345678" not in unit.inner_text("main")
    unit.click(f"text={number}")
    assert "<b>第二段</b>" in unit.inner_text("main")  # shown as text, not markup
    loaded = "img => img.complete ? img.naturalWidth : new Promise(done => { img.onload = img.onerror = () => done(img.naturalWidth) })"
    assert unit.locator("img[alt=截图]").evaluate(loaded) == 320  # once the picture has loaded (or failed to)
    unit.click("button:has-text('受理')")
    unit.fill("#reply", "已改正，感谢您的指正。")
    unit.click("button:has-text('保存答复')")
    unit.click("button:has-text('办结')")
    assert unit.inner_text("#state") == "已办结"
    shot(unit, "42-jiucuo-handled")

    public.goto(f"{base}/jiucuo/track/")
    public.fill("#id_number", number)
    public.fill("#id_code", code)
    public.click("form button[type=submit]")
    assert public.inner_text("#state") == "已办结" and public.inner_text("#reply") == "已改正，感谢您的指正。"
    assert "13812345678" not in public.inner_text("main")
    shot(public, "43-jiucuo-public-reply")

    city.reload()
    total = city.inner_text("#figures .total").split()
    assert total[1:5] == ["1", "1", "1", "100.0%"]  # received, valid, closed, 办结率
    assert city.locator("svg[role=img] rect").count() > 0
    shot(city, "44-jiucuo-figures")


def test_a_site_includes_jiucuo_js_and_its_link_opens_the_form(
    people: None, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    """A government page on another origin includes the script as the national one is
    included: it shows the 找错 link, which opens this site's form with the page's address
    filled in. A tag with a hostile code adds nothing, and nothing of it becomes markup."""
    script = f"{live_server.url}/jiucuo/jiucuo.js"
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>北溪市人民政府</title></head><body>'
        f'<footer id="ok">网站标识码 {SITE} <script src="{script}" data-site="{SITE}"></script></footer>'
        f'<footer id="national"><script id="_jiucuo_" sitecode="{SITE}" src="{script}"></script></footer>'
        f'<footer id="hostile"><script src="{script}" data-site=\'"><img src=x onerror="window.pwned=1">\'>'
        "</script></footer></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as government:
        threading.Thread(target=government.serve_forever, daemon=True).start()
        try:
            page = browser.new_page()
            address = f"http://127.0.0.1:{government.server_address[1]}/index.html?id=7"
            page.goto(address)
            page.wait_for_selector("#ok a.govsite-jiucuo")
            assert page.inner_text("#ok a.govsite-jiucuo") == "我为政府网站找错"
            assert page.locator("#national a.govsite-jiucuo").count() == 1  # the national snippet's attribute
            assert page.locator("#hostile a, #hostile img").count() == 0
            assert page.evaluate("window.pwned") is None
            shot(page, "45-jiucuo-embed")
            with page.context.expect_page() as opened:
                page.click("#ok a.govsite-jiucuo")
            form = opened.value
            form.wait_for_load_state()
            assert form.url.startswith(f"{live_server.url}/jiucuo/?site={SITE}&url=")
            assert "北溪市人民政府" in form.inner_text("main")
            assert form.input_value("#id_page_url") == address
        finally:
            government.shutdown()
