"""Import of the catalogue exchange format (docs/catalogue-format.md).

``load_catalogue(path)`` reads a ``.json``, ``.csv`` or ``.xlsx`` file into one ``CatalogueData``;
``import_catalogue(data)`` validates all of it and, only when every record is valid, writes the
differences in one transaction. ``import_catalogue_file(path)`` does both.
"""

from __future__ import annotations

from pathlib import Path

from .applying import ImportReport, SectionCounts, import_catalogue
from .data import CatalogueData, CatalogueImportError, Entry, RowError
from .readers import catalogue_from_document, load_catalogue

__all__ = [
    "CatalogueData",
    "CatalogueImportError",
    "Entry",
    "ImportReport",
    "RowError",
    "SectionCounts",
    "catalogue_from_document",
    "import_catalogue",
    "import_catalogue_file",
    "load_catalogue",
]


def import_catalogue_file(path: Path, *, dry_run: bool = False) -> ImportReport:
    """Read and import a catalogue file: ``import_catalogue(load_catalogue(path), dry_run=...)``."""
    return import_catalogue(load_catalogue(path), dry_run=dry_run)
