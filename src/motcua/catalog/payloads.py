"""Procedure representations built straight from a few narrow queries, for the busy read paths.

Search results are the most requested page of the public API; building twenty Procedure objects
with their documents, fees, levels and hundreds of agency rows (a commune procedure is received
at every commune's desk) and running them through a ModelSerializer cost more than the search
itself. These functions produce exactly ``ProcedureSerializer``'s shape (tests compare them) from
``values()`` queries: one for the procedures and one per related list, whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest

from .models import Fee, Procedure, RequiredDocument

_PROCEDURE_FIELDS = (
    "pk",
    "code",
    "name",
    "sector__code",
    "sector__name",
    "online",
    "legacy_online_level",
    "processing_time_value",
    "processing_time_unit",
    "restart_on_supplement",
    "steps_text",
    "conditions",
    "result",
    "legal_basis",
    "applicant_types",
)


def procedure_payloads(
    ids: Sequence[int], *, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """The API representation of the procedures ``ids``, in that order (unknown ids skipped)."""
    if not ids:
        return []
    rows = {
        row["pk"]: row
        for row in Procedure.objects.filter(pk__in=ids).order_by().values(*_PROCEDURE_FIELDS)
    }
    wanted = [pk for pk in ids if pk in rows]
    levels: dict[int, list[str]] = {pk: [] for pk in wanted}
    for pk, level in Procedure.levels.through.objects.filter(procedure_id__in=wanted).values_list(
        "procedure_id", "agencylevel_id"
    ):
        levels[pk].append(level)
    agencies: dict[int, list[str]] = {pk: [] for pk in wanted}
    for pk, code in (
        Procedure.agencies.through.objects.filter(procedure_id__in=wanted)
        .order_by("agency__path")
        .values_list("procedure_id", "agency__code")
    ):
        agencies[pk].append(code)
    fees: dict[int, list[dict[str, Any]]] = {pk: [] for pk in wanted}
    for fee in (
        Fee.objects.filter(procedure_id__in=wanted)
        .order_by("procedure_id", "position")
        .values("procedure_id", "name", "amount", "unit")
    ):
        fees[fee["procedure_id"]].append(
            {"name": fee["name"], "amount": fee["amount"], "currency": "VND", "unit": fee["unit"]}
        )
    documents: dict[int, list[dict[str, Any]]] = {pk: [] for pk in wanted}
    for doc in (
        RequiredDocument.objects.filter(procedure_id__in=wanted)
        .order_by("procedure_id", "position")
        .values(
            "procedure_id",
            "pk",
            "name",
            "originals",
            "copies",
            "required",
            "form_name",
            "form_template",
        )
    ):
        documents[doc["procedure_id"]].append(
            {
                "id": str(doc["pk"]),
                "name": doc["name"],
                "originals": doc["originals"],
                "copies": doc["copies"],
                "required": doc["required"],
                "form_name": doc["form_name"],
                "form_template_url": _file_url(doc["form_template"], request),
            }
        )
    out = []
    for pk in wanted:
        row = rows[pk]
        out.append(
            {
                "code": row["code"],
                "name": row["name"],
                "sector": {"code": row["sector__code"], "name": row["sector__name"]},
                "levels": sorted(levels[pk]),
                "agencies": agencies[pk],
                "online": row["online"],
                "legacy_online_level": row["legacy_online_level"],
                "processing_time": {
                    "value": row["processing_time_value"],
                    "unit": row["processing_time_unit"],
                },
                "restart_on_supplement": row["restart_on_supplement"],
                "fees": fees[pk],
                "required_documents": documents[pk],
                "steps_text": row["steps_text"],
                "conditions": row["conditions"],
                "result": row["result"],
                "legal_basis": row["legal_basis"],
                "applicant_types": row["applicant_types"],
            }
        )
    return out


def _file_url(name: str, request: HttpRequest | None) -> str | None:
    if not name:
        return None
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None else url
