from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Dossier statuses of API.md; the national-portal code is in STATUS_CODES."""

    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Đang giải quyết")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Chờ bổ sung hồ sơ")
    PAYMENT_REQUESTED = "payment_requested", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Xin rút hồ sơ")
    STOPPED = "stopped", _("Dừng giải quyết")
    RESOLVED = "resolved", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


STATUS_CODES: dict[str, int | None] = {
    Status.DRAFT: None,
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.PAYMENT_REQUESTED: 6,
    Status.WITHDRAWAL_REQUESTED: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}


class Action(models.TextChoices):
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE = "receive", _("Tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    FORWARD = "forward", _("Chuyển xử lý")
    SEND_BACK = "send_back", _("Trả lại bước trước")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu nộp phí")
    PAY = "pay", _("Nộp phí")
    APPROVE = "approve", _("Phê duyệt")
    REJECT = "reject", _("Từ chối giải quyết")
    EXTEND = "extend", _("Gia hạn, xin lỗi")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    STOP = "stop", _("Dừng giải quyết")
    RETURN_RESULT = "return_result", _("Trả kết quả")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính")


CHANNEL_CODES = {Channel.COUNTER: 1, Channel.ONLINE: 2, Channel.POST: 3}


class Delivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Nhận qua bưu chính")
    ONLINE = "online", _("Nhận trực tuyến")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Sớm hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class Actor(models.TextChoices):
    """Roles as the status machine sees them: the applicant plus the staff roles."""

    APPLICANT = "applicant", _("Người nộp")
    COUNTER_OFFICER = "counter_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    SYSTEM = "system", _("Hệ thống")
