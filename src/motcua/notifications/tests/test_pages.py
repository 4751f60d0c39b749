"""The staff notices page (/can-bo/thong-bao/) and the citizen's channels page (/thong-bao/)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.constants import Action, Status
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierEventFactory, DossierFactory
from motcua.notifications.constants import NoticeKind
from motcua.notifications.models import NotificationPreference, StaffNotice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _notice(world: World, username: str, kind: str = NoticeKind.ASSIGNED) -> StaffNotice:
    dossier = DossierFactory(
        agency=world.desk_a,
        procedure=world.birth,
        current_agency=world.commune_a,
        status=Status.PROCESSING,
    )
    event = DossierEventFactory(dossier=dossier, action=Action.FORWARD)
    return StaffNotice.objects.create(
        user=world.user(username), dossier=dossier, kind=kind, source_event=event
    )


def test_an_officer_sees_only_their_notices(client: Client, world: World) -> None:
    mine = _notice(world, "specialist_a")
    other = _notice(world, "specialist_b")
    office_login(client, world.user("specialist_a"))
    html = client.get("/can-bo/thong-bao/").content.decode()
    assert f'id="notice-{mine.pk}"' in html
    assert mine.dossier.code in html
    assert "Hồ sơ được giao cho bạn" in html
    assert "1 thông báo chưa xem." in html
    assert f'id="notice-{other.pk}"' not in html
    assert other.dossier.code not in html


def test_marking_read_touches_only_the_viewers_notices(client: Client, world: World) -> None:
    mine = _notice(world, "specialist_a")
    other = _notice(world, "specialist_b")
    office_login(client, world.user("specialist_a"))
    response = client.post("/can-bo/thong-bao/da-xem/", {"notice": [str(mine.pk), str(other.pk)]})
    assert response.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None
    assert "0 thông báo chưa xem." in client.get("/can-bo/thong-bao/").content.decode()


def test_mark_all_read(client: Client, world: World) -> None:
    _notice(world, "specialist_a")
    _notice(world, "specialist_a", NoticeKind.SUPPLEMENTED)
    office_login(client, world.user("specialist_a"))
    client.post("/can-bo/thong-bao/da-xem/", {"all": "1"})
    assert StaffNotice.objects.filter(read_at__isnull=True).count() == 0


def test_notices_need_a_staff_login(client: Client, world: World) -> None:
    notice = _notice(world, "specialist_a")
    response = client.get("/can-bo/thong-bao/")
    assert response.status_code == 302
    assert response.url.startswith("/can-bo/dang-nhap/")
    client.force_login(world.user("citizen"))
    response = client.post("/can-bo/thong-bao/da-xem/", {"all": "1"})
    assert response.status_code in (302, 403)
    notice.refresh_from_db()
    assert notice.read_at is None


def test_notices_page_in_english(client: Client, world: World) -> None:
    _notice(world, "specialist_a")
    office_login(client, world.user("specialist_a"))
    client.cookies["django_language"] = "en"
    html = client.get("/can-bo/thong-bao/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My notices" in html
    assert "Dossier assigned to you" in html


def test_citizen_chooses_channels(client: Client, world: World) -> None:
    citizen = world.user("citizen")
    client.force_login(citizen)
    html = client.get("/thong-bao/").content.decode()
    assert 'name="email" id="id_email" checked' in html
    assert 'name="zalo" id="id_zalo"' in html
    assert 'name="zalo" id="id_zalo" checked' not in html
    response = client.post("/thong-bao/", {"sms": "on", "zalo": "on"})
    assert response.status_code == 302
    row = NotificationPreference.objects.get(user=citizen)
    assert (row.email, row.sms, row.zalo) == (False, True, True)
    assert "Đã lưu cách nhận thông báo." in client.get("/thong-bao/").content.decode()


def test_channels_page_needs_login(client: Client) -> None:
    response = client.post("/thong-bao/", {"sms": "on"})
    assert response.status_code == 302
    assert "/tai-khoan/" in response.url
    assert NotificationPreference.objects.count() == 0
