"""citizen_profile: the details the apply wizard prefills the applicant step with."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.selectors import citizen_profile
from motcua.dossiers.services import ApplicantData
from motcua.dossiers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_citizen_gets_their_details_in_the_applicant_shape() -> None:
    user = UserFactory(
        full_name="Phạm Thị Hoa",
        id_number="083190000123",
        date_of_birth=dt.date(1990, 5, 17),
        phone="0912345678",
        email="hoa@example.vn",
        address="Số 5 đường 30/4, phường 1",
    )

    profile = citizen_profile(user)

    assert profile is not None
    assert profile.date_of_birth == dt.date(1990, 5, 17)
    assert profile.missing == []
    assert ApplicantData(**profile.applicant()) == ApplicantData(
        type="citizen",
        full_name="Phạm Thị Hoa",
        id_number="083190000123",
        phone="0912345678",
        email="hoa@example.vn",
        address="Số 5 đường 30/4, phường 1",
    )


def test_missing_names_what_an_application_still_needs() -> None:
    profile = citizen_profile(UserFactory(full_name="", id_number=""))
    assert profile is not None
    assert profile.missing == ["full_name", "id_number"]


def test_no_profile_for_anonymous_visitors_or_staff() -> None:
    assert citizen_profile(AnonymousUser()) is None
    assert citizen_profile(UserFactory(staff=True)) is None
