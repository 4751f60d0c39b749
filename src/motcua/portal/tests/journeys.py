"""The staff side of a dossier's life, driven through the dossier services, for tests of the
applicant's own pages: submitted online, received, asked to supplement, decided with a result."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.dossiers.constants import Action, Delivery
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_attach, dossier_create
from motcua.dossiers.tests.conftest import World

from .files import make_pdf

MISSING = ["Giấy chứng sinh (bản chính)", "Giấy tờ chứng minh nơi cư trú"]
DESK_NOTE = "Bản chụp giấy chứng sinh bị mờ, không đọc được."


def pdf_upload(name: str, text: str = "Giay to") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text), "application/pdf")


def submitted_online(world: World, citizen: User, *, delivery: str = Delivery.ONLINE) -> Dossier:
    """A dossier the citizen applied for online, not yet received."""
    dossier = dossier_create(
        actor=citizen,
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(
            type="citizen",
            full_name=citizen.full_name or "Nguyễn Thị Hoa",
            id_number="086190001234",
            phone="0912345678",
        ),
        form_data={"request": "Đăng ký khai sinh cho con."},
        result_delivery=delivery,
    )
    for required in world.birth.required_documents.all():
        dossier_attach(
            dossier_id=dossier.pk,
            actor=citizen,
            uploaded_file=pdf_upload(f"giay-{required.pk}.pdf"),
            kind=Document.Kind.APPLICATION,
            required_document=required,
        )
    return dossier_act(dossier_id=dossier.pk, action=Action.SUBMIT, actor=citizen)


def received_online(world: World, citizen: User, *, delivery: str = Delivery.ONLINE) -> Dossier:
    """A dossier the citizen applied for online and the commune desk received."""
    dossier = submitted_online(world, citizen, delivery=delivery)
    return dossier_act(dossier_id=dossier.pk, action=Action.RECEIVE, actor=world.user("counter_a"))


def ask_supplement(world: World, dossier: Dossier) -> Dossier:
    return dossier_act(
        dossier_id=dossier.pk,
        action=Action.REQUEST_SUPPLEMENT,
        actor=world.user("counter_a"),
        fields={"items": MISSING, "note": DESK_NOTE},
    )


def decide_with_result(world: World, dossier: Dossier) -> Document:
    """Through the commune's steps to an approval with a result document; delivered online,
    the dossier is returned at once."""
    dossier_act(dossier_id=dossier.pk, action=Action.FORWARD, actor=world.user("counter_a"))
    result = dossier_attach(
        dossier_id=dossier.pk,
        actor=world.user("specialist_a"),
        uploaded_file=pdf_upload("giay-khai-sinh.pdf", "GIAY KHAI SINH"),
        kind=Document.Kind.RESULT,
    )
    dossier_act(dossier_id=dossier.pk, action=Action.FORWARD, actor=world.user("specialist_a"))
    dossier_act(
        dossier_id=dossier.pk,
        action=Action.APPROVE,
        actor=world.user("leader_a"),
        fields={"result_documents": [str(result.pk)]},
    )
    result.refresh_from_db()
    return result
