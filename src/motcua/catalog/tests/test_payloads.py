"""The fast payloads have exactly the serializer's shape (which documents the API)."""

import pytest
from django.core.files.base import ContentFile

from motcua.catalog import selectors
from motcua.catalog.payloads import procedure_payloads
from motcua.catalog.serializers import ProcedureSerializer
from motcua.catalog.tests.factories import (
    AgencyFactory,
    FeeFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)

pytestmark = pytest.mark.django_db


def test_payloads_equal_the_serializer_for_every_field() -> None:
    province = AgencyFactory(code="H56")
    desks = [
        AgencyFactory(code=f"H56.{n}", level_id="commune", parent=province) for n in (103, 101, 102)
    ]
    procedure = ProcedureFactory(levels=["commune", "province"], agencies=desks, online_full=True)
    FeeFactory(procedure=procedure, amount=50_000)
    FeeFactory(procedure=procedure, amount=0, unit="per_copy")
    RequiredDocumentFactory(procedure=procedure, with_form=True)
    template = RequiredDocumentFactory(procedure=procedure, optional=True)
    template.form_template.save("mau.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    other = ProcedureFactory()

    payloads = procedure_payloads([other.pk, procedure.pk, 999_999])

    expected = [
        ProcedureSerializer(selectors.procedure_get(code=p.code)).data for p in (other, procedure)
    ]
    assert payloads == expected
    assert payloads[1]["agencies"] == ["H56.103", "H56.101", "H56.102"]  # tree (path) order
    assert payloads[1]["required_documents"][1]["form_template_url"].endswith(".pdf")
