"""Queue the reminders of supplements awaited for 5 working days (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.notifications.services import supplement_reminders_enqueue


class Command(BaseCommand):
    help = "Remind applicants whose supplement has been awaited for 5 working days (once each)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = supplement_reminders_enqueue()
        self.stdout.write(f"supplement reminders queued: {queued}")
