"""Archived copies in a real browser: loaded from the archive origin, sandboxed, without cookies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.platform.test_evidence import HOSTILE_PAGE, entry_with

from .conftest import shot


def test_the_copy_comes_from_the_cookieless_archive_origin_and_runs_nothing(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path
) -> None:
    from django.contrib.auth.models import User

    from govsite.platform.accounts.models import Membership, Role

    entry = entry_with(tmp_path, "page", HOSTILE_PAGE)
    Membership.objects.create(user=User.objects.create_user("admin", password="pw"), role=Role.ADMIN)
    platform = live_server.url  # http://localhost:<port>
    archive = platform.replace("localhost", "127.0.0.1")  # another host name: no shared cookies
    settings.ARCHIVE_ORIGIN = archive

    context = browser.new_context()
    page = context.new_page()
    sent: list[tuple[str, dict[str, str]]] = []
    page.on("request", lambda request: sent.append((request.url, request.all_headers())))
    page.goto(f"{platform}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{platform}/**")
    page.goto(f"{platform}/campaigns/{entry.campaign_id}/sites/{entry.pk}/archive/0/")
    frame = page.frame_locator("iframe")
    assert "archived-marker" in frame.locator("body").inner_text()  # the page is there ...
    assert "script-ran" not in frame.locator("body").inner_text()  # ... and its script did not run
    shot(page, "archive-origin")

    copies = [(url, headers) for url, headers in sent if url.startswith(f"{archive}/archive/")]
    assert copies and all("cookie" not in headers for _url, headers in copies), copies
    assert any("sessionid" in headers.get("cookie", "") for url, headers in sent if url.startswith(platform))
    assert [c["name"] for c in context.cookies(archive)] == []
    assert "sessionid" in [c["name"] for c in context.cookies(platform)]
    context.close()
