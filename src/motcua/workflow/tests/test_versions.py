"""Processes are versioned: a dossier keeps the version it started with."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from motcua.dossiers.services import ApplicantData, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.workflow.admin import ProcessStepInline
from motcua.workflow.models import Process
from motcua.workflow.selectors import process_current
from motcua.workflow.services import process_in_use, process_new_version

pytestmark = pytest.mark.django_db


def test_new_version_copies_steps_and_becomes_current(world: World) -> None:
    v1 = Process.objects.get(procedure=world.birth)
    v2 = process_new_version(process=v1)
    assert v2.version == 2
    assert [(s.position, s.name, s.role, s.agency_rule) for s in v2.steps.order_by("position")] == [
        (s.position, s.name, s.role, s.agency_rule) for s in v1.steps.order_by("position")
    ]
    v1.refresh_from_db()
    assert v1.is_active is False
    assert process_current(procedure=world.birth) == v2


def test_a_dossier_keeps_its_version_after_the_process_changes(world: World) -> None:
    dossier = dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Lê Văn Tám"),
    )
    v1 = dossier.process
    assert v1 is not None
    assert process_in_use(process=v1)
    v2 = process_new_version(process=v1)
    v2.steps.filter(position=2).update(name="Thẩm định (mới)")
    dossier.refresh_from_db()
    assert dossier.process == v1
    assert v1.steps.get(position=2).name == "Thẩm định"


def test_admin_freezes_steps_of_a_version_in_use(world: World, admin_user) -> None:
    v1 = Process.objects.get(procedure=world.birth)
    inline = ProcessStepInline(Process, site)
    request = RequestFactory().get("/")
    request.user = admin_user
    assert inline.has_change_permission(request, v1) is True
    dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Lê Văn Tám"),
    )
    assert inline.has_change_permission(request, v1) is False
    assert inline.has_add_permission(request, v1) is False
    assert inline.has_delete_permission(request, v1) is False
