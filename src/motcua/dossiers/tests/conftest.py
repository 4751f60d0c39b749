"""A small province for dossier tests: two communes with one-stop desks, a department, people.

    H56 province ── H56.1 provincial service center
                 ├─ H56.6 Sở Xây dựng            (handles sector XD)
                 ├─ H56.101 UBND xã An Bình ── H56.101.1 its one-stop desk
                 └─ H56.102 UBND xã Cái Nhum ── H56.102.1 its one-stop desk

Procedures: ``birth`` (commune, received at both desks, reception → specialist → leader of the
commune), ``permit`` (received at the commune desks, processed by Sở Xây dựng: liên thông).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Procedure
from motcua.catalog.tests.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    SectorFactory,
)
from motcua.workflow.models import Process, ProcessStep, SectorDepartment

PASSWORD = "motcua-test"


@dataclass
class World:
    province: Agency
    center: Agency
    construction: Agency
    commune_a: Agency
    desk_a: Agency
    commune_b: Agency
    desk_b: Agency
    birth: Procedure
    permit: Procedure
    users: dict[str, User]

    def user(self, name: str) -> User:
        return self.users[name]


def _user(
    username: str, *, kind: str = "staff", roles: list[tuple[Agency, str]] | None = None
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, kind=kind, full_name=username.title()
    )
    for agency, role in roles or []:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def _process(procedure: Procedure, steps: list[dict[str, object]]) -> Process:
    process = Process.objects.create(
        procedure=procedure, version=1, name=f"Quy trình {procedure.code}"
    )
    for position, step in enumerate(steps, start=1):
        ProcessStep.objects.create(process=process, position=position, **step)  # type: ignore[arg-type]
    return process


@pytest.fixture
def world(db: None) -> World:
    province = AgencyFactory(code="H56", name="Ủy ban nhân dân tỉnh Vĩnh Long")
    center = AgencyFactory(
        code="H56.1",
        name="Trung tâm Phục vụ hành chính công tỉnh",
        level_id="department",
        parent=province,
        is_service_center=True,
    )
    construction = AgencyFactory(
        code="H56.6", name="Sở Xây dựng", level_id="department", parent=province
    )
    commune_a = AgencyFactory(
        code="H56.101", name="Ủy ban nhân dân xã An Bình", level_id="commune", parent=province
    )
    desk_a = AgencyFactory(
        code="H56.101.1",
        name="Bộ phận Một cửa xã An Bình",
        level_id="commune",
        parent=commune_a,
        is_service_center=True,
    )
    commune_b = AgencyFactory(
        code="H56.102", name="Ủy ban nhân dân xã Cái Nhum", level_id="commune", parent=province
    )
    desk_b = AgencyFactory(
        code="H56.102.1",
        name="Bộ phận Một cửa xã Cái Nhum",
        level_id="commune",
        parent=commune_b,
        is_service_center=True,
    )
    civil = SectorFactory(code="HT", name="Hộ tịch")
    building = SectorFactory(code="XD", name="Xây dựng")
    SectorDepartment.objects.create(province=province, sector=building, department=construction)

    birth = ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=civil,
        online="full",
        processing_time_value=1,
        agencies=[desk_a, desk_b],
    )
    RequiredDocumentFactory(procedure=birth, name="Tờ khai đăng ký khai sinh")
    RequiredDocumentFactory(procedure=birth, name="Giấy chứng sinh")
    _process(
        birth,
        [
            {
                "name": "Tiếp nhận hồ sơ",
                "role": "counter_officer",
                "agency_rule": "receiving",
                "budget_hours": Decimal("1"),
            },
            {
                "name": "Thẩm định",
                "role": "specialist",
                "agency_rule": "receiving_government",
                "budget_hours": Decimal("4"),
            },
            {
                "name": "Phê duyệt",
                "role": "leader",
                "agency_rule": "receiving_government",
                "budget_hours": Decimal("2.5"),
            },
        ],
    )
    permit = ProcedureFactory(
        code="1.009994",
        name="Cấp giấy phép xây dựng",
        sector=building,
        online="partial",
        processing_time_value=15,
        restart_on_supplement=True,
        agencies=[desk_a, desk_b, center],
    )
    RequiredDocumentFactory(procedure=permit, name="Đơn đề nghị cấp giấy phép xây dựng")
    _process(
        permit,
        [
            {
                "name": "Tiếp nhận hồ sơ",
                "role": "counter_officer",
                "agency_rule": "receiving",
                "budget_hours": Decimal("4"),
            },
            {
                "name": "Thẩm định hồ sơ",
                "role": "specialist",
                "agency_rule": "sector_department",
                "sector": building,
                "budget_hours": Decimal("80"),
            },
            {
                "name": "Phê duyệt",
                "role": "leader",
                "agency_rule": "sector_department",
                "sector": building,
                "budget_hours": Decimal("20"),
            },
        ],
    )
    users = {
        "counter_a": _user("counter_a", roles=[(desk_a, "counter_officer")]),
        "counter_b": _user("counter_b", roles=[(desk_b, "counter_officer")]),
        "counter_center": _user("counter_center", roles=[(center, "counter_officer")]),
        "specialist_a": _user("specialist_a", roles=[(commune_a, "specialist")]),
        "leader_a": _user("leader_a", roles=[(commune_a, "leader")]),
        "specialist_b": _user("specialist_b", roles=[(commune_b, "specialist")]),
        "specialist_xd": _user("specialist_xd", roles=[(construction, "specialist")]),
        "leader_xd": _user("leader_xd", roles=[(construction, "leader")]),
        "supervisor": _user("supervisor", roles=[(province, "supervisor")]),
        "assistant_a": _user("assistant_a", roles=[(desk_a, "assistant")]),
        "citizen": _user("citizen", kind="citizen"),
        "citizen2": _user("citizen2", kind="citizen"),
    }
    return World(
        province, center, construction, commune_a, desk_a, commune_b, desk_b, birth, permit, users
    )
