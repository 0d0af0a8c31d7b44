"""``govsite demo``: the main job on the embedded default, end to end.

Starts the sample fleet, sets up the embedded database, loads the sample province
into the registry, draws and runs a 30 % spot check against the fleet, prints the
results, creates a login per role and serves the platform (default
http://127.0.0.1:8000/) while the fleet keeps serving.
"""

from __future__ import annotations

import sys
from decimal import Decimal

import click

from govsite.cli.campaign import summary
from govsite.cli.options import now
from govsite.i18n import tr

DEMO_SEED = 2026


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
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.engine import EngineConfig
    from govsite.platform.campaigns.executor import run_campaign
    from govsite.platform.campaigns.sampling import create_campaign
    from govsite.platform.registry.models import Region
    from govsite.platform.registry.samples import load_sample_province
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
    count = load_sample_province(world)
    click.echo(tr(f"登记库：载入 {count} 个网站", f"Registry: {count} sites loaded"))
    campaign = create_campaign(name=f"{as_of:%Y年%m月%d日}抽查（演示）", kind="spot_check", region=Region.objects.get(code="390000"),
                               as_of=as_of, ratio=Decimal("0.3"), seed=DEMO_SEED)  # fmt: skip
    click.echo(tr(f"检查任务 {campaign.pk}：抽取 {campaign.sites.count()} 个网站，扫描中……",
                  f"Campaign {campaign.pk}: {campaign.sites.count()} sites drawn, scanning…"))  # fmt: skip
    fleet_engine = {"proxy": fleet.proxy, "min_interval": 0.05, "per_host_concurrency": 4}  # our own fleet: quicker
    config = EngineConfig(**fleet_engine)  # type: ignore[arg-type]
    done = run_campaign(campaign, config, concurrency, progress=lambda line: click.echo(f"  {line}", err=True))
    click.echo("")
    click.echo(summary(done))
    click.echo("")
    from django.conf import settings

    from govsite.platform import bootstrap
    from govsite.platform.demo import PASSWORD, demo_people

    settings.EXECUTOR_ENGINE = {**settings.EXECUTOR_ENGINE, **fleet_engine}  # campaigns started in the pages too
    settings.MONITOR = {**settings.MONITOR, "scheduler": True}  # the fleet's homepages watched 7×24 as well
    people = "，".join(f"{name}（{role}）" for name, role in demo_people(done))
    click.echo(tr(f"演示账号：{people}；密码均为 {PASSWORD}", f"Demo logins: {people}; password {PASSWORD} for all"))
    click.echo(tr(f"命令行也可扫描：govsite scan http://www.yunjiang.gov.cn/ --proxy {fleet.proxy} --format text",
                  f"From the command line: govsite scan http://www.yunjiang.gov.cn/ --proxy {fleet.proxy} --format text"))  # fmt: skip

    def announce(url: str) -> None:
        click.echo(tr(f"监管平台：{url}（按 Ctrl-C 停止）", f"Platform: {url} (Ctrl-C stops it)"))
        sys.stdout.flush()

    try:
        bootstrap.serve("127.0.0.1", web_port, announce)
    except OSError as exc:
        raise click.ClickException(
            tr(f"无法监听端口 {web_port}：{exc}", f"cannot listen on port {web_port}: {exc}")
        ) from exc
    except KeyboardInterrupt:
        pass
    finally:
        fleet.stop_thread()
