"""``intake_facts``: what receiving a dossier needs, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.tests.factories import AgencyFactory, FeeFactory, ProcedureFactory
from motcua.workflow.models import Process
from motcua.workflow.selectors import intake_by_codes, intake_facts, process_current

pytestmark = pytest.mark.django_db


def test_intake_facts_in_one_query() -> None:
    desk, elsewhere = AgencyFactory(), AgencyFactory()
    procedure = ProcedureFactory(agencies=[desk])
    FeeFactory(procedure=procedure, amount=50_000)
    FeeFactory(procedure=procedure, amount=8_000)
    FeeFactory(procedure=procedure, amount=2_000, unit="per_copy")  # not a fixed amount
    old = Process.objects.create(procedure=procedure, version=1, name="v1", is_active=True)
    new = Process.objects.create(procedure=procedure, version=2, name="v2", is_active=True)
    Process.objects.create(procedure=procedure, version=3, name="draft", is_active=False)

    with CaptureQueriesContext(connection) as queries:
        facts = intake_facts(procedure=procedure, agency=desk)
    assert len(queries) == 1
    assert facts.handled_here is True
    assert facts.process_id == new.pk != old.pk
    current = process_current(procedure=procedure)
    assert current is not None
    assert current.pk == facts.process_id
    assert facts.fixed_fees == 58_000
    assert facts.per_unit_fees is True

    other = intake_facts(procedure=procedure, agency=elsewhere)
    assert other.handled_here is False


def test_intake_facts_without_process_or_fees() -> None:
    desk = AgencyFactory()
    procedure = ProcedureFactory(agencies=[desk])
    facts = intake_facts(procedure=procedure, agency=desk)
    assert (facts.handled_here, facts.process_id, facts.fixed_fees) == (True, None, 0)
    assert facts.per_unit_fees is False


@pytest.mark.parametrize(
    ("rows", "per_unit"),
    [
        ([("fixed", 8_000)], False),
        ([("fixed", 8_000), ("per_copy", 0), ("per_page", 0)], False),  # free rows owe nothing
        ([("fixed", 8_000), ("per_copy", 8_000)], True),
        ([("per_page", 2_000)], True),
    ],
)
def test_intake_facts_say_whether_a_fee_is_counted_per_unit(
    rows: list[tuple[str, int]], per_unit: bool
) -> None:
    desk = AgencyFactory()
    procedure = ProcedureFactory(agencies=[desk])
    for unit, amount in rows:
        FeeFactory(procedure=procedure, amount=amount, unit=unit)

    facts = intake_facts(procedure=procedure, agency=desk)

    assert facts.per_unit_fees is per_unit
    assert facts.fixed_fees == sum(amount for unit, amount in rows if unit == "fixed")


def test_intake_by_codes_brings_both_rows_and_the_same_facts_in_one_query() -> None:
    parent = AgencyFactory()
    desk = AgencyFactory(parent=parent)
    procedure = ProcedureFactory(agencies=[desk])
    FeeFactory(procedure=procedure, amount=8_000)
    FeeFactory(procedure=procedure, amount=2_000, unit="per_page")
    process = Process.objects.create(procedure=procedure, version=1, name="v1", is_active=True)

    with CaptureQueriesContext(connection) as queries:
        intake = intake_by_codes(procedure_code=procedure.code, agency_code=desk.code)
        assert intake is not None
        assert intake.agency.parent == parent  # loaded with it
    assert len(queries) == 1
    assert (intake.procedure, intake.agency) == (procedure, desk)
    assert intake.facts == intake_facts(procedure=procedure, agency=desk)
    assert intake.facts.process_id == process.pk
    assert intake.facts.calendar_token is not None


def test_intake_by_codes_is_none_unless_both_are_active_and_the_agency_handles_it() -> None:
    desk, elsewhere = AgencyFactory(), AgencyFactory()
    procedure = ProcedureFactory(agencies=[desk])
    inactive = ProcedureFactory(agencies=[desk], is_active=False)
    closed = AgencyFactory(is_active=False)
    procedure.agencies.add(closed)

    assert intake_by_codes(procedure_code=procedure.code, agency_code=elsewhere.code) is None
    assert intake_by_codes(procedure_code=inactive.code, agency_code=desk.code) is None
    assert intake_by_codes(procedure_code=procedure.code, agency_code=closed.code) is None
    assert intake_by_codes(procedure_code="no-such-code", agency_code=desk.code) is None
    assert intake_by_codes(procedure_code=procedure.code, agency_code=desk.code) is not None
