"""``govsite serve``: the platform alone, served by waitress on the configured database
(SQLite in ``./var`` by default, PostgreSQL with ``GOVSITE_DATABASE_URL``)."""

from __future__ import annotations

import sys

import click

from govsite.i18n import tr


@click.command(
    help=tr("用 waitress 启动监管平台（不启动样本网站群）。", "serve the platform with waitress (no sample fleet).")
)
@click.option("--host", envvar="GOVSITE_HOST", default="127.0.0.1", show_default=True)
@click.option("--web-port", type=click.IntRange(0, 65535), envvar="GOVSITE_WEB_PORT", default=8000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), envvar="GOVSITE_THREADS", default=8, show_default=True)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    envvar="GOVSITE_PROCESSES",
    default=1,
    show_default=True,
    help=tr(
        "服务进程数（大于 1 时需 GOVSITE_EXECUTOR=celery 且 GOVSITE_MONITOR=0）。",
        "serving processes (more than 1 needs GOVSITE_EXECUTOR=celery and GOVSITE_MONITOR=0).",
    ),
)
def serve(host: str, web_port: int, threads: int, processes: int) -> None:
    from govsite.platform import bootstrap

    bootstrap.setup(migrate=True)

    def announce(url: str) -> None:
        click.echo(tr(f"监管平台：{url}（按 Ctrl-C 停止）", f"Platform: {url} (Ctrl-C stops it)"))
        sys.stdout.flush()

    try:
        bootstrap.serve(host, web_port, announce, threads=threads, processes=processes)
    except bootstrap.ServeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(
            tr(f"无法监听端口 {web_port}：{exc}", f"cannot listen on port {web_port}: {exc}")
        ) from exc
    except KeyboardInterrupt:
        pass
