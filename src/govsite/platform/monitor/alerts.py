"""Alerts when a site goes down, comes back or flaps: a mail through Django's mail
backend to the configured addresses, and a JSON POST to the configured webhook, each
bounded in time; every alert is kept with how its delivery went."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from govsite.engine import ProbeResult
from govsite.platform.monitor.models import Alert
from govsite.platform.registry.models import Site

WEBHOOK_TIMEOUT = 5.0
HEADLINES = {"down": "无法访问", "up": "恢复访问", "flapping": "频繁中断（暂停告警，稳定后再报）"}


def send(site: Site, kind: str, at: datetime, result: ProbeResult) -> Alert:
    local = timezone.localtime(at)  # China Standard Time, as the pages show it
    message = (
        f"{site.name}（{site.code}）{site.url} {HEADLINES[kind]}：{local:%Y-%m-%d %H:%M}，探测结果 {result.outcome}"
    )
    alert = Alert(site=site, kind=kind, at=at, message=message)
    options = settings.MONITOR
    recipients = list(options["alert_emails"])
    if recipients:
        sent = send_mail(f"[govsite] {site.name} {HEADLINES[kind]}", message, None, recipients, fail_silently=True)
        alert.mailed = len(recipients) if sent else 0
    if options["webhook"]:
        alert.webhook = _post(options["webhook"], alert, result)
    alert.save()
    return alert


def _post(url: str, alert: Alert, result: ProbeResult) -> str:
    body = {
        "site": alert.site.code,
        "name": alert.site.name,
        "url": alert.site.url,
        "event": alert.kind,
        "at": alert.at.isoformat(),
        "outcome": result.outcome,
        "attempts": [{"vantage": a.vantage, "outcome": a.outcome, "status": a.status} for a in result.attempts],
        "message": alert.message,
    }
    request = urllib.request.Request(
        url, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to the receiver
    try:
        with opener.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
