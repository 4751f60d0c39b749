"""Reads of the desk: the procedures an agency receives, searched as the portal searches them."""

from __future__ import annotations

from django.db.models import QuerySet

from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.selectors import procedure_list_ids

SUGGESTIONS = 20


def _received_at(*, agency_id: int, online_only: bool) -> QuerySet[Procedure]:
    qs = Procedure.objects.filter(is_active=True, agencies=agency_id)
    if online_only:
        qs = qs.exclude(online=OnlineLevel.NONE)
    return qs


def desk_procedures(
    *, agency_id: int, agency_code: str, q: str = "", online_only: bool = False
) -> list[Procedure]:
    """Up to ``SUGGESTIONS`` procedures the agency receives (filed online only, for a volunteer
    who files online), best match first for ``q`` (without diacritics, typos tolerated, as the
    portal's search), else the most asked for."""
    base = _received_at(agency_id=agency_id, online_only=online_only).select_related("sector")
    if not q.strip():
        return list(base.order_by("-popularity", "name")[:SUGGESTIONS])
    ranked = list(procedure_list_ids(q=q, agency=agency_code))
    by_id = base.in_bulk(ranked[: SUGGESTIONS * 5])
    return [by_id[pk] for pk in ranked if pk in by_id][:SUGGESTIONS]


def desk_procedure(*, agency_id: int, code: str, online_only: bool = False) -> Procedure | None:
    """One procedure the agency receives, by its code, or None."""
    return (
        _received_at(agency_id=agency_id, online_only=online_only)
        .select_related("sector")
        .filter(code=code)
        .first()
    )


def procedure_documents(*, procedure: Procedure) -> list[RequiredDocument]:
    return list(procedure.required_documents.order_by("position", "pk"))
