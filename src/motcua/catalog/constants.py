from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineLevel(models.TextChoices):
    """Decree 42/2022: online public services are full (toàn trình) or partial (một phần)."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ORGANIZATION = "organization", _("Tổ chức, doanh nghiệp")


class FeeUnit(models.TextChoices):
    FIXED = "fixed", _("cố định")
    PER_COPY = "per_copy", _("mỗi bản")
    PER_PAGE = "per_page", _("mỗi trang")


# Well-known agency levels. Levels are rows of AgencyLevel (data, not an enum): a deployment may
# add others (e.g. "ministry", "village"); these are the ones the demo and the defaults use.
LEVEL_PROVINCE = "province"
LEVEL_DEPARTMENT = "department"
LEVEL_DISTRICT = "district"
LEVEL_COMMUNE = "commune"

# Electronic agency code (mã định danh điện tử): dot-separated groups, the first a capital letter
# and two digits (H56, H56.12, H56.12.3).
AGENCY_CODE_REGEX = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,6})*$"
# National procedure code: digits and dots, e.g. 1.001193 or 2.000986.
PROCEDURE_CODE_REGEX = r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}$"
