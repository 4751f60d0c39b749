import pytest
from django.utils import translation

from motcua.core.formatting import duration, money


@pytest.mark.parametrize(
    ("amount", "text"), [(50000, "50.000 đ"), (1500000, "1.500.000 đ"), (100, "100 đ")]
)
def test_money_uses_vietnamese_grouping(amount: int, text: str) -> None:
    assert money(amount) == text


def test_money_zero_is_free_in_vietnamese() -> None:
    with translation.override("vi"):
        assert money(0) == "Miễn phí"


def test_duration_in_plain_words() -> None:
    with translation.override("vi"):
        assert duration(3, "working_days") == "3 ngày làm việc"
        assert duration(8, "working_hours") == "8 giờ làm việc"
