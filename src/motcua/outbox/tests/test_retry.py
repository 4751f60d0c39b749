import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.outbox.retry import retry_delay


@pytest.mark.parametrize(
    ("attempt", "rand", "seconds"),
    [
        (1, 0.0, 15),
        (1, 0.5, 22.5),
        (2, 0.0, 30),
        (3, 0.0, 60),
        (8, 0.0, 1800),
        (9, 0.0, 1800),
        (200, 0.0, 1800),
    ],
)
def test_delay(attempt, rand, seconds):
    assert retry_delay(attempt, base=30, cap=3600, rand=rand) == dt.timedelta(seconds=seconds)


@given(st.integers(min_value=1, max_value=10_000), st.floats(min_value=0, max_value=0.999999))
def test_delay_stays_between_half_and_all_of_the_ceiling(attempt, rand):
    delay = retry_delay(attempt, base=30, cap=3600, rand=rand).total_seconds()
    ceiling = 3600 if attempt > 7 else 30 * 2 ** (attempt - 1)
    assert ceiling / 2 <= delay < ceiling


@pytest.mark.parametrize(
    ("attempt", "rand", "base", "cap"),
    [
        (0, 0.5, 30, 3600),
        (1, 1.0, 30, 3600),
        (1, -0.1, 30, 3600),
        (1, 0.5, 0, 3600),
        (1, 0.5, 60, 30),
    ],
)
def test_bad_arguments(attempt, rand, base, cap):
    with pytest.raises(ValueError, match=r"attempt|rand|base"):
        retry_delay(attempt, base=base, cap=cap, rand=rand)
