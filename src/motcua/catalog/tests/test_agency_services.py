"""agency_save keeps the tree's materialised paths right; agency_get resolves former codes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError

from motcua.catalog import selectors
from motcua.catalog.models import Agency, AgencyFormerCode, AgencyLevel
from motcua.catalog.services import agency_save
from motcua.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db


def make(code: str, level: str, parent: Agency | None = None, **extra: object) -> Agency:
    return agency_save(
        agency=Agency(code=code, name=f"Cơ quan {code}", level_id=level, parent=parent, **extra)
    )


def test_three_tier_tree_has_paths_and_depths() -> None:
    province = make("H56", "province")
    district = make("H56.30", "district", province)
    commune = make("H56.30.5", "commune", district)

    assert (province.depth, district.depth, commune.depth) == (0, 1, 2)
    assert commune.path == f"/{province.pk}/{district.pk}/{commune.pk}/"
    assert list(Agency.objects.subtree_of(district)) == [district, commune]
    assert list(Agency.objects.subtree_of(province, include_self=False)) == [district, commune]


def test_levels_are_data_so_a_new_level_works() -> None:
    AgencyLevel.objects.create(code="village", name="Ấp, khu phố", rank=50)
    commune = make("H56.12", "commune")
    village = make("H56.12.1", "village", commune)
    assert village.level.name == "Ấp, khu phố"


def test_moving_an_agency_rewrites_its_descendants_paths() -> None:
    province = make("H56", "province")
    old_district = make("H56.30", "district", province)
    new_parent = make("H56.31", "district", province)
    commune = make("H56.30.5", "commune", old_district)
    hamlet = make("H56.30.5.1", "commune", commune)

    old_district.parent = new_parent
    agency_save(agency=old_district)

    hamlet.refresh_from_db()
    assert (
        hamlet.path == f"/{province.pk}/{new_parent.pk}/{old_district.pk}/{commune.pk}/{hamlet.pk}/"
    )
    assert hamlet.depth == 4


def test_an_agency_cannot_be_placed_under_its_own_descendant() -> None:
    province = make("H56", "province")
    child = make("H56.1", "department", province)
    province.parent = child

    with pytest.raises(ValidationFailed) as excinfo:
        agency_save(agency=province)

    assert excinfo.value.code == "agency_cycle"
    province.refresh_from_db()
    assert province.parent_id is None
    assert province.path == f"/{province.pk}/"


@pytest.mark.parametrize("bad_code", ["56.12", "h56", "H5.1", "H56..1", "H56.", "HH6.1"])
def test_invalid_electronic_codes_are_refused(bad_code: str) -> None:
    with pytest.raises(DjangoValidationError) as excinfo:
        make(bad_code, "province")
    assert "code" in str(excinfo.value)
    assert not Agency.objects.filter(code=bad_code).exists()


def test_former_code_finds_the_successor_after_a_merger() -> None:
    province = make("H56", "province")
    old = make("H07", "province", is_active=False)
    old.merged_into = province
    agency_save(agency=old)
    AgencyFormerCode.objects.create(
        agency=old, code="H07.20", valid_to=dt.date(2025, 6, 30), name="Huyện cũ"
    )

    assert selectors.agency_get(code="H56") == province
    assert selectors.agency_get(code="H07") == old  # a code still held is that agency, even merged
    assert selectors.agency_get(code="H07.20") == province  # a former code follows the merger
    assert selectors.agency_get(code="H07.20", at=dt.date(2025, 7, 1)) is None  # not valid then
    assert selectors.agency_get(code="H99") is None
