"""The admin lists outbox rows read-only and sends chosen ones again."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.conftest import admin_login
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage

from .conftest import Provider
from .factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client: Client) -> Client:
    return admin_login(
        client, User.objects.create_superuser(username="quantri", password="x-2026-y")
    )


def test_list_and_detail_show_the_rows(admin_client_: Client) -> None:
    row = OutboxMessageFactory(dead=True, idempotency_key="notif-42")
    listing = admin_client_.get("/admin/outbox/outboxmessage/?state=dead").content.decode()
    assert f"/admin/outbox/outboxmessage/{row.pk}/change/" in listing
    assert '<td class="field-state">Gửi thất bại</td>' in listing
    detail = admin_client_.get(f"/admin/outbox/outboxmessage/{row.pk}/change/").content.decode()
    assert "notif-42" in detail
    assert "ProviderDown: refused" in detail
    assert 'name="idempotency_key"' not in detail  # read-only


def test_resend_action(
    admin_client_: Client, provider: Provider, django_capture_on_commit_callbacks
) -> None:
    dead = OutboxMessageFactory(dead=True, idempotency_key="again")
    other = OutboxMessageFactory(dead=True, idempotency_key="left")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(
            "/admin/outbox/outboxmessage/",
            {"action": "resend", "_selected_action": [dead.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "Đã đặt 1 thư để gửi lại." in response.content.decode()
    assert OutboxMessage.objects.get(pk=dead.pk).state == State.DELIVERED
    assert OutboxMessage.objects.get(pk=other.pk).state == State.DEAD
    assert [key for key, _ in provider.received] == ["again"]


def test_staff_without_permission_cannot_resend(client: Client, provider: Provider) -> None:
    staff = User.objects.create_user(username="nv", password="x-2026-y", is_staff=True)
    admin_login(client, staff)
    dead = OutboxMessageFactory(dead=True)
    response = client.post(
        "/admin/outbox/outboxmessage/", {"action": "resend", "_selected_action": [dead.pk]}
    )
    assert response.status_code == 403
    assert OutboxMessage.objects.get(pk=dead.pk).state == State.DEAD
    assert provider.calls == 0
