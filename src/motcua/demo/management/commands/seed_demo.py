"""``manage.py seed_demo [--dossiers N] [--allow-production-demo]``: load the demo data.

What is loaded and from where: :mod:`motcua.demo.loader`. Running it again changes nothing
(same rows, same primary keys). It refuses to run with ``DEBUG`` off, because it creates
accounts with a published password, unless ``--allow-production-demo`` is given (for a public
demonstration server, never for a real deployment).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.catalog.importing import CatalogueImportError
from motcua.demo.dossiers import DEFAULT_COUNT, seed_sample_dossiers
from motcua.demo.exceptions import DemoDataError
from motcua.demo.loader import demo_seed


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (cơ quan, thủ tục, quy trình, lịch, tài khoản mẫu). "
        "Load the demo data; running it twice changes nothing. Refuses to run with DEBUG off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dossiers",
            type=int,
            default=DEFAULT_COUNT,
            metavar="N",
            help=(
                f"số hồ sơ mẫu / number of sample dossiers over the past 12 months (default "
                f"{DEFAULT_COUNT}; 0 for none). Made through the real services; skipped when the "
                "database already holds that many dossiers."
            ),
        )
        parser.add_argument(
            "--allow-production-demo",
            action="store_true",
            help=(
                "chạy cả khi DEBUG tắt / run even with DEBUG off (public demo server only: "
                "the demo accounts have a published password)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production_demo"]:
            raise CommandError(
                "seed_demo tạo tài khoản có mật khẩu công khai nên không chạy khi DEBUG tắt. "
                "seed_demo creates accounts with a published password and refuses to run with "
                "DEBUG off; use --allow-production-demo only on a public demonstration server."
            )
        dossiers = options["dossiers"]
        if dossiers is not None and dossiers < 0:
            raise CommandError("--dossiers phải ≥ 0 / must be 0 or more.")
        try:
            report = demo_seed()
        except CatalogueImportError as exc:
            for error in exc.row_errors:
                self.stderr.write(str(error))
            raise CommandError(
                "Dữ liệu mẫu không hợp lệ, không ghi gì / invalid demo data, nothing written."
            ) from None
        except DemoDataError as exc:
            raise CommandError(
                f"Dữ liệu mẫu không hợp lệ, không ghi gì / invalid demo data, nothing written: "
                f"{exc.message}"
            ) from None
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu / demo data loaded."))
        else:
            self.stdout.write("Dữ liệu mẫu đã đầy đủ, không đổi gì / demo data already up to date.")
        for section, counts in report.counts.items():
            if not any(counts.values()):
                continue  # a section the demo does not write (agency levels come from migrations)
            parts = ", ".join(f"{amount} {outcome}" for outcome, amount in counts.items())
            self.stdout.write(f"  {section}: {parts}")
        self.stdout.write(f"  {report.seconds:.1f} s")
        if dossiers:
            self.stdout.write(f"Hồ sơ mẫu / sample dossiers: {dossiers} …")
            sample = seed_sample_dossiers(
                dossiers,
                progress=lambda done, total: self.stdout.write(f"  {done}/{total}"),
            )
            if sample.skipped_existing:
                self.stdout.write(
                    f"  đã có {sample.skipped_existing} hồ sơ / already there, none created"
                )
            else:
                parts = ", ".join(
                    f"{status}: {n}" for status, n in sorted(sample.by_status.items())
                )
                self.stdout.write(f"  {sample.created} created ({parts})")
