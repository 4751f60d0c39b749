"""Reads behind the portal pages that combine the catalogue with dossiers and processes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency, Procedure
from motcua.dossiers.models import Dossier
from motcua.workflow.constants import AgencyRule, StepRole
from motcua.workflow.selectors import process_current, process_steps

POPULAR_DAYS = 90
POPULAR_CACHE_SECONDS = 600
# Past this many agencies ("every commune's desk") the page names the levels instead.
AGENCIES_LISTED = 12


def popular_procedures(*, limit: int = 8, days: int = POPULAR_DAYS) -> list[Procedure]:
    """The procedures with the most dossiers received over the last ``days`` days; the
    catalogue's curated order (``Procedure.popularity``) fills the places left, so a new
    deployment with no dossiers still shows a useful list. Counts are cached for ten minutes:
    the home page is the busiest page and the list need not be to the minute."""
    key = f"portal:popular:{limit}:{days}"
    ids: list[int] | None = cache.get(key)
    if ids is None:
        since = timezone.now() - dt.timedelta(days=days)
        rows = (
            Dossier.objects.filter(received_at__gte=since, procedure__is_active=True)
            .values("procedure_id")
            .annotate(n=Count("id"))
            .order_by("-n", "procedure_id")[:limit]
        )
        ids = [row["procedure_id"] for row in rows]
        cache.set(key, ids, POPULAR_CACHE_SECONDS)
    by_id = Procedure.objects.select_related("sector").filter(is_active=True).in_bulk(ids)
    popular = [by_id[pk] for pk in ids if pk in by_id]
    if len(popular) < limit:
        curated = catalog_selectors.popular_procedures(limit=limit + len(popular))
        popular += [p for p in curated if p.pk not in by_id][: limit - len(popular)]
    return popular


@dataclass(frozen=True)
class Step:
    name: str
    who: str


def _who(step_role: str, rule: str, agency: Agency | None) -> str:
    role = str(StepRole(step_role).label) if step_role in StepRole.values else ""
    if rule == AgencyRule.FIXED and agency is not None:
        where = agency.name
    elif rule == AgencyRule.SECTOR_DEPARTMENT:
        where = _("sở phụ trách lĩnh vực")
    elif rule == AgencyRule.RECEIVING:
        where = _("nơi tiếp nhận hồ sơ")
    else:
        where = _("cơ quan giải quyết")
    return _("%(role)s, %(where)s") % {"role": role, "where": where} if role else where


def procedure_steps(*, procedure: Procedure) -> list[Step]:
    """The steps a dossier of this procedure goes through, as a citizen reads them."""
    process = process_current(procedure=procedure)
    if process is None:
        return []
    steps = process_steps(process=process).select_related("agency")
    return [Step(name=s.name, who=_who(s.role, s.agency_rule, s.agency)) for s in steps]


@dataclass(frozen=True)
class WhereToApply:
    agencies: list[Agency]
    levels: list[str]
    total: int


def where_to_apply(*, procedure: Procedure) -> WhereToApply:
    """The agencies that receive the procedure, or, when they are many, their levels."""
    agencies = procedure.agencies.filter(is_active=True).order_by("path")
    total = agencies.count()
    if total > AGENCIES_LISTED:
        return WhereToApply(
            agencies=[], levels=[level.name for level in procedure.levels.all()], total=total
        )
    return WhereToApply(agencies=list(agencies), levels=[], total=total)
