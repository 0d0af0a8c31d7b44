"""``govsite worker`` and ``govsite beat``: the processes of distributed mode
(``GOVSITE_EXECUTOR=celery``), as Celery's own commands with govsite's settings."""

from __future__ import annotations

import click

from govsite.i18n import tr


@click.command(
    context_settings={"ignore_unknown_options": True},
    help=tr("启动 Celery 工作进程（扫描与监测任务）；其余参数交给 celery worker。",
            "start a Celery worker (scans and monitor rounds); other options go to celery worker."),
)  # fmt: skip
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(celery_args: tuple[str, ...]) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=False)
    from govsite.platform.celery_app import app

    app.worker_main(["worker", *celery_args])


@click.command(
    context_settings={"ignore_unknown_options": True},
    help=tr("启动 Celery beat（按计划发出监测任务）。", "start Celery beat (schedules the monitor's rounds)."),
)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def beat(celery_args: tuple[str, ...]) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=False)
    from govsite.platform.celery_app import app

    app.start(["beat", *celery_args])
