"""Reading a report's request (period, agency, subtree, grouping) the same way for the API, the
back-office pages and the exports: clear errors for bad input, 403 outside the viewer's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.core.exceptions import PermissionDenied, ValidationFailed

from .selectors import GROUPINGS, Period, Scope

MAX_DAYS = 366 * 5  # five years in one request at most
TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off"}


@dataclass(frozen=True)
class ReportQuery:
    period: Period
    agency: Agency | None
    include_descendants: bool
    group_by: str | None


def _date(raw: str, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = [_("Ngày không hợp lệ (dạng YYYY-MM-DD).")]
        return None


def parse_report_query(
    params: Mapping[str, Any],
    *,
    scope: Scope,
    today: dt.date,
    default_group_by: str | None = None,
) -> ReportQuery:
    """The report asked for by ``params`` (``from``, ``to``, ``agency``, ``include_descendants``,
    ``group_by``). Defaults: the year to date, the viewer's whole scope, with descendants."""
    errors: dict[str, list[str]] = {}
    raw_from = str(params.get("from") or "").strip()
    raw_to = str(params.get("to") or "").strip()
    first = _date(raw_from, "from", errors) if raw_from else today.replace(month=1, day=1)
    last = _date(raw_to, "to", errors) if raw_to else today
    if first is not None and last is not None:
        if first > last:
            errors["to"] = [_("Ngày kết thúc phải từ ngày bắt đầu trở đi.")]
        elif (last - first).days > MAX_DAYS:
            errors["to"] = [_("Mỗi báo cáo tối đa 5 năm.")]
    raw_desc = str(params.get("include_descendants") or "true").strip().lower()
    if raw_desc not in TRUE | FALSE:
        errors["include_descendants"] = [_("Chỉ nhận true hoặc false.")]
    group_by = str(params.get("group_by") or "").strip() or default_group_by
    if group_by is not None and group_by not in GROUPINGS:
        errors["group_by"] = [_("Chỉ nhận agency, sector, procedure hoặc month.")]
    agency = None
    code = str(params.get("agency") or "").strip()
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            errors["agency"] = [_("Không có cơ quan mã %(code)s.") % {"code": code}]
    if errors:
        raise ValidationFailed("invalid report parameters", errors=errors)
    assert first is not None
    assert last is not None
    if agency is not None and not scope.allows(agency):
        raise PermissionDenied("agency outside the caller's reporting scope", code="out_of_scope")
    return ReportQuery(Period(first, last), agency, raw_desc in TRUE, group_by)
