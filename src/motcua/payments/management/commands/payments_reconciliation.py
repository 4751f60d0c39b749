"""``manage.py payments_reconciliation [--date YYYY-MM-DD] [--csv FILE]``: the daily
reconciliation of payments (default: yesterday in Vietnam), printed or written as CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.core.formatting import money
from motcua.payments.reconciliation import VIETNAM, daily_report, report_csv


class Command(BaseCommand):
    help = (
        "Daily reconciliation of payments: by method, agency, procedure; unmatched notifications."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="the day, YYYY-MM-DD (default: yesterday in Vietnam)")
        parser.add_argument("--csv", help="write the report as CSV to this file ('-': stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["date"]:
            try:
                day = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be YYYY-MM-DD") from None
        else:
            day = dt.datetime.now(tz=VIETNAM).date() - dt.timedelta(days=1)
        report = daily_report(day=day)
        if options["csv"] == "-":
            self.stdout.write(report_csv(report), ending="")
            return
        if options["csv"]:
            Path(options["csv"]).write_text(report_csv(report), encoding="utf-8")
        self.stdout.write(
            f"{day.isoformat()}: {report.total_count} payments, {money(report.total_amount)}"
        )
        for group in report.by_method:
            self.stdout.write(f"  {group.label}: {group.count}, {money(group.amount)}")
        self.stdout.write(f"Unmatched notifications: {len(report.unmatched)}")
        for note in report.unmatched:
            self.stdout.write(
                f"  {note.received_at:%H:%M:%S} {note.transaction_ref} {note.verdict}"
            )
        self.stdout.write(f"Online payments pending past expiry: {len(report.stale_pending)}")
