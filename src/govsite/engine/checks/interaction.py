"""互动回应: an online consultation channel, and no message in it left unanswered
for 3 months or more among those asked within the year before the check."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, Undecided, as_of_date, evidence, home_ok
from govsite.engine.dates import add_months
from govsite.engine.snapshot import Snapshot

CHANNEL_WORDS = ("信箱", "咨询", "留言", "投诉", "问政", "来信")


def channel_missing(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    if any(c.kind == "board" for c in snapshot.columns):
        return []
    named = [c for c in snapshot.columns if any(w in c.name for w in CHANNEL_WORDS)]
    if named:
        if all(c.kind == "unreachable" for c in named):
            raise Undecided(f"咨询栏目“{named[0].name}”无法打开，需人工确认")
        return []
    if any(any(w in link.text for w in CHANNEL_WORDS) for link in home.links if link.region != "footer"):
        raise Undecided("首页有咨询类链接但未识别出留言栏目，需人工确认")
    return [
        Finding(
            "interaction.channel_missing",
            snapshot.url,
            snapshot.url,
            "serious",
            "未开设有效的在线咨询渠道（领导信箱、咨询投诉等）",
            {},
            evidence(snapshot, home),
        )
    ]


def unanswered(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    today = as_of_date(snapshot)
    months = ctx.profile.unanswered_months
    findings = []
    unknown = 0
    for msg in snapshot.messages:
        if msg.asked is None or (today - msg.asked).days > ctx.profile.message_lookback_days:
            continue
        if add_months(msg.asked, months) > today:
            continue
        if msg.replied is None:
            unknown += 1
            continue
        if msg.replied:
            continue
        days = (today - msg.asked).days
        findings.append(
            Finding(
                "interaction.unanswered",
                msg.url,
                msg.url,
                "serious",
                f"留言“{msg.title}”于 {msg.asked} 提出，{days} 天未回复（超过 {months} 个月）",
                {"asked": msg.asked.isoformat(), "days": days, "title": msg.title},
                evidence(snapshot, snapshot.page(msg.url), msg.title),
            )
        )
    if not findings and unknown:
        raise Undecided(f"{unknown} 条留言页面未表明是否已回复，需人工核查")
    return findings
