"""``manage.py export_catalogue FILE``: export the whole catalogue (docs/catalogue-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.exporting import export_catalogue
from motcua.catalog.importing.readers import ENCODINGS


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ danh mục ra tệp .json, .csv hoặc .xlsx (theo đuôi tệp). "
        "Export the whole catalogue to a .json, .csv or .xlsx file (by its suffix)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="output file: .json, .csv or .xlsx")
        parser.add_argument(
            "--format",
            choices=ENCODINGS,
            help="encoding when the suffix does not tell it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        encoding: str | None = options["format"]
        if encoding is None and path.suffix.lower().lstrip(".") not in ENCODINGS:
            raise CommandError(
                f"Tệp phải có đuôi .json, .csv hoặc .xlsx (hoặc dùng --format) / "
                f"use a .json, .csv or .xlsx file (or --format): {path}"
            )
        if not path.parent.is_dir():
            raise CommandError(f"Không có thư mục / no such directory: {path.parent}")
        counts = export_catalogue(path, encoding=encoding)
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Đã xuất / exported: {path.name}"))
        self.stdout.write(f"  {summary}")
