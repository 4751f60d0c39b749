"""Load the demo data of ``make demo`` (``manage.py seed_demo``); black-box tests rely on it.

Everything is written in one transaction and only where the database differs from the data, so
running the loader twice leaves exactly the same rows, with the same primary keys.

What comes from where
---------------------
``structure.py``
    The agency tree of Vĩnh Long (province, service center, departments, 124 communes with their
    one-stop desks, former codes, the merged provinces). Written through ``import_catalogue``
    (agencies section), so ``agency_save`` keeps the materialised paths.
``data/catalogue/NN-*.json``
    Sectors and procedures, one file per sector group. Each file is a complete document of the
    catalogue exchange format (``docs/catalogue-format.md``) and is imported on its own, in file
    name order, with ``import_catalogue``. A procedure's ``code`` never changes once written (a
    search evaluation refers to them). The files do not list procedure ``agencies``: the loader
    fills them in from ``receive_at`` in ``processes.json`` (below), because listing 124 desks
    by hand in every commune procedure would be unreadable.
``data/processes.json``
    One process (version 1) per procedure, written with the ORM.
``structure.sector_departments()``
    ``workflow.SectorDepartment`` rows: which department handles a sector in the province.

**Convention: a procedure's ``agencies`` are the agencies that RECEIVE its dossiers** — the
provincial Public Administration Service Center (``H56.1``) and/or the commune one-stop desks
(``H56.NNN.1``). Who *handles* a dossier is not a catalogue fact but the process's: its steps
name the handling agency relative to the receiving one (``agency_rule``).

The format of ``data/processes.json``
-------------------------------------
::

    {"format": "motcua-demo-processes", "version": 1,
     "processes": [
       {"procedure": "1.001193",                 # a procedure code of the catalogue files
        "receive_at": ["commune_desks"],         # who receives, see below
        "name": "Quy trình …",                   # optional; default "Quy trình giải quyết …"
        "steps": [                               # in order; positions are 1, 2, …
          {"name": "Tiếp nhận, kiểm tra hồ sơ", "role": "counter_officer",
           "agency_rule": "receiving", "budget_hours": "1"},
          {"name": "Thẩm định hồ sơ", "role": "specialist",
           "agency_rule": "sector_department", "sector": "DD", "budget_hours": "60"},
          {"name": "Cấp thẻ bảo hiểm y tế", "role": "specialist",
           "agency_rule": "fixed", "agency": "H56.16", "budget_hours": "7.5"}]}]}

- ``receive_at``: ``"service_center"`` (the provincial center ``H56.1``), ``"commune_desks"``
  (every commune's one-stop desk) or agency codes; these become the procedure's ``agencies``.
- ``role``: ``counter_officer``, ``specialist`` or ``leader`` (``workflow.StepRole``).
- ``agency_rule`` (``workflow.AgencyRule``): ``receiving`` (the receiving desk),
  ``receiving_parent``, ``receiving_government`` (the government a desk belongs to: a commune
  desk's Ủy ban nhân dân), ``fixed`` (needs ``agency``, a code) or ``sector_department`` (needs
  ``sector``; the department that ``SectorDepartment`` names for it in the receiving province).
- ``budget_hours``: working hours as a decimal string. The budgets of a process add up exactly to
  its procedure's processing time, a working day counting as the full working day of the
  built-in calendar (7.5 hours); the loader refuses the file otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.catalog.importing import (
    ImportReport,
    catalogue_from_document,
    import_catalogue,
)
from motcua.catalog.importing.layout import FORMAT_NAME, FORMAT_VERSION
from motcua.catalog.models import Agency, Sector
from motcua.worktime.constants import Weekday
from motcua.worktime.models import WorkCalendar, WorkSession
from motcua.worktime.services import (
    default_session_rows,
    work_calendar_create,
    work_calendar_save,
    work_session_delete,
    work_session_save,
)

from . import structure
from .accounts import seed_accounts
from .exceptions import DemoDataError
from .processes import (
    COMMUNE_DESKS,
    SERVICE_CENTER,
    ProcessSpec,
    load_process_specs,
    seed_processes,
    seed_sector_departments,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
PROCESSES_FILE = DATA_DIR / "processes.json"

CENTER_CALENDAR_NAME = "Lịch làm việc Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long"
CENTER_CALENDAR_NOTE = (
    "Làm việc từ thứ Hai đến thứ Sáu và sáng thứ Bảy (07:30-11:30) để người dân nộp, "
    "nhận kết quả ngoài giờ hành chính."
)
SATURDAY_MORNING = (Weekday.SATURDAY.value, dt.time(7, 30), dt.time(11, 30))


@dataclass
class SeedReport:
    """What a run did, section by section: ``created``/``updated``/``unchanged`` counts."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, section: str, outcome: str, amount: int = 1) -> None:
        section_counts = self.counts.setdefault(
            section, {"created": 0, "updated": 0, "unchanged": 0}
        )
        section_counts[outcome] = section_counts.get(outcome, 0) + amount

    def add_import(self, report: ImportReport) -> None:
        for section, counts in report.counts.items():
            for outcome in ("created", "updated", "unchanged", "deleted"):
                amount = getattr(counts, outcome)
                if amount or outcome != "deleted":
                    self.add(section, outcome, amount)

    @property
    def changed(self) -> bool:
        return any(
            counts.get("created") or counts.get("updated") or counts.get("deleted")
            for counts in self.counts.values()
        )


def demo_seed() -> SeedReport:
    """Write (or bring up to date) the whole demo data set; see the module docstring.

    Raises ``DemoDataError`` when the data files are inconsistent and ``CatalogueImportError``
    when the catalogue import refuses a file; nothing is written then."""
    started = time.perf_counter()
    report = SeedReport()
    specs = load_process_specs(PROCESSES_FILE)
    with transaction.atomic():
        report.add_import(import_catalogue(catalogue_from_document(agencies_document())))
        receivers = _receivers(specs)
        documents = catalogue_documents()
        _check_every_procedure_has_a_process(documents, specs)
        for path, document in documents:
            for procedure in document.get("procedures", []):
                procedure["agencies"] = receivers[procedure["code"]]
            report.add_import(import_catalogue(catalogue_from_document(document, source=path.name)))
        province = Agency.objects.get(code=structure.PROVINCE_CODE)
        _count(report, "sector_departments", seed_sector_departments(province=province))
        _count(report, "processes", seed_processes(specs))
        _count(report, "calendars", [_seed_center_calendar()])
        _count(report, "accounts", seed_accounts())
    report.seconds = time.perf_counter() - started
    return report


def _count(report: SeedReport, section: str, outcomes: list[str]) -> None:
    for outcome in ("created", "updated", "unchanged"):
        report.add(section, outcome, outcomes.count(outcome))


# Agencies ------------------------------------------------------------------------------------


def agencies_document() -> dict[str, Any]:
    """The agency tree of ``structure`` as a catalogue exchange document (agencies section)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "agencies": [
            {
                "code": spec.code,
                "name": spec.name,
                "short_name": spec.short_name,
                "level": spec.level,
                "parent": spec.parent,
                "is_service_center": spec.is_service_center,
                "address": spec.address,
                "administrative_code": spec.administrative_code,
                "is_active": spec.is_active,
                "merged_into": spec.merged_into,
                "former_codes": [
                    {
                        "code": former.code,
                        "name": former.name,
                        "valid_to": former.valid_to.isoformat(),
                        "note": former.note,
                    }
                    for former in spec.former_codes
                ],
            }
            for spec in structure.agency_specs()
        ],
    }


def commune_desk_codes() -> list[str]:
    return [commune.service_center_code for commune in structure.communes()]


def _receivers(specs: list[ProcessSpec]) -> dict[str, list[str]]:
    """Procedure code → codes of the agencies that receive it (``receive_at`` expanded)."""
    known = {spec.code for spec in structure.agency_specs() if spec.is_active}
    expand: dict[str, Callable[[], list[str]]] = {
        SERVICE_CENTER: lambda: [structure.SERVICE_CENTER_CODE],
        COMMUNE_DESKS: commune_desk_codes,
    }
    receivers: dict[str, list[str]] = {}
    for spec in specs:
        codes: list[str] = []
        for item in spec.receive_at:
            if item in expand:
                codes += expand[item]()
            elif item in known:
                codes.append(item)
            else:
                raise DemoDataError(
                    f"{PROCESSES_FILE.name}: {spec.procedure}: receive_at names an unknown agency "
                    f"{item!r}."
                )
        receivers[spec.procedure] = sorted(set(codes), key=codes.index)
    return receivers


# Catalogue -----------------------------------------------------------------------------------


def catalogue_files() -> list[Path]:
    return sorted(CATALOGUE_DIR.glob("*.json"))


def catalogue_documents() -> list[tuple[Path, dict[str, Any]]]:
    """Every catalogue file, decoded, in import order."""
    documents = []
    for path in catalogue_files():
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DemoDataError(f"{path.name}: not valid JSON: {exc}") from exc
        if not isinstance(document, dict):
            raise DemoDataError(f"{path.name}: must be a JSON object.")
        documents.append((path, document))
    return documents


def _check_every_procedure_has_a_process(
    documents: list[tuple[Path, dict[str, Any]]], specs: list[ProcessSpec]
) -> None:
    with_process = {spec.procedure for spec in specs}
    seen: dict[str, str] = {}
    sector_names: dict[str, tuple[str, str]] = {}
    for path, document in documents:
        for sector in document.get("sectors", []):
            earlier = sector_names.setdefault(sector["code"], (sector["name"], path.name))
            if earlier[0] != sector["name"]:
                raise DemoDataError(
                    f"{path.name}: sector {sector['code']} is named differently in {earlier[1]}."
                )
        for procedure in document.get("procedures", []):
            code = procedure.get("code")
            if code in seen:
                raise DemoDataError(f"{path.name}: procedure {code} is also in {seen[code]}.")
            seen[code] = path.name
            if code not in with_process:
                raise DemoDataError(
                    f"{path.name}: procedure {code} has no process in {PROCESSES_FILE.name}."
                )
            if "agencies" in procedure:
                raise DemoDataError(
                    f"{path.name}: procedure {code} lists agencies; they come from receive_at in "
                    f"{PROCESSES_FILE.name}."
                )
    missing = sorted(with_process - set(seen))
    if missing:
        raise DemoDataError(
            f"{PROCESSES_FILE.name}: processes for unknown procedures: {', '.join(missing)}."
        )
    sectors = set(sector_names) | set(Sector.objects.values_list("code", flat=True))
    unknown = sorted(set(structure.sector_departments()) - sectors)
    if unknown:
        raise DemoDataError(
            f"structure.DEPARTMENTS names sectors no catalogue file defines: {', '.join(unknown)}."
        )


# Calendar ------------------------------------------------------------------------------------


def center_session_rows() -> list[tuple[int, dt.time, dt.time]]:
    """The provincial service center's week: the usual weekdays plus Saturday morning."""
    return [*default_session_rows(), SATURDAY_MORNING]


def _seed_center_calendar() -> str:
    center = Agency.objects.get(code=structure.SERVICE_CENTER_CODE)
    wanted = center_session_rows()
    calendar = WorkCalendar.objects.filter(agency=center).first()
    if calendar is None:
        work_calendar_create(
            name=CENTER_CALENDAR_NAME,
            agency=center,
            use_national_holidays=True,
            sessions=wanted,
            note=CENTER_CALENDAR_NOTE,
        )
        return "created"
    outcome = "unchanged"
    if (calendar.name, calendar.note, calendar.use_national_holidays) != (
        CENTER_CALENDAR_NAME,
        CENTER_CALENDAR_NOTE,
        True,
    ):
        calendar.name, calendar.note = CENTER_CALENDAR_NAME, CENTER_CALENDAR_NOTE
        calendar.use_national_holidays = True
        work_calendar_save(calendar=calendar)
        outcome = "updated"
    current = {(s.weekday, s.start, s.end): s for s in calendar.sessions.all()}
    for row in wanted:  # add first: a calendar must keep at least one session
        if row not in current:
            weekday, start, end = row
            # An overlapping session of another shape would be refused: remove those first.
            for key, session in list(current.items()):
                if key[0] == weekday and key[1] < end and start < key[2]:
                    work_session_delete(session=session)
                    del current[key]
            work_session_save(
                session=WorkSession(calendar=calendar, weekday=weekday, start=start, end=end)
            )
            outcome = "updated"
    for row, session in current.items():
        if row not in wanted:
            work_session_delete(session=session)
            outcome = "updated"
    return outcome
