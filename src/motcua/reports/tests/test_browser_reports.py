"""The supervisors' dashboard in a browser: from the navigation to the figures and charts of
a period, each chart's table, and the drill-down province → commune → desk → procedure → late
dossiers → the dossier screen; axe finds no serious violation; on a desktop and a tablet."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.backoffice.tests.conftest import browser_office_login
from motcua.backoffice.tests.conftest import office_page as office_page  # a fixture, by name
from motcua.conftest import assert_accessible, save_screenshot
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierStepFactory

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_dashboard_and_drill_down(
    live_server: Any, office_page: Any, world: World, book: dict[str, Dossier]
) -> None:
    page = office_page
    browser_office_login(page, live_server.url, world, "supervisor")
    page.get_by_role("link", name="Báo cáo, thống kê").click()
    page.wait_for_url("**/can-bo/bao-cao/")
    page.get_by_label("Từ ngày").fill("2026-10-01")
    page.get_by_label("Đến ngày").fill("2026-11-30")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*from=2026-10-01.*to=2026-11-30.*"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo, thống kê: Ủy ban nhân dân tỉnh Vĩnh Long"
    )
    headline = page.locator(".headline li").all_inner_texts()
    assert headline[0].split() == ["10", "hồ", "sơ", "tiếp", "nhận", "trong", "kỳ"]
    # The trend chart's table: October and November with their rates.
    trend = page.locator("figure", has_text="Tỷ lệ đúng hạn và trực tuyến theo tháng")
    expect(trend.locator("svg")).to_have_attribute("aria-hidden", "true")
    trend.get_by_text("Xem bảng số liệu").click()
    rows = trend.locator("tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [
        ["10/2026", "3", "1", "100,00", "0,00"],
        ["11/2026", "7", "3", "66,67", "28,57"],
    ]
    assert_accessible(page)
    save_screenshot(page, "reports-dashboard")

    # Drill down to the late dossiers of one procedure, then to a dossier.
    page.get_by_role("link", name="Ủy ban nhân dân xã An Bình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo, thống kê: Ủy ban nhân dân xã An Bình"
    )
    page.get_by_role("link", name="Bộ phận Một cửa xã An Bình").click()
    page.get_by_role("link", name="Xem số liệu từng thủ tục của đơn vị này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Số liệu theo thủ tục: Bộ phận Một cửa xã An Bình"
    )
    page.get_by_role("link", name="1.001193 — Đăng ký khai sinh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ quá hạn: Bộ phận Một cửa xã An Bình — Đăng ký khai sinh"
    )
    codes = page.locator("tbody tr td:first-child a").all_inner_texts()
    # Late by the end of November (F's due time, 21/11, has passed by then too).
    assert set(codes) == {book[k].code for k in ("B", "C", "F", "H")}
    assert_accessible(page)
    save_screenshot(page, "reports-late")
    page.get_by_role("link", name=book["C"].code).click()
    page.wait_for_url(f"**/can-bo/ho-so/{book['C'].pk}/")


def test_a_leader_finds_the_slowest_step_of_a_procedure(
    live_server: Any, office_page: Any, world: World, book: dict[str, Dossier]
) -> None:
    # Given birth registrations whose "Thẩm định" step took 2, 4 and 12 hours in November
    for hours, late in [(2, False), (4, False), (12, True)]:
        DossierStepFactory(
            dossier=book["A"],
            position=2,
            name="Thẩm định hồ sơ",
            started_at=at(11, 10),
            finished_at=at(11, 10) + dt.timedelta(hours=hours),
            timeliness="late" if late else "on_time",
            current=False,
        )
    page = office_page
    browser_office_login(page, live_server.url, world, "supervisor")
    page.get_by_role("link", name="Báo cáo, thống kê").click()
    page.get_by_label("Từ ngày").fill("2026-10-01")
    page.get_by_label("Đến ngày").fill("2026-11-30")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*from=2026-10-01.*"))
    # When they open the re-engineering view and pick the procedure with the most late dossiers
    page.get_by_role("link", name="Cải tiến quy trình").click()
    page.wait_for_url(re.compile(r".*/can-bo/bao-cao/cai-tien/\?.*from=2026-10-01.*"))
    late = page.locator("section", has=page.get_by_role("heading", name="Nhiều hồ sơ quá hạn nhất"))
    late.get_by_role("link", name="Đăng ký khai sinh").click()
    # Then the step table names the slowest step with its median, p90 and late share
    steps = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Thời gian")))
    expect(steps.get_by_text("Bước chậm nhất:")).to_contain_text("Thẩm định hồ sơ")
    row = steps.locator("tbody tr", has_text="Thẩm định hồ sơ").inner_text().split("\t")
    assert row == ["2. Thẩm định hồ sơ", "3", "4,00", "10,40", "1", "33,33"]
    assert_accessible(page)
    save_screenshot(page, "reports-reengineering")
