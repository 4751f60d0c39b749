"""citizen_register: an account identified by phone and/or email, password hashed with Argon2."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import IntegrityError, transaction

from motcua.accounts.constants import UserKind
from motcua.accounts.exceptions import ContactTaken
from motcua.accounts.models import User
from motcua.accounts.services import citizen_register
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_citizen_account_stores_the_phone_normalised_and_the_email_lower_cased() -> None:
    user = citizen_register(
        full_name="  Phạm Thị Hoa ",
        phone="+84 912 345 678",
        email=" Hoa.Pham@Example.VN",
        password="cay-xoai-2026",
    )

    user.refresh_from_db()
    assert (user.full_name, user.phone, user.email) == (
        "Phạm Thị Hoa",
        "0912345678",
        "hoa.pham@example.vn",
    )
    assert user.kind == UserKind.CITIZEN
    assert user.check_password("cay-xoai-2026")
    assert user.username.startswith("cd-")  # internal; no personal data in it
    assert "0912345678" not in user.username


def test_the_password_is_hashed_with_argon2_in_the_real_settings(settings) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = citizen_register(full_name="An", phone="0912345678", email="", password="cay-xoai-2026")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_a_phone_or_an_email_alone_is_enough() -> None:
    by_phone = citizen_register(full_name="An", phone="0912345678", email="", password="x-2026-y")
    by_email = citizen_register(full_name="Bình", phone="", email="b@x.vn", password="x-2026-y")
    assert (by_phone.email, by_email.phone) == ("", "")


def test_neither_phone_nor_email_is_refused() -> None:
    with pytest.raises(ContactTaken) as caught:
        citizen_register(full_name="An", phone=" ", email="", password="x-2026-y")
    assert caught.value.code == "contact_required"
    assert User.objects.count() == 0


def test_a_phone_held_by_another_account_is_refused_whatever_its_format() -> None:
    UserFactory(phone="0912345678")

    with pytest.raises(ContactTaken) as caught:
        citizen_register(full_name="An", phone="+84912345678", email="", password="x-2026-y")

    assert list(caught.value.errors) == ["phone"]
    assert User.objects.filter(phone="0912345678").count() == 1


def test_an_email_held_by_another_account_is_refused_whatever_its_case() -> None:
    UserFactory(email="hoa@example.vn")

    with pytest.raises(ContactTaken) as caught:
        citizen_register(full_name="An", phone="", email="HOA@example.vn", password="x-2026-y")

    assert list(caught.value.errors) == ["email"]
    assert User.objects.count() == 1


def test_the_database_refuses_duplicates_the_services_would_have_caught() -> None:
    UserFactory(phone="0912345678", email="hoa@example.vn")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone="0912345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="HOA@example.vn")
    # Empty phones and emails are not identities: any number of accounts may lack them.
    UserFactory(phone="", email="")
    UserFactory(phone="", email="")
