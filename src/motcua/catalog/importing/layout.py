"""The catalogue exchange format (docs/catalogue-format.md) as data.

One description serves the three encodings: the sections and their fields (keys are the JSON
keys; the flat encodings use ``processing_time_value``/``processing_time_unit`` for the JSON
``processing_time`` object), the XLSX sheet columns, the single long CSV's columns and record
types, and how a model row is represented in format terms (used by the exporter and by the
importer to compare before writing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import models

from ..constants import (
    AGENCY_CODE_REGEX,
    PROCEDURE_CODE_REGEX,
    ApplicantType,
    FeeUnit,
    OnlineLevel,
    TimeUnit,
)
from ..models import Agency, AgencyFormerCode, AgencyLevel, Fee, Procedure, RequiredDocument, Sector

FORMAT_NAME = "motcua-catalogue"
FORMAT_VERSION = 1

FieldKind = Literal[
    "text", "code", "bool", "int", "date", "choice", "choices", "ref", "refs", "email"
]

# Maximum of a PositiveSmallIntegerField / PositiveIntegerField / PositiveBigIntegerField on every database.
SMALL_INT_MAX = 32767
INT_MAX = 2_147_483_647
BIG_INT_MAX = 9_223_372_036_854_775_807


@dataclass(frozen=True)
class Field:
    """One key of a section. ``target`` names the section a ``ref``/``refs`` field points to."""

    key: str
    kind: FieldKind
    required: bool = False
    default: Any = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: int = 0
    maximum: int | None = None
    pattern: str | None = None
    target: str | None = None

    @property
    def regex(self) -> re.Pattern[str] | None:
        return re.compile(self.pattern) if self.pattern else None


@dataclass(frozen=True)
class Section:
    """A section of the catalogue: its JSON key (also its XLSX sheet), CSV record type, fields.

    Child sections (former codes, fees, required documents) live inside their owner in JSON; in the
    flat encodings each row names its owner in the ``owner_key`` column."""

    name: str
    record: str
    fields: tuple[Field, ...]
    owner_section: str | None = None
    owner_key: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def own_fields(self) -> tuple[Field, ...]:
        """The fields without the owner reference (what a nested JSON object holds)."""
        return tuple(f for f in self.fields if f.key != self.owner_key)


def _max_length(model: type[models.Model], name: str) -> int | None:
    field = model._meta.get_field(name)
    return getattr(field, "max_length", None)


def _text(model: type[models.Model], key: str, *, required: bool = False) -> Field:
    return Field(key, "text", required=required, max_length=_max_length(model, key))


LEVEL_CODE_PATTERN = r"^[-a-zA-Z0-9_]+$"

LEVELS = Section(
    "levels",
    "level",
    (
        Field(
            "code",
            "code",
            required=True,
            max_length=_max_length(AgencyLevel, "code"),
            pattern=LEVEL_CODE_PATTERN,
        ),
        _text(AgencyLevel, "name", required=True),
        Field("rank", "int", default=0, maximum=SMALL_INT_MAX),
    ),
)

AGENCIES = Section(
    "agencies",
    "agency",
    (
        Field(
            "code",
            "code",
            required=True,
            max_length=_max_length(Agency, "code"),
            pattern=AGENCY_CODE_REGEX,
        ),
        _text(Agency, "name", required=True),
        _text(Agency, "short_name"),
        Field("level", "ref", required=True, target="levels"),
        Field("parent", "ref", default=None, target="agencies"),
        Field("is_service_center", "bool", default=False),
        _text(Agency, "address"),
        _text(Agency, "phone"),
        Field("email", "email", max_length=_max_length(Agency, "email")),
        _text(Agency, "administrative_code"),
        Field("is_active", "bool", default=True),
        Field("merged_into", "ref", default=None, target="agencies"),
    ),
)

FORMER_CODES = Section(
    "former_codes",
    "former_code",
    (
        Field("agency", "ref", required=True, target="agencies"),
        Field(
            "code",
            "code",
            required=True,
            max_length=_max_length(AgencyFormerCode, "code"),
            pattern=AGENCY_CODE_REGEX,
        ),
        _text(AgencyFormerCode, "name"),
        Field("valid_from", "date", default=None),
        Field("valid_to", "date", required=True, default=None),
        _text(AgencyFormerCode, "note"),
    ),
    owner_section="agencies",
    owner_key="agency",
)

SECTORS = Section(
    "sectors",
    "sector",
    (
        Field(
            "code", "code", required=True, max_length=_max_length(Sector, "code"), pattern=r"^\S+$"
        ),
        _text(Sector, "name", required=True),
    ),
)

PROCEDURES = Section(
    "procedures",
    "procedure",
    (
        Field(
            "code",
            "code",
            required=True,
            max_length=_max_length(Procedure, "code"),
            pattern=PROCEDURE_CODE_REGEX,
        ),
        _text(Procedure, "name", required=True),
        Field("sector", "ref", required=True, target="sectors"),
        Field("levels", "refs", default=(), target="levels"),
        Field("agencies", "refs", default=(), target="agencies"),
        Field(
            "online", "choice", default=OnlineLevel.NONE.value, choices=tuple(OnlineLevel.values)
        ),
        Field("legacy_online_level", "int", default=2, minimum=1, maximum=4),
        Field("processing_time_value", "int", required=True, maximum=INT_MAX),
        Field(
            "processing_time_unit",
            "choice",
            default=TimeUnit.WORKING_DAYS.value,
            choices=tuple(TimeUnit.values),
        ),
        Field("restart_on_supplement", "bool", default=False),
        Field("description", "text"),
        Field("steps_text", "text"),
        Field("methods_text", "text"),
        Field("conditions", "text"),
        Field("result", "text"),
        Field("legal_basis", "text"),
        Field("applicant_types", "choices", default=(), choices=tuple(ApplicantType.values)),
        _text(Procedure, "keywords"),
        Field("popularity", "int", default=0, maximum=INT_MAX),
        Field("is_active", "bool", default=True),
    ),
)

FEES = Section(
    "fees",
    "fee",
    (
        Field("procedure", "ref", required=True, target="procedures"),
        _text(Fee, "name", required=True),
        Field("amount", "int", required=True, maximum=BIG_INT_MAX),
        Field("unit", "choice", default=FeeUnit.FIXED.value, choices=tuple(FeeUnit.values)),
        _text(Fee, "note"),
    ),
    owner_section="procedures",
    owner_key="procedure",
)

REQUIRED_DOCUMENTS = Section(
    "required_documents",
    "document",
    (
        Field("procedure", "ref", required=True, target="procedures"),
        _text(RequiredDocument, "name", required=True),
        Field("originals", "int", default=0, maximum=SMALL_INT_MAX),
        Field("copies", "int", default=1, maximum=SMALL_INT_MAX),
        Field("required", "bool", default=True),
        _text(RequiredDocument, "form_name"),
        _text(RequiredDocument, "note"),
    ),
    owner_section="procedures",
    owner_key="procedure",
)

# In dependency order: what a section refers to comes before it.
SECTIONS: tuple[Section, ...] = (
    LEVELS,
    AGENCIES,
    FORMER_CODES,
    SECTORS,
    PROCEDURES,
    FEES,
    REQUIRED_DOCUMENTS,
)
SECTIONS_BY_NAME = {s.name: s for s in SECTIONS}
SECTIONS_BY_RECORD = {s.record: s for s in SECTIONS}
TOP_SECTIONS = ("levels", "agencies", "sectors", "procedures")
CHILD_SECTIONS = {"former_codes": AGENCIES, "fees": PROCEDURES, "required_documents": PROCEDURES}
CHILDREN_OF = {"agencies": ("former_codes",), "procedures": ("fees", "required_documents")}

# The JSON ``processing_time`` object is two flat keys everywhere else.
PROCESSING_TIME_KEYS = {"value": "processing_time_value", "unit": "processing_time_unit"}

# The single "long" CSV: one column telling the record type, then the union of all sections'
# columns, short identifying columns first and long texts last so the sheet stays readable.
CSV_RECORD_COLUMN = "record"
CSV_COLUMNS: tuple[str, ...] = (
    CSV_RECORD_COLUMN,
    "code",
    "name",
    "procedure",
    "agency",
    "rank",
    "short_name",
    "level",
    "parent",
    "is_service_center",
    "address",
    "phone",
    "email",
    "administrative_code",
    "merged_into",
    "valid_from",
    "valid_to",
    "sector",
    "levels",
    "agencies",
    "online",
    "legacy_online_level",
    "processing_time_value",
    "processing_time_unit",
    "restart_on_supplement",
    "applicant_types",
    "keywords",
    "popularity",
    "amount",
    "unit",
    "originals",
    "copies",
    "required",
    "form_name",
    "is_active",
    "note",
    "description",
    "steps_text",
    "methods_text",
    "conditions",
    "result",
    "legal_basis",
)
LIST_SEPARATOR = ";"


def natural_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders ``H56.2`` before ``H56.10`` and ``1.000010`` by its digits."""
    parts = re.split(r"([0-9]+)", code)
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p) for p in parts if p)


def sorted_codes(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes), key=natural_key)


# Representations of model rows in format terms (flat keys, Python values: dates as dt.date).


def level_values(level: AgencyLevel) -> dict[str, Any]:
    return {"code": level.code, "name": level.name, "rank": level.rank}


def agency_values(agency: Agency, code_by_id: dict[int, str]) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level_id,
        "parent": code_by_id[agency.parent_id] if agency.parent_id else None,
        "is_service_center": agency.is_service_center,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "administrative_code": agency.administrative_code,
        "is_active": agency.is_active,
        "merged_into": code_by_id[agency.merged_into_id] if agency.merged_into_id else None,
    }


def former_code_values(former: AgencyFormerCode, code_by_id: dict[int, str]) -> dict[str, Any]:
    return {
        "agency": code_by_id[former.agency_id],
        "code": former.code,
        "name": former.name,
        "valid_from": former.valid_from,
        "valid_to": former.valid_to,
        "note": former.note,
    }


def sector_values(sector: Sector) -> dict[str, Any]:
    return {"code": sector.code, "name": sector.name}


def procedure_values(
    procedure: Procedure, *, sector_code: str, levels: Iterable[str], agencies: Iterable[str]
) -> dict[str, Any]:
    """``levels`` and ``agencies`` are codes (passed in so callers control the queries)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "sector": sector_code,
        "levels": sorted_codes(levels),
        "agencies": sorted_codes(agencies),
        "online": procedure.online,
        "legacy_online_level": procedure.legacy_online_level,
        "processing_time_value": procedure.processing_time_value,
        "processing_time_unit": procedure.processing_time_unit,
        "restart_on_supplement": procedure.restart_on_supplement,
        "description": procedure.description,
        "steps_text": procedure.steps_text,
        "methods_text": procedure.methods_text,
        "conditions": procedure.conditions,
        "result": procedure.result,
        "legal_basis": procedure.legal_basis,
        "applicant_types": list(procedure.applicant_types or []),
        "keywords": procedure.keywords,
        "popularity": procedure.popularity,
        "is_active": procedure.is_active,
    }


def fee_values(fee: Fee) -> dict[str, Any]:
    return {"name": fee.name, "amount": fee.amount, "unit": fee.unit, "note": fee.note}


def document_values(document: RequiredDocument) -> dict[str, Any]:
    return {
        "name": document.name,
        "originals": document.originals,
        "copies": document.copies,
        "required": document.required,
        "form_name": document.form_name,
        "note": document.note,
    }


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None
