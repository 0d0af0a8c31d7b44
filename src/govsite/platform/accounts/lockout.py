"""Lockout of repeated failed logins (登录失败锁定), by django-axes.

After ``AXES_FAILURE_LIMIT`` failed logins for one user name from one address, further
attempts are refused for ``AXES_COOLOFF_TIME`` — even with the right password — and the
login page says so (HTTP 429). docs/platform.md, "Deployment", lists the settings.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Checks every login that comes with a request. A login made in code (a test
    client, a management shell) has no request and no address to count, and passes by."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict[str, Any] | None) -> HttpResponse:
    """The login page again, saying the account is locked for a while."""
    form = AuthenticationForm(request)
    return render(request, "registration/login.html", {"form": form, "locked": True}, status=429)
