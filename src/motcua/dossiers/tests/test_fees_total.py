"""``fees_total`` at creation and on a draft's edit: the lines the payments ledger will charge
(``catalog.selectors.procedure_fee_lines``, ADR 0011), read from the fee rows only when the
procedure counts a fee per copy or per page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_create
from motcua.dossiers.services.drafts import dossier_update_draft
from motcua.dossiers.tests.conftest import World

FIXED = 8_000
COPY = 8_000
PAGE = 2_000
# The counter's create of a birth registration with fixed fees only, savepoint included: 11
# statements before fees were counted from the form (measured at b72ed1a), 10 since the intake
# query also reads the calendars' revision, and fees counted from the form add none.
COUNTER_CREATE_QUERIES = 10


def _applicant() -> ApplicantData:
    return ApplicantData(type="citizen", full_name="Lê Thị Hoa", phone="0909123456")


def _counter(world: World, form_data: dict[str, Any] | None = None) -> Dossier:
    return dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=_applicant(),
        form_data=form_data,
        sets_received=2,
    )


def _draft(world: World, form_data: dict[str, Any] | None = None) -> Dossier:
    return dossier_create(
        actor=world.user("citizen"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=_applicant(),
        form_data=form_data,
    )


def _fee_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"catalog_fee"' in q["sql"]]


@pytest.fixture
def copy_fee(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=FIXED)
    FeeFactory(
        procedure=world.birth,
        name="Bản sao trích lục (nếu yêu cầu)",
        amount=COPY,
        unit=FeeUnit.PER_COPY,
    )


def test_a_fixed_fee_procedure_is_created_without_reading_its_fee_rows(world: World) -> None:
    # given a procedure with fixed fees only (a free per-copy row counts for nothing)
    FeeFactory(procedure=world.birth, amount=FIXED)
    FeeFactory(procedure=world.birth, amount=0, unit=FeeUnit.PER_COPY)
    _counter(world)  # the compiled queries are built once, outside the count

    # when the counter creates a dossier whose form declares copies
    with CaptureQueriesContext(connection) as queries:
        dossier = _counter(world, {"so_ban": 2})

    # then the total is the fixed fee, and the fee rows were only summed by the intake query
    assert Dossier.objects.get(pk=dossier.pk).fees_total == FIXED
    assert len(queries) == COUNTER_CREATE_QUERIES
    assert len(_fee_reads(queries)) == 1


@pytest.mark.usefixtures("copy_fee")
def test_copies_asked_for_are_counted_at_creation_with_one_more_query(world: World) -> None:
    _counter(world)

    with CaptureQueriesContext(connection) as queries:
        dossier = _counter(world, {"so_ban": 2})

    assert Dossier.objects.get(pk=dossier.pk).fees_total == FIXED + 2 * COPY == 24_000
    assert len(queries) == COUNTER_CREATE_QUERIES + 1
    assert len(_fee_reads(queries)) == 2


@pytest.mark.usefixtures("copy_fee")
def test_without_a_number_of_copies_none_is_counted(world: World) -> None:
    # sets_received=2 is the paper sets handed in, not copies asked for
    dossier = _counter(world, {"request": "Đăng ký khai sinh cho con"})

    assert Dossier.objects.get(pk=dossier.pk).fees_total == FIXED


def test_a_page_fee_counts_the_declared_pages_or_one(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Phí chứng thực", amount=PAGE, unit=FeeUnit.PER_PAGE)

    assert _counter(world, {"so_trang": 5}).fees_total == 5 * PAGE
    assert _counter(world).fees_total == PAGE


@pytest.mark.usefixtures("copy_fee")
@pytest.mark.parametrize("so_ban", ["hai", -1, 10_001, 1.5])
def test_a_bad_number_of_copies_is_refused_and_nothing_is_created(
    world: World, so_ban: object
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _counter(world, {"so_ban": so_ban})

    assert refused.value.code == "fees_not_computable"
    assert refused.value.errors == {"form_data": ["Số bản, số trang kê khai không hợp lệ."]}
    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == 0


@pytest.mark.usefixtures("copy_fee")
def test_the_draft_total_follows_the_copies_declared(world: World) -> None:
    # given a draft asking for no copy
    draft = _draft(world, {"request": "Khai sinh"})
    assert draft.fees_total == FIXED

    # when the applicant asks for three copies, then for none
    dossier_update_draft(
        dossier_id=draft.pk,
        actor=world.user("citizen"),
        form_data={"request": "Khai sinh", "so_ban": "3"},
    )
    with_copies = Dossier.objects.get(pk=draft.pk)
    dossier_update_draft(
        dossier_id=draft.pk, actor=world.user("citizen"), form_data={"request": "Khai sinh"}
    )
    without = Dossier.objects.get(pk=draft.pk)

    # then the total follows, one event each
    assert with_copies.fees_total == FIXED + 3 * COPY
    assert without.fees_total == FIXED
    events = DossierEvent.objects.filter(dossier=draft, action="update_draft").order_by("seq")
    assert [e.data for e in events] == [{"fields": ["form_data"]}, {"fields": ["form_data"]}]
    assert without.version == draft.version + 2


@pytest.mark.usefixtures("copy_fee")
def test_a_bad_number_of_copies_in_a_draft_edit_changes_nothing(world: World) -> None:
    draft = _draft(world, {"so_ban": 1})
    events = DossierEvent.objects.filter(dossier=draft).count()

    with pytest.raises(ValidationFailed) as refused:
        dossier_update_draft(
            dossier_id=draft.pk, actor=world.user("citizen"), form_data={"so_ban": "x"}
        )

    assert refused.value.code == "fees_not_computable"
    stored = Dossier.objects.get(pk=draft.pk)
    assert (stored.form_data, stored.fees_total, stored.version) == (
        {"so_ban": 1},
        FIXED + COPY,
        draft.version,
    )
    assert DossierEvent.objects.filter(dossier=draft).count() == events


@pytest.mark.usefixtures("copy_fee")
def test_the_api_tells_the_total_at_creation(world: World) -> None:
    client = APIClient()
    client.force_authenticate(world.user("counter_a"))

    response = client.post(
        "/api/v1/dossiers/",
        {
            "procedure": world.birth.code,
            "agency": world.desk_a.code,
            "channel": "counter",
            "applicant": {"type": "citizen", "full_name": "Lê Thị Hoa", "phone": "0909123456"},
            "form_data": {"so_ban": 2},
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["fees"] == {"total": FIXED + 2 * COPY, "paid": 0}
