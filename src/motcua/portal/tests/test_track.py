"""Public tracking page: by code or QR, plain Vietnamese, no personal data, throttled."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def received(world: World):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN), tick=False):
        return dossier_create(
            actor=world.user("counter_a"),
            procedure=world.permit,
            agency=world.desk_a,
            channel="counter",
            applicant=ApplicantData(
                type="citizen", full_name="Võ Thị Sáu", id_number="083190000999", phone="0987654321"
            ),
        )


def test_the_receipt_qr_page_tells_where_the_dossier_is_without_personal_data(
    client: Client, world: World
) -> None:
    dossier = received(world)
    dossier_act(dossier_id=dossier.pk, action="forward", actor=world.user("counter_a"))
    dossier_act(
        dossier_id=dossier.pk,
        action="request_supplement",
        actor=world.user("specialist_xd"),
        fields={"items": ["Bản vẽ mặt bằng"], "note": "Ông Võ Văn A gọi 0987654321"},
    )
    html = client.get(f"/tra-cuu/{dossier.code}/").content.decode()
    assert dossier.code in html
    assert "Cấp giấy phép xây dựng" in html
    assert "Chờ bổ sung hồ sơ" in html
    assert "Hồ sơ được chuyển đến Sở Xây dựng để xử lý" in html
    assert "Bạn cần bổ sung" in html
    assert "Bản vẽ mặt bằng" in html
    assert "09:00 23/11/2026" in html
    for secret in ("Võ Thị Sáu", "083190000999", "0987654321", "Võ Văn A"):
        assert secret not in html


def test_the_form_leads_to_the_page_and_unknown_codes_say_so(client: Client, world: World) -> None:
    dossier = received(world)
    response = client.get("/tra-cuu/", {"ma": f" {dossier.code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{dossier.code}/"
    missing = client.get("/tra-cuu/H56.101.1-261123-9999/")
    assert missing.status_code == 404
    assert "Không tìm thấy hồ sơ" in missing.content.decode()


def test_the_page_is_throttled(client: Client, world: World, settings) -> None:
    from django.core.cache import cache

    dossier = received(world)
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "tracking": "2/minute",
        },
    }
    codes = [client.get(f"/tra-cuu/{dossier.code}/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def test_an_empty_code_is_explained_next_to_the_field_and_in_the_summary(client: Client) -> None:
    html = client.get("/tra-cuu/", {"ma": "  "}).content.decode()
    assert html.count("Bạn nhập mã hồ sơ in trên giấy tiếp nhận.") == 2
    assert '<a href="#ma">' in html
    assert 'aria-describedby="ma-error"' in html
    assert "Có lỗi cần sửa" not in client.get("/tra-cuu/").content.decode()
