"""The ``govsite`` command: one entry point, one sub-command group per job."""

from __future__ import annotations

import click

from govsite import __version__
from govsite.cli.bulletin import bulletin_cmd
from govsite.cli.campaign import campaign
from govsite.cli.crawl import crawl_cmd
from govsite.cli.demo import demo
from govsite.cli.monitor import monitor
from govsite.cli.registry import manage, registry
from govsite.cli.samples import samples
from govsite.cli.scan import scan_cmd
from govsite.cli.serve import serve
from govsite.cli.workers import beat, worker
from govsite.i18n import tr


@click.group(help=tr("govsite：政府网站监管平台。", "govsite: a platform for supervising government websites."))
@click.version_option(__version__, prog_name="govsite")
def main() -> None:
    pass


main.add_command(samples)
main.add_command(crawl_cmd, name="crawl")
main.add_command(scan_cmd, name="scan")
main.add_command(registry)
main.add_command(campaign)
main.add_command(bulletin_cmd, name="bulletin")
main.add_command(demo)
main.add_command(manage)
main.add_command(monitor)
main.add_command(worker)
main.add_command(beat)
main.add_command(serve)
