"""How citizens read numbers, money and durations (PRODUCT.md "Look and feel")."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def money(amount: int | None) -> str:
    """``50000 → "50.000 đ"``; zero is "Miễn phí"."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Miễn phí")
    return f"{amount:,}".replace(",", ".") + " đ"


def amount(value: int | None) -> str:
    """A sum of money, zero included: ``0 → "0 đ"``, ``110000 → "110.000 đ"`` (a total or what
    was paid; ``money`` says "Miễn phí" for a price of zero, which would misread a sum)."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", ".") + " đ"


def duration(value: int, unit: str) -> str:
    """Processing time in plain words: ``(3, "working_days") → "3 ngày làm việc"``."""
    if unit == "working_hours":
        return ngettext("%(n)d giờ làm việc", "%(n)d giờ làm việc", value) % {"n": value}
    return ngettext("%(n)d ngày làm việc", "%(n)d ngày làm việc", value) % {"n": value}
