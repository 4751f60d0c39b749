"""``manage.py reports_refresh [--full] [--every SECONDS]``: bring the statistics' daily roll-up
up to now (PostgreSQL). Run it every minute (cron, a systemd timer) or as a process with
``--every 60``; reads use the roll-up only while it is at most two minutes old, so a stopped
refresher makes reports slower, never wrong. ``--full`` rebuilds it (after importing past
dossiers)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.reports.rollup import rollup_refresh, rollup_supported


class Command(BaseCommand):
    help = "Cập nhật số liệu thống kê tổng hợp theo ngày / refresh the statistics' daily roll-up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="rebuild every day")
        parser.add_argument(
            "--every", type=int, default=0, metavar="SECONDS", help="repeat forever at this pace"
        )

    def handle(self, *args: Any, full: bool, every: int, **options: Any) -> None:
        if not rollup_supported():
            self.stdout.write("roll-up: PostgreSQL only; reports read the dossiers directly")
            return
        while True:
            started = time.monotonic()
            written = rollup_refresh(full=full)
            elapsed = time.monotonic() - started
            self.stdout.write(f"roll-up: {written} daily row(s) written in {elapsed:.2f} s")
            if every <= 0:
                return
            full = False
            time.sleep(max(every - elapsed, 1))
