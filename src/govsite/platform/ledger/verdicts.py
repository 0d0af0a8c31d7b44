"""The reviewed verdicts a ledger or a bulletin counts, read the way the dashboards read
them (``dashboards.stats.outcome_of``). A campaign with sites nobody has finished
reviewing is refused, naming them, unless the caller asks to use the scan verdicts."""

from __future__ import annotations

from django.utils.translation import gettext as _

from govsite.platform.campaigns.models import Campaign
from govsite.platform.dashboards.labels import FAILED, PASSED
from govsite.platform.dashboards.stats import Outcome, outcome_of, without_result


class Unreviewed(ValueError):
    """Some sites of a campaign have no reviewed verdict yet."""

    def __init__(self, campaign: Campaign, outcomes: list[Outcome]) -> None:
        self.campaign, self.outcomes = campaign, outcomes
        names = "、".join(f"{o.site.name}（{o.site.code}）" for o in outcomes[:20])
        more = len(outcomes) - 20
        super().__init__(
            _(
                "%(campaign)s: %(count)s sites are not reviewed yet: %(names)s%(more)s. Finish the review,"
                " or ask to use the scan verdicts."
            )
            % {
                "campaign": campaign.name,
                "count": len(outcomes),
                "names": names,
                "more": _(" and %(n)s more") % {"n": more} if more > 0 else "",
            }
        )


def awaiting_review(outcome: Outcome) -> bool:
    """No verdict yet (待核查, a failed or missing scan), or a finding nobody decided."""
    if outcome.outcome not in (PASSED, FAILED):
        return True
    return outcome.entry.awaiting > 0


def judged(campaign: Campaign, use_scan_verdicts: bool = False) -> list[Outcome]:
    """Every site of the campaign with its outcome, by site code."""
    entries = without_result(campaign.sites.all()).order_by("site__code")
    outcomes = [outcome_of(e) for e in entries]
    if not use_scan_verdicts:
        waiting = [o for o in outcomes if awaiting_review(o)]
        if waiting:
            raise Unreviewed(campaign, waiting)
    return outcomes
