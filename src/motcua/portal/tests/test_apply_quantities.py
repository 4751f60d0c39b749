"""The wizard asks for the copies or pages a per-copy or per-page fee is charged for, keeps them
in the dossier's form data (so_ban, so_trang) and tells the total the ledger will charge."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.payments.models import Obligation
from motcua.payments.selectors import fee_lines

from .test_apply import _attach_all, _draft, _step

pytestmark = pytest.mark.django_db

COPY_FEE = "Phí cấp bản sao Trích lục khai sinh"
REQUEST = "Đăng ký khai sinh cho con tôi, Trần Bảo An."


@pytest.fixture
def browser(client: Client, world: World) -> Client:
    client.force_login(world.user("citizen"))
    return client


@pytest.fixture
def citizen(world: World) -> User:
    return world.user("citizen")


def _fixed_fee(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=8_000)


def _copy_fee(world: World) -> None:
    FeeFactory(procedure=world.birth, name=COPY_FEE, amount=8_000, unit=FeeUnit.PER_COPY)


def _page_fee(world: World) -> None:
    FeeFactory(
        procedure=world.birth, name="Phí chứng thực bản sao", amount=2_000, unit=FeeUnit.PER_PAGE
    )


def test_a_per_copy_procedure_asks_for_copies_and_charges_them(
    browser: Client, world: World, citizen: User
) -> None:
    # Given a birth registration with a fixed fee and a fee per copy of the extract
    _fixed_fee(world)
    _copy_fee(world)
    dossier = _draft(world, citizen)
    assert dossier.fees_total == 8_000  # no copy declared yet: none owed

    # When the form step is shown, then saved with three copies
    page = browser.get(_step(dossier, 2)).content.decode()
    response = browser.post(_step(dossier, 2), {"request": REQUEST, "so_ban": "3"})

    # Then the field was offered with its price, the number is in the form data and the total
    # counts it
    assert '<label for="id_so_ban">Số bản sao cần cấp</label>' in page
    assert (
        f'<p class="hint" id="id_so_ban-hint">{COPY_FEE}: 8.000 đ mỗi bản. '
        "Ghi 0 nếu không cần bản sao.</p>"
    ) in page
    assert re.search(r'<input type="text" name="so_ban" value="0"[^>]*inputmode="numeric"', page)
    assert "Số trang" not in page
    assert response.status_code == 302
    assert response["Location"] == _step(dossier, 3)
    dossier.refresh_from_db()
    assert dossier.form_data == {"request": REQUEST, "so_ban": 3}
    assert dossier.fees_total == 8_000 + 3 * 8_000
    assert 'name="so_ban" value="3"' in browser.get(_step(dossier, 2)).content.decode()

    # And the review says it line by line, with the total the ledger will charge
    review = browser.get(_step(dossier, 5)).content.decode()
    assert "<li>Lệ phí đăng ký khai sinh: 8.000 đ</li>" in review
    assert f"<li>{COPY_FEE}: 3 × 8.000 đ = 24.000 đ</li>" in review
    assert "Tổng cộng: <strong>32.000 đ</strong>" in review
    assert sum(line.due for line in fee_lines(dossier=dossier)) == 32_000

    # And so does the receipt page once submitted
    _attach_all(browser, world, dossier)
    assert browser.post(_step(dossier, 5)).status_code == 302
    done = browser.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.fees_total == 32_000
    assert f"<li>{COPY_FEE}: 3 × 8.000 đ = 24.000 đ</li>" in done
    assert "Tổng cộng: <strong>32.000 đ</strong>" in done
    assert not Obligation.objects.exists()  # shown, not yet written: the ledger writes them


def test_a_per_page_procedure_asks_for_pages_one_by_default(
    browser: Client, world: World, citizen: User
) -> None:
    _page_fee(world)
    dossier = _draft(world, citizen)

    page = browser.get(_step(dossier, 2)).content.decode()
    response = browser.post(_step(dossier, 2), {"request": REQUEST, "so_trang": "1.200"})

    assert '<label for="id_so_trang">Số trang</label>' in page
    assert "Phí chứng thực bản sao: 2.000 đ mỗi trang." in page
    assert 'name="so_trang" value="1"' in page
    assert "Số bản sao cần cấp" not in page
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.form_data == {"request": REQUEST, "so_trang": 1_200}  # "1.200" is 1,200
    assert dossier.fees_total == 1_200 * 2_000
    review = browser.get(_step(dossier, 5)).content.decode()
    assert "Tổng cộng: <strong>2.400.000 đ</strong>" in review


def test_a_procedure_with_fixed_fees_only_asks_for_no_number(
    browser: Client, world: World, citizen: User
) -> None:
    _fixed_fee(world)
    FeeFactory(procedure=world.birth, name="Bản sao", amount=0, unit=FeeUnit.PER_COPY)  # free
    dossier = _draft(world, citizen)

    page = browser.get(_step(dossier, 2)).content.decode()
    response = browser.post(_step(dossier, 2), {"request": REQUEST, "so_ban": "5"})

    assert "so_ban" not in page
    assert "so_trang" not in page
    assert "Số bản sao cần cấp" not in page
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.form_data == {"request": REQUEST}  # a number not asked for is not taken
    assert dossier.fees_total == 8_000
    review = browser.get(_step(dossier, 5)).content.decode()
    assert "Tổng cộng: <strong>8.000 đ</strong>" in review
    assert "số bản sao, số trang" not in review  # no link back to a number to change


def test_a_free_procedure_says_so_on_the_review(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)

    review = browser.get(_step(dossier, 5)).content.decode()

    assert '<p class="fee-total"><strong>Miễn phí</strong></p>' in review
    assert 'class="fee-lines"' not in review


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", "Số bản sao từ 0 đến 100."),
        ("-1", "Số bản sao từ 0 đến 100."),
        ("hai", "Ghi số bản sao bằng chữ số, ví dụ 2."),
        ("2,5", "Ghi số bản sao bằng chữ số, ví dụ 2."),
        ("", "Ghi số bản sao cần cấp, 0 nếu không cần."),
    ],
)
def test_a_bad_number_of_copies_is_refused_next_to_the_field(
    browser: Client, world: World, citizen: User, typed: str, message: str
) -> None:
    _fixed_fee(world)
    _copy_fee(world)
    dossier = _draft(world, citizen)

    response = browser.post(_step(dossier, 2), {"request": REQUEST, "so_ban": typed})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="field-error" id="id_so_ban-error">{message}</p>' in page
    assert re.search(r'name="so_ban"[^>]*aria-describedby="id_so_ban-hint id_so_ban-error"', page)
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#id_so_ban">Số bản sao cần cấp: {message}</a>' in summary
    dossier.refresh_from_db()
    assert dossier.form_data == {}
    assert dossier.fees_total == 8_000


def test_a_bad_number_of_pages_is_refused_next_to_the_field(
    browser: Client, world: World, citizen: User
) -> None:
    _page_fee(world)
    dossier = _draft(world, citizen)

    zero = browser.post(_step(dossier, 2), {"request": REQUEST, "so_trang": "0"})
    many = browser.post(_step(dossier, 2), {"request": REQUEST, "so_trang": "10001"})

    for response in (zero, many):
        assert response.status_code == 400
        assert (
            '<p class="field-error" id="id_so_trang-error">Số trang từ 1 đến 10.000.</p>'
            in response.content.decode()
        )
    assert Dossier.objects.get().form_data == {}


def test_the_copies_field_in_english(browser: Client, world: World, citizen: User) -> None:
    _copy_fee(world)
    dossier = _draft(world, citizen)
    browser.cookies["django_language"] = "en"

    page = browser.get(_step(dossier, 2)).content.decode()
    refused = browser.post(_step(dossier, 2), {"request": REQUEST, "so_ban": "500"})

    assert '<label for="id_so_ban">Number of copies requested</label>' in page
    assert f"{COPY_FEE}: 8.000 đ per copy. Enter 0 if no copy is needed." in page
    assert "Between 0 and 100 copies." in refused.content.decode()
