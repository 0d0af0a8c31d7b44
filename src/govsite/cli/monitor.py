"""``govsite monitor``: the availability monitor from the command line — one round now,
or the scheduler in the foreground (embedded mode without the web process)."""

from __future__ import annotations

import click

from govsite.i18n import tr


@click.group(help=tr("可用性监测：定时探测网站首页。", "availability monitoring: scheduled homepage probes."))
def monitor() -> None:
    pass


@monitor.command(name="round", help=tr("探测此刻到期的网站一轮。", "probe the sites due now, once."))
def round_cmd() -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.monitor import runner

    probed = runner.run_due()
    click.echo(tr(f"本轮探测 {probed} 个网站", f"{probed} sites probed"))


@monitor.command(
    help=tr("在前台运行监测调度（Ctrl-C 停止）。", "run the monitor's scheduler in the foreground (Ctrl-C stops it).")
)
def run() -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.monitor.scheduler import Scheduler

    scheduler = Scheduler().start()
    click.echo(tr("监测已启动（按 Ctrl-C 停止）", "Monitoring started (Ctrl-C stops it)"))
    try:
        scheduler.wait()
    except KeyboardInterrupt:
        scheduler.stop()
