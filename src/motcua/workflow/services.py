"""Writes to processes. A version that dossiers use is never edited: a new version is made."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from motcua.core.exceptions import Conflict

from .models import Process, ProcessStep


def process_in_use(*, process: Process) -> bool:
    """Whether any dossier started with this version (then its steps are frozen)."""
    return process.dossiers.exists()


@transaction.atomic
def process_new_version(*, process: Process, activate: bool = True) -> Process:
    """Copy ``process`` and its steps as the procedure's next version, to be edited freely.

    With ``activate``, the copy becomes the one new dossiers start with and older versions stop
    being offered; dossiers already started keep the version they have.
    """
    latest = (
        Process.objects.filter(procedure=process.procedure).aggregate(v=Max("version"))["v"] or 0
    )
    copy = Process.objects.create(
        procedure=process.procedure, version=latest + 1, name=process.name, is_active=activate
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            process=copy,
            position=step.position,
            name=step.name,
            role=step.role,
            agency_rule=step.agency_rule,
            agency_id=step.agency_id,
            sector_id=step.sector_id,
            budget_hours=step.budget_hours,
        )
        for step in process.steps.order_by("position")
    )
    if activate:
        Process.objects.filter(procedure=process.procedure).exclude(pk=copy.pk).update(
            is_active=False
        )
    return copy


def process_step_guard(*, process: Process) -> None:
    """Refuse editing the steps of a version in use (the admin calls this before saving)."""
    if process.pk is not None and process_in_use(process=process):
        raise Conflict(
            "Quy trình này đã được hồ sơ sử dụng; hãy tạo phiên bản mới để chỉnh sửa.",
            code="process_in_use",
        )
