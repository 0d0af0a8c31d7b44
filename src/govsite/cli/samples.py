"""``govsite samples``: the local fleet of fictional government websites."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from govsite.cli.options import as_of_option, format_option, now, resolve_format
from govsite.i18n import tr
from govsite.samples.generate import MAX_COPIES, build_world
from govsite.samples.manifest import manifest, site_record
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.world import World

DEFAULT_PORT = 8899


def _world_options(func: Any) -> Any:
    func = click.option(
        "--items-per-column",
        type=click.IntRange(1, 100_000),
        envvar="GOVSITE_ITEMS_PER_COLUMN",
        default=None,
        help=tr(
            "每个列表栏目的条目数（覆盖默认值，用于基准测试的大网站）",
            "items in every list column (overrides the defaults; makes large sites for benchmarks)",
        ),
    )(func)
    func = click.option(
        "--seed",
        type=int,
        envvar="GOVSITE_SEED",
        default=1,
        show_default=True,
        help=tr("生成样本世界的随机种子", "the seed the sample world is generated from"),
    )(func)
    return as_of_option(func)


def _world(as_of: datetime | None, seed: int, items_per_column: int | None) -> World:
    return build_world(seed, (as_of or now()).date(), items_per_column)


@click.group(help=tr("样本政府网站群（本地 HTTP 代理）。", "the sample government-website fleet (a local HTTP proxy)."))
def samples() -> None:
    pass


@samples.command(help=tr("启动样本网站群代理。", "start the sample fleet proxy."))
@_world_options
@click.option("--port", type=click.IntRange(0, 65535), envvar="GOVSITE_PORT", default=DEFAULT_PORT, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=tr(
        "监听地址（在容器中用 0.0.0.0，让其他容器连到它）",
        "address to listen on (0.0.0.0 in a container, so other containers reach it)",
    ),
)
@click.option(
    "--slow-seconds",
    type=click.FloatRange(0.0, 600.0),
    envvar="GOVSITE_SLOW_SECONDS",
    default=20.0,
    show_default=True,
    help=tr("慢速首页的响应延迟（秒）", "delay of the slow homepage, in seconds"),
)
@click.option(
    "--linkchecker-unthrottled",
    is_flag=True,
    help=tr("允许 LinkChecker 全速抓取（基准测试用）", "let LinkChecker run at full speed (for benchmarks)"),
)
@click.option(
    "--scripted",
    is_flag=True,
    help=tr(
        "三个网站用脚本生成栏目列表（需浏览器渲染）",
        "three sites build their column lists with JavaScript (they need rendering)",
    ),
)
@click.option(
    "--latency",
    type=click.FloatRange(0.0, 10.0),
    default=0.0,
    show_default=True,
    help=tr("每个响应前附加的延迟（秒，基准测试用）", "seconds added before every answer (for benchmarks)"),
)
@click.option(
    "--copies",
    type=click.IntRange(1, MAX_COPIES),
    default=1,
    show_default=True,
    help=tr(
        "生成几个省份规模的网站（每份 37 个不同网站、各有自己的主机名，用于规模基准测试）",
        "how many provinces' worth of sites to generate (37 distinct sites on hosts of their own each; "
        "for scale benchmarks)",
    ),
)
def serve(
    as_of: datetime | None,
    seed: int,
    items_per_column: int | None,
    port: int,
    host: str,
    slow_seconds: float,
    linkchecker_unthrottled: bool,
    scripted: bool,
    latency: float,
    copies: int,
) -> None:
    world = build_world(seed, (as_of or now()).date(), items_per_column, scripted=scripted, copies=copies)

    async def run() -> None:
        options = FleetOptions(
            slow_seconds=slow_seconds, linkchecker_unthrottled=linkchecker_unthrottled, latency=latency
        )
        server = FleetServer(world, port, options, host)
        try:
            await server.start()
        except OSError as exc:
            raise click.ClickException(
                tr(f"无法监听端口 {port}：{exc}", f"cannot listen on port {port}: {exc}")
            ) from exc
        portal = next(iter(world.sites.values()))
        click.echo(
            tr(
                f"样本网站群已启动：{len(world.sites)} 个网站，监测时间点 {world.as_of}，种子 {seed}。\n"
                f"代理地址：{server.proxy}\n"
                f"试一试：curl -x {server.proxy} {portal.url}\n"
                f"网站清单：govsite samples sites；缺陷清单：govsite samples manifest\n"
                f"按 Ctrl-C 停止。",
                f"Sample fleet up: {len(world.sites)} sites, as-of {world.as_of}, seed {seed}.\n"
                f"Proxy: {server.proxy}\n"
                f"Try: curl -x {server.proxy} {portal.url}\n"
                f"Sites: govsite samples sites; ground truth: govsite samples manifest\n"
                f"Ctrl-C stops it.",
            )
        )
        sys.stdout.flush()
        try:
            await asyncio.Event().wait()
        finally:
            await server.stop()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        click.echo(tr("已停止。", "stopped."), err=True)


@samples.command("manifest", help=tr("输出缺陷真值清单（JSON）。", "print the ground-truth manifest (JSON)."))
@_world_options
def manifest_cmd(as_of: datetime | None, seed: int, items_per_column: int | None) -> None:
    data = manifest(_world(as_of, seed, items_per_column))
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@samples.command(help=tr("列出样本网站（登记信息）。", "list the sample sites (registry records)."))
@_world_options
@format_option
def sites(as_of: datetime | None, seed: int, items_per_column: int | None, fmt: str | None) -> None:
    world = _world(as_of, seed, items_per_column)
    records = [site_record(world, s) for s in world.sites.values()]
    if resolve_format(fmt) == "json":
        for record in records:
            del record["columns"]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for r in records:
        click.echo(f"{r['code']}  {r['level']:<8}  {r['url']:<34}  {r['name']}")


@samples.command(
    "corpus-rebuild",
    help=tr(
        "从本地 git 镜像重建真实网页语料的页面（不访问网络）。",
        "rebuild the real-page corpus's pages from local git mirrors (no network).",
    ),
)
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("tests/corpus"),
              show_default=True)  # fmt: skip
@click.option(
    "--mirrors",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help=tr(
        "本地镜像目录（owner+name/repo 或 owner/name.git）。", "local mirrors (owner+name/repo or owner/name.git)."
    ),
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def corpus_rebuild(corpus: Path, mirrors: Path, out: Path) -> None:
    from govsite.samples import corpus as real

    try:
        written, problems = real.rebuild(corpus, mirrors, out)
    except real.CorpusError as exc:
        raise click.UsageError(str(exc)) from exc
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(tr(f"已写入 {written} 个页面到 {out}", f"{written} pages written to {out}"))
    if problems:
        sys.exit(1)


@samples.command(
    help=tr(
        "扫描整个样本网站群，按检查项输出查准率、查全率和结论一致率。",
        "scan the whole sample fleet; print precision and recall per check id and verdict agreement.",
    )
)
@_world_options
@click.option("--profile", envvar="GOVSITE_PROFILE", default="inspection-2019", show_default=True, metavar="NAME|PATH")
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help=tr(
        "改为评估真实网页语料（MANIFEST.toml 与 truth/ 所在目录）。",
        "evaluate on the real-page corpus instead (the directory of MANIFEST.toml and truth/).",
    ),
)
def evaluate(
    as_of: datetime | None, seed: int, items_per_column: int | None, profile: str, corpus: Path | None
) -> None:
    from govsite.samples import evaluate as evaluation

    if corpus is not None:
        from govsite.samples import corpus as real

        try:
            pages = real.load(corpus)
        except real.CorpusError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(real.table(real.evaluate(pages)))
        return
    world = _world(as_of, seed, items_per_column)
    result = evaluation.run(world, profile, progress=lambda m: click.echo(m, err=True))
    click.echo(evaluation.table(result))
