"""What the ledger (日常考核) and the bulletin (通报) read from rectification and the
registry: plain functions, no pages. Supervision campaigns only (census, spot check);
a site's result is its reviewed verdict (``final_verdict``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from govsite.engine import FAIL, PASS
from govsite.platform.bulletins.models import Bulletin
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.public.models import Publication
from govsite.platform.rectification.models import Task, TaskFinding
from govsite.platform.registry.models import Region, Site

SUPERVISION = (Campaign.Kind.CENSUS, Campaign.Kind.SPOT_CHECK)
#: Registry statuses that take a site out of a quarter's figures when filed in time (seed 004).
CLOSED_STATUSES = (Site.Status.CLOSURE_REQUESTED, Site.Status.CLOSED)
UNFINISHED = (Task.State.OPEN, Task.State.RECHECKING)


def overdue_tasks(today: date | None = None, tasks: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Tasks past their deadline and not finished (neither rectified nor closed instead)."""
    today = today or timezone.localdate()
    found = tasks if tasks is not None else Task.objects.all()
    return found.filter(state__in=UNFINISHED, deadline__lt=today).select_related("site", "entry__campaign")


def overdue_units(today: date | None = None, tasks: QuerySet[Task] | None = None) -> list[tuple[str, int]]:
    """(unit, overdue tasks) for every unit with one, most first."""
    counts = Counter(overdue_tasks(today, tasks).values_list("unit", flat=True))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Rectification:
    """A campaign's rectification in figures (the dashboard's and the bulletin's)."""

    tasks: int
    closed: int  # rectified
    closure: int  # closed instead (申请关停)
    overdue: int
    findings: int
    fixed: int
    still_present: int

    @property
    def rate(self) -> float | None:
        """Share of the covered findings fixed (整改率)."""
        return self.fixed / self.findings if self.findings else None


def campaign_rectification(
    campaign: Campaign, tasks: QuerySet[Task] | None = None, today: date | None = None
) -> Rectification:
    """The figures of ``campaign``'s tasks (``tasks`` narrows them, e.g. to what a user may see)."""
    mine = (tasks if tasks is not None else Task.objects.all()).filter(entry__campaign=campaign)
    states = Counter(mine.values_list("state", flat=True))
    findings = Counter(TaskFinding.objects.filter(task__in=mine).values_list("status", flat=True))
    return Rectification(
        tasks=sum(states.values()),
        closed=states[Task.State.CLOSED],
        closure=states[Task.State.CLOSURE],
        overdue=overdue_tasks(today, mine).count(),
        findings=sum(findings.values()),
        fixed=findings[TaskFinding.Status.FIXED],
        still_present=findings[TaskFinding.Status.STILL_PRESENT],
    )


def repeat_offenders(campaign: Campaign) -> list[CampaignSite]:
    """Sites failing ``campaign`` that an earlier published bulletin listed as unqualified
    (屡查屡犯: failing again after an earlier bulletin): a bulletin a supervisor published
    before ``campaign``'s as-of, not withdrawn, on earlier supervision campaigns whose
    reviewed verdict of the site was 不合格."""
    failed = campaign.sites.filter(state=CampaignSite.State.DONE, final_verdict=FAIL).select_related("site")
    shown = Publication.objects.filter(
        kind=Publication.Kind.BULLETIN, withdrawn__isnull=True, published__lt=campaign.as_of
    ).values("bulletin")
    covered = set(Bulletin.objects.filter(pk__in=shown).values_list("campaign_id", flat=True)) | set(
        Bulletin.more_campaigns.through.objects.filter(bulletin__in=shown).values_list("campaign_id", flat=True)
    )
    earlier = set(
        CampaignSite.objects.filter(
            site__in=[e.site_id for e in failed],
            final_verdict=FAIL,
            campaign__in=covered,
            campaign__kind__in=SUPERVISION,
            campaign__as_of__lt=campaign.as_of,
        ).values_list("site_id", flat=True)
    )
    return [e for e in failed if e.site_id in earlier]


Quarter = tuple[int, int]  # (year, 1–4)


def quarter_of(day: date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def _previous(quarter: Quarter) -> Quarter:
    year, q = quarter
    return (year, q - 1) if q > 1 else (year - 1, 4)


def _quarter_streak(entries: QuerySet[CampaignSite], until: Campaign) -> int:
    """How many calendar quarters in a row, ending with the quarter of ``until``'s as-of
    (China Standard Time), every result among ``entries`` in finished supervision
    campaigns up to ``until`` was 合格 — seed 000's "连续四个季度抽查合格率达100%". Several
    checks in one quarter are that quarter's together (one failure and the quarter is not
    100 %); a quarter with no check of these sites breaks the streak: it has no pass rate,
    so it cannot be 100 % (docs/rectification.md, "Streaks")."""
    verdicts: dict[Quarter, list[str]] = {}
    found = entries.filter(
        campaign__kind__in=SUPERVISION, campaign__state=Campaign.State.FINISHED, campaign__as_of__lte=until.as_of
    ).exclude(state=CampaignSite.State.PENDING)
    for as_of, verdict in found.values_list("campaign__as_of", "final_verdict"):
        verdicts.setdefault(quarter_of(timezone.localdate(as_of)), []).append(verdict)
    streak, quarter = 0, quarter_of(timezone.localdate(until.as_of))
    while quarter in verdicts and all(v == PASS for v in verdicts[quarter]):
        streak, quarter = streak + 1, _previous(quarter)
    return streak


def pass_streak(site: Site, until: Campaign, campaigns: QuerySet[Campaign] | None = None) -> int:
    """Calendar quarters in a row, ending with ``until``'s, in which the site passed every
    supervision check (``_quarter_streak``) — among ``campaigns`` when given (those a user
    may see)."""
    entries = CampaignSite.objects.filter(site=site)
    return _quarter_streak(entries if campaigns is None else entries.filter(campaign__in=campaigns), until)


def group_pass_streak(code: str, until: Campaign) -> int:
    """Calendar quarters in a row, ending with ``until``'s, in which every checked site of
    the bulletin's group ``code`` passed (``_quarter_streak``). A group is what the bulletin
    tallies by (``Region.city_level`` of a site's region): a city with its counties, or the
    province's own sites — its departments and portal, printed as 省直部门 (seed 004 ranks
    各市 and 省直部门)."""
    if Region.level_of(code) == "province":
        entries = CampaignSite.objects.filter(site__region__code=code)
    else:
        entries = CampaignSite.objects.filter(site__region__code__startswith=code[:4])
    return _quarter_streak(entries, until)


def closed_before(campaign: Campaign, published: date) -> list[CampaignSite]:
    """Sites of ``campaign`` whose closure (申请关停 or 已关停) was filed on or before
    ``published`` — excluded from that quarter's figures (seed 004: 菏泽市 4 家 …
    在抽查情况公示前已进行了关停（不计入当季考核成绩）)."""
    return list(
        campaign.sites.filter(site__status__in=CLOSED_STATUSES, site__status_since__lte=published)
        .select_related("site")
        .order_by("site__code")
    )
