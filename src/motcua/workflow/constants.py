from django.db import models
from django.utils.translation import gettext_lazy as _


class StepRole(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")


class AgencyRule(models.TextChoices):
    """How a step finds the agency that does it, relative to the dossier."""

    RECEIVING = "receiving", _("Cơ quan tiếp nhận hồ sơ")
    RECEIVING_PARENT = "receiving_parent", _("Cơ quan cấp trên của nơi tiếp nhận")
    RECEIVING_GOVERNMENT = (
        "receiving_government",
        _("Cơ quan chủ quản của bộ phận một cửa tiếp nhận"),
    )
    FIXED = "fixed", _("Một cơ quan cố định")
    SECTOR_DEPARTMENT = "sector_department", _("Sở phụ trách lĩnh vực")
