"""A person types the code from their receipt and reads where their dossier is."""

import pytest

from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_track_a_dossier_by_its_code(live_server, page, world: World) -> None:
    dossier = dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Lý Thị Mai"),
    )
    dossier_act(dossier_id=dossier.pk, action="forward", actor=world.user("counter_a"))

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã hồ sơ (in trên giấy tiếp nhận)").fill(dossier.code)
    page.get_by_role("button", name="Tra cứu").click()

    page.wait_for_url(f"**/tra-cuu/{dossier.code}/")
    assert page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").is_visible()
    assert page.get_by_text("Đang giải quyết", exact=True).is_visible()
    assert page.get_by_text("Bạn không cần làm gì thêm").is_visible()
    assert "Lý Thị Mai" not in page.content()
    save_screenshot(page, "portal-track")
    assert_accessible(page)
    assert_page_weight(page)
