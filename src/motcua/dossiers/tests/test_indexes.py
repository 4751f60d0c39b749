"""The dossier tables keep the indexes their queries use, and only those: every index costs each
receipt's INSERTs (migration 0008 dropped eleven that no query used)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Model

from motcua.dossiers.models import Dossier, DossierAgency, DossierEvent, DossierStep

pytestmark = pytest.mark.django_db


def _indexes(model: type[Model] = Dossier) -> dict[str, dict[str, Any]]:
    """Indexes and unique constraints (which are indexes too) of the model's table."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: facts
        for name, facts in constraints.items()
        if facts["index"] or (facts["unique"] and not facts["primary_key"])
    }


def _leading_columns() -> list[str]:
    return [facts["columns"][0] for facts in _indexes().values()]


def test_search_by_phone_and_id_number_is_indexed() -> None:
    columns = [facts["columns"] for facts in _indexes().values()]

    assert ["applicant_phone"] in columns
    assert ["applicant_id_number"] in columns


def test_names_have_no_index_because_they_are_searched_anywhere_inside() -> None:
    # The search is LIKE '%name%' on the folded name: no b-tree index serves it.
    leading = _leading_columns()

    assert "applicant_name" not in leading
    assert "applicant_name_folded" not in leading


def test_agencies_are_indexed_only_as_the_first_column_of_the_queue_indexes() -> None:
    by_columns = {tuple(facts["columns"]): name for name, facts in _indexes().items()}

    assert by_columns[("current_agency_id", "status", "due_at")] == "dossier_queue_idx"
    assert by_columns[("agency_id", "status", "due_at")] == "dossier_agency_queue_idx"
    assert by_columns[("agency_id", "received_at")] == "dossier_agency_received_idx"
    assert ("agency_id",) not in by_columns
    assert ("current_agency_id",) not in by_columns


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")
def test_only_the_code_has_a_pattern_index_on_postgresql() -> None:
    # db_index on a CharField adds a varchar_pattern_ops copy for LIKE 'x%'; only the code's
    # prefix search could use one.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s "
            "AND indexdef LIKE '%%varchar_pattern_ops%%'",
            [Dossier._meta.db_table],
        )
        pattern_indexes = [row[0] for row in cursor.fetchall()]

    assert len(pattern_indexes) == 1
    assert pattern_indexes[0].startswith("dossiers_dossier_code_")


@pytest.mark.parametrize(
    ("model", "column", "served_by"),
    [
        (DossierEvent, "dossier_id", ["dossier_id", "seq"]),
        (DossierAgency, "dossier_id", ["dossier_id", "agency_id"]),
        (DossierStep, "agency_id", ["agency_id", "finished_at"]),
    ],
)
def test_foreign_keys_leading_a_composite_index_have_no_index_of_their_own(
    model: type[Model], column: str, served_by: list[str]
) -> None:
    columns = [facts["columns"] for facts in _indexes(model).values()]

    assert served_by in columns
    assert [column] not in columns
