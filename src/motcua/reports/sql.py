"""PostgreSQL-only SQL the ORM has no word for."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, Expression, FloatField


class Percentile(Aggregate):
    """``percentile_cont(q)`` of an interval expression, in seconds (PostgreSQL)."""

    function = "percentile_cont"
    template = (
        "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    )
    output_field = FloatField()

    def __init__(self, interval: Expression, fraction: float, **extra: Any) -> None:
        super().__init__(interval, fraction=float(fraction), **extra)
