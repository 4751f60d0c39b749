"""The desk's one write: a walk-in dossier registered at the counter, or a dossier filed online
by a volunteer on a citizen's behalf, with its scans, in one transaction.

Nothing here decides who may do what or what a file is: ``dossiers.services`` does
(``dossier_create`` checks the counter officer's or the assistant's role and the citizen's
consent, ``dossier_attach`` checks each file by content, ``dossier_act`` submits). This module
only puts those calls together so that a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure, RequiredDocument
from motcua.dossiers.constants import Action, Channel, Delivery
from motcua.dossiers.exceptions import MissingDocuments
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_attach, dossier_create


@dataclass(frozen=True)
class Registration:
    """What the desk filled in: the procedure at the desk's agency, the applicant (and their
    citizen account when one was found), the documents received and their scans, the copies
    or pages asked for."""

    procedure: Procedure
    agency: Agency
    applicant: ApplicantData
    owner: User | None = None
    received: tuple[RequiredDocument, ...] = ()
    files: tuple[tuple[RequiredDocument, Any], ...] = field(default=())
    result_delivery: str = Delivery.COUNTER
    delivery_address: str = ""
    request_text: str = ""
    sets_received: int = 1
    # Copies and pages declared for per-copy and per-page fees, by form-data key (``so_ban``,
    # ``so_trang``): the dossier's fees are computed from them (``catalog.fees``).
    quantities: Mapping[str, int] = field(default_factory=dict)


def missing_required(
    procedure_documents: list[RequiredDocument], received_ids: set[int]
) -> list[RequiredDocument]:
    """The procedure's mandatory documents not among ``received_ids``."""
    return [doc for doc in procedure_documents if doc.required and doc.pk not in received_ids]


@transaction.atomic
def counter_register(
    *, actor: User, registration: Registration, assisted: bool = False, consent: bool = False
) -> Dossier:
    """Create the dossier and attach its scans, all or nothing.

    At the counter (``assisted=False``): channel ``counter``, received at once by ``actor`` (code,
    appointment, receipt); a dossier missing a mandatory document is not received
    (``MissingDocuments``, 422: the desk asks for it instead), and the documents received are
    kept in ``form_data["received_documents"]`` for the receipt. Assisted
    (``assisted=True``): channel ``online``, filed by ``actor`` as assistant with the citizen's
    ``consent``, then submitted (the counter receives it from its queue)."""
    reg = registration
    received_ids = {doc.pk for doc in reg.received} | {doc.pk for doc, _ in reg.files}
    procedure_documents = list(reg.procedure.required_documents.order_by("position", "pk"))
    if not assisted:
        missing = missing_required(procedure_documents, received_ids)
        if missing:
            raise MissingDocuments(
                "Hồ sơ còn thiếu giấy tờ bắt buộc.",
                errors={"documents": [f"Thiếu: {doc.name}" for doc in missing]},
                extra={"missing_required_documents": [str(doc.pk) for doc in missing]},
            )
    form_data: dict[str, Any] = {}
    if reg.request_text:
        form_data["request"] = reg.request_text
    if reg.result_delivery == Delivery.POST and reg.delivery_address:
        form_data["delivery_address"] = reg.delivery_address
    form_data.update(reg.quantities)
    if not assisted:
        form_data["received_documents"] = [
            doc.pk for doc in procedure_documents if doc.pk in received_ids
        ]
    dossier = dossier_create(
        actor=actor,
        procedure=reg.procedure,
        agency=reg.agency,
        channel=Channel.ONLINE if assisted else Channel.COUNTER,
        applicant=reg.applicant,
        form_data=form_data,
        result_delivery=reg.result_delivery,
        assisted_by=actor if assisted else None,
        consent=consent,
        owner=reg.owner,
        sets_received=reg.sets_received,
    )
    for required, uploaded in reg.files:
        dossier_attach(
            dossier_id=dossier.pk,
            actor=actor,
            uploaded_file=uploaded,
            kind=Document.Kind.APPLICATION,
            required_document=required,
        )
    if assisted:
        dossier = dossier_act(dossier_id=dossier.pk, action=Action.SUBMIT, actor=actor)
    return dossier
