"""What the dashboards count, and how. No HTML here: the pages draw these figures.

Only supervision campaigns count — census (普查) and spot check (抽查); a self-check
(自查) is an operator's own scan, not a supervision result. Every figure is within the
user's scope (``accounts.access``): the campaigns they may see, and within each only
the sites they may see. A site's result is the reviewed one: ``final_verdict`` and
``final_score``, and the findings as reviewed (``review.actions.reviewed_findings``) —
a dismissed finding does not count, nor does a machine's doubt (``suspected``) until a
person confirms it, exactly as the verdict is scored; those doubts are counted apart.
A scan that failed is an outcome of its own, never dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from govsite.platform.accounts.access import visible_campaigns, visible_entries
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.dashboards.labels import (
    FAILED,
    OUTCOME_NAMES,
    OUTCOMES,
    PASSED,
    PENDING,
    SCAN_FAILED,
    UNDECIDED,
    VERDICT_OUTCOMES,
)
from govsite.platform.registry.models import Region, Site
from govsite.platform.review.labels import check_name

SUPERVISION = (Campaign.Kind.CENSUS, Campaign.Kind.SPOT_CHECK)
BLANK_COLUMNS = "update.column_blank"
BROKEN_LINKS = "links.broken"


# ---- which campaigns ---------------------------------------------------------------


def supervision_campaigns(user: Any) -> QuerySet[Campaign]:
    """The census and spot-check campaigns ``user`` may see, latest (by as-of) first."""
    return (
        visible_campaigns(user)
        .filter(kind__in=SUPERVISION)
        .select_related("region")
        .order_by("-as_of", "-created", "-pk")
    )


def latest_finished(campaigns: QuerySet[Campaign], count: int) -> list[Campaign]:
    return list(campaigns.filter(state=Campaign.State.FINISHED)[:count])


# ---- one site in one campaign --------------------------------------------------------


def classify(state: str, verdict: str) -> str:
    """The outcome of an entry from its scan state and reviewed verdict."""
    if state == str(CampaignSite.State.FAILED):
        return SCAN_FAILED
    if state != str(CampaignSite.State.DONE):
        return PENDING
    return VERDICT_OUTCOMES.get(verdict, UNDECIDED)


@dataclass(frozen=True)
class Outcome:
    """One site in one campaign, as reviewed."""

    entry: CampaignSite
    outcome: str
    counts: Counter[str]  # counted findings by check id
    suspected: Counter[str]  # unconfirmed machine doubts by check id (not counted)

    @property
    def site(self) -> Site:
        return self.entry.site

    @property
    def campaign(self) -> Campaign:
        return self.entry.campaign

    @property
    def outcome_name(self) -> str:
        return str(OUTCOME_NAMES[self.outcome])

    @property
    def scanned(self) -> bool:
        """Whether there is a result to count findings in."""
        return self.outcome not in (SCAN_FAILED, PENDING)

    @property
    def score(self) -> float | None:
        return self.entry.final_score if self.scanned else None

    @property
    def findings(self) -> int:
        return sum(self.counts.values())

    @property
    def suspected_findings(self) -> int:
        return sum(self.suspected.values())

    def count(self, check: str) -> int | None:
        """Counted findings of ``check``; None without a result."""
        return self.counts[check] if self.scanned else None

    @property
    def blank_columns(self) -> int | None:
        return self.count(BLANK_COLUMNS)

    @property
    def broken_links(self) -> int | None:
        return self.count(BROKEN_LINKS)


def outcome_of(entry: CampaignSite) -> Outcome:
    """``entry``'s outcome and its stored counts (``CampaignSite.counts``); the entry's
    result is not read (load entries with :func:`without_result`)."""
    outcome = classify(entry.state, entry.final_verdict or entry.verdict)
    if outcome in (SCAN_FAILED, PENDING):
        return Outcome(entry, outcome, Counter(), Counter())
    return Outcome(entry, outcome, Counter(entry.counted), Counter(entry.suspected))


def without_result(entries: QuerySet[CampaignSite]) -> QuerySet[CampaignSite]:
    """``entries`` with their sites, regions and campaigns, the result JSON (and each row's
    copy of the campaign's profile text) left unread."""
    return entries.select_related("site__region", "campaign").defer("result", "campaign__profile_text")


def entries_in_scope(campaign: Campaign, user: Any) -> QuerySet[CampaignSite]:
    """The entries of ``campaign`` whose site ``user`` may see (an operator: only their own)."""
    return without_result(visible_entries(user, campaign)).order_by("site__code")


# ---- tallies -----------------------------------------------------------------------


@dataclass
class Tally:
    """How many sites of a group ended how; the pass rate is passed / judged (sites with
    a verdict); failed scans and sites not scanned yet are shown, not in the rate."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    @property
    def passed(self) -> int:
        return self.counts[PASSED]

    @property
    def failed(self) -> int:
        return self.counts[FAILED]

    @property
    def undecided(self) -> int:
        return self.counts[UNDECIDED]

    @property
    def scan_failed(self) -> int:
        return self.counts[SCAN_FAILED]

    @property
    def pending(self) -> int:
        return self.counts[PENDING]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def judged(self) -> int:
        return self.passed + self.failed + self.undecided

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.judged if self.judged else None


def tally(outcomes: Iterable[str], key: str = "", label: str = "") -> Tally:
    made = Tally(key, label)
    for outcome in outcomes:
        made.add(outcome)
    return made


def by_region(outcomes: Sequence[Outcome]) -> list[Tally]:
    keys = sorted({Region.city_level(o.site.region.code) for o in outcomes})
    names = dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    groups = {}
    for key in keys:
        name = names.get(key, key)
        label = _("%(region)s (provincial sites)") % {"region": name} if Region.level_of(key) == "province" else name
        groups[key] = Tally(key, label)
    for o in outcomes:
        groups[Region.city_level(o.site.region.code)].add(o.outcome)
    return list(groups.values())


def by_level(outcomes: Sequence[Outcome]) -> list[Tally]:
    groups = {value: Tally(value, str(label)) for value, label in Site.Level.choices}
    for o in outcomes:
        groups[o.site.level].add(o.outcome)
    return [t for t in groups.values() if t.total]


# ---- problems ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    check: str
    name: str
    sites: int  # sites with at least one counted finding of this check
    findings: int  # counted findings
    suspected: int  # unconfirmed doubts, not counted
    share: float | None  # sites / sites judged


def problems(outcomes: Sequence[Outcome]) -> list[Problem]:
    """Check ids by the number of sites they were found on, then by findings."""
    judged = sum(1 for o in outcomes if o.scanned)
    sites: Counter[str] = Counter()
    findings: Counter[str] = Counter()
    suspected: Counter[str] = Counter()
    for o in outcomes:
        sites.update(check for check, n in o.counts.items() if n)
        findings.update(o.counts)
        suspected.update(o.suspected)
    checks = set(findings) | set(suspected)
    made = [
        Problem(c, check_name(c), sites[c], findings[c], suspected[c], sites[c] / judged if judged else None)
        for c in checks
    ]
    return sorted(made, key=lambda p: (-p.sites, -p.findings, -p.suspected, p.check))


# ---- one campaign --------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    campaign: Campaign
    outcomes: list[Outcome]
    total: Tally
    regions: list[Tally]
    levels: list[Tally]
    problems: list[Problem]


def overview(campaign: Campaign, user: Any) -> Overview:
    outcomes = [outcome_of(e) for e in entries_in_scope(campaign, user)]
    return Overview(
        campaign=campaign,
        outcomes=outcomes,
        total=tally((o.outcome for o in outcomes), "all", _("All sites")),
        regions=by_region(outcomes),
        levels=by_level(outcomes),
        problems=problems(outcomes),
    )


@dataclass(frozen=True)
class Summary:
    campaign: Campaign
    tally: Tally


def summaries(campaigns: Iterable[Campaign], user: Any) -> list[Summary]:
    """Each campaign's outcomes within ``user``'s sites (verdicts only: no findings read)."""
    out = []
    for c in campaigns:
        rows = visible_entries(user, c).values_list("state", "final_verdict", "verdict")
        out.append(Summary(c, tally(classify(state, final or scan) for state, final, scan in rows)))
    return out


# ---- one site across campaigns -------------------------------------------------------


@dataclass(frozen=True)
class CheckHistory:
    check: str
    name: str
    counts: list[int | None]  # per campaign, oldest first; None where there is no result


@dataclass(frozen=True)
class History:
    site: Site
    outcomes: list[Outcome]  # oldest first
    checks: list[CheckHistory]


def site_history(site: Site, user: Any) -> History:
    campaigns = supervision_campaigns(user).values("pk")
    entries = (
        without_result(site.campaign_entries.filter(campaign__in=campaigns))
        .select_related("campaign__region")
        .order_by("campaign__as_of", "campaign__created", "campaign__pk")
    )
    outcomes = [outcome_of(e) for e in entries]
    seen = sorted({c for o in outcomes for c, n in o.counts.items() if n})
    checks = [CheckHistory(c, check_name(c), [o.count(c) for o in outcomes]) for c in seen]
    return History(site, outcomes, checks)


# ---- two campaigns -------------------------------------------------------------------


@dataclass(frozen=True)
class SiteChange:
    """One site present in both campaigns."""

    before: Outcome
    after: Outcome

    @property
    def site(self) -> Site:
        return self.after.site

    @property
    def compared(self) -> bool:
        """Both scans have a result (a failed scan has no findings to compare)."""
        return self.before.scanned and self.after.scanned

    def change(self, check: str) -> int | None:
        before, after = self.before.count(check), self.after.count(check)
        return None if before is None or after is None else after - before

    @property
    def blank_before(self) -> int | None:
        return self.before.count(BLANK_COLUMNS)

    @property
    def blank_after(self) -> int | None:
        return self.after.count(BLANK_COLUMNS)

    @property
    def blank_change(self) -> int | None:
        return self.change(BLANK_COLUMNS)

    @property
    def broken_before(self) -> int | None:
        return self.before.count(BROKEN_LINKS)

    @property
    def broken_after(self) -> int | None:
        return self.after.count(BROKEN_LINKS)

    @property
    def broken_change(self) -> int | None:
        return self.change(BROKEN_LINKS)


@dataclass(frozen=True)
class Measure:
    """One check's findings summed over the sites compared (scanned in both)."""

    check: str
    name: str
    sites: int
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def per_site_before(self) -> float | None:
        return self.before / self.sites if self.sites else None

    @property
    def per_site_after(self) -> float | None:
        return self.after / self.sites if self.sites else None


@dataclass(frozen=True)
class Comparison:
    before: Campaign
    after: Campaign
    rows: list[SiteChange]  # the sites in both, by code
    measures: list[Measure]  # blank columns, broken links
    common_before: Tally  # outcomes of the sites scanned in both
    common_after: Tally
    all_before: Tally  # outcomes of every site of each campaign in scope
    all_after: Tally
    only_before: int  # sites in one campaign only (not compared)
    only_after: int

    @property
    def compared(self) -> int:
        return sum(1 for r in self.rows if r.compared)

    @property
    def pass_rate_change(self) -> float | None:
        """In percentage points, over the sites scanned in both."""
        before, after = self.common_before.pass_rate, self.common_after.pass_rate
        return None if before is None or after is None else 100 * (after - before)


def compare(before: Campaign, after: Campaign, user: Any) -> Comparison:
    old = {o.site.pk: o for o in map(outcome_of, entries_in_scope(before, user))}
    new = {o.site.pk: o for o in map(outcome_of, entries_in_scope(after, user))}
    rows = sorted((SiteChange(old[pk], new[pk]) for pk in old.keys() & new.keys()), key=lambda r: r.site.code)
    compared = [r for r in rows if r.compared]
    measures = [
        Measure(
            check,
            check_name(check),
            len(compared),
            sum(r.before.counts[check] for r in compared),
            sum(r.after.counts[check] for r in compared),
        )
        for check in (BLANK_COLUMNS, BROKEN_LINKS)
    ]
    return Comparison(
        before=before,
        after=after,
        rows=rows,
        measures=measures,
        common_before=tally(r.before.outcome for r in compared),  # like for like: scanned both times
        common_after=tally(r.after.outcome for r in compared),
        all_before=tally(o.outcome for o in old.values()),
        all_after=tally(o.outcome for o in new.values()),
        only_before=len(old.keys() - new.keys()),
        only_after=len(new.keys() - old.keys()),
    )
