"""The compiled tracking read returns exactly what the ORM would (core.compiled)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from motcua.core.compiled import CompiledQuery
from motcua.dossiers import selectors
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

from .factories import DossierFactory

pytestmark = pytest.mark.django_db


def _orm(code: str) -> dict[str, object] | None:
    rows = list(
        Dossier.objects.filter(code=code)
        .exclude(status=Status.DRAFT)
        .values(*selectors.TRACKING_FIELDS)[:1]
    )
    return rows[0] if rows else None


def test_tracking_summary_equals_the_orm_read_with_aware_times() -> None:
    at = timezone.now().replace(microsecond=123456) - dt.timedelta(days=3)
    returned = DossierFactory(status=Status.RETURNED, at=at, full_name="Trần Thị Bích")
    received = DossierFactory(at=at)
    summaries = {}
    for dossier in (returned, received):
        assert dossier.code is not None
        summary = selectors.dossier_track_summary(code=dossier.code)
        assert summary == _orm(dossier.code)
        assert summary is not None
        assert summary["received_at"] == at
        assert timezone.is_aware(summary["received_at"])
        summaries[dossier.pk] = summary
    assert summaries[returned.pk]["returned_at"] == at
    assert summaries[received.pk]["returned_at"] is None


def test_tracking_summary_finds_nothing_for_unknown_codes() -> None:
    DossierFactory(draft=True)  # has no code (a database constraint): nothing to find
    assert selectors.dossier_track_summary(code="H56.101.1-261123-9999") is None
    assert selectors.dossier_track_summary(code="' OR 1=1 --") is None  # a value, never SQL


def test_compiled_query_refuses_a_parameter_it_cannot_place() -> None:
    def build(code: str) -> QuerySet[Dossier, Any]:
        return Dossier.objects.filter(code=code, applicant_name=code).values("code")

    twice = CompiledQuery(build, columns=("code",), params=("code",))
    with pytest.raises(ValueError, match="once"):
        twice.one(code="x")
