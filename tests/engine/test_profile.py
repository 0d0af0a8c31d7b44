"""Profiles are data: shipped ones load, edited copies change results, bad ones are
rejected with the field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from govsite.engine.profile import CHECK_IDS, ProfileError, load

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "govsite" / "engine" / "profiles" / "inspection-2019.toml"


def test_shipped_profiles_load_with_the_official_thresholds() -> None:
    p = load("inspection-2019")
    assert (p.name, p.version, p.total, p.pass_score) == ("inspection-2019", "2019.1", 100, 60)
    assert p.windows == {"news": 14, "notice": 180, "policy": 180, "personnel": 365, "plan": 365}
    assert (p.stale_first_level_min, p.unupdated_min, p.blank_min) == (5, 10, 5)
    assert (p.probe_timeout, p.probes_per_day, p.monitor_days, p.failure_ratio) == (15, 20, 7, 0.05)
    assert (p.unanswered_months, p.bonus_max, p.bonus_min_base) == (3, 30, 80)
    assert {v.name for v in p.vetoes} >= {
        "站点无法访问",
        "首页不更新",
        "栏目不更新",
        "严重表述错误",
        "互动回应差",
        "服务不实用",
    }
    assert all(v.official for v in p.vetoes) and not any(d.official for d in p.deductions)
    census = load("census-2015")
    assert census.source == "国办发〔2015〕15号" and census.digest != p.digest
    scored = {c for i in p.indicators for c in i.checks}
    assert scored == set(CHECK_IDS)  # every check id counts somewhere in the default profile


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("pass_score = 60", 'pass_score = "sixty"', "pass_score"),
        ("pass_score = 60", "pass_score = 160", "pass_score"),
        ("news = 14", "news = 0", "windows.news"),
        ('checks = ["links.broken"]', 'checks = ["links.brokn"]', "checks"),
        (
            'per_finding = 1\n\n[[deduction]]\nid = "annual_report"',
            'per_finding = -1\n\n[[deduction]]\nid = "annual_report"',
            "per_finding",
        ),
        ('rule = "columns"', 'rule = "sometimes"', "rule"),
        ("blank_min = 5", "blank_min = 5\nblank_max = 9", "blank_max"),
        ('name = "inspection-2019"', "", "name"),
        ('id = "domain"', 'id = "site_search"', "used twice"),
        ("[availability]", "[availability", "not valid TOML"),
    ],
)
def test_a_bad_profile_is_rejected_naming_the_field(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(ProfileError, match=field.replace("[", r"\[").replace("]", r"\]")):
        load(edited(tmp_path, old, new))


def test_an_unknown_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match="inspection-2019, census-2015"):
        load("inspection-2030")


def test_an_edited_copy_loads_with_its_own_values_and_digest(tmp_path: Path) -> None:
    mine = load(edited(tmp_path, "news = 14", "news = 7"))
    assert mine.windows["news"] == 7 and mine.digest != load("inspection-2019").digest


def test_the_columns_veto_split_is_profile_data(tmp_path: Path) -> None:
    from govsite.engine.checks.base import Finding
    from govsite.engine.score import FAIL, PASS, score

    default = load("inspection-2019")
    assert (default.stale_check, default.blank_check) == ("update.column_stale", "update.column_blank")
    plans = [
        Finding("update.column_stale", "x", "x", "normal", "…", {"level": 1, "class": "plan", "column": f"计划{i}"})
        for i in range(5)
    ]
    assert score(default, plans, []).verdict == PASS  # plans are not first-level by default
    mine = load(edited(tmp_path, "blank_min = 5 ", 'blank_min = 5\nfirst_level_classes = ["news", "plan"] '))
    assert mine.first_level_classes == ("news", "plan") and score(mine, plans, []).verdict == FAIL
    with pytest.raises(ProfileError, match=r"columns.stale_check: unknown check id 'update.stale'"):
        load(edited(tmp_path, "blank_min = 5 ", 'blank_min = 5\nstale_check = "update.stale" '))
    with pytest.raises(ProfileError, match=r"columns.first_level_classes"):
        load(edited(tmp_path, "blank_min = 5 ", 'blank_min = 5\nfirst_level_classes = ["video"] '))


def test_the_services_veto_split_is_profile_data(tmp_path: Path) -> None:
    from govsite.engine.checks.base import Finding
    from govsite.engine.score import FAIL, PASS, score

    default = load("inspection-2019")
    assert (default.service_missing_check, default.guide_incomplete_check) == (
        "service.missing",
        "service.guide_incomplete",
    )
    missing = [Finding("service.missing", "x", "x", "serious", "网站未提供办事服务", {})]
    guides = [
        Finding("service.guide_incomplete", "x", f"g{i}", "normal", "…", {"missing": ["设定依据"], "guides_checked": 4})
        for i in range(2)
    ]
    assert score(default, missing, []).verdict == FAIL and score(default, guides, []).verdict == PASS  # 2 of 4
    # a profile that reads the two ids the other way round: the veto follows the profile, not the code
    swapped = 'incomplete_min = 2\nmissing_check = "service.guide_incomplete"\nincomplete_check = "service.missing" '
    mine = load(edited(tmp_path, "incomplete_min = 2 ", swapped))
    assert (mine.service_missing_check, mine.guide_incomplete_check) == ("service.guide_incomplete", "service.missing")
    assert score(mine, guides, []).verdict == FAIL and score(mine, missing, []).verdict == PASS
    with pytest.raises(ProfileError, match=r"guides.missing_check: unknown check id 'service.none'"):
        load(edited(tmp_path, "incomplete_min = 2 ", 'incomplete_min = 2\nmissing_check = "service.none" '))
