"""``manage.py purge_orphan_documents [--older-than-hours H]``: remove stored files no document
row refers to (left when a transaction rolled back after the upload was stored). Run it daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.documents import document_purge_orphans


class Command(BaseCommand):
    help = "Xóa tệp không thuộc hồ sơ nào / delete stored files that no document refers to."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours", type=int, default=24, help="grace period (default 24)"
        )

    def handle(self, *args: Any, older_than_hours: int, **options: Any) -> None:
        removed = document_purge_orphans(older_than=dt.timedelta(hours=max(older_than_hours, 1)))
        for name in removed:
            self.stdout.write(f"removed {name}")
        self.stdout.write(f"{len(removed)} orphan file(s) removed")
