"""The flat encodings: one long CSV with a ``record`` column, and one XLSX sheet per section.

Errors name the CSV file or the sheet and the row number a person sees in Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from motcua.catalog.exporting import catalogue_document
from motcua.catalog.importing import CatalogueImportError, RowError, import_catalogue_file
from motcua.catalog.models import AgencyFormerCode, Fee, Procedure, RequiredDocument, Sector
from motcua.catalog.tests.factories import AgencyFactory, FeeFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def refused(path: Path) -> list[RowError]:
    before = catalogue_document()
    with pytest.raises(CatalogueImportError) as excinfo:
        import_catalogue_file(path)
    assert catalogue_document() == before
    return excinfo.value.row_errors


# CSV -------------------------------------------------------------------------------------------


def test_a_csv_saved_by_a_vietnamese_excel_is_read(tmp_path: Path) -> None:
    # given a CSV with a BOM, ";" as separator, Excel booleans and a comma-separated list
    path = tmp_path / "danh-muc.csv"
    path.write_bytes(
        "\ufeffrecord;code;name;procedure;sector;levels;processing_time_value;applicant_types;"
        "restart_on_supplement;amount;copies;required\r\n"
        "sector;HT;Hộ tịch;;;;;;;;;\r\n"
        "procedure;1.001193;Đăng ký khai sinh;;HT;commune;1;citizen, organization;TRUE;;;\r\n"
        "fee;;Lệ phí;1.001193;;;;;;0;;\r\n"
        'document;;"Tờ khai; mẫu 01";1.001193;;;;;;;0;có\r\n'
        "document;;Giấy chứng sinh;1.001193;;;;;;;1;FALSE\r\n"
        ";;;;;;;;;;;\r\n".encode()
    )

    # when it is imported
    report = import_catalogue_file(path)

    # then every row is understood
    assert (report.counts["procedures"].created, report.counts["required_documents"].created) == (
        1,
        2,
    )
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.applicant_types == ["citizen", "organization"]
    assert procedure.restart_on_supplement is True
    assert list(procedure.levels.values_list("code", flat=True)) == ["commune"]
    assert list(procedure.fees.values_list("name", "amount", "unit")) == [("Lệ phí", 0, "fixed")]
    assert list(procedure.required_documents.values_list("name", "copies", "required")) == [
        ("Tờ khai; mẫu 01", 0, True),
        ("Giấy chứng sinh", 1, False),
    ]


def test_csv_columns_may_come_in_any_order_and_any_case(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text("Name;Code;RECORD\nHộ tịch;HT;Sector\n", encoding="utf-8")

    report = import_catalogue_file(path)

    assert report.counts["sectors"].created == 1
    assert Sector.objects.get().name == "Hộ tịch"


def test_csv_errors_name_the_file_row_and_column(tmp_path: Path) -> None:
    # given a CSV whose row 3 spans two lines (a multi-line cell) and with several bad rows
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "record,code,name,procedure,amount,colour,steps_text,processing_time_value,sector\n"
        "sector,HT,Hộ tịch,,,,,,\n"
        'procedure,1.001193,Đăng ký khai sinh,,,,"dòng 1\ndòng 2",1,HT\n'
        "fees,,Lệ phí,1.001193,0,,,,\n"
        "fee,,Lệ phí,1.001193,50.000,,,,\n"
        "fee,,Phí,1.009999,10,,,,\n"
        "sector,XD,Xây dựng,1.001193,,,,,\n",
        encoding="utf-8",
    )

    # when it is imported, then every error names the Excel row and the column; nothing is written
    assert refused(path) == [
        ("catalogue.csv", 1, "colour", "Cột không có trong định dạng."),
        (
            "catalogue.csv",
            4,
            "record",
            "Loại dòng «fees» không hợp lệ; chọn một trong: "
            "level, agency, former_code, sector, procedure, fee, document.",
        ),
        (
            "catalogue.csv",
            5,
            "amount",
            "Phải là số nguyên không âm, chỉ gồm chữ số (ví dụ 50000).",
        ),
        (
            "catalogue.csv",
            6,
            "procedure",
            "Không có thủ tục «1.009999» trong tệp hay trong cơ sở dữ liệu.",
        ),
        ("catalogue.csv", 7, "procedure", "Cột này không dùng cho dòng «sector»; hãy để trống."),
    ]
    assert not Procedure.objects.exists()


def test_a_csv_procedure_row_describes_its_fees_completely(tmp_path: Path) -> None:
    # given three procedures with fees
    listed = ProcedureFactory(code="1.000001", with_fees=True)
    named = ProcedureFactory(code="1.000002", with_fees=True)
    other = ProcedureFactory(code="1.000003", with_fees=True)

    # when a CSV has a row for the first without fee rows, and fee rows naming the second only
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "record,code,name,procedure,sector,processing_time_value,amount\n"
        f"procedure,1.000001,{listed.name},,{listed.sector.code},3,\n"
        "fee,,Lệ phí mới,1.000002,,,20000\n",
        encoding="utf-8",
    )
    report = import_catalogue_file(path)

    # then the first has no fees, the second exactly the new one, the third keeps its own
    assert not Fee.objects.filter(procedure=listed).exists()
    assert list(Fee.objects.filter(procedure=named).values_list("name", "amount")) == [
        ("Lệ phí mới", 20000)
    ]
    assert Fee.objects.filter(procedure=other).count() == 2
    assert (report.counts["fees"].updated, report.counts["fees"].deleted) == (1, 3)
    assert report.counts["procedures"].updated == 1  # only the listed one counts as a procedure


def test_csv_former_code_rows_name_their_agency(tmp_path: Path) -> None:
    AgencyFactory(code="H56.12")
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "record,code,agency,valid_to\nformer_code,H56.30.5,H56.12,2025-06-30\n",
        encoding="utf-8",
    )

    report = import_catalogue_file(path)

    assert report.counts["former_codes"].created == 1
    assert AgencyFormerCode.objects.get().agency.code == "H56.12"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"record,code,name\nsector,HT,H\xf4 t\xf2ch\n",  # Windows-1258, as old Excel saves
            (
                "catalogue.csv",
                0,
                "",
                "Tệp CSV phải được mã hóa UTF-8 (trong Excel: Lưu thành «CSV UTF-8»).",
            ),
            id="not-utf8",
        ),
        pytest.param(
            "code,name\nHT,Hộ tịch\n".encode(),
            ("catalogue.csv", 1, "record", "Thiếu cột bắt buộc «record»."),
            id="no-record-column",
        ),
        pytest.param(
            "record,code,name\nsector,HT,Hộ tịch,extra\n".encode(),
            ("catalogue.csv", 2, "column D", "Ô nằm dưới một cột không có tiêu đề hợp lệ."),
            id="cell-without-column",
        ),
    ],
)
def test_unreadable_csv_files_are_refused(
    tmp_path: Path, content: bytes, expected: RowError
) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_bytes(content)

    assert refused(path) == [expected]


# XLSX ------------------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_errors_name_the_sheet_and_its_row_number(tmp_path: Path) -> None:
    # given a workbook with a blank row 3, a code Excel turned into a number on row 4, an unknown
    # value on row 5 and a sheet that is not part of the format
    path = workbook(
        tmp_path / "catalogue.xlsx",
        {
            "sectors": [["code", "name"], ["HT", "Hộ tịch"]],
            "procedures": [
                ["code", "name", "sector", "processing_time_value", "online"],
                ["1.001193", "Đăng ký khai sinh", "HT", 1, "Full"],
                [None, None, None, None, None],
                [1.0001, "Thủ tục", "HT", 2.0, "none"],
                ["1.000002", "Thủ tục", "HT", 2.5, "none"],
            ],
            "Sheet1": [["ghi chú"]],
        },
    )

    assert refused(path) == [
        (
            "procedures",
            4,
            "code",
            "Ô này phải nhập dạng văn bản (Text): Excel đã đổi nó thành số 1.0001.",
        ),
        (
            "procedures",
            5,
            "processing_time_value",
            "Phải là số nguyên không âm, chỉ gồm chữ số (ví dụ 50000).",
        ),
        (
            "Sheet1",
            0,
            "",
            "Trang tính không có trong định dạng; các trang hợp lệ: levels, agencies, "
            "former_codes, sectors, procedures, fees, required_documents.",
        ),
    ]


def test_xlsx_cells_typed_by_excel_are_accepted_and_missing_sheets_leave_lists_alone(
    tmp_path: Path,
) -> None:
    # given an agency and a procedure with a fee
    AgencyFactory(code="H56.12")
    procedure = ProcedureFactory(code="1.001193")
    fee = FeeFactory(procedure=procedure)

    # when a workbook with real dates, booleans and numbers, but no fees sheet, is imported
    path = workbook(
        tmp_path / "catalogue.xlsx",
        {
            "former_codes": [
                ["agency", "code", "valid_from", "valid_to"],
                ["H56.12", "H56.30.5", dt.datetime(2020, 1, 1), dt.date(2025, 6, 30)],
            ],
            "procedures": [
                ["code", "name", "sector", "processing_time_value", "restart_on_supplement"],
                ["1.001193", "Tên mới", procedure.sector.code, 15.0, True],
            ],
            "required_documents": [
                ["procedure", "name", "copies", "required"],
                ["1.001193", "Tờ khai", 2, False],
            ],
        },
    )
    report = import_catalogue_file(path)

    # then the values are converted and the fees (not in the file) are untouched
    former = AgencyFormerCode.objects.get()
    assert (former.valid_from, former.valid_to) == (dt.date(2020, 1, 1), dt.date(2025, 6, 30))
    procedure.refresh_from_db()
    assert (procedure.name, procedure.processing_time_value, procedure.restart_on_supplement) == (
        "Tên mới",
        15,
        True,
    )
    assert list(RequiredDocument.objects.values_list("name", "copies", "required")) == [
        ("Tờ khai", 2, False)
    ]
    assert list(Fee.objects.values_list("pk", flat=True)) == [fee.pk]
    assert report.counts["fees"].unchanged == 0


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(b"record,code\n")

    assert refused(path) == [
        (
            "catalogue.xlsx",
            0,
            "",
            "Không đọc được tệp XLSX (hãy lưu từ Excel dạng «Excel Workbook (.xlsx)»).",
        )
    ]


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.xls"
    path.write_bytes(b"")

    assert refused(path) == [("catalogue.xls", 0, "", "Tệp phải có đuôi .json, .csv hoặc .xlsx.")]


def test_the_csv_example_of_the_documentation_imports(tmp_path: Path) -> None:
    docs = Path(__file__).resolve().parents[4] / "docs" / "catalogue-format.md"
    example = docs.read_text(encoding="utf-8").split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    report = import_catalogue_file(path)

    assert {name: counts.created for name, counts in report.counts.items()} == {
        "levels": 1,
        "agencies": 3,
        "former_codes": 1,
        "sectors": 1,
        "procedures": 1,
        "fees": 1,
        "required_documents": 2,
    }
    center = Procedure.objects.get(code="1.001193").agencies.get(code="H56.12.1")
    assert (center.is_service_center, center.parent.code, center.depth) == (True, "H56.12", 2)
