"""Fixtures of the portal tests: a small catalogue a citizen can search."""

import pytest

from motcua.catalog.models import Agency, Fee, Procedure, RequiredDocument, Sector
from motcua.catalog.services import agency_save, procedure_refresh_search_text


@pytest.fixture
def birth() -> Procedure:
    commune = agency_save(
        agency=Agency(code="H56.101", name="Ủy ban nhân dân xã An Bình", level_id="commune")
    )
    sector = Sector.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=sector,
        online="full",
        processing_time_value=1,
        description="Đăng ký việc sinh của trẻ em để được cấp Giấy khai sinh.",
        conditions="Cha, mẹ hoặc người thân thích của trẻ.",
        result="Giấy khai sinh (bản chính)",
        legal_basis="Luật Hộ tịch 2014",
        applicant_types=["citizen"],
        popularity=100,
    )
    procedure.agencies.set([commune])
    RequiredDocument.objects.create(
        procedure=procedure,
        position=0,
        name="Tờ khai đăng ký khai sinh",
        originals=1,
        copies=0,
        form_name="Mẫu tờ khai",
    )
    Fee.objects.create(
        procedure=procedure, position=0, name="Lệ phí đăng ký khai sinh", amount=8000
    )
    procedure_refresh_search_text(procedure=procedure)
    return procedure


from motcua.dossiers.tests.conftest import world  # noqa: E402, F401  (a fixture, used by name)
