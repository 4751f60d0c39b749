"""The process's search index, built from the database and rebuilt when the catalogue changes.

Every search first reads a fingerprint of the procedure table in one query: count, highest id,
latest ``updated_at``. Any saved edit, addition or removal changes it, in this process or another
one, so a search never uses an index older than the catalogue it answers for. A renamed sector
saves no procedure: ``procedure_refresh_search_text`` (which the importer calls for the procedures
concerned) bumps their ``updated_at``. Other writes that bypass ``save()`` should call
``invalidate_search_index()``, which reaches this process only.

The fingerprint's cost: the count and the highest id come from indexes; the latest
``updated_at`` scans the table unless that column is indexed (a few milliseconds on SQLite at
6,000 procedures, whose rows carry long texts; microseconds with the index; see bench/).

The index is immutable and swapped whole, so searching threads never see half an index; one
lock makes concurrent requests after a change wait for a single rebuild instead of each doing one.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from ..models import Procedure
from .engine import Document, SearchIndex

logger = logging.getLogger(__name__)

Fingerprint = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _Built:
    fingerprint: Fingerprint
    generation: int
    index: SearchIndex


_build_lock = threading.Lock()
_generations = itertools.count(1)
_generation = 0
_built: _Built | None = None


def _bump_generation() -> None:
    global _generation
    _generation = next(_generations)  # next() on a count is atomic under the GIL


def invalidate_search_index() -> None:
    """Make the next search in this process rebuild its index.

    Call it after a catalogue write that ``save()`` does not record in ``updated_at``. It acts now
    (for reads later in the same transaction) and again on commit (a rebuild by another thread
    before the commit would still see the old rows)."""
    _bump_generation()
    transaction.on_commit(_bump_generation)


def _fingerprint_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Procedure._meta.db_table)
    pk = quote(Procedure._meta.pk.column)
    updated = quote(Procedure._meta.get_field("updated_at").column)
    # Three scalar subqueries rather than one SELECT with three aggregates: each can then be
    # answered from an index (an index on updated_at makes the whole check O(log n)).
    return (
        f"SELECT (SELECT COUNT(*) FROM {table}), (SELECT MAX({pk}) FROM {table}), "  # noqa: S608 (identifiers from the model, no input)
        f"(SELECT MAX({updated}) FROM {table})"
    )


def catalogue_fingerprint() -> Fingerprint:
    """Changes whenever a procedure is added, removed or saved (``save()`` sets updated_at)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def load_documents() -> list[Document]:
    rows = (
        Procedure.objects.filter(is_active=True)
        .order_by("code")
        .values_list("pk", "code", "name", "keywords", "sector__name", "popularity")
    )
    return [
        Document(
            id=pk,
            code=code,
            name=name,
            keywords=keywords,
            sector=sector or "",
            popularity=popularity,
        )
        for pk, code, name, keywords, sector, popularity in rows
    ]


def get_search_index() -> SearchIndex:
    """The index for the catalogue as it is now in the database."""
    global _built
    generation = _generation
    fingerprint = catalogue_fingerprint()
    built = _built
    if built is not None and built.fingerprint == fingerprint and built.generation == generation:
        return built.index
    with _build_lock:
        # Another thread may have rebuilt it while this one waited; read the state afresh.
        generation = _generation
        fingerprint = catalogue_fingerprint()
        built = _built
        if (
            built is not None
            and built.fingerprint == fingerprint
            and built.generation == generation
        ):
            return built.index
        # The fingerprint is read before the rows: should the catalogue change in between, the
        # index is newer than its fingerprint says and the next search merely rebuilds again.
        started = time.perf_counter()
        index = SearchIndex(load_documents())
        _built = _Built(fingerprint, generation, index)
        logger.info(
            "Search index built: %d procedures, %d words in %.0f ms",
            len(index),
            index.vocabulary_size,
            (time.perf_counter() - started) * 1000,
        )
        return index
