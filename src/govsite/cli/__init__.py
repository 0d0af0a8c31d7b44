"""The ``govsite`` command: one entry point, one sub-command group per job.

Each sub-command's module is imported when that sub-command runs (or when the list of
them is shown): ``govsite crawl`` once per site pays for the crawl's modules only."""

from __future__ import annotations

import importlib

import click

from govsite import __version__
from govsite.i18n import tr

#: Sub-command name: (module, attribute), in the order ``--help`` lists them.
COMMANDS = {
    "samples": ("govsite.cli.samples", "samples"),
    "crawl": ("govsite.cli.crawl", "crawl_cmd"),
    "scan": ("govsite.cli.scan", "scan_cmd"),
    "registry": ("govsite.cli.registry", "registry"),
    "campaign": ("govsite.cli.campaign", "campaign"),
    "bulletin": ("govsite.cli.bulletin", "bulletin_cmd"),
    "demo": ("govsite.cli.demo", "demo"),
    "manage": ("govsite.cli.registry", "manage"),
    "monitor": ("govsite.cli.monitor", "monitor"),
    "worker": ("govsite.cli.workers", "worker"),
    "beat": ("govsite.cli.workers", "beat"),
    "serve": ("govsite.cli.serve", "serve"),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        command: click.Command = getattr(importlib.import_module(where[0]), where[1])
        return command


@click.group(
    cls=LazyGroup, help=tr("govsite：政府网站监管平台。", "govsite: a platform for supervising government websites.")
)
@click.version_option(__version__, prog_name="govsite")
def main() -> None:
    pass
