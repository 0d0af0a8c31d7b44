"""``govsite bulletin CAMPAIGN --format docx|xlsx|html|pdf``: write a campaign's bulletin
(通报) from its reviewed results, and keep the export with its inputs."""

from __future__ import annotations

from pathlib import Path

import click

from govsite.i18n import tr

FORMATS = ("docx", "xlsx", "html", "pdf")


@click.command(
    help=tr(
        "生成检查任务的通报（依据核查后的结论；尚有未核查网站时拒绝，除非指定 --use-scan-verdicts）。",
        "write a campaign's bulletin from its reviewed results (refused while sites are unreviewed,"
        " unless --use-scan-verdicts).",
    )
)
@click.argument("campaign_id", type=int)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="docx", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=tr("输出文件（默认：通报编号.格式）", "output file (default: bulletin-ID.FORMAT)"))  # fmt: skip
@click.option("--ledger", "ledger_id", type=int, default=None,
              help=tr("附上日常考核扣分表（编号）", "attach this deduction ledger (its id)"))  # fmt: skip
@click.option("--with", "more", type=int, multiple=True, metavar="CAMPAIGN_ID",
              help=tr("同一期的其他检查任务（可重复）", "a further campaign of the period (repeatable)"))  # fmt: skip
@click.option("--use-scan-verdicts", is_flag=True,
              help=tr("未核查网站采用扫描结论", "use the scan verdicts of unreviewed sites"))  # fmt: skip
@click.option("--screenshots", is_flag=True,
              help=tr("在问题网站名单附件中附上问题截图（docx、html、pdf）",
                      "put the problem sites' finding screenshots in their annex (docx, html, pdf)"))  # fmt: skip
def bulletin_cmd(
    campaign_id: int,
    fmt: str,
    output: Path | None,
    ledger_id: int | None,
    more: tuple[int, ...],
    use_scan_verdicts: bool,
    screenshots: bool,
) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.bulletins.browser import BrowserMissing
    from govsite.platform.bulletins.exports import export
    from govsite.platform.bulletins.models import draft
    from govsite.platform.campaigns.models import Campaign
    from govsite.platform.ledger.models import Ledger
    from govsite.platform.ledger.rules import RulesError
    from govsite.platform.ledger.verdicts import Unreviewed

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise click.BadParameter(tr(f"没有编号为 {campaign_id} 的检查任务", f"no campaign {campaign_id}"))
    made = draft(found)
    if ledger_id is not None:
        made.ledger = Ledger.objects.filter(pk=ledger_id).first()
        if made.ledger is None:
            raise click.BadParameter(tr(f"没有编号为 {ledger_id} 的扣分表", f"no ledger {ledger_id}"))
        made.save(update_fields=["ledger"])
    if more:
        found_more = list(Campaign.objects.filter(pk__in=more).exclude(pk=campaign_id))
        if len(found_more) != len(set(more) - {campaign_id}):
            raise click.BadParameter(tr("--with 中有不存在的检查任务", "--with names a campaign that does not exist"))
        made.more_campaigns.set(found_more)
    try:
        result = export(made, fmt, use_scan_verdicts=use_scan_verdicts, screenshots=screenshots)
    except (Unreviewed, RulesError, BrowserMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    target = output or Path(f"bulletin-{made.pk}.{fmt}")
    target.write_bytes(result.data)
    for note in result.notes:
        click.echo(note, err=True)
    click.echo(tr(f"已写出 {target}（导出记录 {result.export.pk}）", f"wrote {target} (export {result.export.pk})"))
