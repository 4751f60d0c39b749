"""The six standard slips (Mẫu 01-06) as PDF: content, layout facts, QR code, determinism.

Pure rendering: no database. Text is read back with pypdf and compared after collapsing
whitespace, because the PDF breaks lines where the layout does.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_django.fixtures
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.catalog.tests.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)
from motcua.dossiers.constants import Action, Channel, Delivery, Status
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.slips import (
    SLIP_KINDS,
    ApologyData,
    Applicant,
    ControlSlipData,
    HandoverRow,
    ReceiptData,
    ReceivedDocument,
    RefusalData,
    SlipData,
    SlipHeader,
    StopNoticeData,
    SupplementRequestData,
    qr_code,
    render_slip,
)
from motcua.dossiers.slips.builders import SlipUnavailable, place_of, slip_data_for
from motcua.dossiers.slips.formatting import appointment, date_words, place_and_date
from motcua.dossiers.slips.layout import _fit_caps
from motcua.dossiers.slips.service import slip_pdf
from motcua.dossiers.slips.typefaces import BOLD, register_fonts

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "H56.12-261126-0007"
NAME = "Nguyễn Thị Ánh Tuyết"
AGENCY = "Ủy ban nhân dân xã Cái Nhum"
TRACKING_URL = f"https://dichvucong.vinhlong.gov.vn/tra-cuu/{CODE}/"

TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement-request": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "stop-notice": "PHIẾU DỪNG GIẢI QUYẾT HỒ SƠ",
    "control-slip": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


HEADER = SlipHeader(
    agency_name=AGENCY,
    place="Cái Nhum",
    issued_at=at(26, 9),
    parent_agency_name="Ủy ban nhân dân tỉnh Vĩnh Long",
)
APPLICANT = Applicant(
    full_name=NAME,
    id_number="086190012345",
    address="Ấp Phước Thạnh, xã Cái Nhum, tỉnh Vĩnh Long",
    phone="0918 123 456",
    email="anhtuyet@example.vn",
)


def sample(kind: str) -> SlipData:
    """Realistic data for each kind: a birth registration, or a building permit across agencies."""
    if kind == "receipt":
        return ReceiptData(
            header=HEADER,
            code=CODE,
            procedure_name="Đăng ký khai sinh",
            applicant=APPLICANT,
            documents=(
                ReceivedDocument("Tờ khai đăng ký khai sinh", originals=1),
                ReceivedDocument("Giấy chứng sinh do cơ sở y tế cấp", originals=1),
                ReceivedDocument("Giấy chứng nhận kết hôn của cha, mẹ", copies=1),
            ),
            sets=1,
            received_at=at(26, 9),
            due_at=at(27, 9),
            delivery="Nhận trực tiếp tại Bộ phận Một cửa xã Cái Nhum",
            officer_name="Trần Văn Bình",
            tracking_url=TRACKING_URL,
            processing_time="01 ngày làm việc",
        )
    if kind == "supplement-request":
        return SupplementRequestData(
            header=HEADER,
            code=CODE,
            procedure_name="Đăng ký khai sinh",
            applicant=APPLICANT,
            items=(
                "Bản sao Giấy chứng nhận kết hôn của cha, mẹ có chứng thực",
                "Ghi đầy đủ nơi sinh của trẻ trong tờ khai",
            ),
            reason="Hồ sơ chưa đủ thành phần theo quy định",
            officer_name="Trần Văn Bình",
            contact="0270 3822 123",
            received_at=at(26, 9),
        )
    if kind == "refusal":
        return RefusalData(
            header=HEADER,
            code=CODE,
            procedure_name="Đăng ký khai sinh",
            applicant=APPLICANT,
            reason="Trẻ sinh và cư trú ở xã khác; hồ sơ nộp tại nơi cư trú của cha hoặc mẹ.",
            officer_name="Trần Văn Bình",
            submitted_at=at(25, 15, 42),
        )
    if kind == "apology":
        return ApologyData(
            header=replace(HEADER, parent_agency_name="", number="15/PXL-UBND"),
            code=CODE,
            procedure_name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
            applicant=APPLICANT,
            received_at=at(12, 8, 15),
            original_due_at=at(26, 16, 30),
            new_due_at=at(3, 9, 0, month=12),
            reason="Cần xác minh thêm ranh giới thửa đất",
            signer_name="Lê Minh Quang",
            signer_title="Chủ tịch",
        )
    if kind == "stop-notice":
        return StopNoticeData(
            header=HEADER,
            code=CODE,
            procedure_name="Đăng ký khai sinh",
            applicant=APPLICANT,
            received_at=at(20, 10, 5),
            requested_at=at(25, 14),
            stopped_at=at(26, 9),
            reason="Gia đình đã đăng ký khai sinh cho cháu ở nơi khác",
            officer_name="Trần Văn Bình",
        )
    if kind == "control-slip":
        return ControlSlipData(
            header=HEADER,
            code=CODE,
            procedure_name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
            applicant=APPLICANT,
            received_at=at(12, 8, 15),
            due_at=at(26, 16, 30),
            handling_agency="Sở Xây dựng tỉnh Vĩnh Long",
            coordinating_agencies=(AGENCY,),
            rows=(
                HandoverRow(
                    "Trần Văn Bình",
                    "Bộ phận Một cửa xã Cái Nhum",
                    "Phạm Thu Hà",
                    "Phòng Quản lý xây dựng",
                    at(12, 10),
                    "on_time",
                    "Chuyển liên thông",
                ),
                HandoverRow(
                    "Phạm Thu Hà",
                    "Phòng Quản lý xây dựng",
                    "Lê Minh Quang",
                    "Lãnh đạo Sở Xây dựng",
                    at(20, 15, 30),
                    "early",
                ),
                HandoverRow(
                    "Lê Minh Quang",
                    "Lãnh đạo Sở Xây dựng",
                    "Trần Văn Bình",
                    "Bộ phận Một cửa xã Cái Nhum",
                    at(27, 8),
                    "late",
                ),
            ),
        )
    raise AssertionError(kind)


# Values each slip must print, besides the name, title, heading and code common to all.
KEY_VALUES = {
    "receipt": [
        "Đăng ký khai sinh",
        "Số định danh cá nhân: 086190012345",
        "Ấp Phước Thạnh, xã Cái Nhum, tỉnh Vĩnh Long",
        "Số điện thoại: 0918 123 456",
        "anhtuyet@example.vn",
        "Giấy chứng sinh do cơ sở y tế cấp",
        "Số bộ hồ sơ: 01 bộ",
        "Thời gian giải quyết theo quy định: 01 ngày làm việc",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 26/11/2026",
        "Thời gian hẹn trả kết quả: 09 giờ 00 phút, ngày 27/11/2026",
        "Nơi nhận kết quả: Nhận trực tiếp tại Bộ phận Một cửa xã Cái Nhum",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Bình",
        TRACKING_URL,
        "Tra cứu tình trạng hồ sơ",
    ],
    "supplement-request": [
        "1. Bản sao Giấy chứng nhận kết hôn của cha, mẹ có chứng thực",
        "2. Ghi đầy đủ nơi sinh của trẻ trong tờ khai",
        "Lý do: Hồ sơ chưa đủ thành phần theo quy định.",
        "Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 26/11/2026",
        "0270 3822 123",
        "Trần Văn Bình",
    ],
    "refusal": [
        "Trẻ sinh và cư trú ở xã khác; hồ sơ nộp tại nơi cư trú của cha hoặc mẹ.",
        "Thời gian nộp hồ sơ: 15 giờ 42 phút, ngày 25/11/2026",
        "Trần Văn Bình",
    ],
    "apology": [
        "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết",
        "Số: 15/PXL-UBND",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "16 giờ 30 phút, ngày 26/11/2026",
        "Lý do: Cần xác minh thêm ranh giới thửa đất.",
        "xin lỗi Ông/Bà",
        "09 giờ 00 phút, ngày 03/12/2026",
        "CHỦ TỊCH",
        "Lê Minh Quang",
    ],
    "stop-notice": [
        "Ngày 25/11/2026, Ông/Bà đề nghị dừng giải quyết hồ sơ này",
        "Gia đình đã đăng ký khai sinh cho cháu ở nơi khác.",
        "kể từ ngày 26 tháng 11 năm 2026",
        "Thời gian nhận hồ sơ: 10 giờ 05 phút, ngày 20/11/2026",
        "Trần Văn Bình",
    ],
    "control-slip": [
        "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 12/11/2026",
        "Thời gian hẹn trả kết quả: 16 giờ 30 phút, ngày 26/11/2026",
        "Cơ quan giải quyết hồ sơ: Sở Xây dựng tỉnh Vĩnh Long",
        "Người giao",
        "Người nhận, cơ quan nhận",
        "Phạm Thu Hà Phòng Quản lý xây dựng",
        "10 giờ 00 phút, ngày 12/11/2026",
        "15 giờ 30 phút, ngày 20/11/2026",
        "08 giờ 00 phút, ngày 27/11/2026",
        "Chuyển liên thông",
    ],
}


def pdf_text(pdf: bytes) -> str:
    """All pages' text with runs of whitespace collapsed to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def rectangles_on_first_page(pdf: bytes) -> int:
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert content is not None
    return len(re.findall(rb"\sre\s", content.get_data()))


@pytest.mark.parametrize("kind", SLIP_KINDS)
def test_slip_prints_heading_title_applicant_and_key_values(kind: str) -> None:
    # Given realistic data for the slip; when it is rendered
    pdf = render_slip(kind, sample(kind))

    # Then it is a one-page A4 PDF in Vietnamese with the national heading and its values.
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(pdf)
    assert NAME in text
    assert TITLES[kind] in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ CÁI NHUM" in text
    assert "Cái Nhum, ngày 26 tháng 11 năm 2026" in text
    assert f"Mã hồ sơ: {CODE}" in text
    for value in KEY_VALUES[kind]:
        assert value in text, value


def test_receipt_lists_every_document_with_originals_and_copies() -> None:
    text = pdf_text(render_slip("receipt", sample("receipt")))

    assert "TT Tên giấy tờ Bản chính Bản sao" in text
    assert "1 Tờ khai đăng ký khai sinh 1 -" in text
    assert "2 Giấy chứng sinh do cơ sở y tế cấp 1 -" in text
    assert "3 Giấy chứng nhận kết hôn của cha, mẹ - 1" in text


def test_receipt_draws_a_qr_code_and_other_slips_do_not() -> None:
    # A QR code is drawn as filled rectangles, one per run of dark modules: hundreds of them,
    # where the other slips (text and ruled lines only) draw none.
    assert rectangles_on_first_page(render_slip("receipt", sample("receipt"))) > 100
    assert rectangles_on_first_page(render_slip("refusal", sample("refusal"))) == 0


def test_qr_code_encodes_the_tracking_url() -> None:
    code = qr_code(TRACKING_URL)

    assert code.value == TRACKING_URL
    code.qr.make()
    # Version 4 or more (33+ modules a side) is what a URL of this length needs at level M.
    assert code.qr.getModuleCount() >= 33


def test_control_slip_prints_each_steps_result_against_its_deadline() -> None:
    text = pdf_text(render_slip("control-slip", sample("control-slip")))

    # Each label once in the column heading, once in its row.
    assert "Kết quả (Trước hạn / Đúng hạn / Quá hạn)" in text
    assert text.count("Đúng hạn") == 2
    assert text.count("Trước hạn") == 2
    assert text.count("Quá hạn") == 2
    assert "1 Trần Văn Bình Bộ phận Một cửa xã Cái Nhum Phạm Thu Hà" in text
    assert "3 Lê Minh Quang Lãnh đạo Sở Xây dựng Trần Văn Bình" in text


def test_unknown_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown slip kind 'invoice'"):
        render_slip("invoice", sample("receipt"))


def test_data_of_another_kind_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="slip 'receipt' needs ReceiptData, got RefusalData"):
        render_slip("receipt", sample("refusal"))


def test_naive_datetime_is_refused() -> None:
    data = replace(sample("refusal"), submitted_at=datetime(2026, 11, 25, 15, 42))

    with pytest.raises(ValueError, match="timezone-aware"):
        render_slip("refusal", data)


def test_same_data_gives_the_same_bytes_with_creation_date_from_the_data() -> None:
    first = render_slip("receipt", sample("receipt"))
    render_slip("control-slip", sample("control-slip"))  # other work in between changes nothing

    assert render_slip("receipt", sample("receipt")) == first
    metadata = PdfReader(io.BytesIO(first)).metadata
    assert metadata is not None
    assert metadata["/CreationDate"] == "D:20261126090000+07'00'"
    assert metadata["/Title"] == f"Mẫu 01 — hồ sơ {CODE}"
    assert metadata["/Author"] == AGENCY


def test_concurrent_renderings_register_fonts_once_and_agree() -> None:
    results: list[bytes] = []
    lock = threading.Lock()

    def work() -> None:
        pdf = render_slip("apology", sample("apology"))
        with lock:
            results.append(pdf)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert len(set(results)) == 1


def test_times_are_printed_in_vietnam_whatever_the_zone_given() -> None:
    # 02:00 UTC is 09:00 in Vietnam (UTC+7).
    data = replace(sample("refusal"), submitted_at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

    text = pdf_text(render_slip("refusal", data))

    assert "Thời gian nộp hồ sơ: 09 giờ 00 phút, ngày 26/11/2026" in text


def test_user_text_with_markup_characters_is_printed_literally() -> None:
    data = replace(
        sample("refusal"),
        applicant=replace(APPLICANT, full_name="Công ty TNHH A & B <Cái Nhum>"),
        reason="Thiếu chữ ký của người đại diện theo pháp luật <b>",
    )

    text = pdf_text(render_slip("refusal", data))

    assert "Công ty TNHH A & B <Cái Nhum>" in text
    assert "Thiếu chữ ký của người đại diện theo pháp luật <b>." in text


def test_decomposed_vietnamese_is_printed_composed() -> None:
    decomposed = unicodedata.normalize("NFD", NAME)
    assert decomposed != NAME
    data = replace(sample("stop-notice"), applicant=replace(APPLICANT, full_name=decomposed))

    assert NAME in pdf_text(render_slip("stop-notice", data))


def test_long_receipt_continues_on_numbered_pages_with_the_table_heading_repeated() -> None:
    documents = tuple(
        ReceivedDocument(f"Giấy tờ kèm theo số {number}", copies=1) for number in range(1, 41)
    )
    data = replace(sample("receipt"), documents=documents)

    reader = PdfReader(io.BytesIO(render_slip("receipt", data)))

    assert len(reader.pages) >= 2
    second = " ".join(reader.pages[1].extract_text().split())
    assert second.startswith("2 ")
    assert "TT Tên giấy tờ Bản chính Bản sao" in second
    assert "Giấy tờ kèm theo số 40" in pdf_text(render_slip("receipt", data))


def test_missing_values_print_as_dots_to_fill_in() -> None:
    data = replace(sample("receipt"), applicant=Applicant(full_name=NAME), processing_time="")

    text = pdf_text(render_slip("receipt", data))

    assert "Số định danh cá nhân: ……" in text
    assert "Địa chỉ: ……" in text
    assert "Thời gian giải quyết theo quy định" not in text
    # Numbering stays continuous without the processing-time line.
    assert "3. Thời gian nhận hồ sơ" in text


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(26, 9), "ngày 26 tháng 11 năm 2026"),
        # Days below 10 and the months January and February take a leading zero.
        (datetime(2027, 2, 5, 9, tzinfo=VN), "ngày 05 tháng 02 năm 2027"),
        (datetime(2027, 1, 15, 9, tzinfo=VN), "ngày 15 tháng 01 năm 2027"),
        (datetime(2027, 3, 5, 9, tzinfo=VN), "ngày 05 tháng 3 năm 2027"),
    ],
)
def test_date_in_words(moment: datetime, expected: str) -> None:
    assert date_words(moment) == expected


def test_appointment_and_place_lines() -> None:
    assert appointment(at(26, 9)) == "09 giờ 00 phút, ngày 26/11/2026"
    assert appointment(at(3, 14, 5, month=12)) == "14 giờ 05 phút, ngày 03/12/2026"
    assert place_and_date("Cái Nhum", at(26, 9)) == "Cái Nhum, ngày 26 tháng 11 năm 2026"


def test_agency_name_breaks_between_name_and_locality() -> None:
    # Too wide for the column: two lines, broken as agencies write it, not with a lone last word.
    register_fonts()
    lines, size = _fit_caps("ỦY BAN NHÂN DÂN XÃ CÁI NHUM", BOLD, 150)

    assert lines == ["ỦY BAN NHÂN DÂN", "XÃ CÁI NHUM"]
    assert size == 12.0
    assert _fit_caps("SỞ XÂY DỰNG", BOLD, 150) == (["SỞ XÂY DỰNG"], 12.0)


# -- from a dossier: builders and slip_pdf ---------------------------------------------------


@dataclass
class Case:
    """A building permit received at the one-stop desk of Cái Nhum and handled by Sở Xây dựng."""

    desk: Agency
    department: Agency
    dossier: Dossier
    officer: User
    specialist: User
    leader: User


def _agency(code: str, name: str, parent: Agency | None = None, **fields: Any) -> Agency:
    level = "commune" if parent is not None and "xã" in name.lower() else "province"
    return AgencyFactory(code=code, name=name, parent=parent, level__code=level, **fields)


def _staff(username: str, full_name: str) -> User:
    return User.objects.create_user(username=username, full_name=full_name, kind="staff")


def _event(
    dossier: Dossier,
    action: str,
    when: datetime,
    actor: User | None,
    *,
    agency: Agency,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    # The builders only read events; the hash chain is the history module's business.
    seq = DossierEvent.objects.filter(dossier=dossier).count() + 1
    DossierEvent.objects.create(
        dossier=dossier,
        seq=seq,
        at=when,
        actor=actor,
        actor_name=actor.full_name if actor is not None else "",
        action=action,
        agency_code=agency.code,
        note=note,
        data=data or {},
        prev_hash="0" * 64,
        hash=f"{seq:064d}",
    )


@pytest.fixture
def case(db: None) -> Case:
    province = _agency("X86", "Ủy ban nhân dân tỉnh Vĩnh Long")
    commune = _agency("X86.10", AGENCY, province)
    desk = _agency(
        "X86.10.1",
        "Bộ phận Một cửa",
        commune,
        is_service_center=True,
        phone="0270 3822 123",
        address="Ấp Phước Thạnh",
    )
    department = _agency("X86.2", "Sở Xây dựng", province)
    procedure = ProcedureFactory(
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ", processing_time_value=15
    )
    RequiredDocumentFactory(procedure=procedure, name="Đơn đề nghị cấp giấy phép", copies=0)
    RequiredDocumentFactory(
        procedure=procedure, name="Bản vẽ thiết kế xây dựng", originals=2, copies=0
    )
    RequiredDocumentFactory(procedure=procedure, name="Ảnh hiện trạng", required=False)
    officer = _staff("tiepnhan", "Trần Văn Bình")
    specialist = _staff("chuyenvien", "Phạm Thu Hà")
    leader = _staff("lanhdao", "Lê Minh Quang")
    dossier = Dossier.objects.create(
        code=CODE,
        procedure=procedure,
        agency=desk,
        current_agency=department,
        channel=Channel.COUNTER,
        status=Status.PROCESSING,
        applicant={
            "type": "citizen",
            "full_name": NAME,
            "id_number": "086190012345",
            "phone": "0918 123 456",
            "email": "anhtuyet@example.vn",
            "address": "Ấp Phước Thạnh, xã Cái Nhum, tỉnh Vĩnh Long",
        },
        applicant_name=NAME,
        result_delivery=Delivery.COUNTER,
        sets_received=1,
        created_by=officer,
        received_at=at(12, 8, 15),
        clock_started_at=at(12, 8, 15),
        due_at=at(3, 8, 15, month=12),
        original_due_at=at(3, 8, 15, month=12),
    )
    _event(dossier, Action.RECEIVE, at(12, 8, 15), officer, agency=desk)
    return Case(desk, department, dossier, officer, specialist, leader)


def _steps(case: Case) -> None:
    """Reception at the desk, review by the specialist, decision by the leader."""
    d = case.dossier
    DossierStep.objects.create(
        dossier=d, position=1, name="Tiếp nhận hồ sơ", role="counter_officer", agency=case.desk,
        assignee=case.officer, started_at=at(12, 8, 15), due_at=at(12, 16, 0),
        finished_at=at(12, 10), finished_by=case.officer, outcome="forward", timeliness="early",
    )  # fmt: skip
    DossierStep.objects.create(
        dossier=d, position=2, name="Thẩm định hồ sơ", role="specialist", agency=case.department,
        assignee=case.specialist, handed_over_by=case.officer, started_at=at(12, 10),
        due_at=at(20, 10), finished_at=at(20, 15, 30), finished_by=case.specialist,
        outcome="forward", timeliness="late",
    )  # fmt: skip
    DossierStep.objects.create(
        dossier=d, position=3, name="Phê duyệt", role="leader", agency=case.department,
        assignee=case.leader, handed_over_by=case.specialist, started_at=at(20, 15, 30),
        due_at=at(24, 15, 30), finished_at=at(23, 9), finished_by=case.leader,
        outcome="approved", timeliness="on_time",
    )  # fmt: skip
    Dossier.objects.filter(pk=d.pk).update(status=Status.RESOLVED, resolved_at=at(23, 9))
    d.refresh_from_db()


def test_place_is_the_locality_in_the_agency_or_an_ancestor(case: Case) -> None:
    assert place_of(case.desk) == "Cái Nhum"
    assert place_of(case.department) == "Vĩnh Long"


def test_receipt_data_of_a_paper_dossier(case: Case) -> None:
    data = slip_data_for(
        case.dossier, "receipt", public_url="https://dvc.example.vn/", now=at(26, 9)
    )

    assert isinstance(data, ReceiptData)
    assert data.header == SlipHeader(
        agency_name="Bộ phận Một cửa",
        place="Cái Nhum",
        issued_at=at(12, 8, 15),
        parent_agency_name=AGENCY,
    )
    assert data.applicant == APPLICANT
    # No scans: the required documents of the procedure, with their originals and copies.
    assert data.documents == (
        ReceivedDocument("Đơn đề nghị cấp giấy phép", originals=1, copies=0),
        ReceivedDocument("Bản vẽ thiết kế xây dựng", originals=2, copies=0),
    )
    assert (data.received_at, data.due_at) == (at(12, 8, 15), at(3, 8, 15, month=12))
    assert data.processing_time == "15 ngày làm việc"
    assert data.delivery == "Nhận trực tiếp tại Bộ phận Một cửa, Ấp Phước Thạnh"
    assert data.officer_name == "Trần Văn Bình"
    assert data.tracking_url == f"https://dvc.example.vn/tra-cuu/{CODE}/"


def test_control_slip_has_one_row_per_hand_over_and_the_result(case: Case) -> None:
    _steps(case)

    data = slip_data_for(case.dossier, "control-slip", public_url="", now=at(26, 9))

    assert isinstance(data, ControlSlipData)
    assert data.handling_agency == "Sở Xây dựng"
    assert data.coordinating_agencies == ()
    assert data.rows == (
        HandoverRow(
            "Trần Văn Bình", "Bộ phận Một cửa", "Phạm Thu Hà", "Sở Xây dựng",
            at(12, 10), "early", "Thẩm định hồ sơ",
        ),
        HandoverRow(
            "Phạm Thu Hà", "Sở Xây dựng", "Lê Minh Quang", "Sở Xây dựng",
            at(20, 15, 30), "late", "Phê duyệt",
        ),
        HandoverRow(
            "Lê Minh Quang", "Sở Xây dựng", "", "Bộ phận Một cửa",
            at(23, 9), "on_time", "Chuyển kết quả để trả cho người nộp",
        ),
    )  # fmt: skip


def test_event_slips_take_their_facts_from_the_latest_event(case: Case) -> None:
    d = case.dossier
    _event(
        d, Action.REQUEST_SUPPLEMENT, at(13, 9), case.officer, agency=case.desk,
        note="Bản vẽ chưa có chữ ký", data={"items": ["Bản vẽ có chữ ký của chủ nhà"]},
    )  # fmt: skip
    _event(
        d, Action.EXTEND, at(2, 10, month=12), case.leader, agency=case.department,
        note="Cần xác minh ranh giới thửa đất",
        data={
            "previous_due_at": at(3, 8, 15, month=12).isoformat(),
            "new_due_at": at(10, 8, 15, month=12).isoformat(),
        },
    )  # fmt: skip

    supplement = slip_data_for(d, "supplement-request", public_url="", now=at(26, 9))
    apology = slip_data_for(d, "apology", public_url="", now=at(26, 9))

    assert isinstance(supplement, SupplementRequestData)
    assert supplement.items == ("Bản vẽ có chữ ký của chủ nhà",)
    assert supplement.reason == "Bản vẽ chưa có chữ ký"
    assert (supplement.officer_name, supplement.contact) == ("Trần Văn Bình", "0270 3822 123")
    assert supplement.header.issued_at == at(13, 9)
    assert isinstance(apology, ApologyData)
    assert apology.header.agency_name == "Sở Xây dựng"
    assert apology.header.place == "Vĩnh Long"
    assert (apology.original_due_at, apology.new_due_at) == (
        at(3, 8, 15, month=12),
        at(10, 8, 15, month=12),
    )
    assert (apology.reason, apology.signer_name) == (
        "Cần xác minh ranh giới thửa đất",
        "Lê Minh Quang",
    )


def test_refusal_and_stop_notice(case: Case) -> None:
    d = case.dossier
    _event(d, Action.REFUSE, at(12, 8, 30), case.officer, agency=case.desk, note="Sai nơi nộp")
    _event(d, Action.WITHDRAW, at(25, 14), None, agency=case.desk, note="Không xây nữa")
    _event(d, Action.STOP, at(26, 9), case.officer, agency=case.desk)
    Dossier.objects.filter(pk=d.pk).update(status=Status.STOPPED, stopped_at=at(26, 9))
    d.refresh_from_db()

    refusal = slip_data_for(d, "refusal", public_url="", now=at(26, 9))
    stop = slip_data_for(d, "stop-notice", public_url="", now=at(26, 9))

    assert isinstance(refusal, RefusalData)
    assert (refusal.reason, refusal.officer_name) == ("Sai nơi nộp", "Trần Văn Bình")
    assert isinstance(stop, StopNoticeData)
    assert (stop.requested_at, stop.stopped_at) == (at(25, 14), at(26, 9))
    assert (stop.reason, stop.officer_name) == ("Không xây nữa", "Trần Văn Bình")


def test_slip_pdf_renders_what_exists_and_none_otherwise(
    case: Case, settings: pytest_django.fixtures.SettingsWrapper
) -> None:
    settings.MOTCUA_PUBLIC_URL = "https://dvc.example.vn"

    pdf = slip_pdf(dossier=case.dossier, kind="receipt")

    assert pdf is not None
    text = pdf_text(pdf)
    assert NAME in text
    assert f"https://dvc.example.vn/tra-cuu/{CODE}/" in text
    assert "Thời gian hẹn trả kết quả: 08 giờ 15 phút, ngày 03/12/2026" in text
    # Never extended, never refused: no such slips; an unknown form is no slip either.
    assert slip_pdf(dossier=case.dossier, kind="apology") is None
    assert slip_pdf(dossier=case.dossier, kind="refusal") is None
    assert slip_pdf(dossier=case.dossier, kind="invoice") is None
    with pytest.raises(SlipUnavailable):
        slip_data_for(case.dossier, "stop-notice", public_url="", now=at(26, 9))
