"""Numbers of the reports as Vietnamese write them: 1.234 dossiers, 66,67%; a dash for nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


def format_figure(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return numberformat.format(
            value,
            str(get_format("DECIMAL_SEPARATOR")),
            decimal_pos=0 if isinstance(value, int) else 2,
            grouping=3,
            thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
            force_grouping=True,
        )
    return str(value)


@register.simple_tag
def figure(row: Any, key: str) -> str:
    """``row[key]`` (a dict) or ``row.key``, formatted."""
    value = row.get(key) if isinstance(row, dict) else getattr(row, key, None)
    return format_figure(value)


@register.filter
def num(value: Any) -> str:
    return format_figure(value)


@register.filter
def percent(value: Any) -> str:
    """A rate with its sign ("76,63%"), or "—" alone when there is nothing to rate (was "—%")."""
    shown = format_figure(value)
    return shown if shown == "—" else f"{shown}%"
