"""Every report as a table officials can file: one row per agency (or procedure, month…), one
column per figure, a totals row; written as Excel (openpyxl) or CSV (UTF-8 with a byte-order
mark, so Excel opens Vietnamese text right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    percent: bool = False  # a rate in percent: written as a number with two decimals


@dataclass
class Table:
    title: str
    subtitle: str
    columns: Sequence[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] | None = None
    totals_label: str = "Tổng cộng"

    def cells(self, row: dict[str, Any]) -> list[Cell]:
        out: list[Cell] = []
        for column in self.columns:
            value = row.get(column.key)
            if isinstance(value, Decimal):
                value = float(value)
            out.append(value)
        return out

    def body(self) -> list[list[Cell]]:
        lines = [self.cells(r) for r in self.rows]
        if self.totals is not None:
            total = self.cells(self.totals)
            total[0] = self.totals_label
            lines.append(total)
        return lines


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.label for c in table.columns])
    for line in table.body():
        writer.writerow(["" if v is None else v for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """Row 1 the title, row 2 the period and scope, row 4 the header, data from row 5, the
    totals row last (bold)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet["A1"] = table.title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = table.subtitle
    header_row = 4
    for i, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=i, value=column.label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = 40 if i == 1 else 14
    lines = table.body()
    for r, line in enumerate(lines, start=header_row + 1):
        for i, (column, value) in enumerate(zip(table.columns, line, strict=True), start=1):
            cell = sheet.cell(row=r, column=i, value=value)
            if column.percent and value is not None:
                cell.number_format = "0.00"
            if table.totals is not None and r == header_row + len(lines):
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
