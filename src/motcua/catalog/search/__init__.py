"""Procedure search: diacritic-insensitive, typo-tolerant, ranked, in everyday words.

An in-process index built from the catalogue (``engine``), the everyday wording it understands
(``lexicon``), and the per-process copy kept fresh against the database (``store``). ADR 0001
explains why ranking happens in Python rather than in the database.
"""

from __future__ import annotations

from typing import Any

from .engine import Document, Hit, SearchIndex
from .query import analyse
from .store import get_search_index, invalidate_search_index

__all__ = [
    "Document",
    "Hit",
    "SearchIndex",
    "explain_search",
    "get_search_index",
    "invalidate_search_index",
    "search_procedure_ids",
]


def search_procedure_ids(
    q: str, *, allowed_ids: set[int] | None = None, limit: int | None = None
) -> list[int]:
    """Ids of the active procedures matching ``q``, best first.

    ``allowed_ids`` restricts the result (other filters already applied by the caller); ``limit``
    cuts the list. An empty or meaningless query finds nothing."""
    if not q or not q.strip():
        return []
    return get_search_index().search_ids(q, allowed_ids=allowed_ids, limit=limit)


def explain_search(q: str, *, limit: int = 10) -> dict[str, Any]:
    """How ``q`` is understood and scored, for people tuning the lexicon (``manage.py shell``)."""
    slots = analyse(q)
    hits = get_search_index().search(q, limit=limit)
    return {
        "slots": [
            {
                "text": slot.text,
                "optional": slot.optional,
                "prefix": slot.prefix,
                "phrases": [" ".join(p.words) for p in slot.phrases],
            }
            for slot in slots
        ],
        "hits": [
            {
                "code": h.code,
                "name": h.name,
                "score": h.score,
                "coverage": round(h.coverage, 4),
                "adjacency": round(h.adjacency, 4),
                "keyword_adjacency": round(h.keyword_adjacency, 4),
                "name_coverage": round(h.name_coverage, 4),
                "popularity": round(h.popularity, 4),
            }
            for h in hits
        ],
    }
