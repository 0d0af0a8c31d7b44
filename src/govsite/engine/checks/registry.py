"""The ordered registry of checks. Adding a check: write a module with a
``(snapshot, ctx) -> list[Finding]`` function, add its line here with the check ids it
may report, and a test (docs/checks.md has the checklist)."""

from __future__ import annotations

from govsite.engine.checks import (
    annual_report,
    availability,
    content,
    domain,
    identity,
    interaction,
    interpretation,
    links,
    noop,
    search,
    service,
    update,
    wording,
)
from govsite.engine.checks.base import Check

CHECKS: tuple[Check, ...] = (
    Check("noop", (), noop.check),
    Check("availability", ("availability.homepage_down",), availability.check),
    Check("homepage_stale", ("update.homepage_stale",), update.homepage_stale),
    Check("column_stale", ("update.column_stale",), update.column_stale),
    Check("column_blank", ("update.column_blank",), update.column_blank),
    Check("links", ("links.broken",), links.check),
    Check(
        "identity",
        (
            "identity.conac_missing",
            "identity.site_code_missing",
            "identity.icp_missing",
            "identity.psb_missing",
            "identity.error_report_entry_missing",
        ),
        identity.check,
    ),
    Check("domain", ("domain.nonconforming",), domain.check),
    Check("search", ("search.missing", "search.broken"), search.check),
    Check("channel", ("interaction.channel_missing",), interaction.channel_missing),
    Check("unanswered", ("interaction.unanswered",), interaction.unanswered),
    Check("services", ("service.missing",), service.missing),
    Check("guides", ("service.guide_incomplete",), service.guide_incomplete),
    Check("interpretation", ("interpretation.missing",), interpretation.check),
    Check("annual_report", ("annual_report.missing",), annual_report.check),
    Check("wording", ("wording.serious_error",), wording.check),
    Check("republished", ("content.republished",), content.republished),
    Check("forged_date", ("content.forged_date",), content.forged_date),
)
