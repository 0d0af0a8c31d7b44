"""``govsite registry``: the site registry (政府网站基本信息) from the command line,
and ``govsite manage`` for Django's own administration commands."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from govsite.cli.options import as_of_option, now
from govsite.i18n import tr


@click.group(
    help=tr("网站登记：导入、导出、载入样本省份。", "the site registry: import, export, load the sample province.")
)
def registry() -> None:
    pass


@registry.command(
    "import",
    help=tr("从 .xlsx 或 .csv 导入（按网站标识码更新）。", "import an .xlsx or .csv file (updates by site code)."),
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_cmd(path: Path) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.registry.tabular import ImportRejected, import_file

    try:
        report = import_file(path.name, path.read_bytes())
    except ImportRejected as exc:
        click.echo(
            tr(
                f"文件被拒绝，未导入任何内容（{len(exc.errors)} 处错误）：",
                f"file rejected, nothing imported ({len(exc.errors)} errors):",
            ),
            err=True,
        )
        for error in exc.errors:
            click.echo(f"  {error}", err=True)
        raise SystemExit(1) from exc
    click.echo(
        tr(
            f"新增 {len(report.created)} 个，更新 {len(report.updated)} 个，未变 {len(report.unchanged)} 个网站；新增行政区划 {len(report.regions_created)} 个。",
            f"{len(report.created)} sites created, {len(report.updated)} updated, {len(report.unchanged)} unchanged; {len(report.regions_created)} regions created.",
        )
    )


@registry.command("export", help=tr("导出为 .xlsx 或 .csv。", "export to an .xlsx or .csv file."))
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(path: Path) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.registry.tabular import export_file

    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter(tr("文件名应以 .xlsx 或 .csv 结尾", "the file name must end in .xlsx or .csv"))
    count = export_file(path)
    click.echo(tr(f"已导出 {count} 个网站到 {path}", f"{count} sites written to {path}"))


@registry.command(
    "load-samples", help=tr("把样本省份的网站载入登记库。", "load the sample province into the registry.")
)
@as_of_option
@click.option("--seed", type=int, envvar="GOVSITE_SEED", default=1, show_default=True)
def load_samples(as_of: datetime | None, seed: int) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.registry.samples import load_sample_province
    from govsite.samples.generate import build_world

    count = load_sample_province(build_world(seed, (as_of or now()).date()))
    click.echo(tr(f"已载入样本省份 {count} 个网站", f"{count} sample sites loaded"))


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
    help=tr(
        "运行 Django 管理命令（如 migrate、createsuperuser）。",
        "run a Django management command (migrate, createsuperuser, …).",
    ),
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    from govsite.platform.bootstrap import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govsite manage", *args])
