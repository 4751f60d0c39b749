from django import template

from motcua.core import formatting

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    return formatting.money(amount)


@register.simple_tag
def duration(value: int, unit: str) -> str:
    return formatting.duration(value, unit)
