"""The account forms: what they accept, and the Vietnamese errors tied to each field."""

import datetime as dt

import pytest
import time_machine

from motcua.accounts.forms import DetailsForm, LoginForm, RegisterForm


def register(**changes: str) -> RegisterForm:
    data = {
        "full_name": "Phạm Thị Hoa",
        "phone": "0912 345 678",
        "email": "",
        "password1": "cay-xoai-2026",
        "password2": "cay-xoai-2026",
        **changes,
    }
    return RegisterForm(data)


def test_a_good_registration_is_cleaned_to_stored_forms() -> None:
    form = register(email="Hoa@Example.VN")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "0912345678"
    assert form.cleaned_data["email"] == "hoa@example.vn"


def test_without_phone_and_email_the_error_is_on_the_phone_field() -> None:
    form = register(phone="", email="")
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Nhập số điện thoại hoặc email (hoặc cả hai) để dùng khi đăng nhập."
    ]


def test_a_wrong_phone_number_is_explained_with_an_example() -> None:
    form = register(phone="12345")
    assert not form.is_valid()
    assert form.errors["phone"] == ["Số điện thoại chưa đúng. Nhập 10 chữ số, ví dụ 0912 345 678."]


def test_different_passwords_are_flagged_on_the_second_one() -> None:
    form = register(password2="cay-xoai-2025")
    assert not form.is_valid()
    assert form.errors == {"password2": ["Hai mật khẩu không giống nhau."]}


@pytest.mark.parametrize("password", ["12345678", "abc", "password123"])
def test_weak_passwords_are_refused_by_the_validators(password: str) -> None:
    form = register(password1=password, password2=password)
    assert not form.is_valid()
    assert list(form.errors) == ["password1"]


def test_an_error_is_tied_to_its_input_for_screen_readers() -> None:
    form = register(phone="12345")
    form.is_valid()
    html = str(form["phone"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_error"' in html
    help_and_error = register(password1="abc", password2="abc")
    help_and_error.is_valid()
    assert 'aria-describedby="id_password1_error id_password1_helptext"' in str(
        help_and_error["password1"]
    )


def test_login_needs_both_fields() -> None:
    form = LoginForm({"identifier": "", "password": ""})
    assert not form.is_valid()
    assert set(form.errors) == {"identifier", "password"}


def details(**changes: str) -> DetailsForm:
    data = {
        "full_name": "Phạm Thị Hoa",
        "id_number": "0831 9000 0123",
        "date_of_birth": "17/05/1990",
        "phone": "",
        "email": "hoa@example.vn",
        "address": "",
        **changes,
    }
    return DetailsForm(data)


def test_details_accept_spaces_in_the_id_number_and_a_typed_date() -> None:
    form = details()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "083190000123"
    assert form.cleaned_data["date_of_birth"] == dt.date(1990, 5, 17)
    assert details(date_of_birth="17-05-1990").is_valid()
    assert details(date_of_birth="1990-05-17").is_valid()  # ISO, as a browser's autofill may


@pytest.mark.parametrize("id_number", ["12345", "08319000012a", "0831900001234"])
def test_an_id_number_must_be_twelve_digits(id_number: str) -> None:
    form = details(id_number=id_number)
    assert not form.is_valid()
    assert form.errors["id_number"] == ["Số định danh cá nhân gồm đúng 12 chữ số."]


@time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("born", ["27/11/2026", "31/12/1899", "31/02/1990"])
def test_a_birth_date_in_the_future_or_impossible_is_refused(born: str) -> None:
    form = details(date_of_birth=born)
    assert not form.is_valid()
    assert list(form.errors) == ["date_of_birth"]
