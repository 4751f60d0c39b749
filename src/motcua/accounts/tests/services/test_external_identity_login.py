"""external_identity_login: the account a provider's identity (e.g. VNeID) belongs to."""

import datetime as dt

import pytest

from motcua.accounts.constants import UserKind
from motcua.accounts.exceptions import InvalidCredentials
from motcua.accounts.identity import VerifiedIdentity
from motcua.accounts.models import ExternalIdentity, User
from motcua.accounts.services import external_identity_login
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def identity(**claims: object) -> VerifiedIdentity:
    base: dict[str, object] = {
        "provider": "eid",
        "subject": "sub-0001",
        "full_name": "Phạm Thị Hoa",
        "id_number": "083190000123",
        "date_of_birth": dt.date(1990, 5, 17),
        "phone": "+84912345678",
        "email": "",
    }
    return VerifiedIdentity(**{**base, **claims})  # type: ignore[arg-type]


def test_a_first_login_opens_a_citizen_account_with_the_claims() -> None:
    user = external_identity_login(identity=identity())

    assert user.kind == UserKind.CITIZEN
    assert (user.full_name, user.id_number, user.phone) == (
        "Phạm Thị Hoa",
        "083190000123",
        "0912345678",
    )
    assert not user.has_usable_password()
    assert ExternalIdentity.objects.get().user == user


def test_the_next_login_finds_the_same_account_by_subject_alone() -> None:
    first = external_identity_login(identity=identity())
    again = external_identity_login(identity=identity(phone="", full_name="Hoa"))
    assert again == first
    assert User.objects.count() == 1
    assert ExternalIdentity.objects.get().last_login_at is not None


def test_a_citizen_with_the_same_phone_is_linked_not_duplicated() -> None:
    citizen = UserFactory(phone="0912345678")
    assert external_identity_login(identity=identity()) == citizen
    assert User.objects.count() == 1


def test_a_staff_account_is_never_linked_by_phone() -> None:
    staff = UserFactory(staff=True, phone="0912345678")

    user = external_identity_login(identity=identity())

    assert user != staff
    assert user.phone == ""  # the staff member keeps the phone; the new account goes without
    assert not ExternalIdentity.objects.filter(user=staff).exists()


def test_a_locked_account_cannot_log_in_through_a_provider() -> None:
    user = external_identity_login(identity=identity())
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(InvalidCredentials):
        external_identity_login(identity=identity())
