"""``manage.py import_catalogue`` and ``export_catalogue``: output and exit codes."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import ManagementUtility, call_command

from motcua.catalog.exporting import catalogue_document
from motcua.catalog.models import Procedure, Sector
from motcua.catalog.tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "format": "motcua-catalogue",
    "version": 1,
    "sectors": [{"code": "HT", "name": "Hộ tịch"}],
    "procedures": [
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "sector": "HT",
            "processing_time": {"value": 1},
            "fees": [{"name": "Lệ phí", "amount": 0}],
        }
    ],
}


def json_file(tmp_path: Path, document: object, name: str = "catalogue.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run_command(*argv: str) -> int:
    """Run like ``manage.py``, returning the process exit code.

    ``run_from_argv`` closes every database connection when it finishes; inside a test that
    would close the test transaction's connection (PostgreSQL), so that step is left out here.
    """
    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_import_prints_a_summary_per_section(tmp_path: Path) -> None:
    path = json_file(tmp_path, GOOD)
    out = StringIO()

    call_command("import_catalogue", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "Đã nhập / imported: catalogue.json",
        "  levels: 0 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  agencies: 0 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  former_codes: 0 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  sectors: 1 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  procedures: 1 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  fees: 1 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
        "  required_documents: 0 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged",
    ]
    assert Procedure.objects.get().fees.count() == 1


def test_importing_again_says_nothing_changed(tmp_path: Path) -> None:
    path = json_file(tmp_path, GOOD)
    call_command("import_catalogue", str(path), stdout=StringIO())
    out = StringIO()

    call_command("import_catalogue", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Không có gì thay đổi / nothing changed: catalogue.json"
    assert lines[5] == "  procedures: 0 mới/created, 0 cập nhật/updated, 1 không đổi/unchanged"


def test_deletions_are_shown_when_there_are_some(tmp_path: Path) -> None:
    ProcedureFactory(code="1.001193", with_fees=True)
    path = json_file(tmp_path, GOOD)
    out = StringIO()

    call_command("import_catalogue", str(path), stdout=out)

    assert "  fees: 0 mới/created, 1 cập nhật/updated, 0 không đổi/unchanged, 1 xóa/deleted" in (
        out.getvalue().splitlines()
    )


def test_dry_run_validates_and_writes_nothing(tmp_path: Path) -> None:
    path = json_file(tmp_path, GOOD)
    out = StringIO()

    call_command("import_catalogue", str(path), "--dry-run", stdout=out)

    assert (
        out.getvalue().splitlines()[0]
        == "Chạy thử, chưa ghi gì / dry run, nothing written: catalogue.json"
    )
    assert (
        "  procedures: 1 mới/created, 0 cập nhật/updated, 0 không đổi/unchanged" in out.getvalue()
    )
    assert not Procedure.objects.exists()
    assert not Sector.objects.exists()


def test_a_bad_file_prints_each_error_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a file with two bad values
    bad = json.loads(json.dumps(GOOD))
    bad["procedures"][0]["online"] = "fully"
    bad["procedures"][0]["fees"][0]["amount"] = -5
    path = json_file(tmp_path, bad)
    before = catalogue_document()

    # when it is imported from the command line
    code = run_command("import_catalogue", str(path))

    # then each error is one line on stderr, the exit code is 1 and nothing was written
    assert code == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "procedures: row 1, field online: Giá trị «fully» không hợp lệ; chọn một trong: full, partial, none.",
        "procedures: row 1, field fees[1].amount: Phải là số nguyên từ 0 đến 9223372036854775807.",
        "CommandError: 2 lỗi, không nhập gì / 2 error(s), nothing imported: catalogue.json",
    ]
    assert catalogue_document() == before


def test_a_missing_file_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_command("import_catalogue", str(tmp_path / "none.json"))

    assert code == 1
    assert "Không tìm thấy tệp / file not found" in capsys.readouterr().err


def test_a_successful_import_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_command("import_catalogue", str(json_file(tmp_path, GOOD)))

    assert code == 0
    assert capsys.readouterr().err == ""


def test_export_writes_the_file_and_a_summary(tmp_path: Path) -> None:
    ProcedureFactory(code="1.001193", with_fees=True)
    path = tmp_path / "out.xlsx"
    out = StringIO()

    call_command("export_catalogue", str(path), stdout=out)

    assert path.read_bytes()[:2] == b"PK"
    assert out.getvalue().splitlines() == [
        "Đã xuất / exported: out.xlsx",
        "  levels 4, agencies 0, former_codes 0, sectors 1, procedures 1, fees 2, required_documents 0",
    ]


def test_export_with_an_explicit_format(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.txt"

    call_command("export_catalogue", str(path), "--format", "json", stdout=StringIO())

    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "motcua-catalogue"


def test_export_to_an_unknown_suffix_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_command("export_catalogue", str(tmp_path / "catalogue.txt"))

    assert code == 1
    assert "use a .json, .csv or .xlsx file (or --format)" in capsys.readouterr().err
    assert not (tmp_path / "catalogue.txt").exists()
