"""The back office's navigation leads those who may use the Django admin to it."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import Membership, User
from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db

ADMIN_LINK = '<a href="/admin/">Trang quản trị</a>'


def test_an_administrator_finds_the_admin_in_the_navigation(client: Client, world: World) -> None:
    user = User.objects.create_user(
        username="quantri", password=PASSWORD, kind="staff", is_staff=True, is_superuser=True
    )
    Membership.objects.create(user=user, agency=world.province, role="administrator")
    office_login(client, user)

    queues = client.get("/can-bo/")

    assert queues.status_code == 200
    assert ADMIN_LINK in queues.content.decode()
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("name", ["counter_a", "leader_a", "supervisor"])
def test_other_officers_are_not_offered_the_admin(client: Client, world: World, name: str) -> None:
    office_login(client, world.user(name))

    body = client.get("/can-bo/").content.decode()

    assert 'href="/admin/"' not in body
