"""``manage.py verify_history [--dossier CODE]``: check the hash chain of dossier histories.

Streams every event once, ordered by dossier and seq, through ``history.ChainVerifier``: constant
memory and no query per dossier (one more query per thousand broken dossiers, for their codes).
Prints each dossier whose chain is broken (code, seq, reason), then a summary. Exit status: 0 when
every chain is intact, 1 when one is broken, 2 for an unknown ``--dossier``.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.history import CHAIN_FIELDS, ChainVerifier, Problem
from motcua.dossiers.models import Dossier, DossierEvent

CODE_BATCH = 1000


class Command(BaseCommand):
    help = (
        "Kiểm tra chuỗi băm lịch sử hồ sơ. "
        "Verify the hash chain of every dossier's history (or of one dossier) and report breaks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", metavar="CODE", help="check only this dossier")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=5000,
            help="events fetched per round trip (default 5000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str | None = options["dossier"]
        chunk_size: int = options["chunk_size"]
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1", returncode=2)

        events = DossierEvent.objects.order_by("dossier_id", "seq")
        if code is not None:
            dossier_id = Dossier.objects.filter(code=code).values_list("pk", flat=True).first()
            if dossier_id is None:
                raise CommandError(f"Không có hồ sơ / no dossier with code {code}", returncode=2)
            events = events.filter(dossier_id=dossier_id)

        verifier = ChainVerifier()
        problems: list[Problem] = []
        for event in events.values_list(*CHAIN_FIELDS, named=True).iterator(chunk_size):
            problem = verifier.feed(event)
            if problem is not None:
                problems.append(problem)

        codes = self._codes([problem.dossier_id for problem in problems])
        for problem in problems:
            label = codes.get(problem.dossier_id) or str(problem.dossier_id)
            self.stdout.write(f"{label}: seq {problem.seq}: {problem.reason} ({problem.detail})")

        summary = (
            f"Checked {verifier.events} events of {verifier.dossiers} dossiers: "
            f"{len(problems)} broken."
        )
        if problems:
            self.stdout.write(self.style.ERROR(summary))
            raise CommandError(f"{len(problems)} dossier(s) with a broken history", returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))

    @staticmethod
    def _codes(dossier_ids: list[Any]) -> dict[Any, str | None]:
        """Codes of the broken dossiers, a thousand per query."""
        codes: dict[Any, str | None] = {}
        remaining = iter(dossier_ids)
        while batch := list(islice(remaining, CODE_BATCH)):
            codes.update(Dossier.objects.filter(pk__in=batch).values_list("pk", "code"))
        return codes
