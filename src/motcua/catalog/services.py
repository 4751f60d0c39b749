"""Writes to the catalogue."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.core.exceptions import ValidationFailed
from motcua.core.text import fold

from .models import Agency, Procedure
from .search import invalidate_search_index


def _path_for(agency: Agency) -> tuple[str, int]:
    if agency.parent_id is None:
        return f"/{agency.pk}/", 0
    parent = Agency.objects.only("path", "depth").get(pk=agency.parent_id)
    if f"/{agency.pk}/" in parent.path:
        raise ValidationFailed(
            "An agency cannot be placed under itself or its own descendant.",
            code="agency_cycle",
            errors={
                "parent": ["Cơ quan cấp trên không được là chính nó hoặc đơn vị trực thuộc của nó."]
            },
        )
    return f"{parent.path}{agency.pk}/", parent.depth + 1


@transaction.atomic
def agency_save(*, agency: Agency) -> Agency:
    """Save an agency and keep the materialised paths of it and its descendants right."""
    agency.full_clean(exclude=["path", "depth"])
    old_path = ""
    if agency.pk is not None:
        old_path = Agency.objects.filter(pk=agency.pk).values_list("path", flat=True).first() or ""
    else:
        agency.save()
    agency.path, agency.depth = _path_for(agency)
    agency.save()
    if old_path and old_path != agency.path:
        for child in (
            Agency.objects.filter(path__startswith=old_path).exclude(pk=agency.pk).order_by("depth")
        ):
            child.path, child.depth = _path_for(child)
            child.save(update_fields=["path", "depth"])
    return agency


def procedure_search_text(procedure: Procedure) -> str:
    """Folded text the search index reads: name, keywords, sector, result."""
    parts = [
        procedure.name,
        procedure.keywords,
        procedure.sector.name if procedure.sector_id else "",
    ]
    return fold(" ".join(p for p in parts if p))


def procedure_refresh_search_text(*, procedure: Procedure) -> Procedure:
    text = procedure_search_text(procedure)
    if text != procedure.search_text:
        # What search matches changed, perhaps without the procedure being saved (a renamed
        # sector): updated_at tells the search index of every process, invalidation this one.
        now = timezone.now()
        Procedure.objects.filter(pk=procedure.pk).update(search_text=text, updated_at=now)
        procedure.search_text, procedure.updated_at = text, now
        invalidate_search_index()
    return procedure
