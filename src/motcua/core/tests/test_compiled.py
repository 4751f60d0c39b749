"""core.compiled: a query compiled once gives, for any values, exactly what the ORM gives."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from django.db import DatabaseError
from django.db.models import Model

from motcua.accounts.constants import Role
from motcua.accounts.models import Membership
from motcua.catalog.models import Agency
from motcua.catalog.tests.factories import AgencyFactory
from motcua.core.compiled import CompiledQuery, insert, update
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import DossierFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BY_ID_WITH_AGENCIES = CompiledQuery(
    lambda pk: (
        Dossier.objects.select_related("agency__parent", "current_agency", "assisted_by")
        .filter(pk=pk)
        .order_by()[:1]
    ),
    uuid_params=("pk",),
)
CHILDREN = CompiledQuery(
    lambda parent_id, kind: (
        Agency.objects.filter(parent_id=parent_id).exclude(code=kind).order_by("code")
    ),
    int_params=("parent_id",),
    params=("kind",),
)


def _fields(obj: Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_an_instance_with_its_related_objects_equals_the_orm_one() -> None:
    dossier = DossierFactory()
    other = DossierFactory()
    for wanted in (dossier, other):
        orm = (
            Dossier.objects.select_related("agency__parent", "current_agency", "assisted_by")
            .filter(pk=wanted.pk)
            .get()
        )
        for given in (wanted.pk, str(wanted.pk)):  # a UUID or its text
            got = BY_ID_WITH_AGENCIES.instance(pk=given)
            assert isinstance(got, Dossier)
            assert _fields(got) == _fields(orm)
            assert not got._state.adding
            assert got._state.db == "default"
            # The related objects came with the row: reading them runs no query.
            assert _fields(got.agency) == _fields(orm.agency)
            assert got.agency.parent is not None
            assert _fields(got.agency.parent) == _fields(orm.agency.parent)
            assert got.assisted_by is None  # a null foreign key stays None
    assert BY_ID_WITH_AGENCIES.instance(pk=uuid.uuid4()) is None


def test_related_objects_are_loaded_without_further_queries(
    django_assert_num_queries: Any,
) -> None:
    dossier = DossierFactory()
    with django_assert_num_queries(1):
        got = BY_ID_WITH_AGENCIES.instance(pk=dossier.pk)
        assert got.current_agency.code == dossier.current_agency.code
        assert got.agency.parent_id == dossier.agency.parent_id


def test_many_instances_and_rows_with_integer_and_text_values() -> None:
    parent = AgencyFactory()
    children = sorted((AgencyFactory(parent=parent) for _ in range(3)), key=lambda a: a.code)
    AgencyFactory()  # elsewhere
    skipped = children[1].code
    got = CHILDREN.instances(parent_id=parent.pk, kind=skipped)
    expected = list(Agency.objects.filter(parent=parent).exclude(code=skipped).order_by("code"))
    assert [_fields(a) for a in got] == [_fields(a) for a in expected]
    assert len(got) == 2
    assert CHILDREN.instances(parent_id=parent.pk + 10_000, kind="") == []


def test_rows_of_values() -> None:
    user = UserFactory()
    first = MembershipFactory(user=user, role=Role.SPECIALIST)
    second = MembershipFactory(user=user, role=Role.LEADER)
    MembershipFactory(role=Role.SPECIALIST)  # someone else's
    query = CompiledQuery(
        lambda user_id: (
            Membership.objects.filter(user_id=user_id)
            .order_by("role")
            .values_list("agency_id", "role", "agency__path")
        ),
        int_params=("user_id",),
    )
    assert query.rows(user_id=user.pk) == [
        (second.agency_id, Role.LEADER, second.agency.path),
        (first.agency_id, Role.SPECIALIST, first.agency.path),
    ]


def test_instance_refuses_a_query_of_values() -> None:
    query = CompiledQuery(
        lambda pk: Dossier.objects.filter(pk=pk).values("code"), uuid_params=("pk",)
    )
    DossierFactory()
    dossier = Dossier.objects.first()
    assert dossier is not None
    with pytest.raises(TypeError, match="model instances"):
        query.instance(pk=dossier.pk)


def _stored(model: type[Model], pk: Any) -> dict[str, Any]:
    return _fields(model._default_manager.get(pk=pk))


def test_insert_stores_exactly_what_save_stores() -> None:
    # Given two unsaved dossiers alike but for their keys and codes
    from motcua.dossiers.models import DossierStep

    saved = DossierFactory()
    alike = {
        name: getattr(saved, name) for name in ("agency", "procedure", "created_by", "owner")
    } | {"form_data": {"a": [1, "á"]}}
    by_save = DossierFactory.build(**alike, code="X-1")
    by_insert = copy.copy(by_save)
    by_insert.id, by_insert.code = uuid.uuid4(), "X-2"
    # When one is saved by the ORM and the other by the compiled insert, twice over
    by_save.save(force_insert=True)
    insert(by_insert)
    # Then the rows are the same apart from the key, and the instances are marked stored
    expected = _stored(Dossier, by_save.pk) | {"id": by_insert.pk, "code": "X-2"}
    stored = _stored(Dossier, by_insert.pk)
    assert stored.pop("updated_at") >= expected.pop("updated_at")  # auto_now, as save() does
    assert stored == expected
    assert by_insert._state.adding is False
    assert by_insert._state.db == "default"
    # And a model whose key the database assigns gets it back
    step = DossierStep(
        dossier=saved, position=9, name="Thẩm định", role="specialist", agency=saved.agency,
        started_at=saved.received_at,
    )  # fmt: skip
    insert(step)
    assert step.pk is not None
    again = DossierStep(
        dossier=saved, position=10, name="Phê duyệt", role="leader", agency=saved.agency,
        started_at=saved.received_at,
    )  # fmt: skip
    insert(again)
    assert again.pk > step.pk
    assert DossierStep.objects.get(pk=again.pk).name == "Phê duyệt"


def test_insert_ignoring_conflicts_skips_a_duplicate_without_failing_the_transaction() -> None:
    from django.db import transaction

    from motcua.dossiers.models import DossierAgency

    dossier = DossierFactory()
    other = AgencyFactory()
    with transaction.atomic():
        first = DossierAgency(dossier=dossier, agency=other)
        insert(first, ignore_conflicts=True)
        insert(DossierAgency(dossier=dossier, agency=other), ignore_conflicts=True)  # again
        # the transaction is still usable: no error was raised, no savepoint was needed
        assert DossierAgency.objects.filter(dossier=dossier, agency=other).count() == 1
    assert first._state.adding is False
    assert first.pk is None  # an ignored insert reads no key back


def test_insert_refuses_expressions_and_keeps_nothing() -> None:
    from django.db.models.functions import Now

    saved = DossierFactory()
    dossier = DossierFactory.build(
        agency=saved.agency, procedure=saved.procedure, created_by=saved.created_by
    )
    dossier.submitted_at = Now()
    with pytest.raises(TypeError):
        insert(dossier)
    assert not Dossier.objects.filter(pk=dossier.pk).exists()


def test_update_writes_the_fields_as_save_does_and_refuses_a_missing_row() -> None:
    # Given a stored dossier whose version and note changed in memory
    dossier = DossierFactory()
    before = _stored(Dossier, dossier.pk)
    dossier.version += 1
    dossier.applicant_phone = "0912345678"
    # When only the version (and the auto_now time) are updated
    update(dossier, ("version", "updated_at"))
    # Then those two columns changed and nothing else
    after = _stored(Dossier, dossier.pk)
    assert after["version"] == before["version"] + 1
    assert after["updated_at"] > before["updated_at"]
    assert after["updated_at"] == dossier.updated_at
    assert {k: v for k, v in after.items() if k not in {"version", "updated_at"}} == {
        k: v for k, v in before.items() if k not in {"version", "updated_at"}
    }
    # And a row that is not there is an error, as with save(update_fields=...)
    gone = DossierFactory.build(agency=dossier.agency, procedure=dossier.procedure)
    with pytest.raises(DatabaseError, match="did not affect any rows"):
        update(gone, ("version",))
    with pytest.raises(TypeError):
        update(dossier, ("id",))
