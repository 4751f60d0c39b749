"""A citizen follows her own dossier: the desk asks for a supplement, she reads what is missing,
uploads a PDF and sends it back; later she downloads the result delivered online and rates the
service. Another citizen withdraws a dossier. On a phone and on a desktop; the supplement and
result flow also without JavaScript (plain form posts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_page_weight,
    save_screenshot,
)
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Document, Rating
from motcua.dossiers.tests.conftest import World

from .files import make_pdf
from .journeys import DESK_NOTE, MISSING, ask_supplement, decide_with_result, received_online
from .test_browser_apply import WATCH_PROGRESS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def _without_javascript(chromium: Any, viewport: str) -> Any:
    options = PHONE if viewport == "phone" else DESKTOP
    context = chromium.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        java_script_enabled=False,
        accept_downloads=True,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = f"{viewport}-nojs"
    return page


def _citizen(world: World) -> User:
    citizen = world.user("citizen")
    citizen.full_name = "Nguyễn Thị Hoa"
    citizen.save()
    return citizen


def test_supplement_then_download_the_result_and_rate(
    live_server: Any,
    page: Any,
    chromium: Any,
    world: World,
    logged_in_page: Callable[..., Any],
    javascript: bool,
    tmp_path: Path,
) -> None:
    citizen = _citizen(world)
    dossier = received_online(world, citizen)
    ask_supplement(world, dossier)  # the desk, through the services
    scan = tmp_path / "giay-chung-sinh-ban-chinh.pdf"
    scan.write_bytes(make_pdf("Giay chung sinh - ban chinh"))
    if not javascript:
        page = _without_javascript(chromium, page.viewport_name)
    logged_in_page(citizen, page)
    base = live_server.url
    own_page = f"{base}/ho-so-cua-toi/{dossier.pk}/"

    # From "Hồ sơ của tôi" to the dossier's page.
    page.goto(f"{base}/tai-khoan/ho-so/")
    card = page.get_by_role("listitem").filter(has_text=dossier.code)
    assert card.get_by_text("Chờ bổ sung hồ sơ", exact=True).is_visible()
    card.get_by_role("link", name="Đăng ký khai sinh").click()
    page.wait_for_url(own_page)

    # What is missing, exactly as the desk wrote it.
    assert page.get_by_role("heading", name="Việc bạn cần làm bây giờ").is_visible()
    assert page.get_by_text("Bạn cần bổ sung các giấy tờ dưới đây.").is_visible()
    missing = page.locator("ul.missing li")
    assert missing.all_inner_texts() == MISSING
    assert page.get_by_text(DESK_NOTE).is_visible()
    assert page.get_by_text("Cơ quan đề nghị bổ sung, hoàn thiện hồ sơ.").is_visible()
    save_screenshot(page, "mine-1-supplement-asked")
    assert_accessible(page)
    assert_page_weight(page)

    # Sending before choosing a file: told next to the field and in a summary that links to it.
    page.get_by_role("button", name="Gửi bổ sung").click()
    summary = page.get_by_role("alert")
    assert "Bạn cần sửa những chỗ sau" in summary.inner_text()
    assert page.locator("#id_item-0-error").inner_text().startswith("Bạn chưa tải lên giấy tờ nào")
    save_screenshot(page, "mine-2-supplement-error")
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile(re.escape(MISSING[0]))).click()
    assert page.url.endswith("#id_item-0")

    # The PDF for the first item, a word to the desk, and send.
    page.get_by_label(MISSING[0]).set_input_files(str(scan))
    page.get_by_label("Ghi chú gửi cơ quan (nếu có)").fill("Tôi gửi bản chụp rõ hơn.")
    if javascript:  # the file goes up by XHR, with the wizard's progress bar
        page.evaluate(WATCH_PROGRESS)
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.request.resource_type == "xhr"
        ):
            page.get_by_role("button", name="Gửi bổ sung").click()
        page.get_by_role("status").get_by_text("Đã gửi bổ sung.").wait_for()
        assert page.evaluate("window.progressSeen")[-1] == "100%"
    else:
        page.get_by_role("button", name="Gửi bổ sung").click()
    page.wait_for_url(own_page)
    assert page.get_by_role("status").get_by_text("Đã gửi bổ sung.").is_visible()
    assert page.get_by_text("Đã tiếp nhận", exact=True).is_visible()
    assert page.get_by_text("Hồ sơ đã được bổ sung; cơ quan tiếp tục giải quyết.").is_visible()
    assert page.get_by_role("button", name="Gửi bổ sung").count() == 0
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert Document.objects.filter(dossier=dossier, name=scan.name).exists()
    save_screenshot(page, "mine-3-supplement-sent")

    # The commune decides; the result is delivered online.
    decide_with_result(world, dossier)
    page.reload()
    assert page.get_by_text("Đã trả kết quả", exact=True).first.is_visible()
    download_link = page.get_by_role("link", name="Tải về giay-khai-sinh.pdf")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "giay-khai-sinh.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # Four stars and a comment; the rating is then shown, and only once.
    rating = page.get_by_role("group", name="Bạn hài lòng với việc giải quyết hồ sơ này ở mức nào?")
    assert rating.get_by_role("radio").count() == 5
    save_screenshot(page, "mine-4-result")
    assert_accessible(page)
    assert_page_weight(page)
    rating.get_by_label("4 sao – Hài lòng").check()
    page.get_by_label("Góp ý của bạn (nếu có)").fill("Cán bộ hướng dẫn tận tình, trả kết quả sớm.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url(f"{own_page}#danh-gia")
    assert page.get_by_text("Cảm ơn bạn đã đánh giá.").is_visible()
    assert page.get_by_text("Bạn đã đánh giá: 4/5 sao.").is_visible()
    assert page.get_by_text("Cán bộ hướng dẫn tận tình, trả kết quả sớm.").is_visible()
    assert page.get_by_role("button", name="Gửi đánh giá").count() == 0
    save_screenshot(page, "mine-5-rated")
    assert_accessible(page)
    stored = Rating.objects.get(dossier=dossier)
    assert (stored.score, stored.comment) == (4, "Cán bộ hướng dẫn tận tình, trả kết quả sớm.")
    if not javascript:
        page.context.close()


def _tab_to(page: Any, text: str, *, element_id: str = "") -> None:
    """Press Tab until the focused element has this text (or this id), as a keyboard user does."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? [e.id, (e.textContent || '').trim()] : ['', '']; }"
        )
        if (element_id and focused[0] == element_id) or (not element_id and focused[1] == text):
            return
    pytest.fail(f"Tab never reached {text or element_id!r}")


def test_withdraw_a_dossier(
    live_server: Any, page: Any, world: World, logged_in_page: Callable[..., Any]
) -> None:
    citizen = _citizen(world)
    dossier = received_online(world, citizen)
    logged_in_page(citizen, page)
    own_page = f"{live_server.url}/ho-so-cua-toi/{dossier.pk}/"

    page.goto(own_page)
    assert page.get_by_text("Bạn không cần làm gì thêm.").is_visible()
    page.get_by_role("link", name="Rút hồ sơ").click()
    page.wait_for_url(f"{own_page}rut-ho-so/")
    assert page.get_by_text(f"Bạn có chắc muốn rút hồ sơ {dossier.code}?").is_visible()
    save_screenshot(page, "mine-withdraw-confirm")
    assert_accessible(page)
    assert_page_weight(page)

    # Changing one's mind first: nothing happens.
    page.get_by_role("link", name="Không, quay lại hồ sơ").click()
    page.wait_for_url(own_page)
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED

    # Then with the keyboard only.
    _tab_to(page, "Rút hồ sơ")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{own_page}rut-ho-so/")
    _tab_to(page, "", element_id="id_note")
    page.keyboard.type("Gia đình tôi chuyển sang tỉnh khác.")
    _tab_to(page, "Tôi muốn rút hồ sơ")
    page.keyboard.press("Enter")
    page.wait_for_url(own_page)
    assert page.get_by_role("status").get_by_text("Đã gửi đề nghị rút hồ sơ.").is_visible()
    assert page.get_by_text("Xin rút hồ sơ", exact=True).is_visible()
    assert page.get_by_text("Người nộp đề nghị rút hồ sơ.").is_visible()
    assert page.get_by_role("link", name="Rút hồ sơ").count() == 0
    save_screenshot(page, "mine-withdrawn")
    assert_accessible(page)
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWAL_REQUESTED
    event = dossier.events.order_by("seq").last()
    assert event is not None
    assert (event.action, event.note) == ("withdraw", "Gia đình tôi chuyển sang tỉnh khác.")
