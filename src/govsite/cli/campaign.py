"""``govsite campaign``: create and run a census or a spot check from the command line."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import click

from govsite.cli.options import as_of_option, engine_config, fetch_options, now
from govsite.i18n import tr


@click.group(help=tr("检查任务：普查与抽查。", "campaigns: censuses and spot checks."))
def campaign() -> None:
    pass


@campaign.command(
    help=tr("新建检查任务（抽取样本并冻结指标体系）。", "create a campaign (draw its sample, freeze its profile).")
)
@click.option("--name", required=True)
@click.option("--kind", type=click.Choice(["census", "spot_check"]), default="spot_check", show_default=True)
@click.option(
    "--region", "region_code", required=True, metavar="CODE", help=tr("范围：行政区划代码", "scope: division code")
)
@click.option("--ratio", type=click.FloatRange(0.001, 1.0), default=0.3, show_default=True)
@click.option(
    "--seed",
    type=int,
    default=None,
    help=tr("随机种子（默认随机生成并记录）", "the seed (default: drawn and recorded)"),
)
@click.option("--profile", envvar="GOVSITE_PROFILE", default="inspection-2019", show_default=True, metavar="NAME|PATH")
@as_of_option
def create(
    name: str, kind: str, region_code: str, ratio: float, seed: int | None, profile: str, as_of: datetime | None
) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from django.core.exceptions import ValidationError

    from govsite.engine import ProfileError
    from govsite.platform.campaigns.sampling import create_campaign
    from govsite.platform.registry.models import Region

    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise click.BadParameter(
            tr(f"行政区划 {region_code} 未登记", f"no region {region_code} in the registry"), param_hint="--region"
        )
    try:
        made = create_campaign(name=name, kind=kind, region=region, as_of=as_of or now(), ratio=Decimal(str(ratio)),
                               seed=seed, profile=profile)  # fmt: skip
    except ValidationError as exc:
        raise click.UsageError("; ".join(exc.messages)) from exc
    except (ProfileError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(tr(f"已新建检查任务 {made.pk}：{made.sites.count()} 个网站，种子 {made.seed}",
                  f"campaign {made.pk} created: {made.sites.count()} sites, seed {made.seed}"))  # fmt: skip


@campaign.command(
    help=tr(
        "运行检查任务（进程内执行器，或 GOVSITE_EXECUTOR=celery 时交给 Celery 工作进程）。",
        "run a campaign (in process, or on Celery workers with GOVSITE_EXECUTOR=celery).",
    )
)
@click.argument("campaign_id", type=int)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help=tr("同时扫描的网站数", "sites scanned at once"),
)
@fetch_options
def run(campaign_id: int, concurrency: int, **options: Any) -> None:
    config = engine_config(**options)  # a bad value is refused before anything starts
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.campaigns.executor import run_campaign
    from govsite.platform.campaigns.models import Campaign

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise click.BadParameter(tr(f"没有编号为 {campaign_id} 的检查任务", f"no campaign {campaign_id}"))
    total = found.sites.count()
    seen = [0]

    def progress(line: str) -> None:
        seen[0] += 1
        click.echo(f"[{seen[0]}/{total}] {line}", err=True)

    from django.conf import settings

    if settings.EXECUTOR == "celery":  # the workers scan (with their own settings); this waits and reports
        done = wait_for_workers(found, progress)
    else:
        done = run_campaign(found, config, concurrency, progress)
    click.echo(summary(done))


def wait_for_workers(found: Any, progress: Any) -> Any:
    """Queue the campaign's sites for the Celery workers and wait until none is left."""
    import time

    from govsite.engine import EngineConfig
    from govsite.platform.campaigns.executor import finish_if_done, start_in_background
    from govsite.platform.campaigns.models import Campaign, CampaignSite

    start_in_background(found, EngineConfig())
    reported: set[int] = set()
    while True:
        closed = found.sites.exclude(state__in=[CampaignSite.State.PENDING, CampaignSite.State.RUNNING])
        for entry in closed.exclude(pk__in=reported).select_related("site"):
            reported.add(entry.pk)
            progress(f"{entry.site.code} {entry.site.name}: {entry.verdict or entry.get_state_display()}")
        done = finish_if_done(found)
        if done.state == Campaign.State.FINISHED:
            return done
        time.sleep(1.0)


@campaign.command(help=tr("显示检查任务的结果。", "show a campaign's results."))
@click.argument("campaign_id", type=int)
def show(campaign_id: int) -> None:
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.campaigns.models import Campaign

    found = Campaign.objects.filter(pk=campaign_id).first()
    if found is None:
        raise click.BadParameter(tr(f"没有编号为 {campaign_id} 的检查任务", f"no campaign {campaign_id}"))
    click.echo(summary(found))


def summary(c: Any) -> str:
    """The campaign's sites with their verdicts as reviewed (the scan's until a person
    changed them), as the dashboards count them."""
    from django.utils.timezone import localtime

    from govsite.platform.review.actions import reviewed_verdict

    entries = list(
        c.sites.select_related("site", "campaign")
        .prefetch_related("decisions", "manual_findings__user", "resolutions")
        .order_by("site__code")
    )
    counts: dict[str, int] = {}
    for e in entries:
        key = e.final_verdict or e.get_state_display()
        counts[key] = counts.get(key, 0) + 1
    lines = [
        f"{c.name}（{c.get_kind_display()}，{c.region.name}，比例 {c.ratio}，种子 {c.seed}，{c.profile_name} {c.profile_version}）",
        f"监测时间点 {localtime(c.as_of):%Y-%m-%d %H:%M}，状态：{c.get_state_display()}",
        "，".join(f"{k} {v}" for k, v in sorted(counts.items())),
        "",
    ]
    for e in entries:
        score = "—" if e.final_score is None else f"{e.final_score:g}"
        verdict = reviewed_verdict(e)
        reason = e.error or ("；".join(verdict.reasons[:1]) if verdict else "")
        lines.append(
            f"{e.site.code}  {e.final_verdict or e.get_state_display():<4} {score:>5}  {e.site.name}  {reason}"
        )
    return "\n".join(lines)
