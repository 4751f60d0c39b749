"""Compare a validated catalogue with the database and write only the differences.

Everything is compared first (so a dry run reports exactly what an import would do), then
written in one transaction. Agencies go through ``agency_save`` so materialised paths stay right;
procedures whose name, keywords or sector name changed get their search text refreshed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from motcua.core.exceptions import ValidationFailed

from ..models import Agency, AgencyFormerCode, AgencyLevel, Fee, Procedure, RequiredDocument, Sector
from ..services import agency_save, procedure_refresh_search_text
from .cleaning import Clean, KnownRows, ValidCatalogue, validate_catalogue
from .data import CatalogueData, CatalogueImportError, Entry
from .layout import (
    FEES,
    REQUIRED_DOCUMENTS,
    SECTIONS,
    agency_values,
    document_values,
    fee_values,
    former_code_values,
    level_values,
    procedure_values,
    sector_values,
)

# Fee and document positions are moved out of the way here while a list is reordered, because
# (procedure, position) is unique. Far above any real list, below PositiveSmallIntegerField's max.
_TEMPORARY_POSITION = 30_000
_CHUNK = 500

ListRow = TypeVar("ListRow", Fee, RequiredDocument)


@dataclass
class SectionCounts:
    """How many records of a section were (or, in a dry run, would be) created, updated, left
    unchanged or deleted (only fees and required documents are ever deleted)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    """Counts per section (``levels``, ``agencies``, ``former_codes``, ``sectors``, ``procedures``,
    ``fees``, ``required_documents``). A procedure counts as updated when anything of it changed,
    including its lists."""

    dry_run: bool = False
    counts: dict[str, SectionCounts] = field(
        default_factory=lambda: {s.name: SectionCounts() for s in SECTIONS}
    )

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "created": c.created,
                "updated": c.updated,
                "unchanged": c.unchanged,
                "deleted": c.deleted,
            }
            for name, c in self.counts.items()
        }


def import_catalogue(data: CatalogueData, *, dry_run: bool = False) -> ImportReport:
    """Validate the whole catalogue, then write what differs from the database, in one transaction.

    Raises ``CatalogueImportError`` listing every problem (section, row, field, message) and writes
    nothing when any record is invalid. Importing the same file again changes nothing and issues
    no INSERT, UPDATE or DELETE. With ``dry_run`` nothing is written; the report tells what would
    change."""
    with transaction.atomic():
        state = _State.load(data)
        valid = validate_catalogue(data, state.known())
        plan = _Plan.build(valid, state)
        report = plan.report(dry_run=dry_run)
        if not dry_run:
            plan.execute(state)
    return report


# What the database holds -----------------------------------------------------------------------


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _raw_code(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


@dataclass
class _State:
    levels: dict[str, AgencyLevel]
    sectors: dict[str, Sector]
    agencies: dict[str, Agency]
    code_by_id: dict[int, str]
    former_codes: dict[tuple[str, dt.date], AgencyFormerCode]
    procedures: dict[str, Procedure]

    @classmethod
    def load(cls, data: CatalogueData) -> _State:
        """Everything needed to check references and compare: all levels, sectors, agencies and
        former codes (small tables) and the procedures the file names, with their lists."""
        agencies = {a.code: a for a in Agency.objects.order_by("pk")}
        named = {_raw_code(e.values.get("code")) for e in data.procedures}
        named |= {
            _raw_code(e.values.get("procedure")) for e in [*data.fees, *data.required_documents]
        }
        codes = sorted(code for code in named if code)
        procedures: dict[str, Procedure] = {}
        for chunk in _chunks(codes):
            queryset = (
                Procedure.objects.filter(code__in=chunk)
                .select_related("sector")
                .prefetch_related(
                    Prefetch("levels", queryset=AgencyLevel.objects.only("code")),
                    Prefetch("agencies", queryset=Agency.objects.only("id", "code")),
                    Prefetch("fees", queryset=Fee.objects.order_by("position")),
                    Prefetch(
                        "required_documents", queryset=RequiredDocument.objects.order_by("position")
                    ),
                )
            )
            procedures.update({p.code: p for p in queryset})
        return cls(
            levels={level.code: level for level in AgencyLevel.objects.all()},
            sectors={sector.code: sector for sector in Sector.objects.all()},
            agencies=agencies,
            code_by_id={a.pk: a.code for a in agencies.values()},
            former_codes={(f.code, f.valid_to): f for f in AgencyFormerCode.objects.all()},
            procedures=procedures,
        )

    def known(self) -> KnownRows:
        return KnownRows(
            levels=frozenset(self.levels),
            agencies=frozenset(self.agencies),
            sectors=frozenset(self.sectors),
            procedures=frozenset(self.procedures),
            agency_parents={
                a.code: self.code_by_id.get(a.parent_id) if a.parent_id else None
                for a in self.agencies.values()
            },
            agency_mergers={
                a.code: self.code_by_id.get(a.merged_into_id) if a.merged_into_id else None
                for a in self.agencies.values()
            },
        )

    def procedure_current(self, procedure: Procedure) -> dict[str, Any]:
        return procedure_values(
            procedure,
            sector_code=procedure.sector.code,
            levels=[level.code for level in procedure.levels.all()],
            agencies=[agency.code for agency in procedure.agencies.all()],
        )


# What to change --------------------------------------------------------------------------------


def _diff(current: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value for key, value in wanted.items() if key not in current or current[key] != value
    }


@dataclass
class _Change:
    """One record: the existing row (None to create) and the keys whose value changes."""

    clean: Clean
    obj: Any
    changed: dict[str, Any]

    @property
    def needed(self) -> bool:
        return self.obj is None or bool(self.changed)


@dataclass
class _ListPlan:
    """How an ordered list (fees or required documents) becomes the wanted one.

    Rows keep their identity by name when the name is still in the list (a reordered or extended
    list keeps every id and attached form template); other rows are updated in place by position;
    only the surplus is created or deleted. ``assignment[i]`` is the row that becomes item ``i``."""

    wanted: list[dict[str, Any]]
    assignment: list[Any]
    leftovers: list[Any]
    unchanged: bool

    @classmethod
    def build(
        cls,
        rows: list[Any],
        cleans: list[Clean],
        values: Callable[[Any], dict[str, Any]],
        keys: tuple[str, ...],
    ) -> _ListPlan:
        wanted = [{key: clean.values[key] for key in keys} for clean in cleans]
        if [values(row) for row in rows] == wanted:
            return cls(wanted, list(rows), [], unchanged=True)
        free = list(rows)
        assignment: list[Any] = [None] * len(wanted)
        for index, item in enumerate(wanted):
            match = next((row for row in free if row.name == item["name"]), None)
            if match is not None:
                assignment[index] = match
                free.remove(match)
        for index in range(len(wanted)):
            if assignment[index] is None and free:
                assignment[index] = free.pop(0)
        return cls(wanted, assignment, free, unchanged=False)

    def row_changes(
        self, values: Callable[[Any], dict[str, Any]]
    ) -> list[tuple[int, Any, dict[str, Any]]]:
        """(position, row or None, changed keys) for every wanted item."""
        changes = []
        for index, (item, row) in enumerate(zip(self.wanted, self.assignment, strict=True)):
            if row is None:
                changes.append((index, None, dict(item)))
                continue
            changed = _diff(values(row), item)
            if row.position != index:
                changed["position"] = index
            changes.append((index, row, changed))
        return changes

    def count(self, counts: SectionCounts, values: Callable[[Any], dict[str, Any]]) -> None:
        if self.unchanged:
            counts.unchanged += len(self.wanted)
            return
        for _index, row, changed in self.row_changes(values):
            if row is None:
                counts.created += 1
            elif changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        counts.deleted += len(self.leftovers)


@dataclass
class _ProcedureChange(_Change):
    fees: _ListPlan | None = None
    documents: _ListPlan | None = None

    @property
    def needed(self) -> bool:
        lists_changed = any(
            plan is not None and not plan.unchanged for plan in (self.fees, self.documents)
        )
        return self.obj is None or bool(self.changed) or lists_changed


_FEE_KEYS = tuple(f.key for f in FEES.own_fields)
_DOCUMENT_KEYS = tuple(f.key for f in REQUIRED_DOCUMENTS.own_fields)


@dataclass
class _Plan:
    valid: ValidCatalogue
    levels: list[_Change]
    sectors: list[_Change]
    agencies: list[_Change]
    former_codes: list[_Change]
    procedures: list[_ProcedureChange]

    @classmethod
    def build(cls, valid: ValidCatalogue, state: _State) -> _Plan:
        levels = []
        for clean in valid.levels:
            level = state.levels.get(clean.code or "")
            levels.append(
                _Change(clean, level, _diff(level_values(level) if level else {}, clean.values))
            )
        sectors = []
        for clean in valid.sectors:
            sector = state.sectors.get(clean.code or "")
            sectors.append(
                _Change(clean, sector, _diff(sector_values(sector) if sector else {}, clean.values))
            )
        agencies = []
        for clean in valid.agencies:
            agency = state.agencies.get(clean.code or "")
            current = agency_values(agency, state.code_by_id) if agency else {}
            agencies.append(_Change(clean, agency, _diff(current, clean.values)))
        former_codes = []
        for clean in valid.former_codes:
            former = state.former_codes.get((clean.values["code"], clean.values["valid_to"]))
            current = former_code_values(former, state.code_by_id) if former else {}
            former_codes.append(_Change(clean, former, _diff(current, clean.values)))
        procedures = []
        planned: set[str] = set()
        for clean in valid.procedures:
            procedure = state.procedures.get(clean.code or "")
            current = state.procedure_current(procedure) if procedure else {}
            change = _ProcedureChange(clean, procedure, _diff(current, clean.values))
            procedures.append(change)
            planned.add(clean.code or "")
        for code in sorted(set(valid.fee_lists) | set(valid.document_lists)):
            if code not in planned:  # stand-alone rows for a procedure only in the database
                procedure = state.procedures[code]
                stub = Clean(
                    entry=(valid.fee_lists.get(code) or valid.document_lists[code])[0].entry,
                    values={},
                )
                procedures.append(_ProcedureChange(stub, procedure, {}))
        for change in procedures:
            code = change.clean.code or (change.obj.code if change.obj else "")
            fee_rows = list(change.obj.fees.all()) if change.obj else []
            document_rows = list(change.obj.required_documents.all()) if change.obj else []
            if code in valid.fee_lists:
                change.fees = _ListPlan.build(
                    fee_rows, valid.fee_lists[code], fee_values, _FEE_KEYS
                )
            if code in valid.document_lists:
                change.documents = _ListPlan.build(
                    document_rows, valid.document_lists[code], document_values, _DOCUMENT_KEYS
                )
        return cls(valid, levels, sectors, agencies, former_codes, procedures)

    def report(self, *, dry_run: bool) -> ImportReport:
        report = ImportReport(dry_run=dry_run)
        for name, changes in (
            ("levels", self.levels),
            ("sectors", self.sectors),
            ("agencies", self.agencies),
            ("former_codes", self.former_codes),
        ):
            for change in changes:
                _count(report.counts[name], change)
        for procedure in self.procedures:
            if procedure.clean.values:  # stand-alone lists do not count their procedure
                _count(report.counts["procedures"], procedure)
            if procedure.fees is not None:
                procedure.fees.count(report.counts["fees"], fee_values)
            if procedure.documents is not None:
                procedure.documents.count(report.counts["required_documents"], document_values)
        return report

    # Writing ---------------------------------------------------------------------------------

    def execute(self, state: _State) -> None:
        for change in self.levels:
            if change.needed:
                level = change.obj or AgencyLevel(code=change.clean.values["code"])
                _assign(level, change.changed, create=change.obj is None)
                state.levels[level.code] = level
        renamed_sectors: set[str] = set()
        for change in self.sectors:
            if change.needed:
                sector = change.obj or Sector(code=change.clean.values["code"])
                _assign(sector, change.changed, create=change.obj is None)
                state.sectors[sector.code] = sector
                if change.obj is not None and "name" in change.changed:
                    renamed_sectors.add(sector.code)
        self._execute_agencies(state)
        self._execute_former_codes(state)
        refreshed = self._execute_procedures(state)
        if renamed_sectors:
            others = Procedure.objects.filter(sector__code__in=sorted(renamed_sectors)).exclude(
                code__in=refreshed
            )
            for procedure in others.select_related("sector"):
                procedure_refresh_search_text(procedure=procedure)

    def _execute_agencies(self, state: _State) -> None:
        parents = dict(state.known().agency_parents)
        for change in self.agencies:
            if "parent" in change.clean.values:
                parents[change.clean.code or ""] = change.clean.values["parent"]

        def depth(code: str) -> int:
            count, current = 0, parents.get(code)
            while current is not None:
                count, current = count + 1, parents.get(current)
            return count

        todo = sorted(
            (c for c in self.agencies if c.needed), key=lambda c: depth(c.clean.code or "")
        )
        deferred: list[tuple[Agency, _Change, str]] = []
        for change in todo:
            agency: Agency = change.obj or Agency(code=change.clean.values["code"])
            for key, value in change.changed.items():
                if key == "level":
                    agency.level_id = value
                elif key in ("parent", "merged_into"):
                    target = state.agencies.get(value) if value is not None else None
                    if value is not None and (target is None or target.pk is None):
                        deferred.append((agency, change, value))  # merger target created later
                        continue
                    setattr(agency, key, target)
                else:
                    setattr(agency, key, value)
            _save_agency(agency, change.clean.entry)
            state.agencies[agency.code] = agency
            state.code_by_id[agency.pk] = agency.code
        for agency, change, target_code in deferred:
            agency.merged_into = state.agencies[target_code]
            _save_agency(agency, change.clean.entry)

    def _execute_former_codes(self, state: _State) -> None:
        for change in self.former_codes:
            if not change.needed:
                continue
            former: AgencyFormerCode = change.obj or AgencyFormerCode(
                code=change.clean.values["code"], valid_to=change.clean.values["valid_to"]
            )
            values = dict(change.changed)
            if "agency" in values:
                former.agency = state.agencies[values.pop("agency")]
                if change.obj is not None:
                    values["agency"] = former.agency
            _assign(former, values, create=change.obj is None)

    def _execute_procedures(self, state: _State) -> set[str]:
        """Write procedures and their lists; return the codes whose search text was refreshed."""
        refreshed: set[str] = set()
        for change in self.procedures:
            if not change.needed:
                continue
            procedure: Procedure = change.obj or Procedure(code=change.clean.values["code"])
            values = dict(change.changed)
            levels, agencies = values.pop("levels", None), values.pop("agencies", None)
            if "sector" in values:
                values["sector"] = state.sectors[values["sector"]]
            if change.obj is None:
                _assign(procedure, values, create=True)
            else:
                _assign(procedure, {**values, "updated_at": None}, create=False)
            if levels is not None:
                procedure.levels.set([state.levels[code] for code in levels])
            if agencies is not None:
                procedure.agencies.set([state.agencies[code] for code in agencies])
            if change.fees is not None and not change.fees.unchanged:
                _execute_list(procedure, change.fees, Fee, fee_values, change.clean.entry)
            if change.documents is not None and not change.documents.unchanged:
                _execute_list(
                    procedure,
                    change.documents,
                    RequiredDocument,
                    document_values,
                    change.clean.entry,
                )
            procedure.sector = state.sectors[procedure.sector.code]
            procedure_refresh_search_text(procedure=procedure)
            refreshed.add(procedure.code)
        return refreshed


def _count(counts: SectionCounts, change: _Change) -> None:
    if change.obj is None:
        counts.created += 1
    elif change.needed:
        counts.updated += 1
    else:
        counts.unchanged += 1


def _assign(obj: models.Model, values: dict[str, Any], *, create: bool) -> None:
    """Set ``values`` (model attribute names) and save: everything on create, else only them.
    ``updated_at`` is an auto_now field: naming it (with any value) refreshes it."""
    for key, value in values.items():
        if key != "updated_at":
            setattr(obj, key, value)
    if create:
        obj.save(force_insert=True)
    elif values:
        obj.save(update_fields=list(values))


def _save_agency(agency: Agency, entry: Entry) -> None:
    try:
        agency_save(agency=agency)
    except ValidationFailed as exc:
        raise CatalogueImportError(
            [
                entry.error(key, message)
                for key, messages in exc.errors.items()
                for message in messages
            ]
            or [entry.error("", exc.message)]
        ) from exc
    except DjangoValidationError as exc:
        raise CatalogueImportError(
            [
                entry.error("" if key == "__all__" else key, message)
                for key, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


def _execute_list(
    procedure: Procedure,
    plan: _ListPlan,
    model: type[ListRow],
    values: Callable[[Any], dict[str, Any]],
    entry: Entry,
) -> None:
    changes = plan.row_changes(values)
    for row in plan.leftovers:
        try:
            row.delete()
        except (models.ProtectedError, models.RestrictedError) as exc:
            message = _("Không thể xóa «%(name)s» vì đang được sử dụng.") % {"name": row.name}
            raise CatalogueImportError([entry.error("", message)]) from exc
    moving = [row for _index, row, changed in changes if row is not None and "position" in changed]
    for offset, row in enumerate(moving):
        model.objects.filter(pk=row.pk).update(position=_TEMPORARY_POSITION + offset)
    for index, row, changed in changes:
        if row is None:
            model.objects.create(procedure=procedure, position=index, **changed)
        elif changed:
            _assign(row, changed, create=False)
