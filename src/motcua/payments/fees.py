"""The fee arithmetic moved to ``motcua.catalog.fees`` (the dossier's total at creation and the
ledger share it); kept here so that ``from motcua.payments import fees`` still reads the same."""

from motcua.catalog.fees import (
    DEFAULT_QUANTITY,
    FIXED,
    MAX_QUANTITY,
    PER_COPY,
    PER_PAGE,
    QUANTITY_KEYS,
    UNITS,
    FeeError,
    FeeRule,
    Line,
    Summary,
    exempt,
    procedure_lines,
    procedure_total,
    quantity,
    requested_line,
    summarize,
)

__all__ = [
    "DEFAULT_QUANTITY",
    "FIXED",
    "MAX_QUANTITY",
    "PER_COPY",
    "PER_PAGE",
    "QUANTITY_KEYS",
    "UNITS",
    "FeeError",
    "FeeRule",
    "Line",
    "Summary",
    "exempt",
    "procedure_lines",
    "procedure_total",
    "quantity",
    "requested_line",
    "summarize",
]
