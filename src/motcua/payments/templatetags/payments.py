"""``{% load payments %}``: what a dossier still owes, for pages that offer paying it."""

from __future__ import annotations

from django import template

from motcua.core.exceptions import ApplicationError
from motcua.dossiers.models import Dossier

from ..selectors import amount_due

register = template.Library()


@register.filter
def fees_due(dossier: Dossier) -> int:
    """Đồng still to pay: the procedure's fees (per copy and page included) and the amounts
    requested, exemptions and payments taken off; 0 when they cannot be computed."""
    try:
        return amount_due(dossier=dossier)
    except ApplicationError:
        return 0
