"""The public transparency page (/minh-bach/): headline figures per agency for the year, no
personal data, cached for a minute; in a browser on a phone and a desktop (axe, page weight)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World

from .conftest import NOW


@pytest.fixture
def frozen(book: dict[str, Dossier]) -> Any:
    cache.clear()
    with time_machine.travel(NOW, tick=False):
        yield book
    cache.clear()


def _cells(html: str, name: str) -> list[str]:
    row = re.search(
        rf"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?{re.escape(name)}.*?</tr>", html, re.S
    )
    assert row is not None, name
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(0))


@pytest.mark.django_db
def test_the_province_this_year(client: Client, world: World, frozen: dict[str, Dossier]) -> None:
    response = client.get("/minh-bach/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số liệu từ 01/01/2026 đến 20/11/2026" in html
    # received, resolved, on time %, overdue now, online %, rating
    assert _cells(html, "Ủy ban nhân dân tỉnh Vĩnh Long") == [
        "10",
        "4",
        "75,00",
        "3",
        "20,00",
        "3,50",
    ]
    # No dossier and no person: neither codes nor names.
    codes = [d.code for d in Dossier.objects.exclude(code=None)]
    assert len(codes) == 10
    assert not [code for code in codes if code in html]
    assert "Nguyễn Văn An" not in html
    # The footer of every portal page leads here.
    assert '<a href="/minh-bach/">Kết quả giải quyết hồ sơ</a>' in html


@pytest.mark.django_db
def test_drill_down_into_the_province(
    client: Client, world: World, frozen: dict[str, Dossier]
) -> None:
    html = client.get("/minh-bach/", {"co-quan": "H56", "nam": "2026"}).content.decode()
    assert _cells(html, "Ủy ban nhân dân xã An Bình") == ["9", "4", "75,00", "2", "11,11", "3,50"]
    assert _cells(html, "Ủy ban nhân dân xã Cái Nhum") == ["1", "0", "—", "1", "100,00", "—"]
    assert '<a href="?nam=2026&amp;co-quan=H56.101">Ủy ban nhân dân xã An Bình</a>' in html
    assert "Sở Xây dựng</th>" in html  # no units: no link
    assert "Về toàn tỉnh" in html


@pytest.mark.django_db
def test_figures_are_cached_for_a_minute(
    client: Client, world: World, frozen: dict[str, Dossier], django_assert_num_queries: Any
) -> None:
    client.get("/minh-bach/")
    with django_assert_num_queries(0):
        assert client.get("/minh-bach/").status_code == 200
    with time_machine.travel(NOW.timestamp() + 61, tick=False):
        Dossier.objects.filter(pk=frozen["F"].pk).update(channel="online")
        html = client.get("/minh-bach/").content.decode()
    assert _cells(html, "Ủy ban nhân dân tỉnh Vĩnh Long")[4] == "30,00"


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"co-quan": "X99"}, {"nam": "1999"}, {"nam": "2099"}], ids=str)
def test_unknown_agency_or_year_is_404(
    client: Client, world: World, params: dict[str, str]
) -> None:
    assert client.get("/minh-bach/", params).status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_transparency_page_in_a_browser(
    live_server: Any, page: Any, world: World, book: dict[str, Dossier]
) -> None:
    cache.clear()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Kết quả giải quyết hồ sơ").click()
    page.wait_for_url("**/minh-bach/")
    page.get_by_label("Năm").select_option("2026")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("link", name="Ủy ban nhân dân tỉnh Vĩnh Long").click()
    page.wait_for_url(re.compile(r".*co-quan=H56$"))
    assert page.locator("figure svg").get_attribute("aria-hidden") == "true"
    assert_accessible(page)
    assert_page_weight(page)
    save_screenshot(page, "transparency")


@pytest.mark.django_db
def test_transparency_in_english(client: Client, world: World, frozen: dict[str, Dossier]) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/minh-bach/").content.decode()
    assert "<h1>Dossier results</h1>" in html
    assert "Figures from 01/01/2026 to 20/11/2026, updated every minute." in html
    assert '<span class="big">10</span> dossiers received' in html
