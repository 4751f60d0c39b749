"""Writes to dossiers: creation and every action of the status machine (API.md "Dossiers").

Each public service is keyword-only, atomic, and writes exactly one history event per change in
the same transaction. Whether an action is allowed is decided by ``rules`` (pure); deadlines by
``deadlines`` (pure) over the agency's calendar.
"""

from ..exceptions import ActionNotAllowed, MissingDocuments, PreconditionFailed, StaleVersion
from ._common import ApplicantData, available_actions, dossier_facts
from .actions import dossier_act
from .assignment import dossier_reassign
from .attachments import dossier_attach, dossier_rate
from .create import dossier_create

__all__ = [
    "ActionNotAllowed",
    "ApplicantData",
    "MissingDocuments",
    "PreconditionFailed",
    "StaleVersion",
    "available_actions",
    "dossier_act",
    "dossier_attach",
    "dossier_create",
    "dossier_facts",
    "dossier_rate",
    "dossier_reassign",
]
