"""Form rendering helpers of the apply wizard: inputs that point at their hint and errors."""

from __future__ import annotations

from django import template
from django.forms import BoundField, RadioSelect
from django.utils.safestring import SafeString

register = template.Library()


def _anchor(field: BoundField) -> str:
    # A group of radio buttons has no element of its own id: link to its first button.
    if isinstance(field.field.widget, RadioSelect):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.filter
def anchor(field: BoundField) -> str:
    """The id an error summary links to for ``field``."""
    return _anchor(field)


@register.filter
def described(field: BoundField) -> SafeString:
    """The field's widget, described by its hint and its error (WCAG 3.3.1), and marked invalid
    when it has an error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
