"""Public catalogue API of API.md "Catalogue": shapes, filters, pagination, errors."""

import datetime as dt

import pytest

from motcua.catalog.models import Agency, AgencyFormerCode, Fee, Procedure, RequiredDocument, Sector
from motcua.catalog.services import agency_save, procedure_refresh_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, object]:
    province = agency_save(
        agency=Agency(code="H56", name="Ủy ban nhân dân tỉnh Vĩnh Long", level_id="province")
    )
    center = agency_save(
        agency=Agency(
            code="H56.1",
            name="Trung tâm Phục vụ hành chính công tỉnh",
            level_id="department",
            parent=province,
            is_service_center=True,
        )
    )
    construction = agency_save(
        agency=Agency(code="H56.9", name="Sở Xây dựng", level_id="department", parent=province)
    )
    commune = agency_save(
        agency=Agency(
            code="H56.101", name="Ủy ban nhân dân xã An Bình", level_id="commune", parent=province
        )
    )
    AgencyFormerCode.objects.create(agency=commune, code="H56.30.7", valid_to=dt.date(2025, 6, 30))
    civil = Sector.objects.create(code="HT", name="Hộ tịch")
    building = Sector.objects.create(code="XD", name="Xây dựng")

    birth = Procedure.objects.create(
        code="1.001193",
        name="Đăng ký khai sinh",
        sector=civil,
        online="full",
        legacy_online_level=4,
        processing_time_value=1,
        processing_time_unit="working_days",
        steps_text="Nộp hồ sơ; nhận kết quả.",
        conditions="",
        result="Giấy khai sinh",
        legal_basis="Luật Hộ tịch 2014",
        applicant_types=["citizen"],
    )
    birth.levels.set(["commune"])
    birth.agencies.set([commune])
    RequiredDocument.objects.create(
        procedure=birth, position=0, name="Tờ khai đăng ký khai sinh", originals=1, copies=0
    )
    RequiredDocument.objects.create(
        procedure=birth, position=1, name="Giấy chứng sinh", originals=1, copies=0, required=True
    )
    Fee.objects.create(procedure=birth, position=0, name="Lệ phí đăng ký khai sinh", amount=0)

    permit = Procedure.objects.create(
        code="1.009994",
        name="Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II",
        sector=building,
        online="partial",
        legacy_online_level=3,
        processing_time_value=20,
        restart_on_supplement=True,
        applicant_types=["citizen", "organization"],
    )
    permit.levels.set(["province"])
    permit.agencies.set([center, construction])
    Fee.objects.create(
        procedure=permit, position=0, name="Lệ phí cấp giấy phép xây dựng", amount=150000
    )
    for p in (birth, permit):
        procedure_refresh_search_text(procedure=p)
    return {
        "province": province,
        "center": center,
        "construction": construction,
        "commune": commune,
    }


def test_agency_list_shape_and_order(client, catalogue) -> None:
    body = client.get("/api/v1/agencies/").json()
    assert body["count"] == 4
    assert body["previous"] is None
    assert body["results"][0] == {
        "code": "H56",
        "name": "Ủy ban nhân dân tỉnh Vĩnh Long",
        "level": "province",
        "parent": None,
        "is_service_center": False,
    }
    assert body["results"][1]["parent"] == "H56"


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("level=department", ["H56.1", "H56.9"]),
        ("level=commune", ["H56.101"]),
        ("parent=H56", ["H56.1", "H56.9", "H56.101"]),
        ("q=so xay dung", ["H56.9"]),
        ("q=AN BINH", ["H56.101"]),
        ("q=H56.1", ["H56.1", "H56.101"]),
    ],
)
def test_agency_filters(client, catalogue, query: str, codes: list[str]) -> None:
    body = client.get(f"/api/v1/agencies/?{query}").json()
    assert sorted(a["code"] for a in body["results"]) == sorted(codes)


def test_agency_detail_by_code_and_by_former_code(client, catalogue) -> None:
    assert client.get("/api/v1/agencies/H56.9/").json()["name"] == "Sở Xây dựng"
    assert client.get("/api/v1/agencies/H56.30.7/").json()["code"] == "H56.101"
    missing = client.get("/api/v1/agencies/H99/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_sector_list(client, catalogue) -> None:
    body = client.get("/api/v1/sectors/").json()
    assert body["results"] == [
        {"code": "HT", "name": "Hộ tịch"},
        {"code": "XD", "name": "Xây dựng"},
    ]


def test_procedure_detail_has_every_field_of_the_contract(client, catalogue) -> None:
    response = client.get("/api/v1/procedures/1.001193/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    doc_ids = [
        str(pk) for pk in RequiredDocument.objects.order_by("position").values_list("pk", flat=True)
    ]
    assert body == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "sector": {"code": "HT", "name": "Hộ tịch"},
        "levels": ["commune"],
        "agencies": ["H56.101"],
        "online": "full",
        "legacy_online_level": 4,
        "processing_time": {"value": 1, "unit": "working_days"},
        "restart_on_supplement": False,
        "fees": [
            {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "currency": "VND", "unit": "fixed"}
        ],
        "required_documents": [
            {
                "id": doc_ids[0],
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "copies": 0,
                "required": True,
                "form_name": "",
                "form_template_url": None,
            },
            {
                "id": doc_ids[1],
                "name": "Giấy chứng sinh",
                "originals": 1,
                "copies": 0,
                "required": True,
                "form_name": "",
                "form_template_url": None,
            },
        ],
        "steps_text": "Nộp hồ sơ; nhận kết quả.",
        "conditions": "",
        "result": "Giấy khai sinh",
        "legal_basis": "Luật Hộ tịch 2014",
        "applicant_types": ["citizen"],
    }
    assert "Đăng ký khai sinh".encode() in response.content  # not \u-escaped


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("", ["1.001193", "1.009994"]),
        ("sector=XD", ["1.009994"]),
        ("agency=H56.101", ["1.001193"]),
        ("agency=H56.9", ["1.009994"]),
        ("level=province", ["1.009994"]),
        ("online=full", ["1.001193"]),
        ("online=none", []),
        ("q=giay phep xay dung", ["1.009994"]),
        ("q=khai sinh&online=partial", []),
    ],
)
def test_procedure_filters(client, catalogue, query: str, codes: list[str]) -> None:
    body = client.get(f"/api/v1/procedures/?{query}").json()
    assert sorted(p["code"] for p in body["results"]) == codes


def test_procedure_list_query_count_does_not_grow_with_results(
    client, catalogue, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/procedures/").json()
    assert body["count"] == 2


def test_pagination_caps_page_size_at_200(client, catalogue) -> None:
    body = client.get("/api/v1/procedures/?page_size=1").json()
    assert len(body["results"]) == 1
    assert body["next"].endswith("page=2&page_size=1")
    big = client.get("/api/v1/procedures/?page_size=100000")
    assert big.status_code == 200
    assert len(big.json()["results"]) == 2


def test_page_beyond_the_end_is_a_404_problem(client, catalogue) -> None:
    response = client.get("/api/v1/procedures/?page=99")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_inactive_procedures_are_hidden(client, catalogue) -> None:
    Procedure.objects.filter(code="1.009994").update(is_active=False)
    assert client.get("/api/v1/procedures/1.009994/").status_code == 404
    assert [p["code"] for p in client.get("/api/v1/procedures/").json()["results"]] == ["1.001193"]
