"""Processes of the demo procedures: read ``data/processes.json`` and write the rows.

The file format is documented at the top of :mod:`motcua.demo.loader`. Reading is pure and checks
everything it can without the database; writing compares with what is stored and touches only
what differs (idempotent). A process that dossiers already use is never rewritten in place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from motcua.catalog.constants import TimeUnit
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.workflow.constants import AgencyRule, StepRole
from motcua.workflow.models import Process, ProcessStep, SectorDepartment
from motcua.worktime.calendar import builtin_calendar, full_working_day

from . import structure
from .exceptions import DemoDataError

FORMAT_NAME = "motcua-demo-processes"
FORMAT_VERSION = 1
SERVICE_CENTER = "service_center"
COMMUNE_DESKS = "commune_desks"
PROCESS_NAME_MAX = 255


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    agency_rule: str
    budget_hours: Decimal
    agency: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class ProcessSpec:
    procedure: str
    receive_at: tuple[str, ...]
    steps: tuple[StepSpec, ...]
    name: str = ""

    @property
    def budget_hours(self) -> Decimal:
        return sum((step.budget_hours for step in self.steps), Decimal(0))


def hours_per_working_day() -> Decimal:
    """The length of a working day of the built-in calendar, in hours (7.5)."""
    return Decimal(int(full_working_day(builtin_calendar()).total_seconds())) / 3600


def processing_hours(value: int, unit: str) -> Decimal:
    """A processing time in working hours."""
    if unit == TimeUnit.WORKING_HOURS:
        return Decimal(value)
    return Decimal(value) * hours_per_working_day()


# Reading -------------------------------------------------------------------------------------


def load_process_specs(path: Path) -> list[ProcessSpec]:
    """Parse and check ``processes.json``; raise ``DemoDataError`` naming the faulty entry."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DemoDataError(f"{path.name}: not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise DemoDataError(f'{path.name}: must be an object with "format": "{FORMAT_NAME}".')
    if document.get("version") != FORMAT_VERSION:
        raise DemoDataError(f"{path.name}: only version {FORMAT_VERSION} is supported.")
    items = document.get("processes")
    if not isinstance(items, list):
        raise DemoDataError(f'{path.name}: "processes" must be a list.')
    specs: list[ProcessSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        where = f"{path.name}: processes[{index}]"
        spec = _process_spec(item, where)
        if spec.procedure in seen:
            raise DemoDataError(f"{where}: a second process for {spec.procedure}.")
        seen.add(spec.procedure)
        specs.append(spec)
    return specs


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise DemoDataError(f"{where}: {key} must be a non-empty string.")
    return value.strip()


def _process_spec(item: object, where: str) -> ProcessSpec:
    if not isinstance(item, dict):
        raise DemoDataError(f"{where}: must be an object.")
    unknown = set(item) - {"procedure", "receive_at", "name", "steps"}
    if unknown:
        raise DemoDataError(f"{where}: unknown keys {sorted(unknown)}.")
    procedure = _text(item, "procedure", where)
    where = f"{where} ({procedure})"
    receive_at = item.get("receive_at")
    if (
        not isinstance(receive_at, list)
        or not receive_at
        or not all(isinstance(r, str) for r in receive_at)
    ):
        raise DemoDataError(f"{where}: receive_at must be a non-empty list of strings.")
    steps = item.get("steps")
    if not isinstance(steps, list) or not steps:
        raise DemoDataError(f"{where}: steps must be a non-empty list.")
    name = _text(item, "name", where, required=False)
    if len(name) > PROCESS_NAME_MAX:
        raise DemoDataError(f"{where}: name is longer than {PROCESS_NAME_MAX} characters.")
    return ProcessSpec(
        procedure=procedure,
        receive_at=tuple(receive_at),
        steps=tuple(_step_spec(step, f"{where} steps[{i}]") for i, step in enumerate(steps, 1)),
        name=name,
    )


def _step_spec(item: object, where: str) -> StepSpec:
    if not isinstance(item, dict):
        raise DemoDataError(f"{where}: must be an object.")
    unknown = set(item) - {"name", "role", "agency_rule", "budget_hours", "agency", "sector"}
    if unknown:
        raise DemoDataError(f"{where}: unknown keys {sorted(unknown)}.")
    role = _text(item, "role", where)
    if role not in StepRole.values:
        raise DemoDataError(f"{where}: role must be one of {StepRole.values}.")
    rule = _text(item, "agency_rule", where)
    if rule not in AgencyRule.values:
        raise DemoDataError(f"{where}: agency_rule must be one of {AgencyRule.values}.")
    agency = item.get("agency")
    sector = item.get("sector")
    if (rule == AgencyRule.FIXED) != isinstance(agency, str):
        raise DemoDataError(f"{where}: agency (a code) is needed with, and only with, fixed.")
    if (rule == AgencyRule.SECTOR_DEPARTMENT) != isinstance(sector, str):
        raise DemoDataError(
            f"{where}: sector (a code) is needed with, and only with, sector_department."
        )
    raw = item.get("budget_hours")
    try:
        budget = Decimal(raw) if isinstance(raw, str) else None
    except InvalidOperation:
        budget = None
    if budget is None or budget < 0 or budget != budget.quantize(Decimal("0.01")):
        raise DemoDataError(
            f'{where}: budget_hours must be a decimal string with at most two decimals, e.g. "7.5".'
        )
    return StepSpec(
        name=_text(item, "name", where),
        role=role,
        agency_rule=rule,
        budget_hours=budget,
        agency=agency,
        sector=sector,
    )


def default_process_name(procedure_name: str) -> str:
    name = f"Quy trình giải quyết: {procedure_name}"
    if len(name) <= PROCESS_NAME_MAX:
        return name
    return name[: PROCESS_NAME_MAX - 1].rstrip() + "…"


# Writing -------------------------------------------------------------------------------------

_STEP_FIELDS = ("position", "name", "role", "agency_rule", "agency_id", "sector_id", "budget_hours")


def seed_sector_departments(*, province: Agency) -> list[str]:
    """One ``SectorDepartment`` per sector of ``structure.DEPARTMENTS``; outcomes per row."""
    agencies = dict(Agency.objects.filter(parent=province).values_list("code", "pk"))
    sectors = dict(Sector.objects.values_list("code", "pk"))
    current = {row.sector_id: row for row in SectorDepartment.objects.filter(province=province)}
    outcomes = []
    for sector_code, department_code in sorted(structure.sector_departments().items()):
        sector_id, department_id = sectors[sector_code], agencies[department_code]
        row = current.get(sector_id)
        if row is None:
            SectorDepartment.objects.create(
                province=province, sector_id=sector_id, department_id=department_id
            )
            outcomes.append("created")
        elif row.department_id != department_id:
            row.department_id = department_id
            row.save(update_fields=["department"])
            outcomes.append("updated")
        else:
            outcomes.append("unchanged")
    return outcomes


def seed_processes(specs: list[ProcessSpec]) -> list[str]:
    """Create or bring up to date version 1 of every process; outcomes per process.

    Raises ``DemoDataError`` when budgets do not add up to the processing time or a step names
    an unknown agency or sector."""
    procedures = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[s.procedure for s in specs]).only(
            "id", "code", "name", "processing_time_value", "processing_time_unit"
        )
    }
    agencies = dict(Agency.objects.values_list("code", "pk"))
    sectors = dict(Sector.objects.values_list("code", "pk"))
    existing = {
        p.procedure_id: p for p in Process.objects.filter(version=1).prefetch_related("steps")
    }
    outcomes = []
    for spec in specs:
        procedure = procedures.get(spec.procedure)
        if procedure is None:
            raise DemoDataError(f"processes.json: unknown procedure {spec.procedure}.")
        expected = processing_hours(procedure.processing_time_value, procedure.processing_time_unit)
        if spec.budget_hours != expected:
            raise DemoDataError(
                f"processes.json: {spec.procedure}: step budgets add up to {spec.budget_hours} "
                f"hours, the processing time is {expected} hours."
            )
        wanted = [
            _step_values(position, step, agencies, sectors, spec.procedure)
            for position, step in enumerate(spec.steps, start=1)
        ]
        outcomes.append(
            _write_process(
                procedure,
                spec.name or default_process_name(procedure.name),
                wanted,
                existing.get(procedure.pk),
            )
        )
    return outcomes


def _step_values(
    position: int,
    step: StepSpec,
    agencies: dict[str, int],
    sectors: dict[str, int],
    procedure: str,
) -> dict[str, Any]:
    if step.agency is not None and step.agency not in agencies:
        raise DemoDataError(f"processes.json: {procedure}: unknown agency {step.agency}.")
    if step.sector is not None and step.sector not in sectors:
        raise DemoDataError(f"processes.json: {procedure}: unknown sector {step.sector}.")
    return {
        "position": position,
        "name": step.name,
        "role": step.role,
        "agency_rule": step.agency_rule,
        "agency_id": agencies[step.agency] if step.agency else None,
        "sector_id": sectors[step.sector] if step.sector else None,
        "budget_hours": step.budget_hours,
    }


def _write_process(
    procedure: Procedure, name: str, wanted: list[dict[str, Any]], process: Process | None
) -> str:
    if process is None:
        process = Process.objects.create(procedure=procedure, version=1, name=name, is_active=True)
        ProcessStep.objects.bulk_create(ProcessStep(process=process, **row) for row in wanted)
        return "created"
    current = [
        {key: getattr(step, key) for key in _STEP_FIELDS}
        for step in sorted(process.steps.all(), key=lambda s: s.position)
    ]
    same_steps = current == wanted
    if same_steps and process.name == name and process.is_active:
        return "unchanged"
    if not same_steps and process.dossiers.exists():
        # Dossiers keep the version they started with; a changed process would need a new
        # version, which is the workflow services' business, not the demo's.
        return "unchanged"
    if process.name != name or not process.is_active:
        process.name, process.is_active = name, True
        process.save(update_fields=["name", "is_active"])
    if not same_steps:
        process.steps.all().delete()
        ProcessStep.objects.bulk_create(ProcessStep(process=process, **row) for row in wanted)
    return "updated"
