"""The hand-built dossier representation is exactly what the documented serializers give."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from motcua.accounts.constants import Role
from motcua.catalog.tests.factories import AgencyFactory
from motcua.dossiers import selectors
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Document
from motcua.dossiers.serializers import (
    DocumentSerializer,
    DossierListItemSerializer,
    DossierSerializer,
    document_payload,
    dossier_payload,
)

from .factories import (
    DocumentFactory,
    DossierFactory,
    DossierStepFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _both(dossier: Any, viewer: Any) -> None:
    loaded = selectors.dossier_get(viewer=viewer, code_or_id=str(dossier.pk))
    assert loaded is not None
    context = {"request": SimpleNamespace(user=viewer)}
    assert dossier_payload(loaded, viewer=viewer) == DossierSerializer(loaded, context=context).data
    assert (
        dossier_payload(loaded, viewer=viewer, detail=False)
        == DossierListItemSerializer(loaded, context=context).data
    )


@pytest.mark.parametrize("status", list(Status))
def test_payload_equals_the_serializers_in_every_status(status: Status) -> None:
    desk = AgencyFactory(commune=True, service_center=True)  # a desk, with a parent commune
    officer = MembershipFactory(agency=desk, role=Role.COUNTER_OFFICER).user
    online = status in {Status.DRAFT, Status.SUBMITTED}
    dossier = DossierFactory(
        status=status,
        agency=desk,
        online=online,
        on_behalf_of={"full_name": "Lê Bé"} if online else None,
    )
    if dossier.received_at is not None:
        DossierStepFactory(dossier=dossier, assignee=officer)
        DocumentFactory(dossier=dossier, required_document=None)
        DocumentFactory(dossier=dossier, kind=Document.Kind.RESULT, name="ket-qua.pdf")
    viewer = dossier.owner if status == Status.DRAFT else officer
    _both(dossier, viewer)


def test_payload_of_an_applicant_and_of_a_superuser() -> None:
    dossier = DossierFactory(submitted=True, form_data={"child_name": "An", "n": 2})
    DocumentFactory(dossier=dossier)
    _both(dossier, dossier.owner)
    _both(dossier, UserFactory(is_superuser=True, staff=True))


def test_document_payload_equals_the_serializer_with_and_without_a_required_document() -> None:
    dossier = DossierFactory(submitted=True)
    documents = [
        DocumentFactory(dossier=dossier),
        DocumentFactory(dossier=dossier, required_document=None),
        DocumentFactory(dossier=dossier, kind=Document.Kind.RESULT, name="ket-qua.pdf"),
    ]
    for document in documents:
        assert document_payload(document) == DocumentSerializer(document).data
