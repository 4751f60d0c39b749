"""Every kind of bad value is reported with its place (section, row, field) and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.catalog.exporting import catalogue_document
from motcua.catalog.importing import (
    CatalogueImportError,
    RowError,
    catalogue_from_document,
    import_catalogue,
)
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.catalog.tests.factories import AgencyFactory, ProcedureFactory, SectorFactory
from motcua.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db

AGENCY_CODE_MESSAGE = (
    "Mã định danh gồm các nhóm cách nhau bởi dấu chấm, nhóm đầu là một chữ in hoa và hai chữ số "
    "(ví dụ H56.12)."
)


def province(**changes: Any) -> dict[str, Any]:
    return {"code": "H56", "name": "Ủy ban nhân dân tỉnh", "level": "province", **changes}


def sector(**changes: Any) -> dict[str, Any]:
    return {"code": "HT", "name": "Hộ tịch", **changes}


def procedure(**changes: Any) -> dict[str, Any]:
    return {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "sector": "HT",
        "processing_time": {"value": 1, "unit": "working_days"},
        **changes,
    }


def refused(document: dict[str, Any]) -> list[RowError]:
    """Import the document, expecting a refusal that leaves the catalogue as it was."""
    before = catalogue_document()
    with pytest.raises(CatalogueImportError) as excinfo:
        import_catalogue(
            catalogue_from_document({"format": "motcua-catalogue", "version": 1, **document})
        )
    assert catalogue_document() == before
    return excinfo.value.row_errors


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(
            {"agencies": [{"code": "H56", "level": "province"}]},
            ("agencies", 1, "name", "Thiếu trường bắt buộc."),
            id="required-key-missing",
        ),
        pytest.param(
            {"agencies": [province(name="   ")]},
            ("agencies", 1, "name", "Không được để trống."),
            id="required-value-blank",
        ),
        pytest.param(
            {"agencies": [province(code="h56.1")]},
            ("agencies", 1, "code", AGENCY_CODE_MESSAGE),
            id="agency-code-regex",
        ),
        pytest.param(
            {"agencies": [province(phone="0" * 41)]},
            ("agencies", 1, "phone", "Dài quá 40 ký tự (hiện có 41)."),
            id="too-long",
        ),
        pytest.param(
            {"agencies": [province(email="not-an-address")]},
            ("agencies", 1, "email", "Địa chỉ thư điện tử không hợp lệ."),
            id="email",
        ),
        pytest.param(
            {"agencies": [province(level="ward")]},
            ("agencies", 1, "level", "Không có cấp «ward» trong tệp hay trong cơ sở dữ liệu."),
            id="unknown-level",
        ),
        pytest.param(
            {"agencies": [province(parent="H99")]},
            ("agencies", 1, "parent", "Không có cơ quan «H99» trong tệp hay trong cơ sở dữ liệu."),
            id="unknown-parent",
        ),
        pytest.param(
            {"agencies": [province(is_active="yes")]},
            ("agencies", 1, "is_active", "Phải là true hoặc false."),
            id="bool-type",
        ),
        pytest.param(
            {"agencies": [province(former_codes=[{"code": "H56.9", "valid_to": "30/06/2025"}])]},
            (
                "agencies",
                1,
                "former_codes[1].valid_to",
                "Ngày phải theo dạng YYYY-MM-DD (ví dụ 2025-06-30).",
            ),
            id="date-not-iso",
        ),
        pytest.param(
            {
                "agencies": [
                    province(
                        former_codes=[
                            {"code": "H56.9", "valid_from": "2025-07-01", "valid_to": "2025-06-30"}
                        ]
                    )
                ]
            },
            ("agencies", 1, "former_codes[1].valid_from", "Phải trước hoặc bằng valid_to."),
            id="former-code-period",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(sector="XD")]},
            (
                "procedures",
                1,
                "sector",
                "Không có lĩnh vực «XD» trong tệp hay trong cơ sở dữ liệu.",
            ),
            id="unknown-sector",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(agencies=["H56", "H57.1"])]},
            (
                "procedures",
                1,
                "agencies",
                "Không có cơ quan «H56, H57.1» trong tệp hay trong cơ sở dữ liệu.",
            ),
            id="unknown-agencies",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(levels=["village"])]},
            (
                "procedures",
                1,
                "levels",
                "Không có cấp «village» trong tệp hay trong cơ sở dữ liệu.",
            ),
            id="unknown-levels",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(online="fully")]},
            (
                "procedures",
                1,
                "online",
                "Giá trị «fully» không hợp lệ; chọn một trong: full, partial, none.",
            ),
            id="enum-online",
        ),
        pytest.param(
            {
                "sectors": [sector()],
                "procedures": [procedure(processing_time={"value": 3, "unit": "days"})],
            },
            (
                "procedures",
                1,
                "processing_time.unit",
                "Giá trị «days» không hợp lệ; chọn một trong: working_days, working_hours.",
            ),
            id="enum-time-unit",
        ),
        pytest.param(
            {
                "sectors": [sector()],
                "procedures": [procedure(applicant_types=["citizen", "robot"])],
            },
            (
                "procedures",
                1,
                "applicant_types",
                "Giá trị «robot» không hợp lệ; chọn một trong: citizen, organization.",
            ),
            id="enum-applicant-types",
        ),
        pytest.param(
            {
                "sectors": [sector()],
                "procedures": [procedure(fees=[{"name": "Lệ phí", "amount": 0, "unit": "per_kg"}])],
            },
            (
                "procedures",
                1,
                "fees[1].unit",
                "Giá trị «per_kg» không hợp lệ; chọn một trong: fixed, per_copy, per_page.",
            ),
            id="enum-fee-unit",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(legacy_online_level=5)]},
            ("procedures", 1, "legacy_online_level", "Phải là số nguyên từ 1 đến 4."),
            id="legacy-level-range",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(popularity=-1)]},
            ("procedures", 1, "popularity", "Phải là số nguyên từ 0 đến 2147483647."),
            id="negative-integer",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(processing_time={"value": "3"})]},
            (
                "procedures",
                1,
                "processing_time.value",
                "Phải là số nguyên không âm, chỉ gồm chữ số (ví dụ 50000).",
            ),
            id="integer-type",
        ),
        pytest.param(
            {
                "sectors": [sector()],
                "procedures": [procedure(required_documents=[{"name": "Tờ khai", "copies": -2}])],
            },
            ("procedures", 1, "required_documents[1].copies", "Phải là số nguyên từ 0 đến 32767."),
            id="negative-copies",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(code="1 001193")]},
            (
                "procedures",
                1,
                "code",
                "Mã thủ tục chỉ gồm chữ không dấu, chữ số và các dấu . - _ (ví dụ 1.001193).",
            ),
            id="procedure-code",
        ),
        pytest.param(
            {"sectors": [sector(), sector(name="Hộ tịch 2")]},
            ("sectors", 2, "code", "Mã «HT» trùng với sectors dòng 1."),
            id="duplicate-code",
        ),
        pytest.param(
            {"agencies": [province(phone_number="0290")]},
            ("agencies", 1, "phone_number", "Trường không có trong định dạng."),
            id="unknown-key",
        ),
        pytest.param(
            {"agencies": [province(parent="H56")]},
            ("agencies", 1, "parent", "Cơ quan không thể là cấp trên của chính nó."),
            id="own-parent",
        ),
        pytest.param(
            {"agencies": [province(merged_into="H56")]},
            ("agencies", 1, "merged_into", "Cơ quan không thể sáp nhập vào chính nó."),
            id="merged-into-itself",
        ),
    ],
)
def test_each_kind_of_bad_value_names_its_row_and_field(
    document: dict[str, Any], expected: tuple[str, int, str, str]
) -> None:
    # given a document with exactly one bad value
    # when it is imported
    errors = refused(document)

    # then that one error is reported, and nothing was written (checked in refused())
    assert errors == [expected]


def test_the_refusal_is_a_validation_failure_with_a_stable_code() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        import_catalogue(catalogue_from_document({"sectors": [{"code": "HT"}]}))

    assert excinfo.value.code == "catalogue_invalid"
    assert excinfo.value.status == 400
    assert excinfo.value.errors == {"sectors:1:name": ["Thiếu trường bắt buộc."]}
    assert str(excinfo.value.row_errors[0]) == "sectors: row 1, field name: Thiếu trường bắt buộc."


def test_all_errors_of_a_file_are_reported_at_once_in_file_order() -> None:
    errors = refused(
        {
            "agencies": [province(), province(code="H57", level="ward", email="x")],
            "sectors": [sector(name="")],
            "procedures": [procedure(online="x", fees=[{"name": "Phí"}])],
        }
    )

    assert [(e.section, e.row, e.field) for e in errors] == [
        ("agencies", 2, "level"),
        ("agencies", 2, "email"),
        ("sectors", 1, "name"),
        ("procedures", 1, "online"),
        ("procedures", 1, "fees[1].amount"),
    ]


def test_duplicate_former_codes_are_found_across_agencies() -> None:
    former = {"code": "H56.30.5", "valid_to": "2025-06-30"}
    errors = refused(
        {"agencies": [province(former_codes=[former]), province(code="H57", former_codes=[former])]}
    )

    assert errors == [
        ("agencies", 2, "former_codes[1].code", "Mã «H56.30.5» trùng với agencies dòng 1.")
    ]


def test_a_parent_cycle_inside_the_file_is_reported_on_every_row_in_it() -> None:
    errors = refused(
        {
            "agencies": [
                province(code="H56", parent="H56.2"),
                province(code="H56.1", parent="H56"),
                province(code="H56.2", parent="H56.1"),
            ]
        }
    )

    chain = "Quan hệ cấp trên tạo thành vòng lặp: H56 → H56.2 → H56.1 → H56."
    assert errors == [
        ("agencies", 1, "parent", chain),
        ("agencies", 2, "parent", chain),
        ("agencies", 3, "parent", chain),
    ]


def test_a_parent_cycle_through_the_database_is_found() -> None:
    # given H56.1 under H56 in the database
    root = AgencyFactory(code="H56")
    AgencyFactory(code="H56.1", parent=root)

    # when the file puts H56 under H56.1
    errors = refused({"agencies": [province(code="H56", parent="H56.1")]})

    # then the cycle is reported on the only row the file can change
    assert errors == [
        ("agencies", 1, "parent", "Quan hệ cấp trên tạo thành vòng lặp: H56 → H56.1 → H56.")
    ]
    assert Agency.objects.get(code="H56").parent_id is None


def test_references_may_point_to_rows_of_the_file_or_of_the_database() -> None:
    # given a sector and an agency already in the database
    SectorFactory(code="XD", name="Xây dựng")
    AgencyFactory(code="H56")

    # when the file refers both to them and to its own new rows (defined after the use)
    report = import_catalogue(
        catalogue_from_document(
            {
                "procedures": [
                    procedure(sector="HT", agencies=["H56.12", "H56"], levels=["ward"]),
                    procedure(code="1.000001", sector="XD"),
                ],
                "agencies": [province(code="H56.12", parent="H56", level="ward")],
                "levels": [{"code": "ward", "name": "Phường", "rank": 45}],
                "sectors": [sector()],
            }
        )
    )

    # then everything is imported
    assert report.counts["procedures"].created == 2
    assert Agency.objects.get(code="H56.12").parent.code == "H56"
    assert sorted(
        Procedure.objects.get(code="1.001193").agencies.values_list("code", flat=True)
    ) == [
        "H56",
        "H56.12",
    ]


def test_one_bad_row_among_good_ones_imports_nothing() -> None:
    # given an existing procedure the file would change
    existing = ProcedureFactory(code="1.000001", name="Tên cũ")

    # when one of many rows is bad
    errors = refused(
        {
            "sectors": [sector(), sector(code="XD", name="Xây dựng")],
            "procedures": [
                procedure(),
                procedure(code="1.000001", name="Tên mới", sector="XD"),
                procedure(code="1.000002", processing_time={"value": -1}),
                procedure(code="1.000003", sector="XD"),
            ],
        }
    )

    # then only that row is reported and nothing changed (the procedure keeps its old name)
    assert errors == [
        ("procedures", 3, "processing_time.value", "Phải là số nguyên từ 0 đến 2147483647.")
    ]
    assert Procedure.objects.get(pk=existing.pk).name == "Tên cũ"
    assert not Sector.objects.filter(code__in=["HT", "XD"]).exists()


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(
            {"format": "other"},
            ("catalogue.json", 0, "format", "Phải là «motcua-catalogue»."),
            id="format",
        ),
        pytest.param(
            {"version": 2},
            ("catalogue.json", 0, "version", "Chỉ hỗ trợ phiên bản 1."),
            id="version",
        ),
        pytest.param(
            {"procedure": []},
            ("catalogue.json", 0, "procedure", "Mục không có trong định dạng."),
            id="unknown-section",
        ),
        pytest.param(
            {"sectors": {"code": "HT"}},
            ("sectors", 0, "", "Phải là một danh sách […]."),
            id="section-not-a-list",
        ),
        pytest.param(
            {"sectors": ["HT"]},
            ("sectors", 1, "", "Phải là một đối tượng {…}."),
            id="record-not-an-object",
        ),
        pytest.param(
            {"sectors": [sector()], "procedures": [procedure(fees={"name": "Phí"})]},
            ("procedures", 1, "fees", "Phải là một danh sách […]."),
            id="nested-list-not-a-list",
        ),
    ],
)
def test_structural_problems_of_a_json_document(
    document: dict[str, Any], expected: RowError
) -> None:
    with pytest.raises(CatalogueImportError) as excinfo:
        import_catalogue(catalogue_from_document(document))

    assert excinfo.value.row_errors == [expected]
