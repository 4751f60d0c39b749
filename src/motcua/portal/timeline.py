"""What a citizen reads about their dossier: plain Vietnamese, no personal data, no notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, DossierEvent


@dataclass(frozen=True)
class Moment:
    at: dt.datetime
    text: str


def _describe(event: DossierEvent, agencies: dict[str, str]) -> str | None:
    agency = agencies.get(event.agency_code, "")
    data = event.data or {}
    match event.action:
        case "submit":
            return _("Hồ sơ đã được nộp trực tuyến, chờ bộ phận một cửa kiểm tra.")
        case "receive":
            return _("Bộ phận một cửa đã tiếp nhận hồ sơ và hẹn ngày trả kết quả.")
        case "forward":
            target = agencies.get(str(data.get("to_agency", "")), agency)
            return _("Hồ sơ được chuyển đến %(agency)s để xử lý (%(step)s).") % {
                "agency": target,
                "step": event.step,
            }
        case "send_back":
            return _("Hồ sơ được chuyển lại bước trước để xem xét thêm.")
        case "request_supplement":
            return _("Cơ quan đề nghị bổ sung, hoàn thiện hồ sơ.")
        case "supplement":
            return _("Hồ sơ đã được bổ sung; cơ quan tiếp tục giải quyết.")
        case "request_payment":
            return _("Cơ quan đề nghị nộp phí, lệ phí.")
        case "pay":
            return _("Đã nộp phí, lệ phí.")
        case "refuse":
            return _("Hồ sơ không được tiếp nhận.")
        case "approve":
            return _("Đã có kết quả giải quyết.")
        case "reject":
            return _("Cơ quan đã có văn bản trả lời không giải quyết hồ sơ.")
        case "extend":
            return _("Cơ quan xin lỗi vì chậm trễ và hẹn lại ngày trả kết quả.")
        case "withdraw":
            return _("Người nộp đề nghị rút hồ sơ.")
        case "stop":
            return _("Hồ sơ đã dừng giải quyết theo đề nghị của người nộp.")
        case "return_result":
            return _("Kết quả đã được trả cho người nộp.")
    return None  # uploads, ratings and drafts are not part of the public story


def timeline(
    dossier: Dossier, events: list[DossierEvent], agencies: dict[str, str]
) -> list[Moment]:
    moments = []
    for event in events:
        text = _describe(event, agencies)
        if text is not None:
            moments.append(Moment(event.at, text))
    return moments


def what_to_do(dossier: Dossier, last_request: DossierEvent | None) -> tuple[str, list[str]]:
    """What the applicant must do now, and the list of items asked for (if any)."""
    if dossier.status == Status.SUPPLEMENT_REQUESTED:
        items = list((last_request.data or {}).get("items", [])) if last_request else []
        return _(
            "Bạn cần bổ sung các giấy tờ dưới đây. Hồ sơ tạm dừng tính thời hạn cho đến khi bạn bổ sung."
        ), items
    if dossier.status == Status.PAYMENT_REQUESTED:
        return _("Bạn cần nộp phí, lệ phí tại bộ phận một cửa hoặc trực tuyến."), []
    if dossier.status == Status.RESOLVED:
        return _("Kết quả đã sẵn sàng. Bạn mang giấy tiếp nhận đến bộ phận một cửa để nhận."), []
    if dossier.status in (Status.RECEIVED, Status.PROCESSING, Status.SUBMITTED):
        return _("Bạn không cần làm gì thêm. Cơ quan đang giải quyết hồ sơ."), []
    return "", []
