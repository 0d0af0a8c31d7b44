"""``{% load dashboard_format %}``: the dashboards' number formats as template filters."""

from __future__ import annotations

from django import template

from govsite.platform.dashboards import formatting

register = template.Library()


@register.filter
def percent(rate: float | None) -> str:
    return formatting.percent(rate)


@register.filter
def signed(change: float | None, digits: int = 0) -> str:
    return formatting.signed(change, digits)


@register.filter
def average(value: float | None) -> str:
    return formatting.average(value)


@register.filter
def none_dash(value: object) -> object:
    """None (no result) as "—"; 0 stays 0."""
    return formatting.NONE if value is None else value


@register.filter
def problem_trend(change: float | None) -> str:
    """CSS class of a change in a problem count: fewer is better."""
    if not change:
        return ""
    return "better" if change < 0 else "worse"


@register.filter
def rate_trend(change: float | None) -> str:
    """CSS class of a change in a pass rate: higher is better."""
    if not change:
        return ""
    return "better" if change > 0 else "worse"
