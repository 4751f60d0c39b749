from django import template

from motcua.core import formatting

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    return formatting.money(amount)


@register.filter
def vnd(value: int | None) -> str:
    """A sum of money, zero shown as "0 đ" (totals, what was paid)."""
    return formatting.amount(value)


@register.simple_tag
def duration(value: int, unit: str) -> str:
    return formatting.duration(value, unit)
