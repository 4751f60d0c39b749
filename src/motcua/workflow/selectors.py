"""Reads of processes, and where a step of a process takes a dossier."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Sum

from motcua.catalog.models import Agency, Fee, Procedure
from motcua.core.compiled import CompiledQuery
from motcua.core.exceptions import ApplicationError
from motcua.worktime.selectors import revision_token

from .constants import AgencyRule
from .models import Process, ProcessStep, SectorDepartment


class StepAgencyUnresolved(ApplicationError):
    code = "step_agency_unresolved"
    status = 422
    title = "The process step has no agency for this dossier"


def process_current(*, procedure: Procedure) -> Process | None:
    """The newest active process version of a procedure (what a new dossier starts with)."""
    return Process.objects.filter(procedure=procedure, is_active=True).order_by("-version").first()


@dataclass(frozen=True)
class IntakeFacts:
    """What receiving a new dossier needs to know of its procedure at an agency."""

    handled_here: bool  # the agency receives this procedure
    process_id: int | None  # the current process version (``process_current``)
    fixed_fees: int  # the sum of the procedure's fixed fees, in đồng
    # The procedure has a fee counted per copy or per page (not free): its total depends on the
    # form, and only then are the fee rows read (``catalog.selectors.procedure_fee_lines``).
    per_unit_fees: bool
    # The working calendars' revision, read by the same query (``calendar_for_agency(token=)``).
    calendar_token: uuid.UUID | None = None


def _facts_of(procedure: OuterRef) -> dict[str, Any]:
    """The annotations that make ``IntakeFacts`` but ``handled_here``, for the procedure that
    ``procedure`` refers to."""
    process = (
        Process.objects.filter(procedure_id=procedure, is_active=True)
        .order_by("-version")
        .values("pk")[:1]
    )
    fees = (
        Fee.objects.filter(procedure_id=procedure, unit="fixed")
        .order_by()
        .values("procedure_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    per_unit = Fee.objects.filter(procedure_id=procedure, amount__gt=0).exclude(unit="fixed")
    return {
        "intake_process_id": Subquery(process),
        "intake_fixed_fees": Subquery(fees),
        "intake_per_unit_fees": Exists(per_unit),
        "intake_calendar_token": Subquery(revision_token()),
    }


_FACTS = ("intake_process_id", "intake_fixed_fees", "intake_per_unit_fees", "intake_calendar_token")


def _intake_query(procedure_id: int, agency_id: int) -> QuerySet[Procedure, Any]:
    handles = Procedure.agencies.through.objects.filter(
        procedure_id=OuterRef("pk"), agency_id=agency_id
    )
    return (
        Procedure.objects.filter(pk=procedure_id)
        .order_by()
        .annotate(handled_here=Exists(handles), **_facts_of(OuterRef("pk")))
        .values_list("handled_here", *_FACTS)[:1]
    )


_INTAKE = CompiledQuery(_intake_query, int_params=("procedure_id", "agency_id"))


def _facts(
    handled_here: Any, process_id: Any, fixed: Any, per_unit: Any, token: Any
) -> IntakeFacts:
    return IntakeFacts(
        handled_here=bool(handled_here),
        process_id=process_id,
        fixed_fees=int(fixed or 0),
        per_unit_fees=bool(per_unit),
        calendar_token=token,
    )


@dataclass(frozen=True)
class Intake:
    """An active procedure received at an active agency that handles it, and its facts."""

    procedure: Procedure
    agency: Agency  # its parent loaded
    facts: IntakeFacts


# The API's counter receipt names both by code: one query for the two rows and the facts.
_INTAKE_BY_CODES = CompiledQuery(
    lambda procedure_code, agency_code: (
        Procedure.agencies.through.objects.select_related("procedure", "agency__parent")
        .filter(
            procedure__code=procedure_code,
            procedure__is_active=True,
            agency__code=agency_code,
            agency__is_active=True,
        )
        .order_by()
        .annotate(**_facts_of(OuterRef("procedure_id")))[:1]
    ),
    params=("procedure_code", "agency_code"),
)


def intake_by_codes(*, procedure_code: str, agency_code: str) -> Intake | None:
    """The procedure and agency of these codes with their ``IntakeFacts``, in one query, when
    both are active and the agency handles the procedure; otherwise None (the caller then looks
    them up one by one to say which is wrong)."""
    link = _INTAKE_BY_CODES.instance(procedure_code=procedure_code, agency_code=agency_code)
    if link is None:
        return None
    facts = _facts(True, *(getattr(link, name) for name in _FACTS))
    return Intake(procedure=link.procedure, agency=link.agency, facts=facts)


def intake_facts(*, procedure: Procedure, agency: Agency) -> IntakeFacts:
    """``IntakeFacts`` in one query (each dossier created asks for them), compiled once."""
    row = _INTAKE.first_row(procedure_id=procedure.pk, agency_id=agency.pk)
    if row is None:
        raise Procedure.DoesNotExist(f"no procedure {procedure.pk}")
    return _facts(*row)


_STEPS = CompiledQuery(
    lambda process_id: ProcessStep.objects.filter(process_id=process_id).order_by("position"),
    int_params=("process_id",),
)


def process_steps_list(*, process_id: int) -> list[ProcessStep]:
    """``process_steps`` as a list, by a query compiled once (read on every receipt)."""
    steps: list[ProcessStep] = _STEPS.instances(process_id=process_id)
    return steps


def process_steps(*, process: Process | int) -> QuerySet[ProcessStep]:
    """The steps in order (of a process or its id). Their agency and sector load only if a
    rule needs them (most steps follow the receiving agency), which keeps this read — made on
    every receipt — a plain one."""
    process_id = process if isinstance(process, int) else process.pk
    return ProcessStep.objects.filter(process_id=process_id).order_by("position")


def _province_of(agency: Agency) -> Agency | None:
    """The top of the agency's tree (its province, in a provincial deployment)."""
    root_id = int(agency.path.strip("/").split("/")[0]) if agency.path else agency.pk
    return Agency.objects.filter(pk=root_id).first()


def step_agency(*, step: ProcessStep, receiving: Agency) -> Agency:
    """The agency that does ``step`` for a dossier received at ``receiving``."""
    rule = step.agency_rule
    agency: Agency | None
    if rule == AgencyRule.RECEIVING:
        agency = receiving
    elif rule == AgencyRule.RECEIVING_PARENT:
        agency = receiving.parent
    elif rule == AgencyRule.RECEIVING_GOVERNMENT:
        # A one-stop desk receives for the government it belongs to; an agency that is not a
        # desk does its own work.
        agency = (
            receiving.parent if receiving.is_service_center and receiving.parent_id else receiving
        )
    elif rule == AgencyRule.FIXED:
        agency = step.agency
    elif rule == AgencyRule.SECTOR_DEPARTMENT:
        province = _province_of(receiving)
        mapping = (
            None
            if step.sector_id is None
            else (
                SectorDepartment.objects.select_related("department")
                .filter(province=province, sector_id=step.sector_id)
                .first()
            )
        )
        agency = mapping.department if mapping is not None else None
    else:  # pragma: no cover - choices are validated by the database
        agency = None
    if agency is None:
        raise StepAgencyUnresolved(
            f"Bước “{step.name}” không xác định được cơ quan thực hiện cho nơi tiếp nhận {receiving.code}."
        )
    return agency
