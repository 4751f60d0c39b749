"""Processes: per procedure, versioned, ordered steps each with a role, an agency and a budget."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import AgencyRule, StepRole


class Process(models.Model):
    """One version of a procedure's process. Dossiers keep the version they started with; an
    edit to a process in use makes a new version (see services.process_new_version)."""

    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="processes",
        verbose_name=_("thủ tục"),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    name = models.CharField(_("tên quy trình"), max_length=255, blank=True)
    is_active = models.BooleanField(
        _("đang áp dụng"),
        default=True,
        help_text=_("Hồ sơ mới dùng phiên bản đang áp dụng mới nhất."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["procedure", "-version"]
        verbose_name = _("quy trình")
        verbose_name_plural = _("quy trình")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "version"], name="workflow_process_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"


class ProcessStep(models.Model):
    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="steps", verbose_name=_("quy trình")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=32, choices=StepRole.choices)
    agency_rule = models.CharField(
        _("cơ quan thực hiện"),
        max_length=32,
        choices=AgencyRule.choices,
        default=AgencyRule.RECEIVING,
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan cố định"),
    )
    sector = models.ForeignKey(
        "catalog.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lĩnh vực (để tìm sở phụ trách)"),
    )
    budget_hours = models.DecimalField(
        _("thời gian (giờ làm việc)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        default=Decimal("4"),
    )

    class Meta:
        ordering = ["process", "position"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "position"], name="workflow_step_position_unique"
            ),
            models.CheckConstraint(
                condition=~Q(agency_rule=AgencyRule.FIXED) | Q(agency__isnull=False),
                name="workflow_step_fixed_needs_agency",
            ),
            models.CheckConstraint(
                condition=~Q(agency_rule=AgencyRule.SECTOR_DEPARTMENT) | Q(sector__isnull=False),
                name="workflow_step_sector_needs_sector",
            ),
            models.CheckConstraint(
                condition=Q(budget_hours__gte=0), name="workflow_step_budget_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class SectorDepartment(models.Model):
    """Which department handles a sector within a province (for "the department of sector X")."""

    province = models.ForeignKey(
        "catalog.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("tỉnh")
    )
    sector = models.ForeignKey(
        "catalog.Sector", on_delete=models.CASCADE, related_name="+", verbose_name=_("lĩnh vực")
    )
    department = models.ForeignKey(
        "catalog.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("sở phụ trách")
    )

    class Meta:
        verbose_name = _("sở phụ trách lĩnh vực")
        verbose_name_plural = _("sở phụ trách lĩnh vực")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "sector"], name="workflow_sector_department_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} → {self.department}"
