"""The demo data files on their own: consistent with each other and with the formats (no database)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from motcua.catalog.constants import PROCEDURE_CODE_REGEX, OnlineLevel
from motcua.demo import structure
from motcua.demo.exceptions import DemoDataError
from motcua.demo.loader import CATALOGUE_DIR, PROCESSES_FILE, catalogue_documents
from motcua.demo.processes import load_process_specs, processing_hours

# National codes used by the demo: only those checked against the national database. Every
# other procedure has a clearly local code (VL.NNNN) so that nobody mistakes it for a real one.
NATIONAL_CODES = {
    "1.001193",  # Đăng ký khai sinh
    "1.000894",  # Đăng ký kết hôn
    "1.000656",  # Đăng ký khai tử
    "1.004884",  # Đăng ký lại khai sinh
    "1.001022",  # Đăng ký nhận cha, mẹ, con
    "1.004837",  # Đăng ký giám hộ
    "2.000815",  # Chứng thực bản sao từ bản chính …
    "2.000884",  # Chứng thực chữ ký …
    "1.001612",  # Đăng ký thành lập hộ kinh doanh
    "1.001699",  # Xác định, xác định lại mức độ khuyết tật …
}
LOCAL_CODE = re.compile(r"^VL\.\d{4}$")


@pytest.fixture(scope="module")
def procedures() -> dict[str, dict]:
    return {
        procedure["code"]: procedure
        for _path, document in catalogue_documents()
        for procedure in document["procedures"]
    }


def test_every_catalogue_file_is_a_small_exchange_document() -> None:
    paths = sorted(CATALOGUE_DIR.glob("*.json"))
    assert len(paths) >= 10
    for path in paths:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["format"] == "motcua-catalogue"
        assert document["version"] == 1
        assert set(document) == {"format", "version", "sectors", "procedures"}
        assert path.stat().st_size < 16_000, f"{path.name}: keep catalogue files small"


def test_codes_are_national_ones_we_checked_or_clearly_local(procedures: dict[str, dict]) -> None:
    assert len(procedures) >= 70
    for code in procedures:
        assert re.match(PROCEDURE_CODE_REGEX, code)
        assert code in NATIONAL_CODES or LOCAL_CODE.match(code), code
    assert set(procedures) >= NATIONAL_CODES


def test_procedures_are_complete_and_plain(procedures: dict[str, dict]) -> None:
    for code, p in procedures.items():
        for key in ("name", "steps_text", "methods_text", "result", "legal_basis", "keywords"):
            assert p[key].strip(), f"{code}: {key} is empty"
        assert p["online"] in OnlineLevel.values
        assert p["legacy_online_level"] == {"full": 4, "partial": 3, "none": 2}[p["online"]]
        assert p["processing_time"]["value"] > 0
        assert p["applicant_types"], code
        assert p["popularity"] > 0, code
        assert p["fees"], f"{code}: say 0 đồng when nothing is charged"
        for fee in p["fees"]:
            assert isinstance(fee["amount"], int)
            assert fee["amount"] >= 0
        assert p["required_documents"], code
        for document in p["required_documents"]:
            assert document["name"].strip()
            assert document["originals"] + document["copies"] >= 1, (code, document["name"])
        assert "agencies" not in p, f"{code}: receivers come from processes.json"


def test_five_named_procedures_and_everyday_keywords(procedures: dict[str, dict]) -> None:
    names = [p["name"] for p in procedures.values()]
    for wanted in (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Chứng thực bản sao từ bản chính",
        "Cấp phiếu lý lịch tư pháp",
        "Cấp giấy phép xây dựng",
    ):
        assert any(wanted in name for name in names), wanted
    keywords = " | ".join(p["keywords"] for p in procedures.values())
    for phrase in (
        "làm giấy khai sinh",
        "khai sinh cho con",
        "làm khai sinh cho bé",
        "xin phép xây nhà",
        "xin giấy phép xây dựng nhà ở",
        "sổ đỏ",
        "bằng lái",
        "lý lịch",
        "đăng ký kinh doanh",
        "cưới",
    ):
        assert phrase in keywords, phrase


def test_sectors_cover_the_departments_and_have_one_name(procedures: dict[str, dict]) -> None:
    names: dict[str, str] = {}
    for _path, document in catalogue_documents():
        for sector in document["sectors"]:
            assert names.setdefault(sector["code"], sector["name"]) == sector["name"]
    assert set(structure.sector_departments()) <= set(names)
    assert len({p["sector"] for p in procedures.values()}) >= 10
    levels = {level for p in procedures.values() for level in p["levels"]}
    assert {"province", "commune"} <= levels


def test_every_procedure_has_one_process_whose_budgets_add_up(
    procedures: dict[str, dict],
) -> None:
    specs = load_process_specs(PROCESSES_FILE)
    assert sorted(spec.procedure for spec in specs) == sorted(procedures)
    for spec in specs:
        time = procedures[spec.procedure]["processing_time"]
        assert spec.budget_hours == processing_hours(time["value"], time["unit"]), spec.procedure
        assert all(step.budget_hours > 0 for step in spec.steps)
        first, *_ = spec.steps
        assert (first.role, first.agency_rule) == ("counter_officer", "receiving")
        roles = {step.role for step in spec.steps}
        assert {"specialist", "leader"} <= roles


def test_a_working_day_is_seven_and_a_half_hours() -> None:
    assert processing_hours(2, "working_days") == Decimal("15")
    assert processing_hours(4, "working_hours") == Decimal("4")


def _write(tmp_path: Path, processes: list[dict]) -> Path:
    path = tmp_path / "processes.json"
    document = {"format": "motcua-demo-processes", "version": 1, "processes": processes}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _step(**changes: object) -> dict:
    return {
        "name": "Tiếp nhận",
        "role": "counter_officer",
        "agency_rule": "receiving",
        "budget_hours": "1",
    } | changes


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (_step(role="clerk"), "role must be one of"),
        (_step(agency_rule="nearest"), "agency_rule must be one of"),
        (_step(agency_rule="fixed"), "agency (a code) is needed"),
        (_step(agency_rule="sector_department"), "sector (a code) is needed"),
        (_step(sector="HT"), "sector (a code) is needed"),
        (_step(budget_hours=1), "budget_hours must be a decimal string"),
        (_step(budget_hours="1.125"), "budget_hours must be a decimal string"),
        (_step(budget_hours="-1"), "budget_hours must be a decimal string"),
        (_step(colour="red"), "unknown keys"),
    ],
)
def test_a_bad_step_is_refused_with_its_place(tmp_path: Path, step: dict, message: str) -> None:
    path = _write(tmp_path, [{"procedure": "VL.0001", "receive_at": ["x"], "steps": [step]}])
    with pytest.raises(DemoDataError) as raised:
        load_process_specs(path)
    assert message in raised.value.message
    assert "processes[1] (VL.0001) steps[1]" in raised.value.message


def test_a_second_process_for_a_procedure_is_refused(tmp_path: Path) -> None:
    process = {"procedure": "VL.0001", "receive_at": ["commune_desks"], "steps": [_step()]}
    with pytest.raises(DemoDataError, match=r"a second process for VL\.0001"):
        load_process_specs(_write(tmp_path, [process, process]))
