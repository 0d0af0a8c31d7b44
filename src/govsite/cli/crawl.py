"""``govsite crawl``: crawl one site and show what the engine saw."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from govsite.cli.options import engine_config, engine_options, format_option, resolve_format
from govsite.engine import CST, Snapshot, crawl, host_of
from govsite.i18n import tr

CLASS_NAMES = {
    "news": "动态要闻",
    "notice": "通知公告",
    "policy": "政策文件",
    "interpretation": "政策解读",
    "personnel": "人事",
    "plan": "规划计划",
    "open_government": "信息公开",
    "service": "办事服务",
    "interaction": "互动交流",
    "other": "其他",
}


def warc_for(url: str, given: Path | None) -> Path:
    """The evidence file: ``given``, or ``<host>-<time>.warc.gz`` in ``given`` (a folder)
    or in ./warc."""
    if given is not None and not given.is_dir():
        return given
    stamp = datetime.now(CST).strftime("%Y%m%dT%H%M%S")
    return (given or Path("warc")) / f"{host_of(url) or 'site'}-{stamp}.warc.gz"


def progress_printer() -> Any:
    if not sys.stderr.isatty():
        return lambda message: click.echo(message, err=True)
    return lambda message: click.echo(f"\r\033[K… {message}", err=True, nl=False)


@click.command(help=tr("抓取一个网站并显示引擎看到的内容。", "crawl one site and show what the engine saw."))
@click.argument("url", required=False)
@engine_options
@click.option("--warc", "warc_path", type=click.Path(dir_okay=True, path_type=Path), envvar="GOVSITE_WARC",
              default=None, help=tr("证据 WARC 文件路径（默认 warc/<主机>-<时间>.warc.gz）",
                                    "where the evidence goes (default warc/<host>-<time>.warc.gz)"))  # fmt: skip
@click.option("--from-warc", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help=tr("从 WARC 文件离线重建快照", "rebuild the snapshot offline from a WARC file"))  # fmt: skip
@format_option
def crawl_cmd(url: str | None, warc_path: Path | None, from_warc: Path | None, fmt: str | None, **options: Any) -> None:
    config = engine_config(**options)
    if from_warc is None and not url:
        raise click.UsageError(tr("需要 URL 或 --from-warc", "give a URL or --from-warc"))
    if from_warc is None:
        assert url is not None
        warc_path = warc_for(url, warc_path)
    try:
        snapshot = asyncio.run(crawl(url, config, warc=warc_path, replay=from_warc, progress=progress_printer()))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    if sys.stderr.isatty():
        click.echo("\r\033[K", err=True, nl=False)
    if resolve_format(fmt) == "json":
        click.echo(snapshot.to_json(indent=2))
    else:
        click.echo(report(snapshot))


def report(s: Snapshot) -> str:
    home = s.homepage
    lines = [
        tr(f"网站：{s.url}", f"Site: {s.url}"),
        tr(f"监测时间点：{s.as_of.isoformat()}", f"As of: {s.as_of.isoformat()}"),
        tr(
            f"首页：{home.outcome} {home.status or ''} → {home.final_url}（{home.elapsed:.2f} 秒）",
            f"Homepage: {home.outcome} {home.status or ''} → {home.final_url} ({home.elapsed:.2f} s)",
        ),
    ]
    if home.chain:
        hops = " → ".join(f"{h.url} [{h.kind} {h.status}]" for h in home.chain)
        lines.append(tr(f"  跳转：{hops}", f"  redirects: {hops}"))
    lines.append("")
    lines.append(tr("栏目：", "Columns:"))
    header = tr(
        "  级别 类别       最新日期     条目  类型       名称", "  lvl  class      latest       items kind       name"
    )
    lines.append(header)
    for c in s.columns:
        latest = c.latest.isoformat() if c.latest else "—"
        kind = "空白" if c.blank and tr("zh", "en") == "zh" else ("blank" if c.blank else c.kind)
        note = tr("（有说明）", " (with note)") if c.note else ""
        cls = CLASS_NAMES.get(c.cls, c.cls) if tr("zh", "en") == "zh" else c.cls
        lines.append(f"  {c.level:<4} {cls:<10} {latest:<12} {len(c.items):>5}  {kind:<10} {c.name}{note}")
    lines.append("")
    answered = sum(1 for m in s.messages if m.replied)
    lines.append(
        tr(
            f"留言：读取 {len(s.messages)} 条，已回复 {answered} 条",
            f"Messages: {len(s.messages)} read, {answered} answered",
        )
    )
    lines.append(tr(f"办事指南：读取 {len(s.guides)} 个", f"Service guides: {len(s.guides)} read"))
    probe = s.search
    if not probe.form_found:
        lines.append(tr("站内搜索：未发现搜索框", "Site search: no search form"))
    else:
        verdict = {True: tr("找到", "found"), False: tr("未找到", "not found"), None: tr("无法判断", "undecided")}[
            probe.found
        ]
        lines.append(tr(f"站内搜索：查询“{probe.query}” → {verdict}", f"Site search: “{probe.query}” → {verdict}"))
    failed = [link for link in s.links if link.outcome != "ok"]
    lines.append(
        tr(
            f"链接：检查 {len(s.links)} 个，失败 {len(failed)} 个",
            f"Links: {len(s.links)} checked, {len(failed)} failed",
        )
    )
    for link in failed[:50]:
        scope = tr("内部", "internal") if link.internal else tr("外部", "external")
        lines.append(f"  {link.outcome:<18} {link.status or '':<4} {scope:<8} {link.url}")
    lines.append("")
    st = s.stats
    lines.append(tr(f"抓取页面 {st.pages_fetched} 个，请求 {st.requests} 次，用时 {st.elapsed:.1f} 秒",
                    f"{st.pages_fetched} pages fetched, {st.requests} requests, {st.elapsed:.1f} s"))  # fmt: skip
    if st.limits_hit:
        lines.append(tr(f"触及上限：{', '.join(st.limits_hit)}", f"Limits reached: {', '.join(st.limits_hit)}"))
    if s.warc:
        lines.append(tr(f"证据：{s.warc}", f"Evidence: {s.warc}"))
    return "\n".join(lines)
