"""Which agency does a process step (``workflow.selectors.step_agency``): each rule a step may
name, fixed or relative to the agency that received the dossier, and the clear error when a rule
finds none."""

from __future__ import annotations

import pytest

from motcua.dossiers.tests.conftest import World
from motcua.workflow.constants import AgencyRule
from motcua.workflow.models import ProcessStep
from motcua.workflow.selectors import StepAgencyUnresolved, step_agency

pytestmark = pytest.mark.django_db


def _step(rule: str, **fields: object) -> ProcessStep:
    return ProcessStep(position=1, name="Thẩm định", role="specialist", agency_rule=rule, **fields)


def test_receiving_is_the_agency_that_received_it(world: World) -> None:
    assert step_agency(step=_step(AgencyRule.RECEIVING), receiving=world.desk_a) == world.desk_a


def test_receiving_parent_is_the_agency_above_it(world: World) -> None:
    step = _step(AgencyRule.RECEIVING_PARENT)

    assert step_agency(step=step, receiving=world.desk_a) == world.commune_a
    assert step_agency(step=step, receiving=world.commune_a) == world.province


def test_receiving_government_is_the_parent_of_a_desk_and_the_agency_itself_otherwise(
    world: World,
) -> None:
    step = _step(AgencyRule.RECEIVING_GOVERNMENT)

    assert step_agency(step=step, receiving=world.desk_a) == world.commune_a
    assert step_agency(step=step, receiving=world.construction) == world.construction


def test_fixed_is_the_step_s_own_agency_wherever_it_was_received(world: World) -> None:
    step = _step(AgencyRule.FIXED, agency=world.construction)

    assert step_agency(step=step, receiving=world.desk_a) == world.construction
    assert step_agency(step=step, receiving=world.desk_b) == world.construction


def test_sector_department_is_the_province_s_department_for_the_sector(world: World) -> None:
    # A commune desk two levels down still finds its province's department (liên thông).
    step = _step(AgencyRule.SECTOR_DEPARTMENT, sector=world.permit.sector)

    assert step_agency(step=step, receiving=world.desk_a) == world.construction
    assert step_agency(step=step, receiving=world.center) == world.construction


@pytest.mark.parametrize("case", ["province has no parent", "sector has no department"])
def test_a_rule_that_finds_no_agency_says_which_step_and_where(world: World, case: str) -> None:
    if case == "province has no parent":
        step, receiving = _step(AgencyRule.RECEIVING_PARENT), world.province
    else:
        step, receiving = (
            _step(AgencyRule.SECTOR_DEPARTMENT, sector=world.birth.sector),
            world.desk_a,
        )

    with pytest.raises(StepAgencyUnresolved) as raised:
        step_agency(step=step, receiving=receiving)

    assert "Thẩm định" in str(raised.value)
    assert receiving.code in str(raised.value)
