"""``govsite manage jiucuo_remind``: e-mail the units whose error reports fall due soon (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from govsite.platform.jiucuo.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders for error reports due within the reminder window (safe to run twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_reminders()} reminders sent")
