"""``dossier_visible_id`` decides common cases from the row; it must agree with the full query."""

from __future__ import annotations

import pytest

from motcua.dossiers import selectors
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

from .conftest import World
from .factories import DossierAgencyFactory, DossierFactory, UserFactory

pytestmark = pytest.mark.django_db


def _dossiers(world: World) -> list[Dossier]:
    citizen, assistant = world.user("citizen"), world.user("assistant_a")
    made = [
        DossierFactory(draft=True, agency=world.desk_a, created_by=citizen, owner=citizen),
        DossierFactory(draft=True, agency=world.desk_a, assisted_by=assistant),
        DossierFactory(submitted=True, agency=world.desk_a, owner=citizen, created_by=citizen),
        DossierFactory(agency=world.desk_a),  # received at desk A
        DossierFactory(agency=world.desk_b, status=Status.RETURNED),
        # liên thông: received at desk A, held by the construction department now
        DossierFactory(
            agency=world.desk_a, current_agency=world.construction, status=Status.PROCESSING
        ),
        DossierFactory(agency=world.center, status=Status.SUPPLEMENT_REQUESTED),
    ]
    # routed through commune A earlier, now back at desk B
    routed = DossierFactory(agency=world.desk_b, status=Status.RESOLVED)
    DossierAgencyFactory(dossier=routed, agency=world.commune_a)
    return [*made, routed]


def test_visible_id_agrees_with_the_visibility_query_for_everyone(world: World) -> None:
    dossiers = _dossiers(world)
    viewers = [*world.users.values(), UserFactory(is_superuser=True, staff=True)]
    inactive = UserFactory(staff=True, is_active=False)
    checked = 0
    for viewer in [*viewers, inactive]:
        visible = set(selectors.dossier_visible(viewer=viewer).values_list("pk", flat=True))
        for dossier in dossiers:
            expected = dossier.pk if dossier.pk in visible else None
            refs = [str(dossier.pk)] + ([dossier.code] if dossier.code else [])
            for ref in refs:
                assert selectors.dossier_visible_id(viewer=viewer, code_or_id=ref) == expected, (
                    viewer.username,
                    dossier.status,
                    ref,
                )
                checked += 1
    assert checked > 100
    # both answers occur: the fast path and the full query are both exercised
    supervisor = world.user("supervisor")
    assert selectors.dossier_visible_id(viewer=supervisor, code_or_id=str(dossiers[3].pk))
    assert (
        selectors.dossier_visible_id(viewer=world.user("citizen2"), code_or_id=str(dossiers[2].pk))
        is None
    )
    assert (
        selectors.dossier_visible_id(viewer=world.user("counter_a"), code_or_id="H56-000000-0000")
        is None
    )
