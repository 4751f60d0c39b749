"""Popular procedures follow the dossiers received lately; steps and places read plainly."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import AgencyFactory, ProcedureFactory
from motcua.dossiers.services import ApplicantData, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.portal.selectors import popular_procedures, procedure_steps, where_to_apply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_cached_counts():
    cache.clear()
    yield
    cache.clear()


def receive(world: World, procedure: Procedure, n: int) -> None:
    for _ in range(n):
        dossier_create(
            actor=world.user("counter_a"),
            procedure=procedure,
            agency=world.desk_a,
            channel="counter",
            applicant=ApplicantData(type="citizen", full_name="Trần Văn Bình"),
        )


def test_without_dossiers_the_curated_order_is_used(world: World) -> None:
    Procedure.objects.filter(pk=world.permit.pk).update(popularity=50)
    Procedure.objects.filter(pk=world.birth.pk).update(popularity=10)
    assert [p.code for p in popular_procedures(limit=2)] == [world.permit.code, world.birth.code]


def test_dossiers_received_in_the_last_90_days_decide_the_order(world: World) -> None:
    Procedure.objects.filter(pk=world.permit.pk).update(popularity=50)
    Procedure.objects.filter(pk=world.birth.pk).update(popularity=10)
    extra = ProcedureFactory(
        code="2.000001", name="Chứng thực bản sao", popularity=99, agencies=[world.desk_a]
    )
    with time_machine.travel(timezone.now() - dt.timedelta(days=120)):
        receive(world, world.permit, 5)  # too old to count
    receive(world, world.birth, 2)
    receive(world, extra, 1)

    codes = [p.code for p in popular_procedures(limit=3)]
    # Counted ones first (2 before 1), then the curated order fills the last place.
    assert codes == [world.birth.code, extra.code, world.permit.code]


def test_inactive_procedures_are_not_popular(world: World) -> None:
    receive(world, world.birth, 3)
    Procedure.objects.filter(pk=world.birth.pk).update(is_active=False)
    assert world.birth.code not in [p.code for p in popular_procedures(limit=5)]


def test_steps_say_who_does_what(world: World) -> None:
    steps = procedure_steps(procedure=world.permit)
    assert [s.name for s in steps] == ["Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Phê duyệt"]
    assert steps[0].who == "Cán bộ một cửa, nơi tiếp nhận hồ sơ"
    assert steps[1].who == "Chuyên viên, sở phụ trách lĩnh vực"


def test_a_procedure_received_everywhere_names_the_level(world: World) -> None:
    assert [a.name for a in where_to_apply(procedure=world.birth).agencies] == [
        world.desk_a.name,
        world.desk_b.name,
    ]
    desks = [
        AgencyFactory(code=f"H56.2{i:02d}", level_id="commune", name=f"Xã {i}") for i in range(13)
    ]
    world.birth.agencies.add(*desks)
    world.birth.levels.set(["commune"])
    where = where_to_apply(procedure=world.birth)
    assert where.agencies == []
    assert where.total == 15
    assert where.levels == ["Cấp xã"]
