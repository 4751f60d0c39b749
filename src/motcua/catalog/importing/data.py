"""The normalised catalogue read from a file, and the errors that point back into that file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from motcua.core.exceptions import ValidationFailed


class RowError(NamedTuple):
    """One problem, located as the person who edits the file sees it.

    ``section`` is where to look: the JSON top-level key, the XLSX sheet name or the CSV file name.
    ``row`` is the 1-based record number in a JSON section, or the sheet/CSV row number (the header
    is row 1); 0 means the section or file as a whole. ``field`` is the format's key (JSON paths
    such as ``fees[2].amount`` for nested lists)."""

    section: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row else ""
        what = f"field {self.field}: " if self.field else ""
        return f"{self.section}: {where}{what}{self.message}"


class CatalogueImportError(ValidationFailed):
    """The file was refused; ``row_errors`` lists every problem found. Nothing was written."""

    code = "catalogue_invalid"
    title = "Invalid catalogue file"

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = list(row_errors)
        errors: dict[str, list[str]] = {}
        for e in self.row_errors:
            errors.setdefault(f"{e.section}:{e.row}:{e.field}", []).append(e.message)
        super().__init__(
            f"The catalogue file has {len(self.row_errors)} error(s); nothing was imported.",
            errors=errors,
        )


@dataclass
class Entry:
    """One record as found in the file: its raw values by format key and where it was found.

    ``values`` holds only the keys the file gives (absent keys leave existing values alone).
    ``typed`` is true for JSON, whose values must already have the right types; cells of CSV and
    XLSX files are text (or Excel numbers, dates, booleans) and are converted leniently.
    ``children`` holds the nested lists (former codes of an agency, fees and required documents of
    a procedure) when the file describes them."""

    section: str
    where: str
    row: int
    values: dict[str, Any]
    typed: bool
    prefix: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[Entry]] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """The field name shown in errors for ``key``."""
        return self.prefix + self.labels.get(key, key)

    def error(self, key: str, message: str) -> RowError:
        return RowError(
            self.where, self.row, self.label(key) if key else self.prefix.rstrip("."), message
        )


@dataclass
class CatalogueData:
    """A catalogue file parsed into one structure, whatever its encoding.

    ``levels``, ``agencies``, ``sectors`` and ``procedures`` are the records of those sections;
    ``former_codes``, ``fees`` and ``required_documents`` hold only the flat-encoding rows whose
    owner (agency or procedure) is not described in the file but expected in the database.
    ``present`` names the sections the file mentions; ``problems`` are structural errors found
    while reading (unknown columns, keys or sheets), reported together with validation errors;
    ``places`` lists the sections or sheets in the order the file has them."""

    source: str
    levels: list[Entry] = field(default_factory=list)
    agencies: list[Entry] = field(default_factory=list)
    sectors: list[Entry] = field(default_factory=list)
    procedures: list[Entry] = field(default_factory=list)
    former_codes: list[Entry] = field(default_factory=list)
    fees: list[Entry] = field(default_factory=list)
    required_documents: list[Entry] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    problems: list[RowError] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    def enter(self, place: str) -> None:
        """Note that reading reached ``place`` (a JSON section, a sheet) so errors follow the file."""
        if place not in self.places:
            self.places.append(place)

    def section(self, name: str) -> list[Entry]:
        entries: list[Entry] = getattr(self, name)
        return entries

    def iter_children(self, name: str) -> Iterator[Entry]:
        """Every child record of a child section: nested under owners, then stand-alone ones."""
        owner = {
            "former_codes": self.agencies,
            "fees": self.procedures,
            "required_documents": self.procedures,
        }[name]
        for parent in owner:
            yield from parent.children.get(name, [])
        yield from self.section(name)
