"""``manage.py seed_demo`` and ``demo_accounts``: what the demo contains, and that a second run
changes nothing. The demo is seeded once for the module and rolled back after it."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction
from django.test import Client, override_settings
from django.utils import timezone

from motcua.accounts.models import Membership, User
from motcua.catalog.models import (
    Agency,
    AgencyFormerCode,
    Fee,
    Procedure,
    RequiredDocument,
    Sector,
)
from motcua.catalog.search import invalidate_search_index
from motcua.demo import structure
from motcua.demo.accounts import DEMO_PASSWORD
from motcua.demo.processes import processing_hours
from motcua.dossiers.constants import Status
from motcua.dossiers.history import verify_chain
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.workflow.models import Process, ProcessStep, SectorDepartment
from motcua.workflow.selectors import process_current, process_steps, step_agency
from motcua.worktime.calendar import sessions_on
from motcua.worktime.models import CalendarOverride, CalendarRevision, WorkCalendar, WorkSession
from motcua.worktime.selectors import calendar_cache_clear, calendar_for_agency

SNAPSHOT_MODELS: list[type[models.Model]] = [
    Agency,
    AgencyFormerCode,
    Sector,
    Procedure,
    Procedure.levels.through,
    Procedure.agencies.through,
    Fee,
    RequiredDocument,
    Process,
    ProcessStep,
    SectorDepartment,
    User,
    Membership,
    WorkCalendar,
    WorkSession,
    CalendarOverride,
    CalendarRevision,
]
FIRST_DESK = "H56.101.1"
LAST_DESK = "H56.224.1"


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row the demo touches, with its primary key, in a comparable form."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in SNAPSHOT_MODELS
    }


def seed(*args: str, debug: bool = True) -> str:
    out = io.StringIO()
    with override_settings(DEBUG=debug):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


SAMPLE_DOSSIERS = 110  # enough for one of each status kept back (dossiers.SHOWCASE)


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock():
        with transaction.atomic():
            output = seed("--dossiers", str(SAMPLE_DOSSIERS))
            yield {"output": output, "snapshot": snapshot()}
            transaction.set_rollback(True)
        # Built indexes and calendars of this process must not outlive the rolled-back rows.
        invalidate_search_index()
        calendar_cache_clear()


pytestmark = pytest.mark.usefixtures("seeded", "db")


# Agencies --------------------------------------------------------------------------------------


def test_the_province_its_center_and_departments() -> None:
    province = Agency.objects.get(code="H56")
    assert (province.level_id, province.parent_id, province.is_active) == ("province", None, True)
    center = Agency.objects.get(code="H56.1")
    assert center.is_service_center
    assert center.parent == province
    short_names = set(
        Agency.objects.filter(parent=province, level_id="department").values_list(
            "short_name", flat=True
        )
    )
    for name in ("Sở Nội vụ", "Sở Tư pháp", "Sở Xây dựng", "Sở Tài chính", "Sở Y tế"):
        assert name in short_names
    assert {"Công an tỉnh", "Bảo hiểm xã hội tỉnh"} <= short_names


def test_124_communes_each_with_its_one_stop_desk() -> None:
    communes = Agency.objects.filter(level_id="commune", parent__code="H56")
    assert communes.count() == 124
    assert not communes.filter(is_service_center=True).exists()
    desks = Agency.objects.filter(level_id="commune", is_service_center=True)
    assert desks.count() == 124
    assert set(desks.values_list("parent_id", flat=True)) == set(
        communes.values_list("pk", flat=True)
    )
    first = Agency.objects.get(code="H56.101")
    assert first.name == "Ủy ban nhân dân phường Phú Khương"
    assert first.administrative_code == f"{structure.first_commune().ward_code:05d}"
    desk = Agency.objects.get(code=FIRST_DESK)
    assert desk.path == f"{first.path}{desk.pk}/"
    assert desk.depth == 2


def test_former_provinces_are_inactive_and_merged_into_h56() -> None:
    province = Agency.objects.get(code="H56")
    for code in ("H83", "H84"):
        former = Agency.objects.get(code=code)
        assert (former.is_active, former.merged_into) == (False, province)
    assert AgencyFormerCode.objects.get(code="H83.1").agency.code == "H56.1"
    assert AgencyFormerCode.objects.get(code="H56.30").agency.short_name == "Sở Xây dựng"
    assert AgencyFormerCode.objects.filter(agency__level_id="commune").count() == 5


# Catalogue -------------------------------------------------------------------------------------


def test_counts_of_the_catalogue() -> None:
    assert Procedure.objects.count() >= 60
    assert Sector.objects.filter(procedures__isnull=False).distinct().count() >= 8
    assert Procedure.objects.filter(levels="province").exists()
    assert Procedure.objects.filter(levels="commune").exists()
    assert Fee.objects.count() >= Procedure.objects.count()
    assert RequiredDocument.objects.count() >= Procedure.objects.count()


@pytest.mark.parametrize(
    "name",
    [
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Chứng thực bản sao từ bản chính",
        "Cấp phiếu lý lịch tư pháp",
        "Cấp giấy phép xây dựng",
    ],
)
def test_the_named_procedures_exist(name: str) -> None:
    assert Procedure.objects.filter(name__contains=name).exists()


def test_procedures_are_received_only_at_service_centers() -> None:
    for procedure in Procedure.objects.prefetch_related("agencies"):
        agencies = list(procedure.agencies.all())
        assert agencies, procedure.code
        assert all(a.is_service_center for a in agencies), procedure.code
    birth = Procedure.objects.get(code="1.001193")
    assert birth.agencies.count() == 124
    assert list(Procedure.objects.get(code="VL.0031").agencies.values_list("code", flat=True)) == [
        "H56.1"
    ]


def test_search_finds_the_demo_procedures_by_everyday_words() -> None:
    from motcua.catalog.search import search_procedure_ids

    (first,) = search_procedure_ids("lam giay khai sinh cho be", limit=1)
    assert Procedure.objects.get(pk=first).code == "1.001193"


# Processes -------------------------------------------------------------------------------------


def test_every_procedure_has_a_process_that_resolves_at_its_desks() -> None:
    for procedure in Procedure.objects.prefetch_related("agencies"):
        process = process_current(procedure=procedure)
        assert process is not None, procedure.code
        assert process.version == 1
        steps = list(process_steps(process=process))
        total = sum((step.budget_hours for step in steps), Decimal(0))
        expected = processing_hours(procedure.processing_time_value, procedure.processing_time_unit)
        assert total == expected, procedure.code
        desks = sorted(procedure.agencies.all(), key=lambda a: a.code)
        for receiving in (desks[0], desks[-1]):
            agencies = [step_agency(step=step, receiving=receiving) for step in steps]
            assert agencies[0] == receiving
            assert all(a.is_active for a in agencies)


def _route(code: str, desk: str) -> list[tuple[str, str]]:
    procedure = Procedure.objects.get(code=code)
    receiving = Agency.objects.get(code=desk)
    steps = process_steps(process=process_current(procedure=procedure))
    return [(step.role, step_agency(step=step, receiving=receiving).code) for step in steps]


def test_a_commune_procedure_is_handled_by_the_commune_government() -> None:
    assert _route("1.001193", LAST_DESK) == [
        ("counter_officer", LAST_DESK),
        ("specialist", "H56.224"),
        ("leader", "H56.224"),
    ]


def test_a_province_procedure_is_handled_by_the_department_of_its_sector() -> None:
    assert _route("VL.0019", "H56.1") == [
        ("counter_officer", "H56.1"),
        ("specialist", "H56.6"),
        ("leader", "H56.6"),
    ]


def test_judicial_records_received_at_a_commune_desk_go_to_the_provincial_police() -> None:
    police = Agency.objects.get(short_name="Công an tỉnh").code
    assert _route("VL.0012", FIRST_DESK) == [
        ("counter_officer", FIRST_DESK),
        ("specialist", police),
        ("leader", police),
        ("counter_officer", FIRST_DESK),
    ]
    assert Agency.objects.get(code=police).level_id == "department"


def test_birth_residence_and_health_insurance_pass_three_agencies() -> None:
    route = _route("VL.0006", FIRST_DESK)
    handlers = [code for _role, code in route]
    assert handlers[0] == handlers[-1] == FIRST_DESK
    assert list(dict.fromkeys(handlers[1:-1])) == ["H56.101", "H56.15", "H56.16"]
    death = [code for _role, code in _route("VL.0007", FIRST_DESK)]
    assert list(dict.fromkeys(death[1:-1])) == ["H56.101", "H56.15", "H56.16"]


def test_sector_departments_come_from_the_structure() -> None:
    rows = SectorDepartment.objects.select_related("sector", "department", "province")
    mapping = {row.sector.code: row.department.code for row in rows}
    assert mapping == structure.sector_departments()
    assert {row.province.code for row in rows} == {"H56"}


# Calendar --------------------------------------------------------------------------------------


def test_the_provincial_center_works_on_saturday_mornings() -> None:
    saturday = dt.date(2026, 12, 5)
    monday = dt.date(2026, 12, 7)
    center = calendar_for_agency(Agency.objects.get(code="H56.1"))
    (session,) = sessions_on(center, saturday)
    assert (session[0].time(), session[1].time()) == (dt.time(7, 30), dt.time(11, 30))
    assert len(sessions_on(center, monday)) == 2
    desk = calendar_for_agency(Agency.objects.get(code=FIRST_DESK))
    assert sessions_on(desk, saturday) == ()


# Accounts --------------------------------------------------------------------------------------

ROLES = {
    "admin": ("administrator", "H56"),
    "tiepnhan": ("counter_officer", "H56.1"),
    "chuyenvien": ("specialist", "H56.6"),
    "lanhdao": ("leader", "H56.6"),
    "tiepnhan.xa": ("counter_officer", FIRST_DESK),
    "chuyenvien.xa": ("specialist", "H56.101"),
    "lanhdao.xa": ("leader", "H56.101"),
    "tinhnguyen.xa": ("assistant", FIRST_DESK),
    "giamsat": ("supervisor", "H56"),
}


def test_staff_accounts_have_their_role_and_agency() -> None:
    for username, (role, agency) in ROLES.items():
        user = User.objects.get(username=username)
        assert user.kind == "staff"
        assert user.full_name
        assert list(user.memberships.values_list("role", "agency__code", "is_active")) == [
            (role, agency, True)
        ]
        assert user.is_staff == user.is_superuser == (username == "admin")
    assert Agency.objects.get(code="H56.6").short_name == "Sở Xây dựng"


def test_citizen_accounts() -> None:
    for username in ("congdan", "congdan2"):
        user = User.objects.get(username=username)
        assert (user.kind, user.is_staff) == ("citizen", False)
        assert user.full_name
        assert user.phone
        assert user.email
        assert not user.memberships.exists()


@pytest.mark.parametrize("username", [*ROLES, "congdan", "congdan2"])
def test_demo_password_works(username: str) -> None:
    assert authenticate(username=username, password=DEMO_PASSWORD) is not None


def test_demo_accounts_prints_the_table() -> None:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 + 11
    assert lines[2].split()[0] == "admin"
    assert "H56.101.1" in next(line for line in lines if line.startswith("tiepnhan.xa"))
    volunteer = next(line for line in lines if line.startswith("tinhnguyen.xa"))
    assert "Tình nguyện viên hỗ trợ" in volunteer
    assert "H56.101.1" in volunteer
    assert all(line.rstrip().endswith(DEMO_PASSWORD) for line in lines[2:])


def test_the_volunteer_files_for_citizens_at_the_first_commune_desk(client: Client) -> None:
    # given the demo volunteer, who has no second factor to give (not a leader or administrator)
    # when they log in to the back office with the demo password
    response = client.post(
        "/can-bo/dang-nhap/", {"username": "tinhnguyen.xa", "password": DEMO_PASSWORD}
    )

    # then they are in, and the desk page opens in assisted-filing mode over the procedures the
    # first commune's desk takes online
    assert (response.status_code, response["Location"]) == (302, "/can-bo/")
    page = client.get("/can-bo/tiep-nhan/", {"q": "khai sinh"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Nộp hồ sơ hỗ trợ công dân</h1>" in text
    assert "Đăng ký khai sinh" in text


# Running it -------------------------------------------------------------------------------------


def test_first_run_reports_what_it_created(seeded: dict[str, Any]) -> None:
    assert "procedures: 78 created" in seeded["output"]
    assert f"{SAMPLE_DOSSIERS} created" in seeded["output"]


def test_second_run_changes_nothing(seeded: dict[str, Any]) -> None:
    output = seed("--dossiers", str(SAMPLE_DOSSIERS))
    assert snapshot() == seeded["snapshot"]
    assert "already up to date" in output
    assert f"đã có {SAMPLE_DOSSIERS} hồ sơ" in output
    assert Dossier.objects.count() == SAMPLE_DOSSIERS


# Sample dossiers --------------------------------------------------------------------------------


def test_sample_dossiers_are_real_dossiers_with_valid_histories() -> None:
    dossiers = Dossier.objects.exclude(status="draft")
    codes = list(dossiers.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"H56(\.\d+)+-\d{6}-\d{4}", code) for code in codes)
    assert verify_chain(DossierEvent.objects.order_by("dossier_id", "seq")) == []
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {"returned", "processing"} <= statuses
    assert len(statuses) >= 4
    timeliness = set(Dossier.objects.exclude(timeliness="").values_list("timeliness", flat=True))
    assert "late" in timeliness
    assert timeliness & {"early", "on_time"}


def test_sample_dossiers_are_in_every_status() -> None:
    # API.md: "Sample dossiers spread over the past 12 months in every status"
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # a draft (never in the year's sample) is made for the demo citizen at the first commune's desk
    draft = Dossier.objects.filter(status=Status.DRAFT).get()
    assert (draft.owner.username, draft.agency.code, draft.code) == ("congdan", FIRST_DESK, None)
    assert Dossier.objects.count() == SAMPLE_DOSSIERS


def test_sample_dossiers_include_lien_thong_to_a_department() -> None:
    departments = Agency.objects.filter(level_id="department").values("pk")
    crossed = Dossier.objects.filter(
        agency__level_id="commune", routes__agency__in=departments
    ).distinct()
    assert crossed.exists()


def test_sample_dossiers_spread_over_the_year_and_reach_the_demo_accounts() -> None:
    received = Dossier.objects.exclude(received_at=None).order_by("received_at")
    span = received.last().received_at - received.first().received_at
    assert span > dt.timedelta(days=120)
    assert Dossier.objects.filter(agency__code="H56.101.1").exists()
    assert Dossier.objects.filter(owner__username__in=["congdan", "congdan2"]).exists()


def test_the_volunteer_filed_some_online_dossiers_for_citizens_at_the_first_desk() -> None:
    assisted = Dossier.objects.filter(assisted_by__username="tinhnguyen.xa")
    assert assisted.exists()
    for dossier in assisted:
        assert dossier.channel == "online"
        assert dossier.agency.code == FIRST_DESK
        assert dossier.consent_recorded is True
        assert dossier.owner is not None
        assert dossier.owner.kind == "citizen"
        first = DossierEvent.objects.filter(dossier=dossier).order_by("seq").first()
        assert first is not None
        assert (first.action, first.actor.username) == ("create", "tinhnguyen.xa")
    # Elsewhere no background volunteer was made up: only the first desk has one.
    assert not Dossier.objects.exclude(assisted_by=None).exclude(agency__code=FIRST_DESK).exists()
    assert not User.objects.filter(
        username__startswith="demo.", username__endswith=".assistant"
    ).exists()


def test_refuses_to_run_with_debug_off(seeded: dict[str, Any]) -> None:
    User.objects.filter(username="congdan2").update(full_name="Người khác")
    before = snapshot()
    with pytest.raises(CommandError, match="DEBUG"):
        seed(debug=False)
    assert snapshot() == before
    seed("--allow-production-demo", "--dossiers", str(SAMPLE_DOSSIERS), debug=False)
    assert snapshot() == seeded["snapshot"]


def test_sample_histories_run_forward_in_time_their_documents_included() -> None:
    # Every dossier's events are in the order of their times ...
    last: dict[Any, Any] = {}
    for dossier_id, seq, at in DossierEvent.objects.order_by("dossier_id", "seq").values_list(
        "dossier_id", "seq", "at"
    ):
        assert at >= last.get(dossier_id, at), (dossier_id, seq)
        last[dossier_id] = at
    # ... and each document is dated by its attach event, not by when the seed ran.
    attached = {
        event.data["document"]: event.at
        for event in DossierEvent.objects.filter(action="attach_document")
    }
    documents = list(Document.objects.values_list("pk", "uploaded_at"))
    assert documents
    assert all(attached[str(pk)] == uploaded_at for pk, uploaded_at in documents)
    assert min(uploaded_at for _, uploaded_at in documents) < timezone.now() - dt.timedelta(days=30)
