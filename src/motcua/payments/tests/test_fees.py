"""The pure fee module: procedure fees, quantities, requested amounts, exemptions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments import fees
from motcua.payments.fees import FeeError, FeeRule, Line


def test_fixed_fee_is_charged_once_whatever_the_form_says() -> None:
    lines = fees.procedure_lines(
        [FeeRule(1, "Lệ phí cấp giấy phép", 75_000)], {"so_ban": 4}, sets_received=3
    )
    assert lines == [Line(name="Lệ phí cấp giấy phép", amount=75_000, quantity=1, fee_id=1)]


def test_per_copy_fee_takes_the_declared_number_of_copies() -> None:
    lines = fees.procedure_lines(
        [FeeRule(2, "Phí chứng thực bản sao", 2_000, fees.PER_COPY)], {"so_ban": "5"}
    )
    assert lines == [Line(name="Phí chứng thực bản sao", amount=10_000, quantity=5, fee_id=2)]


def test_per_copy_fee_without_a_declared_number_counts_the_sets_received() -> None:
    lines = fees.procedure_lines(
        [FeeRule(2, "Phí chứng thực bản sao", 2_000, fees.PER_COPY)], {}, sets_received=3
    )
    assert [line.amount for line in lines] == [6_000]


def test_per_page_fee_reads_pages_and_defaults_to_one() -> None:
    rule = FeeRule(3, "Phí chứng thực (mỗi trang)", 1_000, fees.PER_PAGE)
    assert fees.procedure_lines([rule], {"so_trang": 12})[0].amount == 12_000
    assert fees.procedure_lines([rule], {"pages": "3"})[0].amount == 3_000
    assert fees.procedure_lines([rule], None)[0].amount == 1_000


def test_free_rows_make_no_line() -> None:
    assert fees.procedure_lines([FeeRule(4, "Miễn lệ phí", 0)], {}) == []


@pytest.mark.parametrize("raw", ["0", "-2", "abc", "10001", True, "2.5"])
def test_a_bad_quantity_is_refused(raw: object) -> None:
    with pytest.raises(FeeError):
        fees.quantity(fees.PER_COPY, {"so_ban": raw})


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
    count=st.integers(min_value=1, max_value=fees.MAX_QUANTITY),
    unit=st.sampled_from(sorted(fees.UNITS)),
)
def test_a_line_is_rate_times_quantity(rate: int, count: int, unit: str) -> None:
    lines = fees.procedure_lines(
        [FeeRule(1, "Phí", rate, unit)], {"so_ban": count, "so_trang": count}
    )
    expected = 0 if rate == 0 else rate * (1 if unit == fees.FIXED else count)
    assert sum(line.amount for line in lines) == expected
