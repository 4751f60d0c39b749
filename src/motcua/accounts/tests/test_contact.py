"""Phone numbers and email addresses as people type them → as accounts store them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.contact import InvalidPhone, is_email, normalise_email, normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 2345678",
        "+84912345678",
        "+84 912 345 678",
        "+84 0912 345 678",
        "84912345678",
        "0084 912 345 678",
        " 0912345678 ",
    ],
)
def test_the_usual_ways_of_writing_a_mobile_number_give_one_number(typed: str) -> None:
    assert normalise_phone(typed) == "0912345678"


def test_fixed_lines_keep_their_area_code() -> None:
    assert normalise_phone("0270 3822 123") == "02703822123"
    assert normalise_phone("+84 24 3825 1234") == "02438251234"


@pytest.mark.parametrize(
    "typed",
    ["", "091234567", "09123456789", "1912345678", "0112345678", "0912a45678", "+1 202 555 0100"],
)
def test_what_is_not_a_vietnamese_number_is_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)


@given(
    network=st.sampled_from(["3", "5", "7", "8", "9"]),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    style=st.sampled_from(["0{n}", "+84{n}", "84{n}", "+84 0{n}", "0084{n}"]),
)
def test_any_mobile_number_in_any_style_normalises_to_the_domestic_form(
    network: str, rest: str, style: str
) -> None:
    national = network + rest
    assert normalise_phone(style.format(n=national)) == "0" + national


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Hoa.Pham@Example.VN ") == "hoa.pham@example.vn"
    assert is_email("hoa@example.vn")
    assert not is_email("0912345678")
