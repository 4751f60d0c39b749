"""The statistics of API.md on the hand-built set of conftest.py: every figure written out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.reports.selectors import Period, Scope, report_scope, stats_summary

from .conftest import NOW

pytestmark = pytest.mark.django_db

NOVEMBER = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
EVERYTHING = Scope(everything=True)

# November as a whole (province, with descendants).
NOVEMBER_TOTAL = {
    "received": 7,  # D E F G H J L
    "carried_over": 2,  # B C
    "online_received": 2,  # D L
    "resolved_early": 1,  # D
    "resolved_on_time": 1,  # E
    "resolved_late": 1,  # C
    "pending_not_due": 2,  # F, G (paused before its due time)
    "pending_overdue": 3,  # B, H (paused after its due time), L
    "returned": 2,  # D E
    "refused": 1,  # I
    "stopped": 1,  # J
    "on_time_rate": 66.67,
    "online_rate": 28.57,
    "satisfaction_avg": 3.5,
}
DESK_A = {
    **NOVEMBER_TOTAL,
    "received": 6,
    "online_received": 1,
    "pending_overdue": 2,
    "online_rate": 16.67,
}
DESK_B = {
    "received": 1,
    "carried_over": 0,
    "online_received": 1,
    "resolved_early": 0,
    "resolved_on_time": 0,
    "resolved_late": 0,
    "pending_not_due": 0,
    "pending_overdue": 1,
    "returned": 0,
    "refused": 0,
    "stopped": 0,
    "on_time_rate": None,
    "online_rate": 100.0,
    "satisfaction_avg": None,
}


def test_november_for_the_province(world: World, book: dict[str, Dossier]) -> None:
    summary = stats_summary(scope=EVERYTHING, period=NOVEMBER, agency=world.province, now=NOW)
    assert summary.total.summary() == NOVEMBER_TOTAL
    assert summary.rows == []


def test_grouped_by_agency(world: World, book: dict[str, Dossier]) -> None:
    summary = stats_summary(
        scope=EVERYTHING, period=NOVEMBER, agency=world.province, group_by="agency", now=NOW
    )
    assert [(r.key, r.name) for r in summary.rows] == [
        ("H56.101.1", "Bộ phận Một cửa xã An Bình"),
        ("H56.102.1", "Bộ phận Một cửa xã Cái Nhum"),
    ]
    assert summary.rows[0].counts.summary() == DESK_A
    assert summary.rows[1].counts.summary() == DESK_B
    assert summary.total.summary() == NOVEMBER_TOTAL


def test_grouped_by_sector_and_procedure(world: World, book: dict[str, Dossier]) -> None:
    by_sector = stats_summary(
        scope=EVERYTHING, period=NOVEMBER, agency=world.province, group_by="sector", now=NOW
    )
    assert [(r.key, r.name) for r in by_sector.rows] == [("HT", "Hộ tịch"), ("XD", "Xây dựng")]
    assert by_sector.rows[0].counts.summary() == DESK_A
    assert by_sector.rows[1].counts.summary() == DESK_B
    by_procedure = stats_summary(
        scope=EVERYTHING, period=NOVEMBER, agency=world.province, group_by="procedure", now=NOW
    )
    assert [r.key for r in by_procedure.rows] == [world.birth.code, world.permit.code]
    assert by_procedure.rows[0].counts.summary() == DESK_A


def test_grouped_by_month_takes_each_month_as_its_own_period(
    world: World, book: dict[str, Dossier]
) -> None:
    period = Period(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    summary = stats_summary(
        scope=EVERYTHING, period=period, agency=world.province, group_by="month", now=NOW
    )
    assert [(r.key, r.name) for r in summary.rows] == [
        ("2026-10", "10/2026"),
        ("2026-11", "11/2026"),
    ]
    october = summary.rows[0].counts.summary()
    assert october == {
        "received": 3,  # A B C
        "carried_over": 0,
        "online_received": 0,
        "resolved_early": 1,  # A
        "resolved_on_time": 0,
        "resolved_late": 0,
        "pending_not_due": 0,
        "pending_overdue": 2,  # B, C: both due 31/10 17:00, unfinished on 1/11
        "returned": 0,
        "refused": 0,
        "stopped": 0,
        "on_time_rate": 100.0,
        "online_rate": 0.0,
        "satisfaction_avg": None,
    }
    assert summary.rows[1].counts.summary() == NOVEMBER_TOTAL
    assert summary.total.summary() == {
        **NOVEMBER_TOTAL,
        "received": 10,
        "carried_over": 0,
        "resolved_early": 2,
        "on_time_rate": 75.0,
        "online_rate": 20.0,
    }


def test_without_descendants_only_the_agency_itself(world: World, book: dict[str, Dossier]) -> None:
    summary = stats_summary(
        scope=EVERYTHING,
        period=NOVEMBER,
        agency=world.desk_b,
        include_descendants=False,
        now=NOW,
    )
    assert summary.total.summary() == DESK_B
    nothing = stats_summary(
        scope=EVERYTHING,
        period=NOVEMBER,
        agency=world.commune_b,
        include_descendants=False,
        now=NOW,
    )
    assert nothing.total.received == 0
    assert nothing.total.pending == 0


def test_a_past_period_takes_pending_at_its_end(world: World, book: dict[str, Dossier]) -> None:
    # Up to 4 November: C resolved on the 3rd; D resolved on the 4th; B, H, J, L pending on the 5th.
    summary = stats_summary(
        scope=EVERYTHING, period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 4)), now=NOW
    )
    figures = summary.total.summary()
    assert figures["received"] == 4  # D H J L
    assert figures["resolved_late"] == 1
    assert figures["resolved_early"] == 1
    # At 5/11 00:00: B (due 31/10) and H (due 4/11 09:00; paused only on 12/11) overdue; J (due
    # 6/11) and L (due 5/11 09:00) not yet.
    assert figures["pending_overdue"] == 2
    assert figures["pending_not_due"] == 2


def test_leader_scope_is_their_agency_subtree(world: World) -> None:
    scope = report_scope(viewer=world.user("leader_a"))
    assert scope.paths == (world.commune_a.path,)
    assert scope.allows(world.desk_a)
    assert not scope.allows(world.desk_b)
    assert report_scope(viewer=world.user("supervisor")).paths == (world.province.path,)
    assert report_scope(viewer=world.user("counter_a")).empty
    assert report_scope(viewer=world.user("citizen")).empty


# --- The API -----------------------------------------------------------------------------------


def _get(client: Client, **params: Any) -> Any:
    return client.get("/api/v1/stats/summary/", params)


@pytest.fixture
def frozen(book: dict[str, Dossier]) -> Any:
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield book


def test_api_summary_by_agency(client: Client, world: World, frozen: Any) -> None:
    client.force_login(world.user("supervisor"))
    response = _get(client, **{"from": "2026-11-01", "to": "2026-11-30", "group_by": "agency"})
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2026-11-01"
    assert body["to"] == "2026-11-30"
    assert body["as_of"] == "2026-11-20T12:00:00+07:00"
    assert body["agency"] is None
    assert body["include_descendants"] is True
    assert body["group_by"] == "agency"
    assert body["total"] == NOVEMBER_TOTAL
    assert body["results"] == [
        {"key": "H56.101.1", "name": "Bộ phận Một cửa xã An Bình", **DESK_A},
        {"key": "H56.102.1", "name": "Bộ phận Một cửa xã Cái Nhum", **DESK_B},
    ]


def test_api_query_count(
    client: Client, world: World, frozen: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(world.user("supervisor"))
    params = {"from": "2026-11-01", "to": "2026-11-30", "group_by": "agency"}
    _get(client, **params)  # warm
    # session, user, memberships, scope paths; the total; the groups (and on PostgreSQL whether
    # the roll-up is fresh: it is not, never refreshed here).
    fresh_check = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(6 + fresh_check):
        response = _get(client, **params)
    assert response.status_code == 200
    monthly = {"from": "2026-01-01", "to": "2026-11-30", "group_by": "month"}
    with django_assert_num_queries(4 + 1 + 11 + fresh_check):
        response = _get(client, **monthly)
    assert len(response.json()["results"]) == 11


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("supervisor", 200),
        ("leader_a", 200),
        ("leader_xd", 200),
        ("counter_a", 403),
        ("specialist_a", 403),
        ("assistant_a", 403),
        ("citizen", 403),
        (None, 401),
    ],
)
def test_api_permissions_matrix(
    client: Client, world: World, frozen: Any, username: str | None, status: int
) -> None:
    if username:
        client.force_login(world.user(username))
    response = _get(client, **{"from": "2026-11-01", "to": "2026-11-30"})
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"].startswith("application/problem+json")
        assert "total" not in response.json()


def test_api_leader_sees_their_subtree_only(client: Client, world: World, frozen: Any) -> None:
    client.force_login(world.user("leader_a"))
    response = _get(client, **{"from": "2026-11-01", "to": "2026-11-30"})
    assert response.json()["total"] == DESK_A
    refused = _get(client, **{"from": "2026-11-01", "to": "2026-11-30", "agency": "H56.102.1"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "out_of_scope"
    assert _get(client, agency="H56").status_code == 403
    own = _get(client, **{"from": "2026-11-01", "to": "2026-11-30", "agency": "H56.101.1"})
    assert own.json()["total"] == DESK_A


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "hôm qua"}, "to"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
        ({"from": "2010-01-01", "to": "2026-11-01"}, "to"),
        ({"group_by": "person"}, "group_by"),
        ({"include_descendants": "maybe"}, "include_descendants"),
        ({"agency": "X99"}, "agency"),
    ],
)
def test_api_bad_input_is_400(
    client: Client, world: World, frozen: Any, params: dict[str, str], field: str
) -> None:
    client.force_login(world.user("supervisor"))
    response = _get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == [field]
