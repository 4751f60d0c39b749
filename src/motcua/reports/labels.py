"""The words for each figure and indicator, shared by pages and exports (Vietnamese; English in
this app's catalogue)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .exports import Column

FIGURE_LABELS: dict[str, Promise] = {
    "carried_over": _("Kỳ trước chuyển sang"),
    "received": _("Tiếp nhận trong kỳ"),
    "online_received": _("Tiếp nhận trực tuyến"),
    "resolved_early": _("Giải quyết trước hạn"),
    "resolved_on_time": _("Giải quyết đúng hạn"),
    "resolved_late": _("Giải quyết quá hạn"),
    "pending_not_due": _("Đang giải quyết, chưa đến hạn"),
    "pending_overdue": _("Đang giải quyết, quá hạn"),
    "returned": _("Đã trả kết quả"),
    "refused": _("Từ chối tiếp nhận"),
    "stopped": _("Dừng giải quyết"),
    "on_time_rate": _("Tỷ lệ đúng hạn (%)"),
    "online_rate": _("Tỷ lệ trực tuyến (%)"),
    "satisfaction_avg": _("Điểm đánh giá (1–5)"),
}
RATES = {"on_time_rate", "online_rate", "satisfaction_avg"}

INDICATOR_LABELS: dict[str, Promise] = {
    "publicity": _("Công khai, minh bạch"),
    "timeliness": _("Tiến độ giải quyết"),
    "online": _("Dịch vụ công trực tuyến"),
    "online_payment": _("Thanh toán trực tuyến"),
    "satisfaction": _("Mức độ hài lòng"),
    "digitization": _("Số hóa hồ sơ"),
}


def figure_columns(first_key: str, first_label: str) -> list[Column]:
    return [Column(first_key, first_label)] + [
        Column(key, str(label), percent=key in RATES) for key, label in FIGURE_LABELS.items()
    ]
