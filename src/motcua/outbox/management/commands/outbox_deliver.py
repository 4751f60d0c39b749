"""Deliver due outbox rows: the sweep behind the per-message tasks.

It sends what the tasks did not (a task lost between commit and worker, a worker that died in
the middle of a call, retries whose time has come). Run it once (cron) or with ``--loop``
beside ``db_worker``.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.outbox.services import outbox_deliver_due, outbox_purge_delivered


class Command(BaseCommand):
    help = "Deliver the outbox rows that are due (once, or every --interval seconds with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument("--batch", type=int, default=100, help="rows per pass at most")
        parser.add_argument(
            "--purge-days",
            type=int,
            default=None,
            help="first delete rows delivered more than this many days ago (at least 1)",
        )

    def handle(
        self,
        *args: Any,
        loop: bool,
        interval: float,
        batch: int,
        purge_days: int | None,
        **options: Any,
    ) -> None:
        if batch < 1 or interval <= 0:
            raise CommandError("--batch must be at least 1 and --interval positive")
        if purge_days is not None:
            if purge_days < 1:
                raise CommandError("--purge-days must be at least 1")
            purged = outbox_purge_delivered(older_than=dt.timedelta(days=purge_days))
            self.stdout.write(f"outbox: purged {purged} delivered")
        while True:
            outcomes = outbox_deliver_due(limit=batch)
            if outcomes:
                summary = ", ".join(f"{state}: {n}" for state, n in sorted(outcomes.items()))
                self.stdout.write(f"outbox: {summary}")
            if not loop:
                return
            if sum(outcomes.values()) < batch:
                time.sleep(interval)
