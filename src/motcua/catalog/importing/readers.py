"""Read the three encodings of a catalogue file into one ``CatalogueData``.

Readers only find records and report structural problems (unknown keys, columns, sheets, record
types); converting and checking values is ``cleaning``'s job, so that every error of a file is
reported at once.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .data import CatalogueData, CatalogueImportError, Entry, RowError
from .layout import (
    CHILD_SECTIONS,
    CHILDREN_OF,
    CSV_COLUMNS,
    CSV_RECORD_COLUMN,
    FORMAT_NAME,
    FORMAT_VERSION,
    PROCESSING_TIME_KEYS,
    SECTIONS,
    SECTIONS_BY_NAME,
    SECTIONS_BY_RECORD,
    TOP_SECTIONS,
)

ENCODINGS = ("json", "csv", "xlsx")


def encoding_of(path: Path) -> str:
    """The encoding named by the file's suffix (``json``, ``csv`` or ``xlsx``)."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ENCODINGS:
        raise CatalogueImportError(
            [RowError(path.name, 0, "", _("Tệp phải có đuôi .json, .csv hoặc .xlsx."))]
        )
    return suffix


def load_catalogue(path: Path) -> CatalogueData:
    """Parse a ``.json``, ``.csv`` or ``.xlsx`` catalogue file (docs/catalogue-format.md).

    Raises ``CatalogueImportError`` when the file cannot be read at all (not JSON, not UTF-8, not
    a workbook); problems with single records are kept in ``CatalogueData.problems`` and reported
    by ``import_catalogue`` together with the validation errors."""
    encoding = encoding_of(path)
    if encoding == "json":
        return _read_json(path)
    if encoding == "csv":
        return _read_csv(path)
    return _read_xlsx(path)


# JSON ------------------------------------------------------------------------------------------


def _read_json(path: Path) -> CatalogueData:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogueImportError(
            [RowError(path.name, 0, "", _("Tệp JSON phải được mã hóa UTF-8."))]
        ) from None
    except json.JSONDecodeError as exc:
        message = _("Tệp không phải JSON hợp lệ (dòng %(line)s, cột %(column)s): %(reason)s.") % {
            "line": exc.lineno,
            "column": exc.colno,
            "reason": exc.msg,
        }
        raise CatalogueImportError([RowError(path.name, exc.lineno, "", message)]) from None
    return catalogue_from_document(document, source=path.name)


def catalogue_from_document(document: object, *, source: str = "catalogue.json") -> CatalogueData:
    """Build ``CatalogueData`` from an already decoded JSON document (a dict as in the format)."""
    data = CatalogueData(source=source)
    if not isinstance(document, dict):
        data.problems.append(RowError(source, 0, "", _("Tệp JSON phải là một đối tượng {…}.")))
        return data
    for key, value in document.items():
        if key == "format":
            if value != FORMAT_NAME:
                message = _("Phải là «%(name)s».") % {"name": FORMAT_NAME}
                data.problems.append(RowError(source, 0, "format", message))
        elif key == "version":
            if value != FORMAT_VERSION or isinstance(value, bool):
                message = _("Chỉ hỗ trợ phiên bản %(version)s.") % {"version": FORMAT_VERSION}
                data.problems.append(RowError(source, 0, "version", message))
        elif key in TOP_SECTIONS:
            data.enter(key)
            data.present.add(key)
            data.section(key).extend(_json_section(key, value, data.problems))
        else:
            data.problems.append(RowError(source, 0, str(key), _("Mục không có trong định dạng.")))
    return data


def _json_section(name: str, items: object, problems: list[RowError]) -> list[Entry]:
    if not isinstance(items, list):
        problems.append(RowError(name, 0, "", _("Phải là một danh sách […].")))
        return []
    entries = []
    for row, item in enumerate(items, start=1):
        entry = Entry(section=name, where=name, row=row, values={}, typed=True)
        if name == "procedures":
            entry.labels = {
                flat: f"processing_time.{key}" for key, flat in PROCESSING_TIME_KEYS.items()
            }
        if not isinstance(item, dict):
            problems.append(entry.error("", _("Phải là một đối tượng {…}.")))
            continue
        _json_fields(entry, item, problems)
        entries.append(entry)
    return entries


def _json_fields(entry: Entry, item: dict[Any, Any], problems: list[RowError]) -> None:
    section = SECTIONS_BY_NAME[entry.section]
    own_keys = {f.key for f in section.own_fields}
    for key, value in item.items():
        if entry.section == "procedures" and key == "processing_time":
            _json_processing_time(entry, value, problems)
        elif key in CHILDREN_OF.get(entry.section, ()):
            entry.children[key] = _json_children(entry, key, value, problems)
        elif key in own_keys:
            entry.values[key] = value
        else:
            problems.append(
                RowError(
                    entry.where,
                    entry.row,
                    entry.prefix + str(key),
                    _("Trường không có trong định dạng."),
                )
            )


def _json_processing_time(entry: Entry, value: object, problems: list[RowError]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        problems.append(
            entry.error("processing_time", _('Phải là đối tượng {"value": …, "unit": …}.'))
        )
        return
    for key, part in value.items():
        if key in PROCESSING_TIME_KEYS:
            entry.values[PROCESSING_TIME_KEYS[key]] = part
        else:
            problems.append(
                entry.error(f"processing_time.{key}", _("Trường không có trong định dạng."))
            )


def _json_children(parent: Entry, key: str, items: object, problems: list[RowError]) -> list[Entry]:
    if not isinstance(items, list):
        problems.append(parent.error(key, _("Phải là một danh sách […].")))
        return []
    children = []
    for index, item in enumerate(items, start=1):
        child = Entry(
            section=key,
            where=parent.where,
            row=parent.row,
            values={},
            typed=True,
            prefix=f"{key}[{index}].",
        )
        if not isinstance(item, dict):
            problems.append(child.error("", _("Phải là một đối tượng {…}.")))
            continue
        _json_fields(child, item, problems)
        children.append(child)
    return children


# CSV -------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> CatalogueData:
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("Tệp CSV phải được mã hóa UTF-8 (trong Excel: Lưu thành «CSV UTF-8»).")
        raise CatalogueImportError([RowError(name, 0, "", message)]) from None
    delimiter = _csv_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise CatalogueImportError(
            [RowError(name, 0, "", _("Tệp CSV hỏng: %(reason)s.") % {"reason": exc})]
        ) from None
    data = CatalogueData(source=name)
    header = _header(name, rows[0] if rows else [], set(CSV_COLUMNS), data.problems)
    if CSV_RECORD_COLUMN not in header.values():
        data.problems.append(
            RowError(name, 1, CSV_RECORD_COLUMN, _("Thiếu cột bắt buộc «record»."))
        )
        return data
    record_index = next(i for i, col in header.items() if col == CSV_RECORD_COLUMN)
    entries: list[Entry] = []
    for row_number, cells in enumerate(rows[1:], start=2):
        if all(not cell.strip() for cell in cells):
            continue
        _extra_cells(name, row_number, cells, header, data.problems)
        record = cells[record_index].strip().lower() if record_index < len(cells) else ""
        section = SECTIONS_BY_RECORD.get(record)
        if section is None:
            message = _("Loại dòng «%(value)s» không hợp lệ; chọn một trong: %(choices)s.") % {
                "value": record,
                "choices": ", ".join(SECTIONS_BY_RECORD),
            }
            data.problems.append(RowError(name, row_number, CSV_RECORD_COLUMN, message))
            continue
        values: dict[str, Any] = {}
        for index, column in header.items():
            if column == CSV_RECORD_COLUMN:
                continue
            cell = cells[index] if index < len(cells) else ""
            if column in section.keys:
                values[column] = cell
            elif cell.strip():
                message = _("Cột này không dùng cho dòng «%(record)s»; hãy để trống.") % {
                    "record": record
                }
                data.problems.append(RowError(name, row_number, column, message))
        entries.append(
            Entry(section=section.name, where=name, row=row_number, values=values, typed=False)
        )
    _assemble(data, entries, complete_children=set(CHILD_SECTIONS))
    return data


def _csv_delimiter(text: str) -> str:
    """Comma, or the semicolon/tab that Excel uses in some locales (Vietnamese uses ``;``): the
    one that makes ``record`` a column of the header."""
    first_line = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        cells = [cell.strip().strip('"').strip().lower() for cell in first_line.split(delimiter)]
        if CSV_RECORD_COLUMN in cells:
            return delimiter
    return ","


# XLSX ------------------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> CatalogueData:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError):
        message = _("Không đọc được tệp XLSX (hãy lưu từ Excel dạng «Excel Workbook (.xlsx)»).")
        raise CatalogueImportError([RowError(name, 0, "", message)]) from None
    data = CatalogueData(source=name)
    entries: list[Entry] = []
    try:
        for sheet in workbook.worksheets:
            section = SECTIONS_BY_NAME.get(sheet.title)
            if section is None or not hasattr(sheet, "iter_rows"):
                message = _(
                    "Trang tính không có trong định dạng; các trang hợp lệ: %(sheets)s."
                ) % {"sheets": ", ".join(s.name for s in SECTIONS)}
                data.problems.append(RowError(sheet.title, 0, "", message))
                continue
            data.enter(sheet.title)
            data.present.add(section.name)
            rows = sheet.iter_rows(min_row=1, values_only=True)
            header = _header(sheet.title, list(next(rows, ())), set(section.keys), data.problems)
            for row_number, cells in enumerate(rows, start=2):
                if all(_blank(cell) for cell in cells):
                    continue
                _extra_cells(sheet.title, row_number, cells, header, data.problems)
                values = {
                    column: _unescape(cells[index]) if index < len(cells) else None
                    for index, column in header.items()
                }
                entries.append(
                    Entry(
                        section=section.name,
                        where=sheet.title,
                        row=row_number,
                        values=values,
                        typed=False,
                    )
                )
    finally:
        workbook.close()
    _assemble(data, entries, complete_children=data.present & set(CHILD_SECTIONS))
    return data


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(cell: object) -> object:
    """Undo OOXML's ``_xHHHH_`` escapes (Excel writes a carriage return as ``_x000D_`` and a
    literal ``_x`` sequence as ``_x005F_x``); openpyxl leaves them in the text."""
    if isinstance(cell, str) and "_x" in cell:
        return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), cell)
    return cell


# Shared by the flat encodings -----------------------------------------------------------------


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(
    where: str, cells: list[Any], known: set[str], problems: list[RowError]
) -> dict[int, str]:
    """Column index → key for the header row; unknown and repeated columns are problems."""
    header: dict[int, str] = {}
    for index, cell in enumerate(cells):
        if _blank(cell):
            continue
        column = str(cell).strip().lower()
        if column not in known:
            problems.append(RowError(where, 1, column, _("Cột không có trong định dạng.")))
        elif column in header.values():
            problems.append(RowError(where, 1, column, _("Cột bị lặp lại.")))
        else:
            header[index] = column
    return header


def _extra_cells(
    where: str, row: int, cells: Any, header: dict[int, str], problems: list[RowError]
) -> None:
    for index, cell in enumerate(cells):
        if index not in header and not _blank(cell):
            message = _("Ô nằm dưới một cột không có tiêu đề hợp lệ.")
            problems.append(RowError(where, row, _column_letter(index), message))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"column {letters}"


def _owner_code(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _assemble(data: CatalogueData, entries: list[Entry], *, complete_children: set[str]) -> None:
    """File the flat rows into sections and hang child rows under their owner when the owner is
    in the file. For child sections in ``complete_children`` an owner in the file gets the list
    even when empty: a procedure row then describes its fees and documents completely."""
    for entry in entries:
        if entry.section in TOP_SECTIONS:
            data.section(entry.section).append(entry)
            data.present.add(entry.section)
    owners: dict[str, dict[str, Entry]] = {}
    for owner_section in CHILDREN_OF:
        by_code: dict[str, Entry] = {}
        for owner in data.section(owner_section):
            code = _owner_code(owner.values.get("code"))
            if code:
                by_code.setdefault(code, owner)
            for child_section in CHILDREN_OF[owner_section]:
                if child_section in complete_children:
                    owner.children[child_section] = []
        owners[owner_section] = by_code
    for entry in entries:
        if entry.section in TOP_SECTIONS:
            continue
        section = SECTIONS_BY_NAME[entry.section]
        assert section.owner_section is not None
        assert section.owner_key is not None
        code = _owner_code(entry.values.get(section.owner_key))
        found = owners[section.owner_section].get(code) if code else None
        if found is not None:
            found.children.setdefault(entry.section, []).append(entry)
        else:
            data.section(entry.section).append(entry)
        data.present.add(entry.section)
