"""Back-office links to the payments pages: the fee table from the dossier screen, and the daily
reconciliation in the navigation of the roles that may open it (the counter that takes the
money, leaders, supervisors, administrators; not specialists nor volunteer assistants)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import Membership, User
from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Document
from motcua.dossiers.services import (
    ApplicantData,
    available_actions,
    dossier_act,
    dossier_attach,
    dossier_create,
)
from motcua.dossiers.tests.conftest import PASSWORD
from motcua.portal.tests.journeys import pdf_upload

from .helpers import World, fresh, waiting_for_payment

RECONCILIATION = "/can-bo/doi-soat-thanh-toan/"
NAV_LINK = f'<a href="{RECONCILIATION}">Đối soát thanh toán</a>'

pytestmark = pytest.mark.django_db


def staff(world: World, name: str) -> User:
    if name == "administrator":  # the test province has none: one for the province
        user = User.objects.create_user(username="quantri", password=PASSWORD, kind="staff")
        Membership.objects.create(user=user, agency=world.province, role="administrator")
        return user
    return world.user(name)


@pytest.mark.parametrize(
    ("name", "may"),
    [
        ("counter_a", True),
        ("leader_a", True),
        ("supervisor", True),
        ("administrator", True),
        ("specialist_a", False),
        ("assistant_a", False),
    ],
)
def test_the_reconciliation_is_in_the_navigation_of_those_who_may_open_it(
    world: World, name: str, may: bool
) -> None:
    client = office_login(Client(), staff(world, name))

    queues = client.get("/can-bo/")
    page = client.get(RECONCILIATION)

    assert queues.status_code == 200
    assert (NAV_LINK in queues.content.decode()) is may
    assert page.status_code == (200 if may else 403)
    if may:  # the page itself carries the navigation too
        assert NAV_LINK in page.content.decode()
    else:
        assert "Không có quyền xem đối soát thanh toán" in page.content.decode()
        assert client.get(RECONCILIATION, {"csv": "1"}).status_code == 403


@pytest.mark.parametrize("name", ["counter_a", "supervisor"])
def test_the_dossier_screen_links_to_its_fee_table(world: World, name: str) -> None:
    dossier = waiting_for_payment(world)
    client = office_login(Client(), staff(world, name))
    fees = f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/"

    screen = client.get(f"/can-bo/ho-so/{dossier.pk}/")

    assert screen.status_code == 200
    assert f'<a href="{fees}">Bảng phí, lệ phí</a>' in screen.content.decode()
    table = client.get(fees)
    assert table.status_code == 200
    assert "Phí thẩm định" in table.content.decode()


def test_those_who_do_not_see_the_dossier_get_neither_screen_nor_fee_table(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = office_login(Client(), world.user("counter_b"))

    assert client.get(f"/can-bo/ho-so/{dossier.pk}/").status_code == 404
    assert client.get(f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/").status_code == 404


def test_the_links_in_english(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = office_login(Client(), world.user("counter_a"))
    client.cookies["django_language"] = "en"

    screen = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    refused = office_login(Client(), world.user("specialist_a"))
    refused.cookies["django_language"] = "en"
    forbidden = refused.get(RECONCILIATION).content.decode()

    assert f'<a href="{RECONCILIATION}">Payment reconciliation</a>' in screen
    assert f'<a href="/can-bo/ho-so/{dossier.pk}/phi-le-phi/">Fee table</a>' in screen
    assert "<h1>Not allowed to see the payment reconciliation</h1>" in forbidden


def test_an_assistant_who_filed_the_dossier_gets_no_cash_form(world: World) -> None:
    """The assistant acts as the applicant of what they filed: offered ``pay`` by the status
    machine, they pay at the gateway; the back office shows them no counter cash form."""
    assistant = world.user("assistant_a")
    draft = dossier_create(
        actor=assistant,
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(type="citizen", full_name="Lê Văn Cường"),
        assisted_by=assistant,
        consent=True,
    )
    for required in world.birth.required_documents.all():
        dossier_attach(
            dossier_id=draft.pk,
            actor=assistant,
            uploaded_file=pdf_upload(f"giay-{required.pk}.pdf"),
            kind=Document.Kind.APPLICATION,
            required_document=required,
        )
    dossier_act(dossier_id=draft.pk, action=Action.SUBMIT, actor=assistant)
    dossier_act(dossier_id=draft.pk, action=Action.RECEIVE, actor=world.user("counter_a"))
    dossier_act(
        dossier_id=draft.pk,
        action=Action.REQUEST_PAYMENT,
        actor=world.user("counter_a"),
        fields={"amount": 20_000, "note": "Phí"},
    )
    assert "pay" in available_actions(dossier=fresh(draft), viewer=assistant)
    client = office_login(Client(), assistant)

    screen = client.get(f"/can-bo/ho-so/{draft.pk}/")
    posted = client.post(
        f"/can-bo/ho-so/{draft.pk}/thao-tac/pay/", {"method": "cash", "receipt_number": "BL-1"}
    )

    assert screen.status_code == 200
    assert 'id="thao-tac-pay"' not in screen.content.decode()
    assert posted.status_code == 409
    assert (fresh(draft).status, fresh(draft).fees_paid) == ("payment_requested", 0)
