"""The dashboards' charts: the figures of ``stats`` drawn with ``charts``, labelled in
the user's language."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govsite.platform.campaigns.models import Campaign
from govsite.platform.dashboards.charts import Bar, Pair, Stack, bar_chart, paired_chart, stacked_chart
from govsite.platform.dashboards.formatting import percent, signed
from govsite.platform.dashboards.labels import FAILED, OUTCOME_NAMES, OUTCOMES
from govsite.platform.dashboards.stats import Comparison, History, Problem, SiteChange, Tally

#: Per-site charts of the trends page show at most this many sites (the table has all).
TOP_SITES = 20


def rate_text(t: Tally) -> str:
    return _("%(rate)s passed (%(passed)d of %(judged)d)") % {
        "rate": percent(t.pass_rate),
        "passed": t.passed,
        "judged": t.judged,
    }


def pass_rates(tallies: Sequence[Tally], title: str) -> SafeString:
    """Each group's sites split by outcome, the pass rate written after the bar."""
    legend = [(str(OUTCOME_NAMES[o]), o) for o in OUTCOMES]
    stacks = [Stack(t.label, tuple(float(t.counts[o]) for o in OUTCOMES), rate_text(t)) for t in tallies]
    return stacked_chart(stacks, title=title, legend=legend)


def problems(found: Sequence[Problem]) -> SafeString:
    """Check ids by the number of sites they were found on (the longest bar: the most
    common problem), with the share of judged sites written beside."""
    bars = [
        Bar(
            p.name,
            p.sites,
            ngettext("%(sites)d site (%(share)s)", "%(sites)d sites (%(share)s)", p.sites)
            % {"sites": p.sites, "share": percent(p.share)}
            + " · "
            + ngettext("%(findings)d finding", "%(findings)d findings", p.findings) % {"findings": p.findings},
        )
        for p in found
        if p.sites
    ]
    return bar_chart(bars, title=_("Most common problems"))


def campaign_title(campaign: Campaign) -> str:
    """A campaign by its as-of date and name (the same census run twice differs by date)."""
    return f"{localtime(campaign.as_of):%Y-%m-%d} {campaign.name}"


def campaign_label(history: History, index: int) -> str:
    return campaign_title(history.outcomes[index].campaign)


def site_scores(history: History) -> SafeString:
    """The reviewed score of each campaign, coloured by outcome (a veto has no score)."""
    bars = []
    for i, o in enumerate(history.outcomes):
        score = o.score
        if score is not None:
            text = f"{OUTCOME_NAMES[o.outcome]} · {score:g}"
        elif o.outcome == FAILED:
            text = _("%(result)s (single veto: no score)") % {"result": OUTCOME_NAMES[o.outcome]}
        else:
            text = str(OUTCOME_NAMES[o.outcome])
        bars.append(Bar(campaign_label(history, i), score or 0.0, text, o.outcome))
    top = max([100.0, *(o.score or 0.0 for o in history.outcomes)])
    return bar_chart(bars, title=_("Score per campaign"), maximum=top)


def site_findings(history: History) -> SafeString:
    bars = [
        Bar(campaign_label(history, i), o.findings, str(o.findings) if o.scanned else str(OUTCOME_NAMES[o.outcome]))
        for i, o in enumerate(history.outcomes)
    ]
    return bar_chart(bars, title=_("Problems found per campaign"))


def trend_pass_rates(c: Comparison) -> SafeString:
    rows = [
        (_("Sites in both campaigns"), c.common_before, c.common_after),
        (_("All sites"), c.all_before, c.all_after),
    ]
    pairs = [
        Pair(
            label,
            100 * (old.pass_rate or 0),
            100 * (new.pass_rate or 0),
            f"{percent(old.pass_rate)} → {percent(new.pass_rate)}",
        )
        for label, old, new in rows
    ]
    return paired_chart(pairs, title=_("Pass rate before and after"), names=names(c), maximum=100)


def trend_per_site(c: Comparison, check: str, title: str) -> SafeString:
    """One check's findings per site before and after: the sites with the most first."""

    def counts(r: SiteChange) -> tuple[int, int]:
        return r.before.counts[check], r.after.counts[check]

    rows = sorted((r for r in c.rows if r.compared and any(counts(r))), key=lambda r: (-max(counts(r)), r.site.code))
    pairs = [
        Pair(r.site.name, *counts(r), f"{counts(r)[0]} → {counts(r)[1]} ({signed(counts(r)[1] - counts(r)[0])})")
        for r in rows[:TOP_SITES]
    ]
    return paired_chart(pairs, title=title, names=names(c))


def names(c: Comparison) -> tuple[str, str]:
    return (
        _("Before: %(name)s") % {"name": campaign_title(c.before)},
        _("After: %(name)s") % {"name": campaign_title(c.after)},
    )
