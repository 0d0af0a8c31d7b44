"""``govsite demo``: the main job on the embedded default, end to end.

Starts the sample fleet, sets up the embedded database, loads the sample province
into the registry, draws and runs a 30 % spot check against the fleet, prints the
results, creates a login per role and serves the platform (default
http://127.0.0.1:8000/) while the fleet keeps serving.
"""

from __future__ import annotations

import sys

import click

from govsite.cli.campaign import summary
from govsite.cli.options import now
from govsite.i18n import tr


@click.command(
    help=tr(
        "演示：启动样本网站群，载入登记库，运行一次抽查。",
        "demo: start the fleet, load the registry, run a spot check.",
    )
)
@click.option("--port", type=click.IntRange(0, 65535), envvar="GOVSITE_PORT", default=8899, show_default=True)
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option("--web-port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def demo(port: int, concurrency: int, web_port: int) -> None:
    from govsite.samples.generate import build_world
    from govsite.samples.server import FleetServer

    as_of = now()
    world = build_world(1, as_of.date())
    try:
        fleet = FleetServer(world, port).start_in_thread()
    except OSError as exc:
        raise click.ClickException(tr(f"无法监听端口 {port}：{exc}", f"cannot listen on port {port}: {exc}")) from exc
    click.echo(
        tr(
            f"样本网站群：{fleet.proxy}（{len(world.sites)} 个网站）",
            f"Sample fleet: {fleet.proxy} ({len(world.sites)} sites)",
        )
    )
    from govsite.platform.bootstrap import setup

    setup(migrate=True, fleet_proxy=fleet.proxy)  # campaigns started in the pages scan the fleet too
    from govsite.platform import bootstrap
    from govsite.platform.demo import PASSWORD, DemoRefused, demo_campaign, demo_people, refuse_real_databases

    try:
        refuse_real_databases()
    except DemoRefused as exc:
        raise click.ClickException(
            tr(
                f"数据库中已有非演示用户（{exc}）：演示不会重置这里的账号密码。请用空的 GOVSITE_DATA_DIR 或 GOVSITE_DATABASE_URL 运行。",
                f"the database has users other than the demo's ({exc}): the demo will not reset passwords there. "
                "Run it with an empty GOVSITE_DATA_DIR or GOVSITE_DATABASE_URL.",
            )
        ) from exc

    done = demo_campaign(world, as_of, concurrency, lambda zh, en: click.echo(tr(zh, en)),
                         progress=lambda line: click.echo(f"  {line}", err=True))  # fmt: skip
    click.echo("")
    click.echo(summary(done))
    click.echo("")
    people = "，".join(f"{name}（{role}）" for name, role in demo_people(done))
    click.echo(tr(f"演示账号：{people}；密码均为 {PASSWORD}", f"Demo logins: {people}; password {PASSWORD} for all"))
    click.echo(tr(f"命令行也可扫描：govsite scan http://www.yunjiang.gov.cn/ --proxy {fleet.proxy} --proxy-resolves-safely --format text",
                  f"From the command line: govsite scan http://www.yunjiang.gov.cn/ --proxy {fleet.proxy} --proxy-resolves-safely --format text"))  # fmt: skip

    def announce(url: str) -> None:
        click.echo(tr(f"监管平台：{url}（按 Ctrl-C 停止）", f"Platform: {url} (Ctrl-C stops it)"))
        sys.stdout.flush()

    try:
        bootstrap.serve("127.0.0.1", web_port, announce, archive_port=web_port + 1 if web_port else 0)
    except OSError as exc:
        raise click.ClickException(
            tr(f"无法监听端口 {web_port}：{exc}", f"cannot listen on port {web_port}: {exc}")
        ) from exc
    except KeyboardInterrupt:
        pass
    finally:
        fleet.stop_thread()
