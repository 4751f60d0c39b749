"""Export of the whole catalogue in the exchange format (docs/catalogue-format.md).

The output is sorted (levels by rank, everything else by code in natural order, lists by
position) so that two exports of the same catalogue are identical and diffs are reviewable.
Importing an export into an empty database gives the same catalogue; importing it back into the
database it came from changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import Prefetch

from .importing.layout import (
    CSV_COLUMNS,
    CSV_RECORD_COLUMN,
    FORMAT_NAME,
    FORMAT_VERSION,
    LIST_SEPARATOR,
    PROCESSING_TIME_KEYS,
    SECTIONS,
    SECTIONS_BY_NAME,
    agency_values,
    document_values,
    fee_values,
    former_code_values,
    level_values,
    natural_key,
    procedure_values,
    sector_values,
)
from .importing.readers import ENCODINGS
from .models import Agency, AgencyLevel, Fee, Procedure, RequiredDocument, Sector

Record = dict[str, Any]


def catalogue_sections() -> dict[str, list[Record]]:
    """Every section as flat records (format keys, Python values), sorted for export.

    Child records (former codes, fees, required documents) carry their owner's code."""
    agencies = list(Agency.objects.prefetch_related("former_codes"))
    code_by_id = {agency.pk: agency.code for agency in agencies}
    agencies.sort(key=lambda a: natural_key(a.code))
    procedures = sorted(
        Procedure.objects.select_related("sector").prefetch_related(
            Prefetch("levels", queryset=AgencyLevel.objects.only("code")),
            Prefetch("agencies", queryset=Agency.objects.only("id", "code")),
            Prefetch("fees", queryset=Fee.objects.order_by("position")),
            Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("position")),
        ),
        key=lambda p: natural_key(p.code),
    )
    sections: dict[str, list[Record]] = {
        "levels": [level_values(level) for level in AgencyLevel.objects.order_by("rank", "code")],
        "agencies": [agency_values(agency, code_by_id) for agency in agencies],
        "former_codes": [
            former_code_values(former, code_by_id)
            for agency in agencies
            for former in sorted(agency.former_codes.all(), key=lambda f: (f.code, f.valid_to))
        ],
        "sectors": sorted(
            (sector_values(sector) for sector in Sector.objects.all()),
            key=lambda s: natural_key(s["code"]),
        ),
        "procedures": [],
        "fees": [],
        "required_documents": [],
    }
    for procedure in procedures:
        sections["procedures"].append(
            procedure_values(
                procedure,
                sector_code=procedure.sector.code,
                levels=[level.code for level in procedure.levels.all()],
                agencies=[agency.code for agency in procedure.agencies.all()],
            )
        )
        for fee in procedure.fees.all():
            sections["fees"].append({"procedure": procedure.code, **fee_values(fee)})
        for document in procedure.required_documents.all():
            sections["required_documents"].append(
                {"procedure": procedure.code, **document_values(document)}
            )
    return sections


def catalogue_document() -> dict[str, Any]:
    """The whole catalogue as the JSON document of the format (dates as ISO strings)."""
    sections = catalogue_sections()
    former_codes = _by_owner(sections["former_codes"], "agency")
    fees = _by_owner(sections["fees"], "procedure")
    documents = _by_owner(sections["required_documents"], "procedure")
    agencies = [
        {**agency, "former_codes": [_json_values(f) for f in former_codes.get(agency["code"], [])]}
        for agency in sections["agencies"]
    ]
    procedures = []
    for procedure in sections["procedures"]:
        item: Record = {}
        for key, value in procedure.items():
            if key == PROCESSING_TIME_KEYS["value"]:
                item["processing_time"] = {
                    "value": value,
                    "unit": procedure[PROCESSING_TIME_KEYS["unit"]],
                }
            elif key != PROCESSING_TIME_KEYS["unit"]:
                item[key] = value
        item["fees"] = fees.get(procedure["code"], [])
        item["required_documents"] = documents.get(procedure["code"], [])
        procedures.append(item)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "levels": sections["levels"],
        "agencies": agencies,
        "sectors": sections["sectors"],
        "procedures": procedures,
    }


def export_catalogue(path: Path, *, encoding: str | None = None) -> dict[str, int]:
    """Write the whole catalogue to ``path``; the encoding (``json``, ``csv``, ``xlsx``) comes from
    the suffix unless given. Returns how many records of each section were written."""
    encoding = encoding or path.suffix.lower().lstrip(".")
    if encoding not in ENCODINGS:
        raise ValueError(
            f"Cannot tell the catalogue encoding of {path.name}: use .json, .csv or .xlsx."
        )
    if encoding == "json":
        document = catalogue_document()
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
        return _document_counts(document)
    sections = catalogue_sections()
    if encoding == "csv":
        path.write_bytes(catalogue_csv(sections).encode("utf-8-sig"))
    else:
        _write_xlsx(path, sections)
    return {name: len(records) for name, records in sections.items()}


def catalogue_csv(sections: dict[str, list[Record]]) -> str:
    """The single "long" CSV: one row per record, the ``record`` column telling its type; each
    agency is followed by its former codes and each procedure by its fees and documents."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in _csv_records(sections):
        writer.writerow([_csv_cell(row.get(column)) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _csv_records(sections: dict[str, list[Record]]) -> Iterator[Record]:
    former_codes = _by_owner(sections["former_codes"], "agency", keep_owner=True)
    fees = _by_owner(sections["fees"], "procedure", keep_owner=True)
    documents = _by_owner(sections["required_documents"], "procedure", keep_owner=True)
    for name in ("levels", "sectors"):
        for record in sections[name]:
            yield {CSV_RECORD_COLUMN: SECTIONS_BY_NAME[name].record, **record}
    for agency in sections["agencies"]:
        yield {CSV_RECORD_COLUMN: "agency", **agency}
        for former in former_codes.get(agency["code"], []):
            yield {CSV_RECORD_COLUMN: "former_code", **former}
    for procedure in sections["procedures"]:
        yield {CSV_RECORD_COLUMN: "procedure", **procedure}
        for fee in fees.get(procedure["code"], []):
            yield {CSV_RECORD_COLUMN: "fee", **fee}
        for document in documents.get(procedure["code"], []):
            yield {CSV_RECORD_COLUMN: "document", **document}


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)


def _write_xlsx(path: Path, sections: dict[str, list[Record]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for section in SECTIONS:
        sheet = workbook.create_sheet(section.name)
        sheet.append(list(section.keys))
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        for row_number, record in enumerate(sections[section.name], start=2):
            for column_number, key in enumerate(section.keys, start=1):
                value = record.get(key)
                if isinstance(value, list):
                    value = LIST_SEPARATOR.join(value)
                if isinstance(value, str):
                    value = _xlsx_escape(value)
                cell = sheet.cell(row=row_number, column=column_number, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, never a formula, even when it starts with "="
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        for column_number, key in enumerate(section.keys, start=1):
            width = (
                40 if key in ("name", "steps_text", "legal_basis", "conditions", "result") else 16
            )
            sheet.column_dimensions[get_column_letter(column_number)].width = width
    workbook.save(path)


_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _xlsx_escape(text: str) -> str:
    """OOXML escapes, as Excel writes them: control characters (carriage returns, pasted form
    feeds) become ``_xHHHH_`` and a literal ``_xHHHH_`` keeps its text as ``_x005F_xHHHH_``.
    The importer undoes them, so text survives the round trip exactly."""
    text = _LITERAL_ESCAPE.sub(r"_x005F_\1", text)
    return _XML_UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _by_owner(
    records: list[Record], owner_key: str, *, keep_owner: bool = False
) -> dict[str, list[Record]]:
    grouped: dict[str, list[Record]] = {}
    for record in records:
        values = record if keep_owner else {k: v for k, v in record.items() if k != owner_key}
        grouped.setdefault(record[owner_key], []).append(values)
    return grouped


def _json_values(record: Record) -> Record:
    return {
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in record.items()
    }


def _document_counts(document: dict[str, Any]) -> dict[str, int]:
    return {
        "levels": len(document["levels"]),
        "agencies": len(document["agencies"]),
        "former_codes": sum(len(a["former_codes"]) for a in document["agencies"]),
        "sectors": len(document["sectors"]),
        "procedures": len(document["procedures"]),
        "fees": sum(len(p["fees"]) for p in document["procedures"]),
        "required_documents": sum(len(p["required_documents"]) for p in document["procedures"]),
    }
