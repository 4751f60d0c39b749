"""``manage.py import_catalogue FILE [--dry-run]``: import a catalogue file (docs/catalogue-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.importing import (
    CatalogueImportError,
    ImportReport,
    import_catalogue,
    load_catalogue,
)

WORDS = (
    ("created", "mới", "created"),
    ("updated", "cập nhật", "updated"),
    ("unchanged", "không đổi", "unchanged"),
    ("deleted", "xóa", "deleted"),
)


class Command(BaseCommand):
    help = (
        "Nhập danh mục (cấp, cơ quan, lĩnh vực, thủ tục) từ tệp .json, .csv hoặc .xlsx. "
        "Import the catalogue from a .json, .csv or .xlsx file; a file with any bad row imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="catalogue file: .json, .csv or .xlsx")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra, không ghi / validate and report only, write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        dry_run: bool = options["dry_run"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp / file not found: {path}")
        try:
            report = import_catalogue(load_catalogue(path), dry_run=dry_run)
        except CatalogueImportError as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            count = len(exc.row_errors)
            raise CommandError(
                f"{count} lỗi, không nhập gì / {count} error(s), nothing imported: {path.name}"
            ) from None
        self._summary(path, report)

    def _summary(self, path: Path, report: ImportReport) -> None:
        if report.dry_run:
            self.stdout.write(f"Chạy thử, chưa ghi gì / dry run, nothing written: {path.name}")
        elif report.changed:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập / imported: {path.name}"))
        else:
            self.stdout.write(f"Không có gì thay đổi / nothing changed: {path.name}")
        for section, counts in report.counts.items():
            parts = [
                f"{getattr(counts, attr)} {vietnamese}/{english}"
                for attr, vietnamese, english in WORDS
                if attr != "deleted" or counts.deleted
            ]
            self.stdout.write(f"  {section}: {', '.join(parts)}")
