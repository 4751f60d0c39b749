"""The pure fee module: procedure fees, quantities, requested amounts, exemptions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog import fees
from motcua.catalog.fees import FeeError, FeeRule, Line


def test_fixed_fee_is_charged_once_whatever_the_form_says() -> None:
    lines = fees.procedure_lines(
        [FeeRule(1, "Lệ phí cấp giấy phép", 75_000)], {"so_ban": 4, "so_trang": 9}
    )
    assert lines == [Line(name="Lệ phí cấp giấy phép", amount=75_000, quantity=1, fee_id=1)]


def test_per_copy_fee_takes_the_declared_number_of_copies() -> None:
    lines = fees.procedure_lines(
        [FeeRule(2, "Phí chứng thực bản sao", 2_000, fees.PER_COPY)], {"so_ban": "5"}
    )
    assert lines == [Line(name="Phí chứng thực bản sao", amount=10_000, quantity=5, fee_id=2)]


def test_per_copy_fee_reads_the_other_keys_in_order() -> None:
    rule = FeeRule(2, "Bản sao trích lục", 8_000, fees.PER_COPY)
    assert fees.procedure_lines([rule], {"so_ban_sao": 3})[0].amount == 24_000
    assert fees.procedure_lines([rule], {"copies": "2"})[0].amount == 16_000
    assert fees.procedure_lines([rule], {"so_ban": "", "copies": 1})[0].amount == 8_000


@pytest.mark.parametrize("form", [{}, None, {"so_trang": 4}, {"so_ban": None}, {"so_ban": 0}])
def test_per_copy_fee_is_owed_only_for_copies_asked_for(form: dict[str, object] | None) -> None:
    # given a fixed fee and a fee per copy "if requested", and a form that asks for no copy
    rules = [
        FeeRule(1, "Lệ phí đăng ký khai sinh", 8_000),
        FeeRule(2, "Bản sao trích lục (nếu yêu cầu)", 8_000, fees.PER_COPY),
    ]

    # then only the fixed fee is owed
    assert fees.procedure_lines(rules, form) == [
        Line(name="Lệ phí đăng ký khai sinh", amount=8_000, quantity=1, fee_id=1)
    ]
    assert fees.procedure_total(rules, form) == 8_000
    assert fees.quantity(fees.PER_COPY, form) == 0


def test_per_page_fee_reads_pages_and_defaults_to_one() -> None:
    rule = FeeRule(3, "Phí chứng thực (mỗi trang)", 1_000, fees.PER_PAGE)
    assert fees.procedure_lines([rule], {"so_trang": 12})[0].amount == 12_000
    assert fees.procedure_lines([rule], {"pages": "3"})[0].amount == 3_000
    assert fees.procedure_lines([rule], None) == [
        Line(name="Phí chứng thực (mỗi trang)", amount=1_000, quantity=1, fee_id=3)
    ]
    assert fees.procedure_lines([rule], {"so_ban": 5}) == fees.procedure_lines([rule], {})


def test_the_total_adds_every_line() -> None:
    rules = [
        FeeRule(1, "Lệ phí", 8_000),
        FeeRule(2, "Bản sao", 8_000, fees.PER_COPY),
        FeeRule(3, "Mỗi trang", 1_000, fees.PER_PAGE),
    ]
    assert fees.procedure_total(rules, {"so_ban": 2, "so_trang": 5}) == 8_000 + 16_000 + 5_000
    assert fees.procedure_total(rules, {}) == 8_000 + 1_000


def test_free_rows_make_no_line() -> None:
    assert fees.procedure_lines([FeeRule(4, "Miễn lệ phí", 0)], {}) == []


@pytest.mark.parametrize("raw", ["-1", "abc", "10001", True, "2.5", 2.0, [2], {"n": 2}])
def test_a_bad_number_of_copies_is_refused(raw: object) -> None:
    with pytest.raises(FeeError, match="so_ban must be"):
        fees.quantity(fees.PER_COPY, {"so_ban": raw})


@pytest.mark.parametrize("raw", ["0", 0, "-2", "10001", False])
def test_a_bad_number_of_pages_is_refused(raw: object) -> None:
    with pytest.raises(FeeError, match="so_trang must be"):
        fees.quantity(fees.PER_PAGE, {"so_trang": raw})


def test_a_bad_quantity_of_a_free_row_is_not_read() -> None:
    assert fees.procedure_lines([FeeRule(5, "Bản sao", 0, fees.PER_COPY)], {"so_ban": "x"}) == []


def test_an_unknown_unit_is_refused() -> None:
    with pytest.raises(FeeError, match="unknown fee unit"):
        fees.quantity("per_kilo", {})


@pytest.mark.parametrize("amount", [0, -1, "x", None, True])
def test_a_requested_amount_must_be_positive_whole_dong(amount: object) -> None:
    with pytest.raises(FeeError):
        fees.requested_line(amount, "Phí thẩm định")


def test_a_requested_amount_keeps_its_note_as_name() -> None:
    assert fees.requested_line("30000", " Phí thẩm định ") == Line("Phí thẩm định", 30_000)
    assert fees.requested_line(5000).name == "Khoản thu bổ sung"


def test_an_exempted_line_counts_for_nothing_and_is_reported_as_waived() -> None:
    lines = [Line("Lệ phí", 50_000), fees.exempt(Line("Phí", 20_000)), Line("Thêm", 10_000)]
    summary = fees.summarize(lines, paid=50_000)
    assert (summary.total, summary.paid, summary.waived, summary.due) == (
        60_000,
        50_000,
        20_000,
        10_000,
    )


amounts = st.integers(min_value=1, max_value=10**9)
lines_strategy = st.lists(
    st.builds(Line, name=st.just("x"), amount=amounts, exempt=st.booleans()), max_size=8
)


@given(lines=lines_strategy, paid=st.integers(min_value=0, max_value=10**10))
def test_summary_properties(lines: list[Line], paid: int) -> None:
    summary = fees.summarize(lines, paid=paid)
    assert summary.total + summary.waived == sum(line.amount for line in lines)
    assert summary.due == max(0, summary.total - paid)
    assert 0 <= summary.due <= summary.total


@given(
    rate=st.integers(min_value=0, max_value=10**7),
    count=st.integers(min_value=0, max_value=fees.QUANTITY_RANGE[fees.PER_COPY][1]),
    unit=st.sampled_from(sorted(fees.UNITS)),
)
def test_a_line_is_rate_times_quantity(rate: int, count: int, unit: str) -> None:
    form = {"so_ban": count, "so_trang": max(1, count)}
    lines = fees.procedure_lines([FeeRule(1, "Phí", rate, unit)], form)
    units = {fees.FIXED: 1, fees.PER_COPY: count, fees.PER_PAGE: max(1, count)}[unit]
    assert sum(line.amount for line in lines) == rate * units
    assert all(line.quantity >= 1 for line in lines)  # no line for nothing


@pytest.mark.parametrize(("unit", "key"), [(fees.PER_COPY, "so_ban"), (fees.PER_PAGE, "so_trang")])
def test_declared_numbers_are_limited_as_the_forms_limit_them(unit: str, key: str) -> None:
    # the same range on every path: the portal's and the desk's forms, the API's form data
    least, most = fees.QUANTITY_RANGE[unit]
    assert (least, most) == {fees.PER_COPY: (0, 100), fees.PER_PAGE: (1, 10_000)}[unit]
    assert fees.quantity(unit, {key: most}) == most
    assert fees.quantity(unit, {key: least}) == least
    with pytest.raises(FeeError, match=f"{key} must be between {least} and {most}"):
        fees.quantity(unit, {key: most + 1})
