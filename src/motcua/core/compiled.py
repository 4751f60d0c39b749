"""Reads compiled once, then run with new values: for the few hottest queries.

Building SQL through the ORM costs far more than running a one-row query by primary or unique
key (Django resolves every selected column and join on each call). A ``CompiledQuery`` builds its
queryset once per database with placeholder values, keeps the SQL, and then only swaps the
values in and applies the ORM's converters to the row, so the result is exactly what the
queryset would have returned: a row of values (``first_row``, ``one``) or, for a queryset of
model instances, the instance with its ``select_related`` objects (``instance``).

``insert`` and ``update`` do the same for ``save(force_insert=True)`` and ``save(update_fields=...)``
of a plain model: the statement is built once per model and database (and fields), and each call
only computes the values.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connections
from django.db.models import NOT_PROVIDED, Field, Model, QuerySet
from django.db.models.constants import OnConflict
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql import InsertQuery

# Placeholders for integer parameters: distinct values inside a 32-bit column's range (Django
# turns an out-of-range comparison into an always-false condition without a parameter).
_INT_MARK_BASE = -2_147_480_000


@dataclass(frozen=True)
class _Compiled:
    sql: str
    template: tuple[Any, ...]
    positions: dict[str, tuple[int, bool]]  # name → (position, given as a hex string)
    compiler: Any
    converters: Any
    model: type[Model] | None
    init_list: tuple[str, ...]
    model_slice: slice
    populators: list[Any]
    annotations: tuple[tuple[str, int], ...]  # (name, position) of the queryset's annotations


class CompiledQuery:
    """``build(**placeholders)`` returns a queryset whose parameters named in ``params``
    (strings), ``int_params`` (integers) and ``uuid_params`` (UUIDs) each appear once, compared
    with ``=``; ``one``, ``first_row`` or ``instance`` runs it with values for them."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, Any]],
        *,
        columns: tuple[str, ...] = (),
        params: tuple[str, ...] = (),
        int_params: tuple[str, ...] = (),
        uuid_params: tuple[str, ...] = (),
    ) -> None:
        self._build = build
        self.columns = columns
        self._params = params
        self._int_params = int_params
        self._uuid_params = uuid_params
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is not None:
            return compiled
        marks: dict[str, Any] = {name: f"\x00motcua:{name}\x00" for name in self._params}
        for index, name in enumerate(self._int_params):
            marks[name] = _INT_MARK_BASE - index
        for index, name in enumerate(self._uuid_params):
            marks[name] = uuid.UUID(int=(0x6D6F74637561 << 64) + index)
        queryset = self._build(**marks).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = {}
        for name, mark in marks.items():
            # A database without a UUID type (SQLite) is given UUIDs as 32 hex digits.
            for form, hexed in ((mark, False), (getattr(mark, "hex", None), True)):
                if form is not None and list(params).count(form) == 1:
                    positions[name] = (list(params).index(form), hexed)
                    break
            else:
                raise ValueError(f"parameter {name!r} must appear once as a plain value")
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        klass_info = compiler.klass_info
        model, init_list, model_slice, populators = None, (), slice(0), []
        annotations: tuple[tuple[str, int], ...] = ()
        if klass_info is not None and queryset._iterable_class.__name__ == "ModelIterable":
            model = klass_info["model"]
            fields = klass_info["select_fields"]
            model_slice = slice(fields[0], fields[-1] + 1)
            init_list = tuple(c[0].target.attname for c in compiler.select[model_slice])
            populators = get_related_populators(klass_info, compiler.select, alias)
            annotations = tuple(compiler.annotation_col_map.items())
        compiled = _Compiled(
            sql, tuple(params), positions, compiler, converters, model, init_list, model_slice,
            populators, annotations,
        )  # fmt: skip
        with self._lock:
            self._compiled[alias] = compiled
        return compiled

    def _execute(self, alias: str, values: dict[str, Any], *, many: bool) -> tuple[_Compiled, Any]:
        compiled = self._compile(alias)
        params = list(compiled.template)
        for name, (position, hexed) in compiled.positions.items():
            value = values[name]
            if name in self._uuid_params:
                value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
                value = value.hex if hexed else value
            params[position] = value
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall() if many else [cursor.fetchone()]
        if rows == [None]:
            return compiled, []
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return compiled, rows

    def _fetch(self, alias: str, values: dict[str, Any]) -> tuple[_Compiled, Any]:
        compiled, rows = self._execute(alias, values, many=False)
        return compiled, (rows[0] if rows else None)

    def _instance(self, compiled: _Compiled, alias: str, row: Any) -> Any:
        if compiled.model is None:
            raise TypeError("instances need a queryset of model instances")
        row = list(row)
        obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations:
            setattr(obj, name, row[position])
        return obj

    def first_row(self, alias: str = "default", **values: Any) -> tuple[Any, ...] | None:
        """The first row as a tuple in the order of ``columns``, or None."""
        _, row = self._fetch(alias, values)
        return None if row is None else tuple(row)

    def one(self, alias: str = "default", **values: Any) -> dict[str, Any] | None:
        """The first row as a dict of ``columns``, or None."""
        row = self.first_row(alias, **values)
        return None if row is None else dict(zip(self.columns, row, strict=True))

    def instance(self, alias: str = "default", **values: Any) -> Any:
        """The first row as a model instance, its ``select_related`` objects attached, or None
        (what ``list(queryset[:1])`` would give)."""
        compiled, row = self._fetch(alias, values)
        return None if row is None else self._instance(compiled, alias, row)

    def rows(self, alias: str = "default", **values: Any) -> list[tuple[Any, ...]]:
        """Every row as a tuple in the order of ``columns``."""
        _, rows = self._execute(alias, values, many=True)
        return [tuple(row) for row in rows]

    def instances(self, alias: str = "default", **values: Any) -> list[Any]:
        """Every row as a model instance (what ``list(queryset)`` would give)."""
        compiled, rows = self._execute(alias, values, many=True)
        return [self._instance(compiled, alias, row) for row in rows]


@dataclass(frozen=True)
class _InsertPlan:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returning: Field[Any, Any] | None  # the auto primary key, read back when the DB assigns it


_insert_plans: dict[tuple[type[Model], str, bool, bool], _InsertPlan] = {}


def _plan_insert(obj: Model, alias: str, pk_set: bool, ignore_conflicts: bool) -> _InsertPlan:
    meta = obj._meta
    if meta.parents or meta.order_with_respect_to:
        raise TypeError(f"{meta.label}: parent models and ordering need save()")
    fields = [
        field
        for field in meta.local_concrete_fields
        if not field.generated and (pk_set or field is not meta.auto_field)
    ]
    # An ignored row has no key to read back: the instance then keeps none.
    returning = meta.auto_field if not (pk_set or ignore_conflicts) else None
    if any(getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED for field in fields):
        raise TypeError(f"{meta.label}: fields with a database default need save()")
    query = InsertQuery(type(obj), on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=alias)
    connection = connections[alias]
    if returning is not None and connection.features.can_return_columns_from_insert:
        compiler.returning_fields = [returning]
    ((sql, _),) = compiler.as_sql()
    plan = _InsertPlan(sql, tuple(fields), returning)
    _insert_plans[(type(obj), alias, pk_set, ignore_conflicts)] = plan
    return plan


def insert(obj: Model, *, using: str = "default", ignore_conflicts: bool = False) -> None:
    """``obj.save(force_insert=True)`` for a plain model (no parent model; no signal receivers
    are run), with the INSERT statement built once per model and database: each call computes
    the values only (``pre_save``, such as ``auto_now_add``, included).

    ``ignore_conflicts``: a row that would break a unique constraint is silently not inserted
    (what ``bulk_create([obj], ignore_conflicts=True)`` does); a database-assigned key is then
    not read back."""
    obj._prepare_related_fields_for_save(operation_name="insert")  # type: ignore[attr-defined]
    pk_set = obj._meta.pk is not None and obj.pk is not None
    key = (type(obj), using, pk_set, ignore_conflicts)
    plan = _insert_plans.get(key) or _plan_insert(obj, using, pk_set, ignore_conflicts)
    connection = connections[using]
    params = []
    for field in plan.fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{field.name}: expressions need save()")
        params.append(field.get_db_prep_save(value, connection=connection))
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        if plan.returning is not None:
            if connection.features.can_return_columns_from_insert:
                row = cursor.fetchone()
                assert row is not None
                value = row[0]
            else:
                value = connection.ops.last_insert_id(
                    cursor, obj._meta.db_table, plan.returning.column
                )
            setattr(obj, plan.returning.attname, value)
    obj._state.adding = False
    obj._state.db = using


_update_plans: dict[
    tuple[type[Model], str, tuple[str, ...]], tuple[str, tuple[Field[Any, Any], ...]]
] = {}


def update(obj: Model, update_fields: tuple[str, ...], *, using: str = "default") -> None:
    """``obj.save(update_fields=...)`` for plain fields of a stored model (no signal receivers are
    run), with the UPDATE statement built once: ``DatabaseError`` when no row was updated."""
    key = (type(obj), using, update_fields)
    plan = _update_plans.get(key)
    if plan is None:
        meta = obj._meta
        fields = []
        for name in update_fields:
            field = meta.get_field(name)
            if not isinstance(field, Field) or not field.concrete or field.primary_key:
                raise TypeError(f"{name}: only concrete, non-key fields can be updated")
            fields.append(field)
        quote = connections[using].ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        assert meta.pk is not None
        # Only quoted names from the model's metadata go into the text; values are parameters.
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
        plan = _update_plans[key] = (sql, tuple(fields))
    sql, planned = plan
    connection = connections[using]
    params = []
    for field in planned:
        value = field.pre_save(obj, add=False)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{field.name}: expressions need save()")
        params.append(field.get_db_prep_save(value, connection=connection))
    assert obj._meta.pk is not None
    params.append(obj._meta.pk.get_db_prep_value(obj.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
