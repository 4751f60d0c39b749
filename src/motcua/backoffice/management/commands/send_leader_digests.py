"""``manage.py send_leader_digests [--language en] [--dry-run]``: email each leader their
agency's overdue and soon-due dossiers. Run it every morning (cron, a systemd timer, a
scheduler): it sends only for agencies whose working calendar has today as a working day, and a
second run the same day sends nobody a second digest. Exit status 1 when some
digest could not be sent (those leaders get it at the next run)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.backoffice.digest import leader_digests_send


class Command(BaseCommand):
    help = (
        "Gửi thư tổng hợp hồ sơ quá hạn, sắp đến hạn cho lãnh đạo / "
        "email each leader their overdue and soon-due dossiers (once a day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--language",
            choices=[code for code, _ in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the emails (default: the site's)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say who would get one; send nothing"
        )

    def handle(self, *args: Any, language: str, dry_run: bool, **options: Any) -> None:
        run = leader_digests_send(language=language, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{verb} {len(run.sent)} digest(s)")
        self.stdout.write(f"already sent today: {len(run.already_sent)}")
        self.stdout.write(f"nothing overdue or due soon: {len(run.nothing_due)}")
        self.stdout.write(f"not a working day at their agencies: {len(run.day_off)}")
        # Staff usernames (no email address, sending failed): someone has to act on those.
        for label, names in (("no email address", run.no_email), ("failed", run.failed)):
            if names:
                self.stdout.write(f"{label}: {len(names)} ({', '.join(names)})")
        if run.failed:
            raise CommandError(f"{len(run.failed)} digest(s) not sent; run again to retry")
