"""Deliver due outbox rows: the sweep behind the per-message tasks.

It sends what the tasks did not (a task lost between commit and worker, a worker that died in
the middle of a call, retries whose time has come). Run it once (cron) or with ``--loop``
beside ``db_worker``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.outbox.services import outbox_deliver_due


class Command(BaseCommand):
    help = "Deliver the outbox rows that are due (once, or every --interval seconds with --loop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")
        parser.add_argument("--batch", type=int, default=100, help="rows per pass at most")

    def handle(self, *args: Any, loop: bool, interval: float, batch: int, **options: Any) -> None:
        if batch < 1 or interval <= 0:
            raise ValueError("--batch must be at least 1 and --interval positive")
        while True:
            outcomes = outbox_deliver_due(limit=batch)
            if outcomes:
                summary = ", ".join(f"{state}: {n}" for state, n in sorted(outcomes.items()))
                self.stdout.write(f"outbox: {summary}")
            if not loop:
                return
            if sum(outcomes.values()) < batch:
                time.sleep(interval)
