"""citizen_details_update: the details reused in every application."""

import datetime as dt

import pytest

from motcua.accounts.exceptions import ContactTaken
from motcua.accounts.selectors import citizen_profile
from motcua.accounts.services import citizen_details_update
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def details(**changes: object) -> dict[str, object]:
    return {
        "full_name": "Phạm Thị Hoa",
        "id_number": "083190000123",
        "date_of_birth": dt.date(1990, 5, 17),
        "phone": "0912 345 678",
        "email": "Hoa@Example.VN",
        "address": " Số 5 đường 30/4, phường 1 ",
        **changes,
    }


def test_the_details_are_saved_and_prefill_applications() -> None:
    user = UserFactory(full_name="Hoa", phone="0987654321")

    citizen_details_update(user=user, **details())

    user.refresh_from_db()
    profile = citizen_profile(user)
    assert profile is not None
    assert profile.applicant() == {
        "type": "citizen",
        "full_name": "Phạm Thị Hoa",
        "id_number": "083190000123",
        "phone": "0912345678",
        "email": "hoa@example.vn",
        "address": "Số 5 đường 30/4, phường 1",
    }
    assert user.date_of_birth == dt.date(1990, 5, 17)


def test_keeping_ones_own_phone_and_email_is_not_a_conflict() -> None:
    user = UserFactory(phone="0912345678", email="hoa@example.vn")
    citizen_details_update(user=user, **details(email="HOA@example.vn"))
    user.refresh_from_db()
    assert user.email == "hoa@example.vn"


def test_taking_another_accounts_phone_is_refused_and_nothing_changes() -> None:
    UserFactory(phone="0912345678")
    user = UserFactory(full_name="Hoa", phone="0987654321", email="")

    with pytest.raises(ContactTaken) as caught:
        citizen_details_update(user=user, **details(email=""))

    assert list(caught.value.errors) == ["phone"]
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.id_number) == ("Hoa", "0987654321", "")


def test_one_cannot_remove_both_ways_of_logging_in() -> None:
    user = UserFactory(phone="0987654321")
    with pytest.raises(ContactTaken) as caught:
        citizen_details_update(user=user, **details(phone="", email=""))
    assert caught.value.code == "contact_required"
    user.refresh_from_db()
    assert user.phone == "0987654321"
