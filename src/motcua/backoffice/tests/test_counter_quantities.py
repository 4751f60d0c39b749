"""The desk asks for the copies or pages a per-copy or per-page fee is charged for, keeps them
in the dossier's form data (so_ban, so_trang) and shows the total the ledger will charge."""

from __future__ import annotations

import re

import pytest

from motcua.backoffice.counter_forms import files_field_name, received_field_name
from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.payments.selectors import fee_lines

from .test_counter import BIRTH, _applicant, _client, _docs, _jpeg, _pdf

pytestmark = pytest.mark.django_db

COPY_FEE = "Phí cấp bản sao Trích lục khai sinh"


def _fees(world: World, *, copies: bool = True) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=8_000)
    if copies:
        FeeFactory(procedure=world.birth, name=COPY_FEE, amount=8_000, unit=FeeUnit.PER_COPY)


def _ticks(world: World) -> dict[str, str]:
    return {received_field_name(doc): "on" for doc in _docs(world)}


def test_the_counter_declares_copies_and_the_total_counts_them(world: World) -> None:
    # Given a birth registration with a fixed fee and a fee per copy of the extract
    _fees(world)
    client = _client(world, "counter_a")

    # When the desk's form is shown, then sent with two copies asked for
    page = client.get(BIRTH).content.decode()
    response = client.post(BIRTH, _applicant(so_ban="2", **_ticks(world)))

    # Then the field was offered with its price, the number is in the form data and the total
    # (told at once on the page after registering) counts it
    assert '<label for="id_so_ban">Số bản sao cần cấp</label>' in page
    assert f"{COPY_FEE}: 8.000 đ mỗi bản. Ghi 0 nếu không cần bản sao." in page
    assert re.search(r'<input type="text" name="so_ban" value="0"', page)
    assert 'name="so_trang"' not in page
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert dossier.form_data["so_ban"] == 2
    assert dossier.fees_total == 8_000 + 2 * 8_000
    assert sum(line.due for line in fee_lines(dossier=dossier)) == dossier.fees_total
    done = client.get(response.url).content.decode()
    assert "<li>Lệ phí đăng ký khai sinh: 8.000 đ</li>" in done
    assert f"<li>{COPY_FEE}: 2 × 8.000 đ = 16.000 đ</li>" in done
    assert "Tổng cộng: <strong>24.000 đ</strong>" in done


def test_a_volunteer_declares_copies_too(world: World) -> None:
    _fees(world)
    form, birth_certificate = _docs(world)
    client = _client(world, "assistant_a")
    files = {
        files_field_name(form): [_pdf()],
        files_field_name(birth_certificate): [_jpeg("giay-chung-sinh.jpg")],
    }

    assert 'name="so_ban"' in client.get(BIRTH).content.decode()
    response = client.post(BIRTH, _applicant(consent="on", so_ban="1", **files))

    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED
    assert dossier.form_data["so_ban"] == 1
    assert dossier.fees_total == 16_000
    assert "Tổng cộng: <strong>16.000 đ</strong>" in client.get(response.url).content.decode()


def test_pages_are_asked_for_a_per_page_fee(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Phí chứng thực", amount=2_000, unit=FeeUnit.PER_PAGE)
    client = _client(world, "counter_a")

    page = client.get(BIRTH).content.decode()
    response = client.post(BIRTH, _applicant(so_trang="12", **_ticks(world)))

    assert '<label for="id_so_trang">Số trang</label>' in page
    assert 'name="so_trang" value="1"' in page
    assert "Phí chứng thực: 2.000 đ mỗi trang." in page
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.form_data["so_trang"] == 12
    assert dossier.fees_total == 24_000


def test_a_procedure_with_fixed_fees_only_asks_for_no_number(world: World) -> None:
    _fees(world, copies=False)
    client = _client(world, "counter_a")

    page = client.get(BIRTH).content.decode()
    response = client.post(BIRTH, _applicant(so_ban="4", **_ticks(world)))

    assert "so_ban" not in page
    assert "so_trang" not in page
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert "so_ban" not in dossier.form_data  # a number not asked for is not taken
    assert dossier.fees_total == 8_000
    assert "Tổng cộng: <strong>8.000 đ</strong>" in client.get(response.url).content.decode()


def test_a_bad_number_of_copies_is_refused_next_to_the_field(world: World) -> None:
    _fees(world)
    client = _client(world, "counter_a")

    response = client.post(BIRTH, _applicant(so_ban="150", **_ticks(world)))

    html = response.content.decode()
    assert response.status_code == 400
    assert '<p class="field-error" id="id_so_ban-error">Số bản sao từ 0 đến 100.</p>' in html
    assert 'href="#id_so_ban"' in html
    assert 'name="so_ban" value="150"' in html  # what was typed is kept to be corrected
    assert 'value="Nguyễn Thị Mai"' in html
    assert not Dossier.objects.exists()


def test_a_lookup_keeps_the_number_of_copies(world: World) -> None:
    _fees(world)
    client = _client(world, "counter_a")

    response = client.post(BIRTH, _applicant(action="lookup", account="0900000000", so_ban="3"))

    assert response.status_code == 200
    assert 'name="so_ban" value="3"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_copies_field_in_english(world: World) -> None:
    _fees(world)
    client = _client(world, "counter_a")
    client.cookies["django_language"] = "en"

    html = client.get(BIRTH).content.decode()

    assert '<label for="id_so_ban">Number of copies requested</label>' in html
    assert f"{COPY_FEE}: 8.000 đ per copy. Enter 0 if no copy is needed." in html


def test_another_desk_cannot_see_the_fees_of_a_dossier(world: World) -> None:
    _fees(world)
    client = _client(world, "counter_a")
    response = client.post(BIRTH, _applicant(so_ban="2", **_ticks(world)))
    assert response.status_code == 302

    other = _client(world, "counter_b").get(response.url)

    assert other.status_code == 404
