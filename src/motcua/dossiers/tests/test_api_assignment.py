"""``POST /api/v1/dossiers/{code}/reassign/``: a leader of the agency holding the dossier gives
its current step to another officer; everyone else is refused (403 when they may see it, 404
when not) and nothing changes; stale versions, wrong assignees and closed dossiers refused."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.dossiers.constants import Action, Channel, Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_specialist(world: World) -> User:
    other = User.objects.create_user(
        username="specialist_a2", password="x", kind="staff", full_name="Hồ Thị Mai"
    )
    other.memberships.create(agency=world.commune_a, role="specialist")
    return other


def _act(world: World, dossier: Dossier, action: str, username: str, **fields: Any) -> Dossier:
    return dossier_act(
        dossier_id=dossier.pk, action=action, actor=world.user(username), fields=fields or None
    )


def _forwarded(world: World, procedure: Any, assignee: str, **extra: Any) -> Dossier:
    """Received at desk A and forwarded to ``assignee``, the next step's officer."""
    created = dossier_create(
        actor=world.user("counter_a"),
        procedure=procedure,
        agency=world.desk_a,
        channel=Channel.COUNTER,
        applicant=ApplicantData(type="citizen", full_name="Lê Văn Tâm", id_number="086190007777"),
        **extra,
    )
    return _act(world, created, Action.FORWARD, "counter_a", assignee=assignee)


@pytest.fixture
def dossier(world: World) -> Dossier:
    """A dossier of the citizen, received at desk A and processed by the commune's specialist."""
    return _forwarded(world, world.birth, "specialist_a", owner=world.user("citizen"))


def _api(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _reassign(user: User | None, dossier: Dossier, body: dict[str, Any], **headers: str) -> Any:
    return _api(user).post(
        f"/api/v1/dossiers/{dossier.code}/reassign/", body, format="json", **headers
    )


def _state(dossier: Dossier) -> tuple[Any, ...]:
    """What a reassignment changes: the assignee, the open step's, the version, the events."""
    fresh = Dossier.objects.get(pk=dossier.pk)
    step = DossierStep.objects.get(pk=fresh.current_step_id)
    return (
        fresh.assignee_id,
        step.assignee_id,
        fresh.version,
        fresh.status,
        DossierEvent.objects.filter(dossier=dossier).count(),
    )


def test_the_leader_of_the_holding_agency_reassigns(
    world: World, dossier: Dossier, second_specialist: User
) -> None:
    # given the dossier at the commune's specialist, version known to the leader
    version = Dossier.objects.get(pk=dossier.pk).version

    # when the commune's leader reassigns it with a note
    response = _reassign(
        world.user("leader_a"),
        dossier,
        {"assignee": "specialist_a2", "note": "Chị Mai xử lý gấp", "version": version},
    )

    # then the dossier comes back with its new assignee and version, and one event is written
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["assignee"], body["version"], body["status"]) == (
        dossier.code,
        "specialist_a2",
        version + 1,
        "processing",
    )
    assert response["ETag"] == f'"{version + 1}"'
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.assignee == second_specialist
    assert DossierStep.objects.get(pk=fresh.current_step_id).assignee == second_specialist
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    assert (event.action, event.note, event.data, event.from_status, event.to_status) == (
        "reassign",
        "Chị Mai xử lý gấp",
        {"from": "specialist_a", "to": "specialist_a2"},
        Status.PROCESSING,
        Status.PROCESSING,
    )
    assert event.actor == world.user("leader_a")


@pytest.mark.parametrize(
    ("who", "status_code", "code"),
    [
        # they may see the dossier, but not reassign it
        ("specialist_a", 403, "action_forbidden"),
        ("counter_a", 403, "action_forbidden"),
        ("supervisor", 403, "action_forbidden"),
        ("citizen", 403, "action_forbidden"),
        # they may not even see it: it does not exist for them
        ("leader_xd", 404, None),
        ("counter_b", 404, None),
        ("citizen2", 404, None),
        ("anonymous", 401, None),
    ],
)
def test_everyone_else_is_refused_and_nothing_changes(
    world: World,
    dossier: Dossier,
    second_specialist: User,
    who: str,
    status_code: int,
    code: str | None,
) -> None:
    before = _state(dossier)

    response = _reassign(
        None if who == "anonymous" else world.user(who), dossier, {"assignee": "specialist_a2"}
    )

    assert response.status_code == status_code
    if code is not None:
        assert response.json()["code"] == code
    if status_code == 404:
        assert dossier.code not in response.content.decode()  # nothing told about it
    assert _state(dossier) == before


def test_a_lien_thong_dossier_is_the_holding_department_leaders_to_reassign(
    world: World, second_specialist: User
) -> None:
    # given a liên thông dossier received at desk A and processed by Sở Xây dựng: the commune's
    # leader does not hold it, the department's does
    permit = _forwarded(world, world.permit, "specialist_xd")
    before = _state(permit)

    # when the commune's leader tries; and the department's leader gives it to an officer of
    # the commune
    by_commune = _reassign(world.user("leader_a"), permit, {"assignee": "specialist_a2"})
    outside = _reassign(world.user("leader_xd"), permit, {"assignee": "specialist_a2"})

    # then neither changes anything
    assert by_commune.status_code == 404  # the commune's leader does not see it at all
    assert outside.status_code == 400
    assert outside.json()["errors"] == {
        "assignee": ["Người được giao không thuộc cơ quan đang xử lý hồ sơ."]
    }
    assert _state(permit) == before

    # and the department's leader may give it to their own specialist... who already has it
    same = _reassign(world.user("leader_xd"), permit, {"assignee": "specialist_xd"})
    assert same.status_code == 400
    assert same.json()["errors"] == {"assignee": ["Hồ sơ đang được giao cho người này."]}
    assert _state(permit) == before


def test_stale_versions_are_refused(
    world: World, dossier: Dossier, second_specialist: User
) -> None:
    before = _state(dossier)
    stale = before[2] - 1

    in_body = _reassign(
        world.user("leader_a"), dossier, {"assignee": "specialist_a2", "version": stale}
    )
    in_header = _reassign(
        world.user("leader_a"), dossier, {"assignee": "specialist_a2"}, HTTP_IF_MATCH=f'"{stale}"'
    )

    assert (in_body.status_code, in_body.json()["code"]) == (409, "stale_version")
    assert in_header.status_code == 412
    assert _state(dossier) == before


def test_bad_input_and_a_closed_dossier(
    world: World, dossier: Dossier, second_specialist: User
) -> None:
    before = _state(dossier)

    missing = _reassign(world.user("leader_a"), dossier, {})
    unknown = _reassign(world.user("leader_a"), dossier, {"assignee": "nobody"})

    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"assignee"}
    assert unknown.status_code == 400
    assert _state(dossier) == before

    # a dossier with a decision is not reassigned any more
    _act(world, dossier, Action.FORWARD, "specialist_a")
    _act(world, dossier, Action.REJECT, "leader_a", note="Không đủ điều kiện.")
    closed = _state(dossier)
    refused = _reassign(world.user("leader_a"), dossier, {"assignee": "specialist_a2"})
    assert (refused.status_code, refused.json()["code"]) == (409, "action_not_allowed")
    assert _state(dossier) == closed
