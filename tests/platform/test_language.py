"""The pages' language: Chinese by default whatever the browser asks for, English when the
user picks it in the header; and the catalogs behind it complete, compiled and current."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from govsite.platform import catalogs
from govsite.platform.campaigns.models import Campaign
from govsite.platform.registry.models import FILE_LABELS, Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import people, scanned_campaign

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}  # what the browser tests' Chromium sends
#: Chinese words of the page furniture, none of which may remain once English is chosen.
CHINESE_FURNITURE = ("网站登记", "检查任务", "统计分析", "退出", "监测时间点", "指标体系")


@pytest.fixture
def world(sample_world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(sample_world)
    people("city")
    return scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code="390400"))


def text(response: Any) -> str:
    assert response.status_code == 200, response
    return str(response.content.decode())


def choose(client: Client, language: str, next_url: str) -> None:
    """Press the header's switcher (a POST to Django's set_language)."""
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url


@pytest.mark.django_db
def test_chinese_by_default_even_when_the_browser_asks_for_english() -> None:
    User.objects.create_user("someone", password="pw")
    c = Client(**ENGLISH_BROWSER)
    login = c.get("/accounts/login/")
    page = text(login)
    assert '<html lang="zh-hans">' in page and login["Content-Language"] == "zh-hans"
    assert "登录" in page and "用户名" in page and "密码" in page and "Log in" not in page
    # the switcher is there for anyone, logged in or not; its buttons are not "button[type=submit]",
    # so the first one on the page is still the login form's
    assert 'action="/i18n/setlang/"' in page and 'value="en"' in page and "English" in page
    assert page.index('type="submit"') > page.index("<main>")
    assert c.post("/accounts/login/", {"username": "someone", "password": "pw"}).status_code == 302
    campaigns = text(c.get("/campaigns/"))
    assert "检查任务" in campaigns and "暂无检查任务" in campaigns and "Campaigns" not in campaigns


@pytest.mark.django_db
def test_a_cookie_naming_no_offered_language_gives_chinese() -> None:
    c = Client(**ENGLISH_BROWSER)
    c.cookies["django_language"] = "fr"
    response = c.get("/accounts/login/")
    assert "登录" in text(response) and response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_switcher_sets_english_and_the_pages_follow(world: Campaign) -> None:
    c = Client()  # no Accept-Language at all: only the choice counts
    choose(c, "en", "/accounts/login/?next=/campaigns/")
    cookie = c.cookies["django_language"]
    assert cookie.value == "en" and int(cookie["max-age"]) >= 30 * 24 * 3600  # outlives the browser session
    login = c.get("/accounts/login/?next=/campaigns/")
    page = text(login)
    assert '<html lang="en">' in page and login["Content-Language"] == "en"
    assert "Log in" in page and "Username" in page and "Password" in page and "登录" not in page
    assert c.post("/accounts/login/", {"username": "city", "password": "pw", "next": "/campaigns/"}).status_code == 302

    listing = text(c.get("/campaigns/"))
    assert "<h1>Campaigns</h1>" in listing and "Municipal supervisor" in listing and "Log out" in listing
    assert "Spot check" in listing and "Census" in listing and "Indicator profile" in listing
    assert "Finished" in listing  # the campaign's state, a model choice
    assert "北溪市普查" in listing  # data stays as it is

    detail = text(c.get(f"/campaigns/{world.pk}/"))
    assert 'Status: <span id="state">Finished</span>, finished <span id="finished">7</span>/7' in detail
    assert "Site code" in detail and "Machine verdict" in detail and "Done" in detail

    entry = world.sites.get(site__code="3904000001")
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    url = f"/campaigns/{world.pk}/sites/{entry.pk}/"
    review = text(c.get(url))
    for words in ("Findings", "Severity", "View the archived page", "Dismiss", "Review log", "Awaiting review"):
        assert words in review, words
    assert "Serious" in review or "Ordinary" in review  # the findings' severities
    assert "问题清单" not in review and "查看存档页面" not in review and "排除理由" not in review
    refused = text(c.post(url, {"action": "dismissed", "index": index}))
    assert "Dismissing a finding needs a reason" in refused
    archived = text(c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{index}/"))
    assert "<strong>Archived copy</strong>: the page as captured by the scan" in archived
    for page in (listing, detail, review, archived):
        assert not [w for w in CHINESE_FURNITURE if w in page]

    # an English page leaves nothing behind: code running next in this thread is Chinese again
    assert translation.get_language() == "zh-hans" and str(Campaign.State.FINISHED.label) == "已完成"

    choose(c, "zh-hans", "/campaigns/")
    back = text(c.get(f"/campaigns/{world.pk}/"))
    assert '已完成 <span id="finished">7</span>/7' in back and "机器结论" in back


# --- the catalogs --------------------------------------------------------------------------


def entries(catalog: Any) -> dict[tuple[str | None, str], object]:
    """A catalog's translations: (context, msgid) → msgstr (or the plural forms)."""
    out: dict[tuple[str | None, str], object] = {}
    for e in catalog:
        if e.msgid and not e.obsolete and "fuzzy" not in e.flags:
            out[e.msgctxt, e.msgid] = tuple(e.msgstr_plural[k] for k in sorted(e.msgstr_plural)) or e.msgstr
    return out


def name(po: Path, root: Path = catalogs.ROOT) -> str:
    return str(po.relative_to(root))


def test_every_catalog_is_complete_and_its_compiled_copy_current(tmp_path: Path) -> None:
    found = catalogs.catalogs()
    assert {name(p) for p in found} >= {
        f"{where}/zh_Hans/LC_MESSAGES/django.po"
        for where in ("locale", "campaigns/locale", "review/locale", "accounts/locale", "registry/locale")
    }
    for po_path in found:
        po = polib.pofile(str(po_path))
        assert not po.untranslated_entries(), (name(po_path), [e.msgid for e in po.untranslated_entries()])
        assert not po.fuzzy_entries(), (name(po_path), [e.msgid for e in po.fuzzy_entries()])
        assert not po.obsolete_entries(), (name(po_path), [e.msgid for e in po.obsolete_entries()])
        assert "nplurals=1" in po.metadata.get("Plural-Forms", ""), name(po_path)
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{name(po_path)} is not compiled: python -m govsite.platform.catalogs compile"
        fresh = tmp_path / name(po_path)
        fresh.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(po_path, fresh)
    catalogs.compile_catalogs(tmp_path)
    for po_path in found:
        committed = entries(polib.mofile(str(po_path.with_suffix(".mo"))))
        compiled = entries(polib.mofile(str((tmp_path / name(po_path)).with_suffix(".mo"))))
        assert committed == compiled == entries(polib.pofile(str(po_path))), (
            f"{name(po_path)}: the committed .mo is stale; python -m govsite.platform.catalogs compile"
        )


def test_django_serves_every_translation_as_its_catalog_says() -> None:
    """All catalogs merge into one per language, so one msgid must read the same everywhere
    (and no catalog of Django's, DRF's or another app may shadow ours)."""
    shadowed = []
    with translation.override("zh-hans"):
        for po_path in catalogs.catalogs():
            for (context, msgid), wanted in entries(polib.pofile(str(po_path))).items():
                if isinstance(wanted, tuple):
                    entry = polib.pofile(str(po_path)).find(msgid, msgctxt=context)
                    assert entry is not None
                    served: object = (translation.npgettext(context, msgid, entry.msgid_plural, 1) if context
                                      else translation.ngettext(msgid, entry.msgid_plural, 1),)  # fmt: skip
                else:
                    served = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
                if served != wanted:
                    shadowed.append((name(po_path), context, msgid, wanted, served))
    assert not shadowed, f"translated another way elsewhere (give it a context or another msgid): {shadowed}"


def test_the_registry_files_words_are_the_chinese_labels() -> None:
    with translation.override("zh-hans"):
        for field, choices in (("level", Site.Level), ("kind", Site.Kind), ("status", Site.Status)):
            assert {value: str(label) for value, label in choices.choices} == FILE_LABELS[field]
    with translation.override("en"):
        assert str(Site.Status.RUNNING.label) == "In operation" and FILE_LABELS["status"]["running"] == "运行"


@pytest.mark.skipif(
    not all(shutil.which(p) for p in ("xgettext", "msgmerge", "msguniq", "msgattrib")),
    reason="GNU gettext is not installed (apt-get install gettext, or make system): makemessages needs xgettext",
)
def test_the_catalogs_hold_every_message_of_the_sources(tmp_path: Path) -> None:
    """makemessages, run on a copy of the sources, finds nothing the committed catalogs lack."""
    copy = tmp_path / "platform"
    shutil.copytree(catalogs.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    catalogs.extract(copy)
    committed = {name(p): set(entries(polib.pofile(str(p)))) for p in catalogs.catalogs()}
    missing = {}
    for po_path in catalogs.catalogs(copy):
        wanted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(po_path)) if e.msgid and not e.obsolete}
        lacking = wanted - committed.get(name(po_path, copy), set())
        if lacking:
            missing[name(po_path, copy)] = sorted(lacking, key=str)
    assert not missing, f"messages missing from the catalogs (make messages, then translate them): {missing}"
