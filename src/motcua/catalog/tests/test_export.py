"""Export is sorted and deterministic, and every encoding round-trips through import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalog.exporting import catalogue_document, export_catalogue
from motcua.catalog.importing import import_catalogue_file
from motcua.catalog.importing.layout import CSV_COLUMNS
from motcua.catalog.models import (
    Agency,
    AgencyFormerCode,
    AgencyLevel,
    Procedure,
    RequiredDocument,
    Sector,
)
from motcua.catalog.tests.factories import (
    AgencyFactory,
    AgencyFormerCodeFactory,
    AgencyLevelFactory,
    FeeFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

ENCODINGS = ["json", "csv", "xlsx"]
TRICKY = 'Bước 1: nộp hồ sơ, "đủ" giấy tờ; bước 2:\nnhận kết quả.\r\nGhi chú _x000D_:\x0c xong'


def build_catalogue() -> None:
    """A small catalogue with every kind of value the format carries, including awkward text."""
    ward = AgencyLevelFactory(code="ward", name="Phường", rank=45)
    province = AgencyFactory(
        code="H56",
        name="Ủy ban nhân dân tỉnh Khánh Hòa",
        administrative_code="56",
        email="ubnd@khanhhoa.gov.vn",
        phone="0258 3822 000",
        address="01 Trần Phú, Nha Trang",
    )
    justice = AgencyFactory(
        code="H56.1", name="Sở Tư pháp", short_name="STP", department=True, parent=province
    )
    commune = AgencyFactory(
        code="H56.12", name="UBND phường Nha Trang", level=ward, parent=province
    )
    center = AgencyFactory(code="H56.12.1", commune=True, service_center=True, parent=commune)
    AgencyFactory(
        code="H56.30.5", commune=True, parent=province, inactive=True, merged_into=commune
    )
    AgencyFactory(code="H56.2", department=True, parent=province)
    AgencyFormerCodeFactory(
        agency=commune, code="H56.30.5", valid_to=dt.date(2025, 6, 30), note="Sáp nhập"
    )
    AgencyFormerCodeFactory(
        agency=commune,
        code="H56.30.7",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    civil = SectorFactory(code="HT", name="Hộ tịch")
    SectorFactory(code="LV10", name="Lĩnh vực mười")
    build = SectorFactory(code="LV2", name="Xây dựng")
    birth = ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=civil,
        levels=["commune", "ward"],
        agencies=[center, commune],
        online_full=True,
        steps_text=TRICKY,
        conditions="=SUM(A1:A2) không phải công thức",
        legal_basis="+ Luật Hộ tịch 2014",
        keywords="làm giấy khai sinh, khai sinh cho con",
        popularity=100,
    )
    FeeFactory(procedure=birth, name="Lệ phí đăng ký khai sinh", amount=0)
    FeeFactory(
        procedure=birth, name="Phí cấp bản sao", amount=8_000, unit="per_copy", note="mỗi bản"
    )
    RequiredDocumentFactory(
        procedure=birth, name="Tờ khai; mẫu 01", form_name="Mẫu TP/HT-2020-KS.1"
    )
    RequiredDocumentFactory(procedure=birth, name="Giấy chứng sinh", originals=1, copies=0)
    RequiredDocumentFactory(
        procedure=birth, name="Giấy tờ tùy thân", optional=True, copies=2, note="bản chụp"
    )
    permit = ProcedureFactory(
        code="1.000010",
        name="Cấp giấy phép xây dựng",
        sector=build,
        levels=["province"],
        agencies=[justice],
        online_partial=True,
        in_hours=True,
        restarts=True,
        for_organizations=True,
    )
    FeeFactory(procedure=permit, name="Lệ phí cấp phép", amount=150_000)
    ProcedureFactory(
        code="2.000986", name="Thủ tục đã bãi bỏ", sector=build, inactive=True, levels=[]
    )


def wipe_catalogue() -> None:
    Procedure.objects.all().delete()
    AgencyFormerCode.objects.all().delete()
    Agency.objects.update(parent=None, merged_into=None)
    Agency.objects.all().delete()
    Sector.objects.all().delete()
    AgencyLevel.objects.all().delete()


def write(context: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_export_imported_into_an_empty_catalogue_gives_the_same_catalogue(
    tmp_path: Path, encoding: str
) -> None:
    # given a catalogue exported to a file, and then an empty database
    build_catalogue()
    before = catalogue_document()
    path = tmp_path / f"catalogue.{encoding}"
    export_catalogue(path)
    wipe_catalogue()

    # when the file is imported
    report = import_catalogue_file(path)

    # then the catalogue is the same, with right tree paths
    assert catalogue_document() == before
    assert report.counts["agencies"].created == 6
    assert report.counts["required_documents"].created == 3
    for agency in Agency.objects.select_related("parent"):
        expected = (agency.parent.path if agency.parent else "/") + f"{agency.pk}/"
        assert agency.path == expected
    assert Procedure.objects.get(code="1.001193").search_text == (
        "dang ky khai sinh lam giay khai sinh khai sinh cho con ho tich"
    )


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_export_imported_back_into_its_catalogue_writes_nothing(
    tmp_path: Path, encoding: str
) -> None:
    # given a catalogue and its export
    build_catalogue()
    path = tmp_path / f"catalogue.{encoding}"
    export_catalogue(path)
    document_ids = sorted(RequiredDocument.objects.values_list("pk", flat=True))

    # when the export is imported back
    with CaptureQueriesContext(connection) as context:
        report = import_catalogue_file(path)

    # then every record is unchanged and nothing was written
    assert {name: c.unchanged for name, c in report.counts.items()} == {
        "levels": 5,
        "agencies": 6,
        "former_codes": 2,
        "sectors": 3,
        "procedures": 3,
        "fees": 3,
        "required_documents": 3,
    }
    assert not report.changed
    assert write(context) == []
    assert sorted(RequiredDocument.objects.values_list("pk", flat=True)) == document_ids


def test_the_json_export_is_the_documented_format_sorted_by_code(tmp_path: Path) -> None:
    build_catalogue()
    path = tmp_path / "catalogue.json"

    counts = export_catalogue(path)

    document = json.loads(path.read_text(encoding="utf-8"))
    assert counts == {
        "levels": 5,
        "agencies": 6,
        "former_codes": 2,
        "sectors": 3,
        "procedures": 3,
        "fees": 3,
        "required_documents": 3,
    }
    assert (document["format"], document["version"]) == ("motcua-catalogue", 1)
    assert [level["code"] for level in document["levels"]] == [
        "province",
        "department",
        "district",
        "commune",
        "ward",
    ]
    assert [a["code"] for a in document["agencies"]] == [
        "H56",
        "H56.1",
        "H56.2",
        "H56.12",
        "H56.12.1",
        "H56.30.5",
    ]
    assert [s["code"] for s in document["sectors"]] == ["HT", "LV2", "LV10"]
    assert [p["code"] for p in document["procedures"]] == ["1.000010", "1.001193", "2.000986"]
    assert document["agencies"][3]["former_codes"] == [
        {
            "code": "H56.30.5",
            "name": "Tên cũ H56.30.5",
            "valid_from": None,
            "valid_to": "2025-06-30",
            "note": "Sáp nhập",
        },
        {
            "code": "H56.30.7",
            "name": "Tên cũ H56.30.7",
            "valid_from": "2020-01-01",
            "valid_to": "2025-06-30",
            "note": "",
        },
    ]
    assert document["agencies"][5]["merged_into"] == "H56.12"
    assert document["procedures"][0] == {
        "code": "1.000010",
        "name": "Cấp giấy phép xây dựng",
        "sector": "LV2",
        "levels": ["province"],
        "agencies": ["H56.1"],
        "online": "partial",
        "legacy_online_level": 3,
        "processing_time": {"value": 8, "unit": "working_hours"},
        "restart_on_supplement": True,
        "description": "",
        "steps_text": "",
        "methods_text": "",
        "conditions": "",
        "result": "",
        "legal_basis": "",
        "applicant_types": ["citizen", "organization"],
        "keywords": "",
        "popularity": 0,
        "is_active": True,
        "fees": [{"name": "Lệ phí cấp phép", "amount": 150000, "unit": "fixed", "note": ""}],
        "required_documents": [],
    }


def test_exports_are_identical_when_the_catalogue_is(tmp_path: Path) -> None:
    build_catalogue()
    for encoding in ("json", "csv"):
        export_catalogue(tmp_path / f"a.{encoding}")
        export_catalogue(tmp_path / f"b.{encoding}")
        assert (tmp_path / f"a.{encoding}").read_bytes() == (
            tmp_path / f"b.{encoding}"
        ).read_bytes()
    export_catalogue(tmp_path / "a.xlsx")
    export_catalogue(tmp_path / "b.xlsx")
    assert sheet_values(tmp_path / "a.xlsx") == sheet_values(tmp_path / "b.xlsx")


def sheet_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets
        }
    finally:
        workbook.close()


def test_the_csv_export_is_one_long_utf8_csv_with_children_after_their_owner(
    tmp_path: Path,
) -> None:
    build_catalogue()
    path = tmp_path / "catalogue.csv"

    export_catalogue(path)

    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so that Excel reads UTF-8
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    assert header == list(CSV_COLUMNS)
    assert [row[0] for row in rows] == (
        ["level"] * 5
        + ["sector"] * 3
        + ["agency", "agency", "agency", "agency", "former_code", "former_code", "agency", "agency"]
        + [
            "procedure",
            "fee",
            "procedure",
            "fee",
            "fee",
            "document",
            "document",
            "document",
            "procedure",
        ]
    )


def test_the_xlsx_export_has_one_sheet_per_section_with_text_kept_as_text(tmp_path: Path) -> None:
    build_catalogue()
    path = tmp_path / "catalogue.xlsx"

    export_catalogue(path)

    sheets = sheet_values(path)
    assert list(sheets) == [
        "levels",
        "agencies",
        "former_codes",
        "sectors",
        "procedures",
        "fees",
        "required_documents",
    ]
    assert sheets["fees"] == [
        ("procedure", "name", "amount", "unit", "note"),
        ("1.000010", "Lệ phí cấp phép", 150000, "fixed", None),
        ("1.001193", "Lệ phí đăng ký khai sinh", 0, "fixed", None),
        ("1.001193", "Phí cấp bản sao", 8000, "per_copy", "mỗi bản"),
    ]
    header, *rows = sheets["procedures"]
    birth = dict(zip(header, rows[1], strict=True))
    assert birth["conditions"] == "=SUM(A1:A2) không phải công thức"
    assert birth["levels"] == "commune;ward"
    assert birth["agencies"] == "H56.12;H56.12.1"
    assert birth["restart_on_supplement"] is False
    former_header, *former_rows = sheets["former_codes"]
    assert dict(zip(former_header, former_rows[0], strict=True))["valid_to"] == dt.datetime(
        2025, 6, 30
    )
