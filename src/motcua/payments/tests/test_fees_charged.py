"""What the applicant is told at creation (``fees.total``) is what the ledger charges."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_attach, dossier_create
from motcua.dossiers.services.drafts import dossier_update_draft
from motcua.payments.models import Obligation
from motcua.payments.services import payment_record_cash, payment_start_online
from motcua.portal.tests.journeys import pdf_upload

from .helpers import World, fresh

FIXED = 8_000
COPY = 8_000
PAGE = 2_000


@pytest.fixture
def birth_fees(world: World) -> None:
    """The birth registration's fee, and a copy of the extract "if requested"."""
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=FIXED)
    FeeFactory(
        procedure=world.birth,
        name="Bản sao trích lục (nếu yêu cầu)",
        amount=COPY,
        unit=FeeUnit.PER_COPY,
    )


def _at_the_counter(world: World, form_data: dict[str, Any]) -> Dossier:
    return dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Lê Thị Hoa", phone="0909123456"),
        form_data=form_data,
        sets_received=2,
    )


@pytest.mark.usefixtures("birth_fees")
@pytest.mark.parametrize(
    ("form_data", "total", "lines"),
    [
        (
            {"so_ban": 2},
            FIXED + 2 * COPY,
            [
                ("Bản sao trích lục (nếu yêu cầu)", 2, 2 * COPY),
                ("Lệ phí đăng ký khai sinh", 1, FIXED),
            ],
        ),
        ({}, FIXED, [("Lệ phí đăng ký khai sinh", 1, FIXED)]),
    ],
)
def test_the_cash_collected_is_the_total_told_at_creation(
    world: World, form_data: dict[str, Any], total: int, lines: list[tuple[str, int, int]]
) -> None:
    # given a dossier received at the counter, told its total
    dossier = _at_the_counter(world, form_data)
    assert fresh(dossier).fees_total == total

    # when the counter takes the cash
    payment = payment_record_cash(
        dossier_id=dossier.pk, receipt_number="BL-0001", actor=world.user("counter_a")
    )

    # then exactly that was collected, for exactly those lines, and the totals did not move
    assert payment.amount == total
    assert (
        sorted(Obligation.objects.filter(dossier=dossier).values_list("name", "quantity", "amount"))
        == lines
    )
    stored = fresh(dossier)
    assert (stored.fees_total, stored.fees_paid) == (total, total)


@pytest.mark.parametrize(
    ("form_data", "told"),
    [
        ({"request": "Khai sinh"}, FIXED + PAGE),  # no copy asked for, one page
        ({"so_ban": 3}, FIXED + 3 * COPY + PAGE),
        ({"so_trang": 4}, FIXED + 4 * PAGE),
        ({"so_ban_sao": "1", "pages": "2"}, FIXED + COPY + 2 * PAGE),
    ],
)
def test_the_online_payment_is_the_total_told_in_the_draft(
    world: World, form_data: dict[str, Any], told: int
) -> None:
    # given fees of every kind, and a draft whose form the applicant fills in after creating it
    FeeFactory(procedure=world.birth, name="Lệ phí", amount=FIXED)
    FeeFactory(procedure=world.birth, name="Bản sao", amount=COPY, unit=FeeUnit.PER_COPY)
    FeeFactory(procedure=world.birth, name="Mỗi trang", amount=PAGE, unit=FeeUnit.PER_PAGE)
    citizen = world.user("citizen")
    draft = dossier_create(
        actor=citizen,
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(type="citizen", full_name="Lê Thị Hoa", phone="0909123456"),
    )
    assert draft.fees_total == FIXED + PAGE
    dossier_update_draft(dossier_id=draft.pk, actor=citizen, form_data=form_data)
    assert fresh(draft).fees_total == told
    for required in world.birth.required_documents.all():
        dossier_attach(
            dossier_id=draft.pk,
            actor=citizen,
            uploaded_file=pdf_upload(f"giay-{required.pk}.pdf"),
            kind=Document.Kind.APPLICATION,
            required_document=required,
        )
    dossier_act(dossier_id=draft.pk, action=Action.SUBMIT, actor=citizen)
    dossier_act(dossier_id=draft.pk, action=Action.RECEIVE, actor=world.user("counter_a"))

    # when the applicant pays online
    payment = payment_start_online(dossier_id=draft.pk, actor=citizen)

    # then the gateway is asked for what the applicant was told
    assert payment.amount == told
    assert fresh(draft).fees_total == told
