"""What the reports look like to a leader or supervisor on a real province: chart labels that
fit, charts without a bar for every unit that did nothing, and a Decision 766 ranking that does
not put units without a single dossier first (ADR 0014)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.conftest import save_screenshot
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.reports import charts

from .conftest import NOW

pytestmark = pytest.mark.django_db

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
CENTRE = "Trung tâm Phục vụ hành chính công tỉnh"


@pytest.fixture
def frozen(book: dict[str, Dossier]) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield book


def _labels(svg: str) -> list[tuple[str, str]]:
    """(tooltip, shown text) of each bar label of a bar chart."""
    return re.findall(r"<text [^>]*><title>([^<]*)</title>([^<]*)</text>", svg)


def test_a_long_label_is_cut_to_fit_and_keeps_its_full_name_as_tooltip() -> None:
    long_name = "Bộ phận Một cửa phường Phú Khương"  # 33 characters: was cut off at the left
    short_name = "Sở Xây dựng"
    commune = "Ủy ban nhân dân phường Phú Khương"  # "UBND" as officials write it in tables

    svg = charts.bar_chart(
        [
            charts.Bar(long_name, [74.6]),
            charts.Bar(short_name, [50.0]),
            charts.Bar(commune, [40.0]),
        ],
        title="Xếp hạng",
        segments=[("Tỷ lệ đúng hạn", charts.GREEN)],
        maximum=100,
        suffix="%",
    )

    assert _labels(svg) == [
        (long_name, "Bộ phận Một cửa phường Phú…"),
        (short_name, short_name),
        (commune, "UBND phường Phú Khương"),
    ]
    assert all(len(shown) <= charts.LABEL_CHARS for _, shown in _labels(svg))


def test_dashboard_charts_leave_out_units_without_dossiers(
    client: Client, world: World, frozen: Any
) -> None:
    office_login(client, world.user("supervisor"))

    html = client.get("/can-bo/bao-cao/", NOVEMBER).content.decode()

    # The centre received nothing: it is a row of the table, not a bar of any chart.
    assert f"<title>{CENTRE}</title>" not in html
    assert f">{CENTRE}</a>" in html
    # The communes that worked have their bars in the resolved and the online charts.
    assert html.count("<title>Ủy ban nhân dân xã An Bình</title>") == 3


def test_dashboard_folds_units_without_dossiers_into_one_list(
    client: Client, world: World, frozen: Any
) -> None:
    office_login(client, world.user("supervisor"))

    html = client.get("/can-bo/bao-cao/", NOVEMBER).content.decode()
    table = html.split('<section aria-labelledby="units-title">', 1)[1]
    rows_part, idle_part = table.split('<details class="idle-units">', 1)

    assert f">{CENTRE}</a>" not in rows_part  # no row of zeros
    assert ">Ủy ban nhân dân xã An Bình</a>" in rows_part
    summary = re.search(
        r"<summary>(\d+) cơ quan, đơn vị chưa có hồ sơ nào trong kỳ</summary>", idle_part
    )
    assert summary is not None
    assert summary.group(1) == "2"  # the centre and the department of construction
    assert ">Sở Xây dựng</a></li>" in idle_part
    assert f'agency={world.province.children.get(name=CENTRE).code}">{CENTRE}</a></li>' in idle_part


def test_index_766_does_not_rank_a_unit_without_dossiers(
    client: Client, world: World, frozen: Any
) -> None:
    office_login(client, world.user("supervisor"))

    html = client.get("/can-bo/bao-cao/chi-so-766/", NOVEMBER).content.decode()

    assert (
        "Cơ quan, đơn vị chưa tiếp nhận, chưa giải quyết hồ sơ nào trong kỳ không có tổng điểm "
        "và không được xếp hạng." in html
    )
    rows = re.findall(
        r'<tr>\s*<td class="num">([^<]*)</td>\s*<th scope="row"><a [^>]*>([^<]*)</a></th>'
        r'.*?<td class="num"><strong>([^<]*)</strong></td>',
        html,
        flags=re.S,
    )
    ranked = [(rank, name) for rank, name, _ in rows]
    assert ranked[:2] == [("1", "Ủy ban nhân dân xã An Bình"), ("2", "Ủy ban nhân dân xã Cái Nhum")]
    assert (ranked[-1], rows[-1][2]) == (("—", CENTRE), "—")
    assert f"<title>{CENTRE}</title>" not in html  # nor a bar in the ranking chart


def test_headers_with_a_percent_sign_are_translated(
    client: Client, world: World, frozen: Any
) -> None:
    """{% translate "Đúng hạn (%)" %} looks up "Đúng hạn (%%)": both spellings are catalogued."""
    office_login(client, world.user("supervisor"))
    client.cookies["django_language"] = "en"

    index = client.get("/can-bo/bao-cao/chi-so-766/", NOVEMBER).content.decode()
    reengineering = client.get("/can-bo/bao-cao/cai-tien/", NOVEMBER).content.decode()
    dashboard = client.get("/can-bo/bao-cao/", NOVEMBER).content.decode()
    public = client.get("/minh-bach/").content.decode()

    assert "Dossiers filed online (full marks from 50%)" in index
    assert "Satisfaction (100% − late − complaints)" in index
    assert "Online rate (%)" in reengineering
    assert "On-time rate (%)" in reengineering
    assert "Online share against the 100% target" in dashboard
    assert "On time (%)" in public
    assert "Online (%)" in public
    for page in (index, reengineering, dashboard, public):
        assert "(%%)" not in page
        assert "Đúng hạn (%)" not in page
        assert "Tỷ lệ trực tuyến (%)" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_chart_stays_readable_on_a_phone(
    live_server: Any, page: Any, world: World, book: dict[str, Dossier]
) -> None:
    """Shrunk to a 360-pixel screen the chart's text was 6 pixels high; it keeps 36rem and its
    figure scrolls sideways, while the page itself does not."""
    cache.clear()
    page.goto(live_server.url + "/minh-bach/?nam=2026&co-quan=H56")

    chart_width = page.locator("figure svg").evaluate("e => e.getBoundingClientRect().width")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]

    assert chart_width >= 576 if viewport < 700 else chart_width <= 832
    assert page_width == viewport
    save_screenshot(page, "transparency-chart")


def test_a_rate_with_nothing_to_rate_is_a_dash_without_percent_sign(
    client: Client, world: World, frozen: Any
) -> None:
    office_login(client, world.user("supervisor"))

    idle = client.get("/can-bo/bao-cao/", {**NOVEMBER, "agency": "H56.6"}).content.decode()
    busy = client.get("/can-bo/bao-cao/", NOVEMBER).content.decode()
    public = client.get("/minh-bach/", {"nam": "2026", "co-quan": "H56.6"}).content.decode()

    assert '<span class="big">—</span> giải quyết đúng hạn' in idle
    assert '<span class="big">—</span> nộp trực tuyến' in idle
    assert '<span class="big">66,67%</span> giải quyết đúng hạn' in busy
    assert "—%" not in idle
    assert "—%" not in busy
    assert '<span class="big">—</span> đúng hạn' in public
    assert "—%" not in public


def test_the_received_column_reads_received_in_english(
    client: Client, world: World, frozen: Any
) -> None:
    office_login(client, world.user("supervisor"))
    client.cookies["django_language"] = "en"

    reengineering = client.get("/can-bo/bao-cao/cai-tien/", NOVEMBER).content.decode()
    public = client.get("/minh-bach/").content.decode()

    for page in (reengineering, public):
        assert '<th scope="col">Received</th>' in page
        assert ">Receive<" not in page
