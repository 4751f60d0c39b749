"""Rendering the admin-editable templates into messages.

Templates use Django's template language without loaders or custom tags, over plain strings
(``CONTEXT_NAMES``), so an edited template can only show these values. Messages are plain text
(no HTML escaping).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone

CONTEXT_NAMES = (
    "code",
    "procedure",
    "agency",
    "tracking_url",
    "appointment",
    "items",
    "amount",
    "new_due",
    "reason",
    "decision",
    "site_name",
)
"""What a template may use. ``items`` is a list (the documents to add); the rest are texts."""

SAMPLE_CONTEXT: dict[str, Any] = {
    "code": "H56.101.1-261123-0001",
    "procedure": "Đăng ký khai sinh",
    "agency": "UBND xã An Bình",
    "tracking_url": "http://127.0.0.1:8000/tra-cuu/H56.101.1-261123-0001/",
    "appointment": "16:00 ngày 26/11/2026",
    "items": ["Bản sao giấy chứng sinh"],
    "amount": "50.000 đồng",
    "new_due": "16:00 ngày 30/11/2026",
    "reason": "Cần xác minh thêm thông tin.",
    "decision": "approved",
    "site_name": "Cổng dịch vụ công",
}

_ENGINE = Engine(autoescape=False, loaders=[], builtins=["django.template.defaultfilters"])


class TemplateInvalid(ValueError):
    pass


def compile_text(text: str) -> Template:
    try:
        return _ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        raise TemplateInvalid(str(error)) from error


def render_text(text: str, context: dict[str, Any]) -> str:
    """Render one template text; surrounding blank space is trimmed."""
    return compile_text(text).render(Context(context, autoescape=False)).strip()


def local_time(value: dt.datetime | None) -> str:
    """``16:00 ngày 26/11/2026`` in the server's time zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def amount_text(amount: int | None) -> str:
    if not amount:
        return ""
    return f"{amount:,}".replace(",", ".") + " đồng"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    short_body: str
