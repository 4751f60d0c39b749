"""The notices page and the channels page in a browser: accessible (axe), usable on a tablet
and a phone, marking read and saving a choice."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.conftest import assert_accessible, save_screenshot
from motcua.dossiers.constants import Action, Status
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierEventFactory, DossierFactory
from motcua.notifications.constants import NoticeKind
from motcua.notifications.models import NotificationPreference, StaffNotice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_into(page: Any, client: Client, base: str) -> None:
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_officer_reads_a_notice(live_server: Any, office_page: Any, world: World) -> None:
    page = office_page
    dossier = DossierFactory(
        agency=world.desk_a,
        procedure=world.birth,
        current_agency=world.commune_a,
        status=Status.PROCESSING,
    )
    event = DossierEventFactory(dossier=dossier, action=Action.FORWARD)
    notice = StaffNotice.objects.create(
        user=world.user("specialist_a"),
        dossier=dossier,
        kind=NoticeKind.ASSIGNED,
        source_event=event,
    )
    _session_into(page, office_login(Client(), world.user("specialist_a")), live_server.url)
    page.goto(live_server.url + "/can-bo/thong-bao/")
    assert page.get_by_role("heading", name="Thông báo của tôi").is_visible()
    assert page.get_by_role("link", name=dossier.code).is_visible()
    save_screenshot(page, "notices")
    assert_accessible(page)
    page.get_by_role("button", name=f"Đã xem thông báo hồ sơ {dossier.code}").click()
    page.wait_for_load_state()
    assert page.locator("#unread").inner_text() == "0 thông báo chưa xem."
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)
def test_citizen_saves_channels(live_server: Any, page: Any, world: World) -> None:
    citizen = world.user("citizen")
    client = Client()
    client.force_login(citizen)
    _session_into(page, client, live_server.url)
    page.goto(live_server.url + "/thong-bao/")
    assert page.get_by_role("heading", name="Cách nhận thông báo").is_visible()
    save_screenshot(page, "notification-channels")
    assert_accessible(page)
    page.get_by_label("Thư điện tử").uncheck()
    page.get_by_label("Zalo (gửi tới số điện thoại)").check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert page.get_by_text("Đã lưu cách nhận thông báo.").is_visible()
    row = NotificationPreference.objects.get(user=citizen)
    assert (row.email, row.sms, row.zalo) == (False, True, True)
