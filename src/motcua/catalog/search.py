"""Procedure search (placeholder: replaced by the ranked, typo-tolerant index)."""

from __future__ import annotations

from motcua.core.text import fold

from .models import Procedure


def search_procedure_ids(q: str, *, allowed_ids: set[int] | None = None) -> list[int]:
    terms = fold(q).split()
    rows = Procedure.objects.filter(is_active=True).values_list("pk", "search_text")
    hits = [pk for pk, text in rows if all(t in text for t in terms)]
    return [pk for pk in hits if allowed_ids is None or pk in allowed_ids]
