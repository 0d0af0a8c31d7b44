"""The holiday table's page (``/jiucuo/calendar/``, supervisors and administrators): which
years chinese-calendar covers, where the table extends or overrides it, the first day no
calendar covers, the changes made and by whom; and the forms that change it
(``holiday_table``)."""

from __future__ import annotations

import chinese_calendar
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.platform.accounts.access import can_edit_calendar
from govsite.platform.jiucuo import holiday_table
from govsite.platform.jiucuo.holiday_table import KINDS, Refused
from govsite.platform.jiucuo.models import CalendarChange
from govsite.platform.jiucuo.workdays import package_years

#: Changes listed on the page, newest first.
CHANGES_SHOWN = 50


def _year(text: str) -> int:
    if not text.strip().isdigit() or len(text.strip()) != 4:
        raise Refused(_("Enter the year as four digits, e.g. 2027."))
    return int(text)


def _apply(request: HttpRequest) -> None:
    """The change the posted form asks for, or ``Refused`` with the reason."""
    given, user = request.POST, request.user
    action, source = given.get("action", ""), given.get("source", "")
    if action == "set":
        if given.get("kind", "") not in KINDS:
            raise Refused(_("Choose 休 (a day off) or 班 (a working day)."))
        day = holiday_table.parse_day(given.get("day", ""))
        holiday_table.set_day(day, KINDS[given["kind"]], given.get("name", ""), user, source)
    elif action == "remove":
        holiday_table.remove_day(holiday_table.parse_day(given.get("day", "")), user, source)
    elif action == "declare":
        holiday_table.declare_year(_year(given.get("year", "")), user, source)
    elif action == "undeclare":
        holiday_table.remove_year(_year(given.get("year", "")), user)
    else:
        raise Refused(_("Unknown action."))


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    if not can_edit_calendar(request.user):
        raise PermissionDenied(_("Only supervisors and administrators may see and change the holiday table."))
    error = ""
    if request.method == "POST":
        try:
            _apply(request)
        except Refused as exc:
            error = str(exc)
        else:
            return redirect("jiucuo:calendar")
    today = timezone.localdate()
    states = holiday_table.overview(today)
    first, last = package_years()
    context = {
        "states": states,
        "first": first,
        "last": last,
        "version": chinese_calendar.__version__,
        "gap": holiday_table.first_gap(today, states),
        "changes": CalendarChange.objects.select_related("user")[:CHANGES_SHOWN],
        "error": error,
        "given": request.POST if error else {},
    }
    return render(request, "jiucuo/calendar.html", context, status=400 if error else 200)
