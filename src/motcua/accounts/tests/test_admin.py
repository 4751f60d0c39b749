"""The admin shows a citizen's details and linked identities (read-only)."""

import pytest
from django.test import Client

from motcua.accounts.models import ExternalIdentity, User
from motcua.conftest import admin_login
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_page_shows_details_and_external_identities(client: Client) -> None:
    admin = User.objects.create_superuser(username="quantri", password="x-2026-y")
    citizen = UserFactory(id_number="083190000123", address="Số 5 đường 30/4")
    ExternalIdentity.objects.create(user=citizen, provider="vneid", subject="S-42")
    admin_login(client, admin)

    html = client.get(f"/admin/accounts/user/{citizen.pk}/change/").content.decode()

    assert 'value="083190000123"' in html
    assert "S-42" in html
    assert 'name="external_identities-0-subject"' not in html  # not editable
