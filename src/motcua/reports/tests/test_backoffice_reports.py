"""The back-office reports on the hand-built set (conftest.py): who may see them, the figures
and drill-down, the exports opened and read cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierStepFactory

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def frozen(book: dict[str, Dossier]) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield book


def _login(client: Client, world: World, name: str) -> Client:
    return office_login(client, world.user(name))


def test_supervisor_dashboard_shows_the_province_and_its_units(
    client: Client, world: World, frozen: Any
) -> None:
    _login(client, world, "supervisor")
    response = client.get("/can-bo/bao-cao/", NOVEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo, thống kê: Ủy ban nhân dân tỉnh Vĩnh Long" in html
    assert '<span class="big">7</span> hồ sơ tiếp nhận trong kỳ' in html
    assert '<span class="big">66,67%</span> giải quyết đúng hạn' in html
    assert '<span class="big late">3</span> đang giải quyết, quá hạn' in html
    # Four charts, hidden from assistive technology, each followed by its table.
    assert html.count('aria-hidden="true" focusable="false"') == 4
    assert html.count("Xem bảng số liệu") == 4
    # Drill-down: each unit of the province links to its own dashboard.
    assert (
        '<a href="/can-bo/bao-cao/?from=2026-11-01&amp;to=2026-11-30&amp;agency=H56.101">'
        "Ủy ban nhân dân xã An Bình</a>" in html
    )
    # No applicant's data anywhere.
    assert "Nguyễn Văn An" not in html
    # The back office's navigation leads here.
    assert '<a href="/can-bo/bao-cao/">Báo cáo, thống kê</a>' in html


def test_drill_down_agency_procedure_late_dossiers(
    client: Client, world: World, frozen: Any
) -> None:
    _login(client, world, "supervisor")
    commune = client.get("/can-bo/bao-cao/", {**NOVEMBER, "agency": "H56.101"}).content.decode()
    assert "Bộ phận Một cửa xã An Bình" in commune
    desk = client.get("/can-bo/bao-cao/", {**NOVEMBER, "agency": "H56.101.1"}).content.decode()
    assert "Xem số liệu từng thủ tục của đơn vị này" in desk
    procedures = client.get(
        "/can-bo/bao-cao/thu-tuc/", {**NOVEMBER, "agency": "H56.101.1"}
    ).content.decode()
    assert (
        "/can-bo/bao-cao/qua-han/?from=2026-11-01&amp;to=2026-11-30&amp;agency=H56.101.1"
        "&amp;procedure=1.001193" in procedures
    )
    late = client.get(
        "/can-bo/bao-cao/qua-han/", {**NOVEMBER, "agency": "H56.101.1", "procedure": "1.001193"}
    )
    html = late.content.decode()
    # C resolved late; B and H overdue at the end (as of now); ordered by due time.
    codes = [frozen[k].code for k in ("B", "C", "H")]
    positions = [html.index(f">{code}</a>") for code in codes]
    assert positions == sorted(positions)
    for key in ("B", "C", "H"):
        assert f'<a href="/can-bo/ho-so/{frozen[key].pk}/" translate="no">' in html
    for key in ("A", "D", "E", "F", "G", "J", "L"):
        assert str(frozen[key].pk) not in html
    assert "3 hồ sơ" in html


@pytest.mark.parametrize("name", ["counter_a", "specialist_a", "assistant_a"])
def test_other_roles_are_refused(client: Client, world: World, frozen: Any, name: str) -> None:
    _login(client, world, name)
    assert '<a href="/can-bo/bao-cao/">' not in client.get("/can-bo/").content.decode()
    for url in ("/can-bo/bao-cao/", "/can-bo/bao-cao/chi-so-766/", "/can-bo/bao-cao/qua-han/"):
        response = client.get(url, {**NOVEMBER, "format": "xlsx"})
        assert response.status_code == 403
        assert response["Content-Type"].startswith("text/html")
        assert "Không có quyền xem báo cáo" in response.content.decode()


def test_a_leader_stays_in_their_subtree(client: Client, world: World, frozen: Any) -> None:
    _login(client, world, "leader_a")
    own = client.get("/can-bo/bao-cao/", NOVEMBER)
    assert own.status_code == 200
    assert '<span class="big">6</span> hồ sơ tiếp nhận trong kỳ' in own.content.decode()
    other = client.get("/can-bo/bao-cao/", {**NOVEMBER, "agency": "H56.102.1", "format": "csv"})
    assert other.status_code == 403
    assert client.get("/can-bo/bao-cao/", {"agency": "H56"}).status_code == 403


def test_bad_dates_get_a_clear_400_page(client: Client, world: World, frozen: Any) -> None:
    _login(client, world, "supervisor")
    response = client.get("/can-bo/bao-cao/", {"from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()


def test_not_logged_in_goes_to_the_login_page(client: Client, world: World) -> None:
    response = client.get("/can-bo/bao-cao/")
    assert response.status_code == 302
    assert response.url.startswith("/can-bo/dang-nhap/")


def test_dashboard_export_xlsx_has_agency_rows_and_totals(
    client: Client, world: World, frozen: Any
) -> None:
    _login(client, world, "supervisor")
    response = client.get("/can-bo/bao-cao/", {**NOVEMBER, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-h56.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Tình hình giải quyết hồ sơ"
    assert sheet["A2"].value == "Ủy ban nhân dân tỉnh Vĩnh Long — Từ 01/11/2026 đến 30/11/2026"
    header = [c.value for c in sheet[4]]
    assert header[:4] == [
        "Cơ quan, đơn vị",
        "Kỳ trước chuyển sang",
        "Tiếp nhận trong kỳ",
        "Tiếp nhận trực tuyến",
    ]
    assert header[-3:] == ["Tỷ lệ đúng hạn (%)", "Tỷ lệ trực tuyến (%)", "Điểm đánh giá (1–5)"]
    names = [sheet.cell(row=r, column=1).value for r in range(5, 10)]
    assert names == [
        "Trung tâm Phục vụ hành chính công tỉnh",  # by code: H56.1, H56.101, H56.102, H56.6
        "Ủy ban nhân dân xã An Bình",
        "Ủy ban nhân dân xã Cái Nhum",
        "Sở Xây dựng",
        "Tổng cộng",
    ]
    commune_a = [c.value for c in sheet[6]]
    assert commune_a[1:4] == [2, 6, 1]  # carried over, received, online
    assert commune_a[-3:] == [66.67, 16.67, 3.5]
    totals = [c.value for c in sheet[9]]
    assert totals[1:12] == [2, 7, 2, 1, 1, 1, 2, 3, 2, 1, 1]
    assert totals[-3:] == [66.67, 28.57, 3.5]
    assert sheet["A9"].font.bold


def test_dashboard_export_csv(client: Client, world: World, frozen: Any) -> None:
    _login(client, world, "supervisor")
    response = client.get("/can-bo/bao-cao/", {**NOVEMBER, "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "Cơ quan, đơn vị"
    assert rows[2][:3] == ["Ủy ban nhân dân xã An Bình", "2", "6"]
    assert rows[-1] == [
        "Tổng cộng",
        "2",
        "7",
        "2",
        "1",
        "1",
        "1",
        "2",
        "3",
        "2",
        "1",
        "1",
        "66.67",
        "28.57",
        "3.5",
    ]


def test_index_766_table_ranking_and_export(client: Client, world: World, frozen: Any) -> None:
    _login(client, world, "supervisor")
    page = client.get("/can-bo/bao-cao/chi-so-766/", NOVEMBER)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Công khai, minh bạch (18)" in html
    assert "Số hóa hồ sơ (22)" in html
    response = client.get("/can-bo/bao-cao/chi-so-766/", {**NOVEMBER, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[4]]
    assert header == [
        "Cơ quan, đơn vị",
        "Công khai, minh bạch (18)",
        "Tiến độ giải quyết (20)",
        "Dịch vụ công trực tuyến (12)",
        "Thanh toán trực tuyến (10)",
        "Mức độ hài lòng (18)",
        "Số hóa hồ sơ (22)",
        "Tổng điểm (100)",
        "Xếp hạng",
    ]
    rows = {sheet.cell(row=r, column=1).value: [c.value for c in sheet[r]] for r in range(5, 10)}
    # Commune A handles birth (full online) and permit (not online), neither with a complete
    # public record → publicity 0; timeliness 20 × 2/3; online: 16.67/50 × 6 + 50/80 × 6;
    # satisfaction 18 × (100 − 33.33 late − 33.33 complaints)%; no fees; nothing stored.
    assert rows["Ủy ban nhân dân xã An Bình"][1:7] == [0, 13.33, 5.75, None, 6, 0]
    assert rows["Ủy ban nhân dân xã An Bình"][8] == 1
    assert rows["Ủy ban nhân dân xã Cái Nhum"][8] == 2
    # The centre has procedures but no dossiers in the period: its catalogue's groups are
    # shown, but it has no total and no rank (ADR 0014).
    assert rows["Trung tâm Phục vụ hành chính công tỉnh"][7:] == [None, None]
    assert sheet.cell(row=9, column=1).value == "Toàn bộ"


def test_reengineering_steps_median_p90_and_late(client: Client, world: World, frozen: Any) -> None:
    # Step 2 of birth registrations finished in November: 2, 4, 6, 8 and 20 hours; one late.
    for hours, late in [(2, False), (4, False), (6, False), (8, False), (20, True)]:
        dossier = frozen["E"] if hours == 2 else DossierStepFactory().dossier
        Dossier.objects.filter(pk=dossier.pk).update(agency=world.desk_a, procedure=world.birth)
        DossierStepFactory(
            dossier=dossier,
            position=2,
            name="Thẩm định hồ sơ",
            started_at=at(11, 10),
            finished_at=at(11, 10) + dt.timedelta(hours=hours),
            timeliness="late" if late else "on_time",
            current=False,
        )
    _login(client, world, "supervisor")
    response = client.get(
        "/can-bo/bao-cao/cai-tien/", {**NOVEMBER, "agency": "H56.101.1", "procedure": "1.001193"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bước chậm nhất: <strong>Thẩm định hồ sơ</strong>." in html
    # median 6 h; p90 = 8 + 0.6 × (20 − 8) = 15.2 h; 1 of 5 late.
    assert (
        '<th scope="row">2. Thẩm định hồ sơ</th><td class="num">5</td><td class="num">6,00</td>'
        '<td class="num">15,20</td><td class="num">1</td><td class="num">20,00</td>' in html
    )


def test_reports_in_english(client: Client, world: World, frozen: Any) -> None:
    _login(client, world, "supervisor")
    client.cookies["django_language"] = "en"
    html = client.get("/can-bo/bao-cao/", NOVEMBER).content.decode()
    assert "<h1>Reports: Ủy ban nhân dân tỉnh Vĩnh Long</h1>" in html
    assert '<span class="big">7</span> dossiers received in the period' in html
    assert "On-time and online rates by month" in html
    assert "From 01/11/2026 to 30/11/2026." in html
    index = client.get("/can-bo/bao-cao/chi-so-766/", NOVEMBER).content.decode()
    assert "Publicity and transparency (18)" in index
    assert "Service index for citizens and businesses" in index


@pytest.mark.parametrize(
    ("url", "extra", "header", "first_rows"),
    [
        (
            "/can-bo/bao-cao/thu-tuc/",
            {"agency": "H56.101.1"},
            ["Thủ tục", "Kỳ trước chuyển sang", "Tiếp nhận trong kỳ"],
            [["1.001193 — Đăng ký khai sinh", 2, 6], ["Tổng cộng", 2, 6]],
        ),
        (
            "/can-bo/bao-cao/cai-tien/",
            {"agency": "H56"},
            ["Mã thủ tục", "Thủ tục", "Tiếp nhận trong kỳ"],
            [["1.001193", "Đăng ký khai sinh", 6]],
        ),
        (
            "/can-bo/bao-cao/qua-han/",
            {"agency": "H56.102.1"},
            ["Mã hồ sơ", "Thủ tục", "Nơi tiếp nhận"],
            [["L", "Cấp giấy phép xây dựng", "Bộ phận Một cửa xã Cái Nhum"]],
        ),
    ],
)
def test_every_report_exports_to_excel(
    client: Client,
    world: World,
    frozen: Any,
    url: str,
    extra: dict[str, str],
    header: list[str],
    first_rows: list[list[Any]],
) -> None:
    _login(client, world, "supervisor")
    response = client.get(url, {**NOVEMBER, **extra, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[4]][: len(header)] == header
    for offset, expected in enumerate(first_rows):
        row = [c.value for c in sheet[5 + offset]][: len(expected)]
        if expected[0] == "L":
            expected = [frozen["L"].code, world.permit.name, *expected[2:]]
        assert row == expected
