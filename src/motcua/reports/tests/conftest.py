"""A hand-built set of dossiers over October and November 2026 in the dossier tests' small
province, with their right answers written in the tests (test_statistics.py).

``NOW`` is Friday 20 November 2026, 12:00: the pending figures of November are taken then.

    code  agency  proc    channel  received    then
    A     desk_a  birth   counter  20/10       resolved 25/10 early
    B     desk_a  birth   counter  28/10       processing, due 31/10 (overdue)
    C     desk_a  birth   counter  29/10       due 31/10, resolved 03/11 late
    D     desk_a  birth   online   02/11       resolved 04/11 early, returned 05/11, rated 5
    E     desk_a  birth   counter  10/11       resolved 13/11 on time, returned 14/11, rated 2
    F     desk_a  birth   counter  18/11       processing, due 21/11 (not due)
    G     desk_a  birth   counter  05/11       supplement asked 07/11, due 08/11 (not overdue)
    H     desk_a  birth   counter  01/11       payment asked 12/11, due 04/11 (overdue)
    I     desk_a  birth   online   —           submitted 06/11, refused
    J     desk_a  birth   counter  03/11       stopped 09/11
    L     desk_b  permit  online   02/11       processing, due 05/11 (overdue)
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.constants import Channel, Status, Timeliness
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.conftest import world as world  # a fixture, used by name
from motcua.dossiers.tests.factories import DossierFactory, RatingFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=HCM)


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=HCM)


def make(world: World, name: str, **fields: object) -> Dossier:
    base: dict[str, object] = {"agency": world.desk_a, "procedure": world.birth}
    base.update(fields)
    dossier = DossierFactory(**base)
    dossier.label = name  # type: ignore[attr-defined]
    return dossier


@pytest.fixture
def book(world: World) -> dict[str, Dossier]:
    w = world
    d = {
        "A": make(w, "A", status=Status.RESOLVED, at=at(10, 20), resolved_at=at(10, 25)),
        "B": make(w, "B", status=Status.PROCESSING, at=at(10, 28), due_at=at(10, 31, 17)),
        "C": make(
            w,
            "C",
            status=Status.RESOLVED,
            at=at(10, 29),
            due_at=at(10, 31, 17),
            resolved_at=at(11, 3),
            timeliness=Timeliness.LATE,
        ),
        "D": make(
            w,
            "D",
            status=Status.RETURNED,
            online=True,
            at=at(11, 2),
            resolved_at=at(11, 4),
            returned_at=at(11, 5),
        ),
        "E": make(
            w,
            "E",
            status=Status.RETURNED,
            at=at(11, 10),
            resolved_at=at(11, 13),
            returned_at=at(11, 14),
            timeliness=Timeliness.ON_TIME,
        ),
        "F": make(w, "F", status=Status.PROCESSING, at=at(11, 18), due_at=at(11, 21)),
        "G": make(
            w,
            "G",
            status=Status.SUPPLEMENT_REQUESTED,
            at=at(11, 5),
            clock_paused_at=at(11, 7),
            due_at=at(11, 8),
        ),
        "H": make(
            w,
            "H",
            status=Status.PAYMENT_REQUESTED,
            at=at(11, 1),
            clock_paused_at=at(11, 12),
            due_at=at(11, 4),
        ),
        "I": make(w, "I", status=Status.REFUSED, online=True, at=at(11, 6)),
        "J": make(
            w, "J", status=Status.STOPPED, at=at(11, 3), received_at=at(11, 3), stopped_at=at(11, 9)
        ),
        "L": make(
            w,
            "L",
            agency=w.desk_b,
            procedure=w.permit,
            status=Status.PROCESSING,
            online=True,
            at=at(11, 2),
            due_at=at(11, 5),
        ),
    }
    # J was received before it was stopped: the factory leaves a stopped dossier unreceived.
    Dossier.objects.filter(pk=d["J"].pk).update(
        code="H56.101.1-261103-9001", due_at=at(11, 6), original_due_at=at(11, 6)
    )
    RatingFactory(dossier=d["D"], score=5)
    RatingFactory(dossier=d["E"], score=2)
    assert Dossier.objects.get(pk=d["D"].pk).channel == Channel.ONLINE
    return d
