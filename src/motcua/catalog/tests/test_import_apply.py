"""Importing writes exactly the differences: creates, updates in place, leaves the rest alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog import selectors
from motcua.catalog.exporting import catalogue_document
from motcua.catalog.importing import ImportReport, catalogue_from_document, import_catalogue
from motcua.catalog.models import Agency, AgencyFormerCode, Fee, Procedure, RequiredDocument
from motcua.catalog.tests.factories import (
    AgencyFactory,
    AgencyFormerCodeFactory,
    FeeFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def run(document: dict[str, Any], *, dry_run: bool = False) -> ImportReport:
    return import_catalogue(catalogue_from_document(document), dry_run=dry_run)


def counts(report: ImportReport, section: str) -> tuple[int, int, int, int]:
    c = report.counts[section]
    return (c.created, c.updated, c.unchanged, c.deleted)


def writes(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


def demo_document() -> dict[str, Any]:
    """What the demo loader sends: a small tree (children before parents), sectors, procedures."""
    return {
        "agencies": [
            {
                "code": "H56.12",
                "name": "UBND phường Nha Trang",
                "level": "commune",
                "parent": "H56",
            },
            {
                "code": "H56.12.1",
                "name": "Bộ phận một cửa phường Nha Trang",
                "level": "commune",
                "parent": "H56.12",
                "is_service_center": True,
            },
            {
                "code": "H56",
                "name": "UBND tỉnh Khánh Hòa",
                "level": "province",
                "administrative_code": "56",
            },
        ],
        "sectors": [{"code": "HT", "name": "Hộ tịch"}],
        "procedures": [
            {
                "code": "1.001193",
                "name": "Đăng ký khai sinh",
                "sector": "HT",
                "levels": ["commune"],
                "agencies": ["H56.12.1", "H56.12"],
                "online": "full",
                "legacy_online_level": 4,
                "processing_time": {"value": 1, "unit": "working_days"},
                "applicant_types": ["citizen"],
                "keywords": "làm giấy khai sinh",
                "fees": [{"name": "Lệ phí đăng ký khai sinh", "amount": 0}],
                "required_documents": [
                    {"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0},
                    {"name": "Giấy chứng sinh", "originals": 1, "copies": 0},
                ],
            }
        ],
    }


def test_a_new_catalogue_is_created_with_paths_lists_and_search_text() -> None:
    # when the demo document is imported into an empty catalogue
    report = run(demo_document())

    # then every record is created, agencies through agency_save (paths) whatever the file order
    assert counts(report, "agencies") == (3, 0, 0, 0)
    assert counts(report, "sectors") == (1, 0, 0, 0)
    assert counts(report, "procedures") == (1, 0, 0, 0)
    assert counts(report, "fees") == (1, 0, 0, 0)
    assert counts(report, "required_documents") == (2, 0, 0, 0)
    assert counts(report, "levels") == (0, 0, 0, 0)
    province = Agency.objects.get(code="H56")
    ward = Agency.objects.get(code="H56.12")
    center = Agency.objects.get(code="H56.12.1")
    assert center.path == f"/{province.pk}/{ward.pk}/{center.pk}/"
    assert center.depth == 2
    assert center.is_service_center is True
    assert province.administrative_code == "56"
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.search_text == "dang ky khai sinh lam giay khai sinh ho tich"
    assert sorted(procedure.agencies.values_list("code", flat=True)) == ["H56.12", "H56.12.1"]
    assert list(procedure.levels.values_list("code", flat=True)) == ["commune"]
    assert list(procedure.fees.values_list("position", "name", "amount", "unit")) == [
        (0, "Lệ phí đăng ký khai sinh", 0, "fixed")
    ]
    assert list(
        procedure.required_documents.values_list("position", "name", "copies", "required")
    ) == [
        (0, "Tờ khai đăng ký khai sinh", 0, True),
        (1, "Giấy chứng sinh", 0, True),
    ]
    # keys the file does not give take the model defaults
    assert (procedure.restart_on_supplement, procedure.popularity, procedure.is_active) == (
        False,
        0,
        True,
    )


def test_importing_the_same_file_again_changes_nothing_and_writes_nothing() -> None:
    # given an imported catalogue
    run(demo_document())
    before = catalogue_document()

    # when the same document is imported again
    with CaptureQueriesContext(connection) as context:
        report = run(demo_document())

    # then everything is unchanged and no INSERT, UPDATE or DELETE was sent
    assert not report.changed
    assert counts(report, "agencies") == (0, 0, 3, 0)
    assert counts(report, "procedures") == (0, 0, 1, 0)
    assert counts(report, "fees") == (0, 0, 1, 0)
    assert counts(report, "required_documents") == (0, 0, 2, 0)
    assert writes(context) == []
    assert catalogue_document() == before


def test_only_what_differs_is_updated() -> None:
    # given an imported catalogue
    run(demo_document())
    updated_at = Procedure.objects.get(code="1.001193").updated_at
    document = demo_document()
    document["agencies"][2]["name"] = "Ủy ban nhân dân tỉnh Khánh Hòa"
    document["procedures"][0]["processing_time"] = {"value": 2, "unit": "working_days"}

    # when one agency name and one procedure field change
    with CaptureQueriesContext(connection) as context:
        report = run(document)

    # then just those two rows are updated
    assert counts(report, "agencies") == (0, 1, 2, 0)
    assert counts(report, "procedures") == (0, 1, 0, 0)
    assert counts(report, "fees") == (0, 0, 1, 0)
    assert Agency.objects.get(code="H56").name == "Ủy ban nhân dân tỉnh Khánh Hòa"
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.processing_time_value == 2
    assert procedure.updated_at > updated_at
    updates = [sql for sql in writes(context) if sql.startswith("UPDATE")]
    assert [sql.split(" ", 2)[1] for sql in updates] == ['"catalog_agency"', '"catalog_procedure"']


def test_keys_the_file_leaves_out_keep_their_values() -> None:
    # given an agency with a phone number and a procedure with fees and documents
    agency = AgencyFactory(code="H56", phone="0258 3822 000")
    procedure = ProcedureFactory(
        code="1.000001", with_fees=True, with_documents=True, keywords="từ khóa"
    )

    # when a file names them with only some keys
    report = run(
        {
            "agencies": [{"code": "H56", "name": "Tên mới", "level": "province"}],
            "procedures": [
                {
                    "code": "1.000001",
                    "name": procedure.name,
                    "sector": procedure.sector.code,
                    "processing_time": {"value": 3},
                }
            ],
        }
    )

    # then the keys it left out are untouched (phone, keywords, fees, documents)
    agency.refresh_from_db()
    assert (agency.name, agency.phone) == ("Tên mới", "0258 3822 000")
    procedure.refresh_from_db()
    assert procedure.keywords == "từ khóa"
    assert procedure.fees.count() == 2
    assert procedure.required_documents.count() == 2
    assert counts(report, "procedures") == (0, 0, 1, 0)
    assert counts(report, "fees") == (0, 0, 0, 0)


def procedure_document(procedure: Procedure, documents: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "procedures": [
            {
                "code": procedure.code,
                "name": procedure.name,
                "sector": procedure.sector.code,
                "processing_time": {"value": procedure.processing_time_value},
                "required_documents": documents,
            }
        ]
    }


def doc(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "originals": 1, "copies": 0, **extra}


def test_a_changed_document_list_is_updated_in_place_and_ids_stay() -> None:
    # given a procedure with documents A and B (ids are public in the API)
    procedure = ProcedureFactory()
    a = RequiredDocumentFactory(procedure=procedure, name="A")
    b = RequiredDocumentFactory(procedure=procedure, name="B")

    # when B is renamed and A asks for a copy
    report = run(procedure_document(procedure, [doc("A", copies=1), doc("B mới")]))

    # then both rows keep their ids and are updated in place
    assert counts(report, "required_documents") == (0, 2, 0, 0)
    assert list(procedure.required_documents.values_list("pk", "position", "name", "copies")) == [
        (a.pk, 0, "A", 1),
        (b.pk, 1, "B mới", 0),
    ]


def test_reordering_and_inserting_documents_keeps_each_id_with_its_name() -> None:
    # given documents A, B
    procedure = ProcedureFactory()
    a = RequiredDocumentFactory(procedure=procedure, name="A")
    b = RequiredDocumentFactory(procedure=procedure, name="B")

    # when the list becomes C, B, A
    report = run(procedure_document(procedure, [doc("C"), doc("B"), doc("A")]))

    # then A and B keep their ids (A moved, B stayed) and only C is new
    assert counts(report, "required_documents") == (1, 1, 1, 0)
    rows = list(procedure.required_documents.order_by("position").values_list("pk", "name"))
    assert rows[1:] == [(b.pk, "B"), (a.pk, "A")]
    assert rows[0][1] == "C"
    assert rows[0][0] not in (a.pk, b.pk)


def test_documents_dropped_from_the_list_are_deleted() -> None:
    procedure = ProcedureFactory()
    a = RequiredDocumentFactory(procedure=procedure, name="A")
    RequiredDocumentFactory(procedure=procedure, name="B")
    RequiredDocumentFactory(procedure=procedure, name="C")

    report = run(procedure_document(procedure, [doc("A")]))

    assert counts(report, "required_documents") == (0, 0, 1, 2)
    assert list(RequiredDocument.objects.filter(procedure=procedure).values_list("pk", "name")) == [
        (a.pk, "A")
    ]


def test_an_empty_fee_list_removes_the_fees_and_touches_the_procedure() -> None:
    procedure = ProcedureFactory(with_fees=True)
    updated_at = procedure.updated_at

    report = run(
        {
            "procedures": [
                {
                    "code": procedure.code,
                    "name": procedure.name,
                    "sector": procedure.sector.code,
                    "processing_time": {"value": 3},
                    "fees": [],
                }
            ]
        }
    )

    assert counts(report, "fees") == (0, 0, 0, 2)
    assert counts(report, "procedures") == (0, 1, 0, 0)
    assert not Fee.objects.filter(procedure=procedure).exists()
    procedure.refresh_from_db()
    assert procedure.updated_at > updated_at


def test_moving_an_agency_moves_its_subtree_paths() -> None:
    # given H56 > H56.30 > H56.30.5 and another province H57
    h56 = AgencyFactory(code="H56")
    district = AgencyFactory(code="H56.30", district=True, parent=h56)
    commune = AgencyFactory(code="H56.30.5", commune=True, parent=district)
    h57 = AgencyFactory(code="H57")

    # when the file moves the district under H57
    report = run(
        {
            "agencies": [
                {"code": "H56.30", "name": district.name, "level": "district", "parent": "H57"}
            ]
        }
    )

    # then the district and its commune have new paths
    assert counts(report, "agencies") == (0, 1, 0, 0)
    commune.refresh_from_db()
    assert commune.path == f"/{h57.pk}/{district.pk}/{commune.pk}/"


def test_swapping_parent_and_child_in_one_file_works() -> None:
    # given H56 > H56.1
    AgencyFactory(code="H56")
    AgencyFactory(code="H56.1", parent=Agency.objects.get(code="H56"))

    # when the file makes H56.1 the root and H56 its child
    run(
        {
            "agencies": [
                {"code": "H56", "name": "Con", "level": "province", "parent": "H56.1"},
                {"code": "H56.1", "name": "Gốc", "level": "province", "parent": None},
            ]
        }
    )

    # then the tree is swapped with correct paths
    root, child = Agency.objects.get(code="H56.1"), Agency.objects.get(code="H56")
    assert (root.path, child.path) == (f"/{root.pk}/", f"/{root.pk}/{child.pk}/")


def test_an_agency_can_be_merged_into_one_created_later_in_the_file() -> None:
    run(
        {
            "agencies": [
                {
                    "code": "H56.30.5",
                    "name": "Xã cũ",
                    "level": "commune",
                    "merged_into": "H56.12",
                    "is_active": False,
                },
                {"code": "H56.12", "name": "Phường mới", "level": "commune"},
            ]
        }
    )

    old = Agency.objects.get(code="H56.30.5")
    assert old.merged_into == Agency.objects.get(code="H56.12")
    assert old.is_active is False


def test_former_codes_are_merged_by_code_and_valid_to() -> None:
    # given an agency with two former codes
    agency = AgencyFactory(code="H56.12", commune=True)
    kept = AgencyFormerCodeFactory(
        agency=agency, code="H56.30.5", valid_to=dt.date(2025, 6, 30), name="Xã A"
    )
    untouched = AgencyFormerCodeFactory(
        agency=agency, code="H56.30.7", valid_to=dt.date(2025, 6, 30)
    )

    # when the file gives one of them with a new name, and a new one
    report = run(
        {
            "agencies": [
                {
                    "code": "H56.12",
                    "name": agency.name,
                    "level": "commune",
                    "former_codes": [
                        {"code": "H56.30.5", "valid_to": "2025-06-30", "name": "Xã A (cũ)"},
                        {"code": "H56.30.6", "valid_from": "2020-01-01", "valid_to": "2025-06-30"},
                    ],
                }
            ]
        }
    )

    # then the matching one is updated in place, the new one created, the unmentioned one kept
    assert counts(report, "former_codes") == (1, 1, 0, 0)
    kept.refresh_from_db()
    assert kept.name == "Xã A (cũ)"
    assert AgencyFormerCode.objects.filter(pk=untouched.pk).exists()
    new = AgencyFormerCode.objects.get(code="H56.30.6")
    assert (new.agency_id, new.valid_from) == (agency.pk, dt.date(2020, 1, 1))
    assert selectors.agency_get(code="H56.30.6", at=dt.date(2024, 1, 1)) == agency


def test_a_former_code_can_move_to_another_agency() -> None:
    first = AgencyFactory(code="H56.12")
    second = AgencyFactory(code="H56.13")
    former = AgencyFormerCodeFactory(agency=first, code="H56.30.5", valid_to=dt.date(2025, 6, 30))

    report = run(
        {
            "agencies": [
                {
                    "code": "H56.13",
                    "name": second.name,
                    "level": "province",
                    "former_codes": [
                        {"code": "H56.30.5", "valid_to": "2025-06-30", "name": former.name}
                    ],
                }
            ]
        }
    )

    assert counts(report, "former_codes") == (0, 1, 0, 0)
    former.refresh_from_db()
    assert former.agency_id == second.pk


def test_renaming_a_sector_refreshes_the_search_text_of_its_procedures() -> None:
    # given a procedure (not in the file) in sector XD
    sector = SectorFactory(code="XD", name="Xây dựng")
    procedure = ProcedureFactory(name="Cấp giấy phép", sector=sector)
    assert procedure.search_text == "cap giay phep xay dung"

    # when the file renames the sector
    run({"sectors": [{"code": "XD", "name": "Quy hoạch xây dựng"}]})

    # then the procedure is found by the new name
    procedure.refresh_from_db()
    assert procedure.search_text == "cap giay phep quy hoach xay dung"


def test_a_dry_run_reports_what_would_change_and_writes_nothing() -> None:
    # given one existing procedure with a fee
    existing = ProcedureFactory(code="1.001193", sector=SectorFactory(code="HT", name="Hộ tịch"))
    FeeFactory(procedure=existing, name="Lệ phí cũ", amount=10_000)
    before = catalogue_document()

    # when the demo document is dry-run
    with CaptureQueriesContext(connection) as context:
        report = run(demo_document(), dry_run=True)

    # then the report counts the changes, but nothing was written
    assert report.dry_run is True
    assert counts(report, "agencies") == (3, 0, 0, 0)
    assert counts(report, "sectors") == (0, 0, 1, 0)
    assert counts(report, "procedures") == (0, 1, 0, 0)
    assert counts(report, "fees") == (0, 1, 0, 0)
    assert counts(report, "required_documents") == (2, 0, 0, 0)
    assert writes(context) == []
    assert catalogue_document() == before
