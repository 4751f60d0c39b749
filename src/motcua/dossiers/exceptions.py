"""Dossier domain errors: business-rule failures of the dossier lifecycle.

Each has a stable ``code`` that API clients may rely on; the API maps them to problem details.
"""

from __future__ import annotations

from motcua.core.exceptions import ApplicationError, Conflict


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


# -- documents (thành phần hồ sơ, kết quả): uploads, required documents, deletion ------------------


class UploadTooLarge(DossierError):
    """The file is over ``MOTCUA_UPLOAD_MAX_BYTES``; ``extra["max_bytes"]`` gives the limit."""

    code = "file_too_large"
    status = 413
    title = "File too large"


class UnsupportedFileType(DossierError):
    """The content is not a PDF, JPEG or PNG (whatever the name says), or is empty or damaged."""

    code = "unsupported_file_type"
    status = 415
    title = "File type not allowed"


class InvalidRequiredDocument(DossierError):
    """The ``required_document`` is not one of the dossier's procedure (or not for this kind)."""

    code = "invalid_required_document"
    status = 400
    title = "Invalid required document"


class DocumentNotDeletable(DossierError):
    """Documents can only be removed while the dossier is a draft."""

    code = "document_not_deletable"
    status = 409
    title = "The document can no longer be removed"


class DocumentFileMissing(DossierError):
    """The document's row exists but its stored file does not (storage lost or tampered with)."""

    code = "document_file_missing"
    status = 404
    title = "The document's file is missing"


# -- actions: the status machine, versions, completeness --------------------------------------


class ActionNotAllowed(DossierError):
    code = "action_not_allowed"
    status = 409
    title = "Action not allowed now"


class PayOnlineAtGateway(DossierError):
    """The applicant's ``pay``: money is paid at the payment gateway, whose signed notification
    takes ``pay`` (never the client's word). ``extra["payment_url"]`` is the API endpoint that
    starts an online payment."""

    code = "pay_online_at_gateway"
    status = 409
    title = "Pay online through the payment gateway"


class StaleVersion(Conflict):
    code = "stale_version"
    title = "The dossier changed since you read it"


class PreconditionFailed(DossierError):
    code = "precondition_failed"
    status = 412
    title = "If-Match does not match the current version"


class MissingDocuments(DossierError):
    code = "missing_documents"
    status = 422
    title = "Required documents are missing"
