"""The pure formulas: rates, the Decision 766 points and totals, the ranking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.reports.indicators import (
    WEIGHTS,
    Counts,
    ServiceFacts,
    percent,
    rank,
    satisfaction_rate,
    service_index,
)

D = Decimal


def test_percent_rounds_half_up_and_refuses_nonsense() -> None:
    assert percent(2, 3) == D("66.67")
    assert percent(1, 8) == D("12.50")
    assert percent(0, 0) is None
    with pytest.raises(ValueError, match="not a share"):
        percent(3, 2)


def test_counts_add_up_and_derive_rates() -> None:
    a = Counts(received=4, online_received=1, resolved_early=1, resolved_late=1)
    b = Counts(received=6, online_received=4, resolved_on_time=2, rating_sum=9, rating_count=2)
    total = a + b
    assert total.received == 10
    assert total.online_rate == D("50.00")
    assert total.on_time_rate == D("75.00")
    assert total.satisfaction_avg == D("4.50")
    assert total.summary()["on_time_rate"] == 75.0


def test_satisfaction_is_100_minus_late_minus_complaints() -> None:
    counts = Counts(resolved_early=6, resolved_on_time=2, resolved_late=2)
    assert satisfaction_rate(counts, complaints=1) == D("70.00")  # 100 − 20 − 10
    assert satisfaction_rate(counts, complaints=50) == D("0.00")  # never below zero
    assert satisfaction_rate(Counts(), complaints=0) is None


def test_service_index_points_and_thresholds() -> None:
    facts = ServiceFacts(
        counts=Counts(
            received=10,
            online_received=4,  # 40% online: 40/50 of the submission half
            resolved_early=7,
            resolved_on_time=1,
            resolved_late=2,  # 80% on time
        ),
        procedures=10,
        procedures_published=9,  # 90% published
        procedures_full_online=8,  # 80%: full marks for the service half
        complaints=0,
        paid=4,
        paid_online=1,  # 25%
        digitized_received=10,
        resolved_with_result_file=5,  # (10 + 5) / (10 + 10) = 75%
    )
    score = service_index(facts)
    assert score.points == {
        "publicity": D("16.20"),  # 18 × 90%
        "timeliness": D("16.00"),  # 20 × 80%
        "online": D("10.80"),  # 6 × 0.8 + 6 × 1
        "online_payment": D("2.50"),  # 10 × 25%
        "satisfaction": D("14.40"),  # 18 × (100 − 20 − 0)%
        "digitization": D("16.50"),  # 22 × 75%
    }
    assert score.total == D("76.40")
    # Above the thresholds the online points stay at 12.
    more = service_index(
        ServiceFacts(
            counts=Counts(received=10, online_received=9),
            procedures=10,
            procedures_full_online=10,
        )
    )
    assert more.points["online"] == D("12.00")


def test_unjudged_indicators_do_not_count_against_the_agency() -> None:
    # Nothing resolved, no fees, no procedures: only online submission and digitization judged.
    score = service_index(
        ServiceFacts(counts=Counts(received=4, online_received=2), digitized_received=2)
    )
    assert score.points["timeliness"] is None
    assert score.points["online"] == D("12.00")
    assert score.points["digitization"] == D("11.00")
    # (12 + 11) out of (12 + 22) possible, on 100.
    assert score.total == D("67.65")
    assert service_index(ServiceFacts(counts=Counts())).total is None


def test_rank_is_competition_ranking() -> None:
    assert rank([("a", D(80)), ("b", D(90)), ("c", D(80)), ("d", None), ("e", D(10))]) == {
        "a": 2,
        "b": 1,
        "c": 2,
        "d": None,
        "e": 4,
    }


@given(
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 200),
)
def test_points_never_exceed_weights(
    received: int, online: int, early: int, late: int, procedures: int, complaints: int
) -> None:
    facts = ServiceFacts(
        counts=Counts(
            received=received + online,
            online_received=online,
            resolved_early=early,
            resolved_late=late,
        ),
        procedures=procedures,
        procedures_published=procedures // 2,
        procedures_full_online=procedures // 3,
        complaints=complaints,
    )
    score = service_index(facts)
    for name, points in score.points.items():
        assert points is None or D(0) <= points <= WEIGHTS[name]
    assert score.total is None or D(0) <= score.total <= D(100)
