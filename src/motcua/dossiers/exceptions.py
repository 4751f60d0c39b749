"""Dossier domain errors: business-rule failures of the dossier lifecycle.

Each has a stable ``code`` that API clients may rely on; the API maps them to problem details.
"""

from __future__ import annotations

from motcua.core.exceptions import ApplicationError


class DossierError(ApplicationError):
    """Base of the dossier domain's business-rule errors (HTTP 422 unless overridden)."""

    code = "dossier_error"
    status = 422
    title = "The dossier rules do not allow this"


# -- extend (gia hạn): at most once, before the due time, to a later time -------------------------


class ExtensionRefused(DossierError):
    """An ``extend`` the deadline rules refuse; the subclass says which rule."""

    code = "extend_refused"
    title = "The due time cannot be extended"


class AlreadyExtended(ExtensionRefused):
    code = "extend_once"
    title = "The due time has already been extended once"


class ExtendAfterDue(ExtensionRefused):
    code = "extend_after_due"
    title = "The due time can only be extended before it has passed"


class ExtendNotLater(ExtensionRefused):
    code = "extend_not_later"
    title = "The new due time must give more working time than the current one"
