"""Reads of the catalogue. Public data: no viewer restriction applies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from django.db.models import Prefetch, Q, QuerySet

from motcua.core.exceptions import ValidationFailed
from motcua.core.text import fold

from . import fees
from .models import Agency, AgencyFormerCode, Fee, Procedure, RequiredDocument, Sector


def agency_list(
    *,
    level: str | None = None,
    parent: str | None = None,
    q: str | None = None,
    active_only: bool = True,
) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("parent", "level")
    if active_only:
        qs = qs.filter(is_active=True)
    if level:
        qs = qs.filter(level_id=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if q:
        folded = fold(q)
        matching = [
            pk
            for pk, name, code in qs.values_list("pk", "name", "code")
            if folded in fold(name) or q.strip().upper() in code
        ]
        qs = qs.filter(pk__in=matching)
    return qs.order_by("path")


def agency_get(*, code: str, at: dt.date | None = None) -> Agency | None:
    """The agency with this code, or the one that held it as a former code (on ``at`` if given)."""
    agency = Agency.objects.select_related("parent", "level").filter(code=code).first()
    if agency is not None:
        return agency
    former = AgencyFormerCode.objects.select_related("agency__parent", "agency__level").filter(
        code=code
    )
    if at is not None:
        former = former.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=at), valid_to__gte=at)
    hit = former.order_by("-valid_to").first()
    if hit is None:
        return None
    agency = hit.agency
    # Follow mergers to the agency that carries the work today.
    seen = {agency.pk}
    while agency.merged_into_id is not None and agency.merged_into_id not in seen:
        seen.add(agency.merged_into_id)
        agency = Agency.objects.select_related("parent", "level").get(pk=agency.merged_into_id)
    return agency


def sector_list() -> QuerySet[Sector]:
    return Sector.objects.order_by("name")


def procedure_queryset() -> QuerySet[Procedure]:
    # Agencies are attached as plain codes by ``attach_agency_codes``: a commune procedure is
    # received at every commune's desk, and a page of twenty would build thousands of objects.
    return Procedure.objects.select_related("sector").prefetch_related(
        "levels",
        Prefetch("fees", queryset=Fee.objects.order_by("position")),
        Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("position")),
    )


def attach_agency_codes(procedures: Sequence[Procedure]) -> Sequence[Procedure]:
    """Set ``agency_codes`` (in tree order) on each procedure with one query for all of them."""
    codes: dict[int, list[str]] = {p.pk: [] for p in procedures}
    if codes:
        through = Procedure.agencies.through.objects.filter(procedure_id__in=list(codes))
        for procedure_id, code in through.order_by("agency__path").values_list(
            "procedure_id", "agency__code"
        ):
            codes[procedure_id].append(code)
    for procedure in procedures:
        procedure.agency_codes = codes[procedure.pk]  # type: ignore[attr-defined]
    return procedures


class RankedProcedures(Sequence[Procedure]):
    """Procedures in the order of a ranked id list, read from the database a slice at a time.

    A search may rank thousands of procedures while a page shows twenty: paginators take
    ``len()`` and one slice, so only that page is loaded (with its prefetches)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Procedure: ...

    @overload
    def __getitem__(self, index: slice) -> list[Procedure]: ...

    def __getitem__(self, index: int | slice) -> Procedure | list[Procedure]:
        if isinstance(index, slice):
            return self._load(self.ids[index])
        return self._load([self.ids[index]])[0]

    def __iter__(self) -> Iterator[Procedure]:
        for start in range(0, len(self.ids), 200):
            yield from self._load(self.ids[start : start + 200])

    @staticmethod
    def _load(ids: list[int]) -> list[Procedure]:
        by_id = procedure_queryset().in_bulk(ids)
        return list(attach_agency_codes([by_id[pk] for pk in ids if pk in by_id]))


def procedure_list(
    *,
    q: str | None = None,
    sector: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online: str | None = None,
) -> QuerySet[Procedure] | Sequence[Procedure]:
    """Active procedures matching the filters; ranked by relevance when ``q`` is given."""
    qs = Procedure.objects.filter(is_active=True)
    if sector:
        qs = qs.filter(sector__code=sector)
    if agency:
        qs = qs.filter(agencies__code=agency)
    if level:
        qs = qs.filter(levels__code=level)
    if online:
        qs = qs.filter(online=online)
    qs = qs.distinct()
    if q and q.strip():
        from .search import search_procedure_ids

        filtered = any((sector, agency, level, online))
        allowed = set(qs.values_list("pk", flat=True)) if filtered else None
        return RankedProcedures(search_procedure_ids(q, allowed_ids=allowed))
    return procedure_queryset().filter(pk__in=qs.values("pk")).order_by("sector__name", "name")


def procedure_list_ids(
    *,
    q: str | None = None,
    sector: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online: str | None = None,
) -> Sequence[int]:
    """Ids of ``procedure_list`` in the same order, for pages built by ``payloads``."""
    found = procedure_list(q=q, sector=sector, agency=agency, level=level, online=online)
    if isinstance(found, RankedProcedures):
        return found.ids
    return found.values_list("pk", flat=True)  # type: ignore[union-attr,return-value]


def procedure_get(*, code: str) -> Procedure | None:
    procedure = procedure_queryset().filter(code=code).first()
    if procedure is not None:
        attach_agency_codes([procedure])
    return procedure


def popular_procedures(*, limit: int = 8) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(is_active=True)
        .select_related("sector")
        .order_by("-popularity", "name")[:limit]
    )


def procedure_fee_rules(*, procedure_id: int) -> list[fees.FeeRule]:
    """The procedure's fee rows, in order, as the fee arithmetic takes them."""
    return [
        fees.FeeRule(fee_id=pk, name=name, amount=amount, unit=unit)
        for pk, name, amount, unit in Fee.objects.filter(procedure_id=procedure_id)
        .order_by("position")
        .values_list("pk", "name", "amount", "unit")
    ]


def procedure_fee_lines(
    *, procedure_id: int, form_data: Mapping[str, Any] | None
) -> list[fees.Line]:
    """What a dossier of the procedure with this form owes for the procedure's fees, line by
    line (``fees.procedure_lines``): the total the applicant is told at creation and what the
    payments ledger writes. A declared number of copies or pages that is not a whole number in
    range is refused."""
    try:
        return fees.procedure_lines(procedure_fee_rules(procedure_id=procedure_id), form_data)
    except fees.FeeError as error:
        raise ValidationFailed(
            f"fees cannot be computed: {error}",
            code="fees_not_computable",
            errors={"form_data": ["Số bản, số trang kê khai không hợp lệ."]},
        ) from None
