"""Compile the .po catalogues to .mo without GNU gettext, so `make demo` needs only Python.

Django's own `compilemessages` calls the `msgfmt` program, which a fresh machine may lack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po of motcua into .mo files (only when stale)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Recompile even up-to-date files.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        compiled = 0
        for locale_dir in self._locale_dirs():
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if (
                    not force
                    and mo_path.exists()
                    and mo_path.stat().st_mtime >= po_path.stat().st_mtime
                ):
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parts[-3])
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                compiled += 1
        self.stdout.write(f"compiled {compiled} translation catalogue(s)")

    @staticmethod
    def _locale_dirs() -> list[Path]:
        """The project's LOCALE_PATHS and the locale/ folder of each motcua app that has one."""
        dirs = [Path(locale_dir) for locale_dir in settings.LOCALE_PATHS]
        for config in apps.get_app_configs():
            if config.name.startswith("motcua.") and (Path(config.path) / "locale").is_dir():
                dirs.append(Path(config.path) / "locale")
        return dirs
