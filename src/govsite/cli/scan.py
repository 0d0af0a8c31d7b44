"""``govsite scan``: crawl a site, check every indicator, and give the verdict."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import click

from govsite.cli.crawl import progress_printer, warc_for
from govsite.cli.options import engine_config, engine_options, format_option, resolve_format
from govsite.engine import SEVERITY_NAMES, LexiconError, ProfileError, ScanResult, load_profile, scan
from govsite.i18n import tr

STATUS = {"pass": "通过", "fail": "不通过", "undecided": "待核查"}


@click.command(help=tr("检查一个政府网站并给出结论。", "check one government website and give its verdict."))
@click.argument("url")
@click.option(
    "--kind",
    type=click.Choice(["portal", "department"]),
    envvar="GOVSITE_KIND",
    default=None,
    help=tr("网站类型：门户或部门（默认按域名推断）", "portal or department site (default: guessed from the host)"),
)
@click.option(
    "--site-code",
    envvar="GOVSITE_SITE_CODE",
    default=None,
    metavar="CODE",
    help=tr("登记的网站标识码", "the site code (网站标识码) in the registry"),
)
@click.option(
    "--profile",
    envvar="GOVSITE_PROFILE",
    default="inspection-2019",
    show_default=True,
    metavar="NAME|PATH",
    help=tr(
        "检查指标体系：inspection-2019、census-2015 或文件路径",
        "indicator profile: inspection-2019, census-2015 or a file",
    ),
)
@click.option(
    "--lexicon",
    "lexicons",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=tr(
        "追加的规范表述词库（TOML）或领导姓名职务表（CSV：name,post,region），可多次",
        "an extra wording lexicon (TOML) or leaders' names and posts (CSV: name,post,region); repeatable",
    ),
)
@engine_options
@click.option(
    "--warc",
    "warc_path",
    type=click.Path(path_type=Path),
    envvar="GOVSITE_WARC",
    default=None,
    help=tr("证据 WARC 文件路径", "where the evidence goes"),
)
@click.option(
    "--screenshots",
    "screenshot_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GOVSITE_SCREENSHOTS",
    default=None,
    metavar="DIR",
    help=tr(
        "为每个问题所在页面截图（视口与整页，标出问题区域）存入此目录",
        "a screenshot of every finding's page (viewport and full page, the problem outlined) into DIR",
    ),
)
@format_option
def scan_cmd(
    url: str,
    kind: str | None,
    site_code: str | None,
    profile: str,
    lexicons: tuple[Path, ...],
    warc_path: Path | None,
    screenshot_dir: Path | None,
    fmt: str | None,
    **options: Any,
) -> None:  # fmt: skip
    config = engine_config(**options)
    try:
        chosen = load_profile(profile)
    except ProfileError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from exc
    warc_path = warc_for(url, warc_path)
    try:
        result = asyncio.run(
            scan(url, config, kind=kind, site_code=site_code, profile=chosen, lexicon_files=lexicons,
                 warc=warc_path, progress=progress_printer(), screenshots=screenshot_dir)
        )  # fmt: skip
    except LexiconError as exc:
        raise click.BadParameter(str(exc), param_hint="--lexicon") from exc
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)
    click.echo(result.to_json(indent=2) if resolve_format(fmt) == "json" else report(result))


def report(r: ScanResult) -> str:
    """A Chinese report an inspector can hand over."""
    kind = {"portal": "政府门户网站", "department": "部门网站"}.get(r.kind or "", "未登记")
    score = "—（单项否决，不再计分）" if r.score is None else f"{r.score:g} 分"
    lines = [
        "政府网站检查报告",
        "",
        f"网站：{r.url}",
        f"类型：{kind}　网站标识码：{r.site_code or '未提供'}",
        f"监测时间点：{r.as_of:%Y年%m月%d日 %H:%M}",
        f"检查指标：{r.profile.title}（{r.profile.source}，{r.profile.name} {r.profile.version}）",
        f"结论：{r.verdict}",
        f"得分：{score}",
    ]
    lines += [f"  · {reason}" for reason in r.reasons]
    lines += ["", "一、单项否决指标"]
    for ind in (i for i in r.indicators if i.kind == "veto"):
        lines.append(f"  [{STATUS[ind.status]}] {ind.name}" + (f"：{ind.reason}" if ind.reason else ""))
    lines += ["", "二、扣分指标"]
    for ind in (i for i in r.indicators if i.kind == "deduction"):
        mark = "" if ind.official else "*"
        detail = f"（{len(ind.findings)} 处）" if ind.findings else ""
        lines.append(
            f"  [{STATUS[ind.status]}] {ind.name}{mark}：扣 {ind.points:g} 分，上限 {ind.max_points:g} 分{detail}"
        )
    lines += ["", f"三、问题清单（共 {len(r.findings)} 条）"]
    for n, f in enumerate(r.findings, start=1):
        lines.append(f"  {n}. [{SEVERITY_NAMES.get(f.severity, f.severity)}] {f.message}")
        lines.append(f"     位置：{f.url}")
        if f.evidence and f.evidence.record_id:
            lines.append(f"     证据：{f.evidence.record_id}")
        if f.evidence and f.evidence.screenshots:
            lines.append(f"     截图：{'，'.join(f.evidence.screenshots)}")
    undecided = [c for c in r.checks if c.open]
    if undecided:
        lines += ["", "四、无法自动判断的项目（需人工核查）"]
        lines += [f"  · {c.name}：{c.reason}" for c in undecided]
    lines += ["", "注：带 * 的扣分分值为可配置默认值；疑似问题经人工确认后计分。"]
    if r.warc:
        lines.append(f"证据文件：{r.warc}")
    return "\n".join(lines)
