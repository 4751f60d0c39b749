"""Reads compiled once, then run with new values: for the few hottest queries.

Building SQL through the ORM costs far more than running a one-row query by primary or unique
key (Django resolves every selected column and join on each call). A ``CompiledQuery`` builds its
queryset once per database with placeholder values, keeps the SQL, and then only swaps the
values in and applies the ORM's converters to the row, so the result is exactly what the
queryset would have returned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet


class CompiledQuery:
    """``build(**placeholders)`` returns a ``.values(*columns)`` queryset whose parameters
    named in ``params`` are plain strings compared with ``=``; ``one(**values)`` runs it."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        *,
        columns: tuple[str, ...],
        params: tuple[str, ...],
    ) -> None:
        self._build = build
        self.columns = columns
        self._params = params
        self._compiled: dict[str, tuple[str, tuple[Any, ...], dict[str, int], Any, Any]] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> tuple[str, tuple[Any, ...], dict[str, int], Any, Any]:
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        marks = {name: f"\x00motcua:{name}\x00" for name in self._params}
        queryset = self._build(**marks).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, mark in marks.items():
            if list(params).count(mark) != 1:
                raise ValueError(f"parameter {name!r} must appear once as a plain value")
            positions[name] = list(params).index(mark)
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        compiled = (sql, tuple(params), positions, compiler, converters)
        with self._lock:
            self._compiled[alias] = compiled
        return compiled

    def first_row(self, alias: str = "default", **values: str) -> tuple[Any, ...] | None:
        """The first row as a tuple in the order of ``columns``, or None."""
        sql, template, positions, compiler, converters = self._compile(alias)
        params = list(template)
        for name, position in positions.items():
            params[position] = values[name]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = next(iter(compiler.apply_converters([row], converters)))
        return tuple(row)

    def one(self, alias: str = "default", **values: str) -> dict[str, Any] | None:
        """The first row as a dict of ``columns``, or None."""
        row = self.first_row(alias, **values)
        return None if row is None else dict(zip(self.columns, row, strict=True))
