"""The monitoring arithmetic without a database: the week's days in China Standard
Time, the 5 % rule on hourly tallies, flap suppression."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govsite.engine.dates import CST
from govsite.platform.monitor.flapping import DOWN, UP, Rules, WatchState, step
from govsite.platform.monitor.window import Tally, monitoring, uptime, vetoed, week_before

AS_OF = datetime(2026, 11, 23, 10, tzinfo=CST)


def hours(start: datetime, count: int, **per_hour: int) -> list[Tally]:
    return [Tally(start + timedelta(hours=i), **per_hour) for i in range(count)]


def test_the_week_is_seven_whole_cst_days_before_the_as_of_day() -> None:
    start, end = week_before(AS_OF, 7)
    assert (start, end) == (datetime(2026, 11, 16, tzinfo=CST), datetime(2026, 11, 23, tzinfo=CST))
    # 00:30 CST on the 16th is 16:30 UTC on the 15th: it belongs to the 16th
    early = Tally(datetime(2026, 11, 15, 16, 30, tzinfo=UTC), up=1)
    before = Tally(datetime(2026, 11, 15, 15, 59, tzinfo=UTC), down=1)  # 23:59 CST on the 15th: outside
    today = Tally(datetime(2026, 11, 23, 9, tzinfo=CST), down=1)  # the as-of day: outside
    week = monitoring([early, before, today], AS_OF, 7)
    assert [d.probes for d in week.days] == [1, 0, 0, 0, 0, 0, 0] and week.down == 0


def test_five_percent_over_a_full_week_of_hourly_tallies() -> None:
    start, _ = week_before(AS_OF, 7)
    clean = hours(start, 168, up=1)
    assert vetoed(monitoring(clean, AS_OF, 7), 7, 20, 0.05) is False
    nine_down = [Tally(t.hour, up=0, down=1) if i % 18 == 0 and i < 162 else t for i, t in enumerate(clean)]
    week = monitoring(nine_down, AS_OF, 7)
    assert week.down == 9 and vetoed(week, 7, 20, 0.05) is True  # 9/168 = 5.4 %
    eight = [t for i, t in enumerate(nine_down) if i != 0]  # 8 of 167
    assert vetoed(monitoring(eight, AS_OF, 7), 7, 20, 0.05) is False
    # blocked probes do not count, nor make up the day's 20
    blocked = hours(start, 168, up=0, blocked=1)
    assert vetoed(monitoring(blocked, AS_OF, 7), 7, 20, 0.05) is None
    # a day with 19 probes makes the week incomplete: no verdict either way
    thin = [t for t in clean if not (start + timedelta(hours=5) > t.hour >= start)]
    assert vetoed(monitoring(thin, AS_OF, 7), 7, 20, 0.05) is None
    assert uptime(95, 5) == 0.95 and uptime(0, 0) is None


T0 = datetime(2026, 11, 23, tzinfo=CST)
RULES = Rules(window=timedelta(hours=6), limit=4)


def run(results: list[str], every: timedelta = timedelta(hours=1)) -> list[str | None]:
    watch, alerts = WatchState(), []
    for i, result in enumerate(results):
        watch, alert = step(watch, result, T0 + i * every, RULES)
        alerts.append(alert)
    return alerts


def test_down_and_up_are_alerted_once_each_and_blocked_changes_nothing() -> None:
    assert run([UP, UP, DOWN, DOWN, "blocked", "error", DOWN, UP, UP]) == [
        None, None, "down", None, None, None, None, "up", None,
    ]  # fmt: skip
    assert run([DOWN, DOWN, UP]) == ["down", None, "up"]  # the first probe finds it down
    assert run(["blocked", UP, "blocked"]) == [None, None, None]


def test_flapping_is_alerted_once_then_quiet_until_it_settles() -> None:
    alerts = run([UP, DOWN, UP, DOWN, UP, DOWN, UP, DOWN, DOWN], every=timedelta(minutes=30))
    # three changes alerted, the fourth within 6 h makes it flapping; then silence
    assert alerts == [None, "down", "up", "down", "flapping", None, None, None, None]
    watch = WatchState()
    for i, r in enumerate([UP, DOWN, UP, DOWN, UP, DOWN]):
        watch, _ = step(watch, r, T0 + i * timedelta(minutes=30), RULES)
    assert watch.quiet and watch.alerted == DOWN and watch.state == DOWN
    # still down 6 h after its last change: settled, but down was the last alert: nothing to say
    watch, alert = step(watch, DOWN, T0 + timedelta(hours=2, minutes=30) + RULES.window, RULES)
    assert alert is None and not watch.quiet
    # settling in another state than the last alerted one reports it
    watch = WatchState(UP, DOWN, (T0,), True)
    assert step(watch, UP, T0 + timedelta(hours=1), RULES)[1] is None
    assert step(watch, UP, T0 + RULES.window, RULES)[1] == "up"
