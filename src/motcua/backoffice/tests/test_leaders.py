"""The leaders' page and reassignment: what a leader watches (overdue and due within one
working day, by the queues' own rule), sorted by due time; reassigning through
``dossier_reassign`` (one event, version checked); who may not."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.dossiers.constants import Status
from motcua.dossiers.exceptions import ActionNotAllowed, StaleVersion
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_reassign
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DossierFactory, DossierStepFactory, MembershipFactory

from .conftest import dossier_at_commune_a, office_login

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday morning: one working day later is Thursday 09:00 (default calendar).
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=HCM)


def _held_by_commune(world: World, *, due: dt.datetime, **extra: object) -> Dossier:
    """A dossier due at ``due`` at commune A, with its open step (whom it is assigned to)."""
    dossier = dossier_at_commune_a(world, due=due, **extra)
    DossierStepFactory(dossier=dossier, agency=world.commune_a, assignee=dossier.assignee)
    return dossier


@pytest.fixture
def second_specialist(world: World) -> User:
    return MembershipFactory(
        agency=world.commune_a, role=Role.SPECIALIST, user__full_name="Võ Thị Hạnh"
    ).user


@pytest.fixture
def watched(world: World) -> dict[str, Dossier]:
    specialist = world.user("specialist_a")
    return {
        "overdue_long": _held_by_commune(
            world, due=NOW - dt.timedelta(days=4), assignee=specialist
        ),
        "overdue_just": _held_by_commune(world, due=NOW - dt.timedelta(minutes=30)),
        "due_soon": _held_by_commune(world, due=NOW + dt.timedelta(hours=5), assignee=specialist),
        "later": _held_by_commune(world, due=NOW + dt.timedelta(days=4)),
        # Received at desk A, processed at Sở Xây dựng (liên thông) and overdue there: not
        # commune A's (its desk is an agency of its own); the desk's leader watches it.
        "elsewhere": DossierFactory(
            agency=world.desk_a,
            procedure=world.permit,
            current_agency=world.construction,
            status=Status.PROCESSING,
            at=NOW - dt.timedelta(days=5),
        ),
        # Waiting for the applicant: the clock is stopped, so neither overdue nor due soon.
        "paused": _held_by_commune(
            world, due=NOW - dt.timedelta(days=1), status=Status.SUPPLEMENT_REQUESTED
        ),
        "other_commune": DossierFactory(
            agency=world.desk_b,
            procedure=world.birth,
            current_agency=world.commune_b,
            status=Status.PROCESSING,
            at=NOW - dt.timedelta(days=5),
        ),
    }


def _leader_client(world: World, username: str = "leader_a") -> Client:
    return office_login(Client(), world.user(username))


def _reassign(world: World, dossier: Dossier, username: str, assignee: str, **kw: Any) -> Dossier:
    """``username`` reassigns the dossier through the service (``version``, ``note`` in ``kw``)."""
    return dossier_reassign(
        dossier_id=dossier.pk, assignee=assignee, actor=world.user(username), **kw
    )


def _post_reassign(
    client: Client,
    dossier: Dossier,
    assignee: str,
    *,
    version: int | None = None,
    follow: bool = False,
    **extra: str,
) -> Any:
    """The leaders' page's reassign form as the page posts it (the version it was shown)."""
    data = {
        "dossier": str(dossier.pk),
        "version": dossier.version if version is None else version,
        "assignee": assignee,
        **extra,
    }
    return client.post("/can-bo/lanh-dao/giao-lai/", data, follow=follow)


# --- The service ----------------------------------------------------------------------------


def test_a_leader_reassigns_a_dossier_with_one_event(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    dossier = watched["overdue_long"]
    before_events = DossierEvent.objects.filter(dossier=dossier).count()

    result = _reassign(
        world,
        dossier,
        "leader_a",
        second_specialist.username,
        version=dossier.version,
        note="Chị Hạnh xử lý giúp",
    )

    dossier.refresh_from_db()
    assert result.assignee == second_specialist
    assert dossier.assignee_id == second_specialist.pk
    assert dossier.current_step is not None
    assert dossier.current_step.assignee_id == second_specialist.pk
    assert dossier.version == 2
    assert dossier.status == Status.PROCESSING
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert len(events) == before_events + 1
    last = events[-1]
    assert (last.action, last.actor_id, last.note) == (
        "reassign",
        world.user("leader_a").pk,
        "Chị Hạnh xử lý giúp",
    )
    assert last.data == {"from": "specialist_a", "to": second_specialist.username}
    assert (last.from_status, last.to_status) == (Status.PROCESSING, Status.PROCESSING)


def _unchanged(dossier: Dossier) -> None:
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.assignee_id, fresh.version) == (dossier.assignee_id, dossier.version)
    assert not DossierEvent.objects.filter(dossier=dossier, action="reassign").exists()


@pytest.mark.parametrize("username", ["specialist_a", "counter_a", "supervisor", "leader_xd"])
def test_only_a_leader_of_the_holding_agency_may_reassign(
    world: World, watched: dict[str, Dossier], second_specialist: User, username: str
) -> None:
    dossier = watched["overdue_long"]

    with pytest.raises(PermissionDenied):
        _reassign(world, dossier, username, second_specialist.username, version=dossier.version)

    _unchanged(dossier)


def test_a_stale_version_is_refused(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    dossier = watched["overdue_long"]

    with pytest.raises(StaleVersion):
        _reassign(
            world,
            dossier,
            "leader_a",
            second_specialist.username,
            version=dossier.version - 1 if dossier.version > 1 else dossier.version + 1,
        )

    _unchanged(dossier)


@pytest.mark.parametrize(
    ("assignee", "message"),
    [
        ("specialist_b", "không thuộc cơ quan"),  # another commune's specialist
        ("counter_a", "không thuộc cơ quan"),  # the desk's officer, not commune A's
        ("citizen", "không thuộc cơ quan"),
        ("nobody", "không thuộc cơ quan"),
        ("specialist_a", "đang được giao"),  # already the assignee
    ],
)
def test_the_assignee_must_be_another_officer_of_the_holding_agency(
    world: World, watched: dict[str, Dossier], assignee: str, message: str
) -> None:
    dossier = watched["overdue_long"]

    with pytest.raises(ValidationFailed) as raised:
        _reassign(world, dossier, "leader_a", assignee, version=1)

    assert message in raised.value.errors["assignee"][0]
    _unchanged(dossier)


def test_a_resolved_dossier_is_not_reassigned(world: World, second_specialist: User) -> None:
    dossier = DossierFactory(
        agency=world.desk_a,
        procedure=world.birth,
        current_agency=world.commune_a,
        status=Status.RESOLVED,
    )

    with pytest.raises(ActionNotAllowed):
        _reassign(world, dossier, "leader_a", second_specialist.username)

    _unchanged(dossier)


# --- The page -------------------------------------------------------------------------------


def _codes_in_order(html: str, dossiers: dict[str, Dossier]) -> list[str]:
    found = [(html.find(f'id="row-{d.pk}"'), name) for name, d in dossiers.items()]
    return [name for position, name in sorted(found) if position >= 0]


def test_the_leader_sees_overdue_and_soon_due_dossiers_soonest_due_first(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    with time_machine.travel(NOW, tick=False):
        client = _leader_client(world)
        response = client.get("/can-bo/lanh-dao/")

    assert response.status_code == 200
    html = response.content.decode()
    assert _codes_in_order(html, watched) == [
        "overdue_long",
        "overdue_just",
        "due_soon",
    ]
    assert response.context["counts"] == {"overdue": 2, "due_soon": 1}
    rows = {row["dossier"].pk: row for row in response.context["rows"]}
    assert rows[watched["overdue_long"].pk]["overdue"] is True
    assert rows[watched["due_soon"].pk]["overdue"] is False
    assert rows[watched["due_soon"].pk]["reassignable"] is True
    # The choice leaves out whoever has it now.
    officers = {o.username for o in rows[watched["due_soon"].pk]["officers"]}
    assert officers == {"leader_a", second_specialist.username}
    # No applicant's personal data on the page, so no read to record.
    assert watched["due_soon"].applicant_name not in html
    assert 'action="/can-bo/lanh-dao/giao-lai/"' in html


def test_the_page_costs_the_same_queries_for_many_rows(
    world: World, watched: dict[str, Dossier], django_assert_max_num_queries: object
) -> None:
    with time_machine.travel(NOW, tick=False):
        client = _leader_client(world)
        client.get("/can-bo/lanh-dao/")  # warm the calendar cache
        for hours in range(1, 20):
            _held_by_commune(world, due=NOW - dt.timedelta(hours=hours))
        with django_assert_max_num_queries(9):  # type: ignore[operator]
            response = client.get("/can-bo/lanh-dao/")

    assert response.status_code == 200
    assert len(response.context["rows"]) == 22


def test_the_leader_reassigns_from_the_page(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    dossier = watched["due_soon"]
    with time_machine.travel(NOW, tick=False):
        client = _leader_client(world)
        response = _post_reassign(client, dossier, second_specialist.username, note="", follow=True)

    assert response.redirect_chain == [("/can-bo/lanh-dao/", 302)]
    assert f"Đã giao hồ sơ {dossier.code} cho Võ Thị Hạnh." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.assignee_id == second_specialist.pk
    assert DossierEvent.objects.filter(dossier=dossier, action="reassign").count() == 1


def test_a_stale_form_says_so_and_changes_nothing(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    dossier = watched["due_soon"]
    Dossier.objects.filter(pk=dossier.pk).update(version=5)  # someone acted meanwhile
    dossier.refresh_from_db()
    with time_machine.travel(NOW, tick=False):
        client = _leader_client(world)
        response = _post_reassign(
            client, dossier, second_specialist.username, version=1, follow=True
        )

    assert "vừa được người khác cập nhật" in response.content.decode()
    _unchanged(dossier)


def test_an_assignee_of_another_agency_is_refused_on_the_page(
    world: World, watched: dict[str, Dossier]
) -> None:
    dossier = watched["due_soon"]
    client = _leader_client(world)
    response = _post_reassign(client, dossier, "specialist_b", follow=True)

    assert "Không giao lại được hồ sơ." in response.content.decode()
    _unchanged(dossier)


def test_a_specialist_may_neither_open_the_page_nor_reassign(
    world: World, watched: dict[str, Dossier], second_specialist: User
) -> None:
    dossier = watched["due_soon"]
    client = office_login(Client(), world.user("specialist_a"))

    page = client.get("/can-bo/lanh-dao/")
    post = _post_reassign(client, dossier, "leader_a")
    shell = client.get("/can-bo/")

    assert page.status_code == 403
    assert post.status_code == 403
    assert "/can-bo/lanh-dao/" not in shell.content.decode()  # no link in the shell either
    _unchanged(dossier)


def test_a_leader_cannot_reach_another_agencys_dossier(
    world: World, watched: dict[str, Dossier]
) -> None:
    dossier = watched["other_commune"]
    client = _leader_client(world)

    response = _post_reassign(client, dossier, "specialist_b")

    assert response.status_code == 404
    _unchanged(dossier)


def test_a_dossier_held_by_another_agency_is_watched_but_not_reassigned(
    world: World, watched: dict[str, Dossier]
) -> None:
    dossier = watched["elsewhere"]
    desk_leader = MembershipFactory(agency=world.desk_a, role=Role.LEADER).user
    with time_machine.travel(NOW, tick=False):
        client = office_login(Client(), desk_leader)
        page = client.get("/can-bo/lanh-dao/")
        post = _post_reassign(client, dossier, "specialist_xd")

    rows = {row["dossier"].pk: row for row in page.context["rows"]}
    assert rows[dossier.pk]["overdue"] is True
    assert rows[dossier.pk]["reassignable"] is False
    assert "Cơ quan khác đang xử lý" in page.content.decode()
    assert post.status_code == 403  # visible to the desk, but Sở Xây dựng holds it
    _unchanged(dossier)


def test_the_shell_links_the_leaders_page_for_a_leader(world: World) -> None:
    client = _leader_client(world)

    response = client.get("/can-bo/")

    assert 'href="/can-bo/lanh-dao/"' in response.content.decode()


def test_get_is_not_allowed_on_reassign(world: World) -> None:
    client = _leader_client(world)

    assert client.get("/can-bo/lanh-dao/giao-lai/").status_code == 405


def test_the_page_in_english(world: World, watched: dict[str, Dossier]) -> None:
    client = _leader_client(world)
    client.cookies["django_language"] = "en"

    with time_machine.travel(NOW, tick=False):
        response = client.get("/can-bo/lanh-dao/")

    html = response.content.decode()
    assert "Overdue and soon-due dossiers" in html
    assert f"Assign dossier {watched['due_soon'].code} to" in html
    assert ">Reassign</button>" in html


def test_the_running_due_index_covers_the_queues_running_statuses() -> None:
    """The overdue and due-soon queues filter on ``CLOCK_RUNNING``; PostgreSQL uses the partial
    index only if its condition is implied by theirs."""
    from motcua.dossiers.rules import CLOCK_RUNNING

    index = next(i for i in Dossier._meta.indexes if i.name == "dossier_running_due_idx")
    assert index.condition is not None
    (lookup, statuses), *rest = index.condition.children
    assert (lookup, set(statuses), rest) == ("status__in", set(CLOCK_RUNNING), [])


def test_a_long_list_is_paged_in_due_order(world: World) -> None:
    made = [_held_by_commune(world, due=NOW - dt.timedelta(hours=h)) for h in range(1, 56)]
    soonest_first = [d.pk for d in reversed(made)]
    client = _leader_client(world)

    with time_machine.travel(NOW, tick=False):
        first = client.get("/can-bo/lanh-dao/")
        second = client.get("/can-bo/lanh-dao/", {"page": 2})

    assert [r["dossier"].pk for r in first.context["rows"]] == soonest_first[:50]
    assert [r["dossier"].pk for r in second.context["rows"]] == soonest_first[50:]
    assert 'href="?page=2"' in first.content.decode()
    assert "Trang 2/2" in second.content.decode()
