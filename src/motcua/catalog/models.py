"""Catalogue: agencies (a tree of any depth), sectors and administrative procedures."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import (
    AGENCY_CODE_REGEX,
    PROCEDURE_CODE_REGEX,
    ApplicantType,
    FeeUnit,
    OnlineLevel,
    TimeUnit,
)
from .validators import validate_form_template

agency_code_validator = RegexValidator(
    AGENCY_CODE_REGEX,
    _(
        "Mã định danh gồm các nhóm cách nhau bởi dấu chấm, nhóm đầu là một chữ in hoa và hai chữ số (ví dụ H56.12)."
    ),
    code="invalid_agency_code",
)
procedure_code_validator = RegexValidator(
    PROCEDURE_CODE_REGEX, _("Mã thủ tục không hợp lệ."), code="invalid_procedure_code"
)


class AgencyLevel(models.Model):
    """A level of government (province, department, district, commune, …). Data, not code."""

    code = models.SlugField(_("mã cấp"), max_length=32, primary_key=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Nhỏ hơn là cấp cao hơn.")
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("cấp hành chính")
        verbose_name_plural = _("cấp hành chính")

    def __str__(self) -> str:
        return self.name


class AgencyQuerySet(models.QuerySet["Agency"]):
    def subtree_of(self, agency: Agency, *, include_self: bool = True) -> AgencyQuerySet:
        qs = self.filter(path__startswith=agency.path)
        return qs if include_self else qs.exclude(pk=agency.pk)


class Agency(models.Model):
    """An agency or unit (cơ quan, đơn vị). ``path`` is a materialised path of primary keys
    (``/1/5/23/``) so that subtree queries are one indexed prefix scan on both databases."""

    code = models.CharField(
        _("mã định danh điện tử"), max_length=64, unique=True, validators=[agency_code_validator]
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    level = models.ForeignKey(
        AgencyLevel, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("cấp")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    is_service_center = models.BooleanField(_("là bộ phận một cửa"), default=False)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    administrative_code = models.CharField(
        _("mã đơn vị hành chính"),
        max_length=16,
        blank=True,
        help_text=_("Mã tỉnh/xã theo danh mục đơn vị hành chính."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào"),
    )
    path = models.CharField(max_length=512, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="catalog_agency_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AgencyFormerCode(models.Model):
    """A code the agency had before a re-coding or merger, so old dossiers stay findable."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="former_codes", verbose_name=_("cơ quan")
    )
    code = models.CharField(_("mã cũ"), max_length=64, validators=[agency_code_validator])
    name = models.CharField(_("tên cũ"), max_length=255, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        ordering = ["code", "-valid_to"]
        verbose_name = _("mã cũ của cơ quan")
        verbose_name_plural = _("mã cũ của cơ quan")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_to"], name="catalog_formercode_unique"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_from__lte=models.F("valid_to")),
                name="catalog_formercode_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.agency.code}"


class Sector(models.Model):
    """A sector (lĩnh vực) grouping procedures, e.g. Hộ tịch, Xây dựng."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as in the national database."""

    code = models.CharField(
        _("mã thủ tục"), max_length=40, unique=True, validators=[procedure_code_validator]
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    levels = models.ManyToManyField(
        AgencyLevel, related_name="procedures", verbose_name=_("cấp thực hiện")
    )
    agencies = models.ManyToManyField(
        Agency,
        related_name="procedures",
        blank=True,
        verbose_name=_("cơ quan tiếp nhận, giải quyết"),
    )
    online = models.CharField(
        _("dịch vụ công trực tuyến"),
        max_length=8,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    legacy_online_level = models.PositiveSmallIntegerField(
        _("mức độ (cũ)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    processing_time_value = models.PositiveIntegerField(_("thời hạn giải quyết"))
    processing_time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    restart_on_supplement = models.BooleanField(
        _("tính lại thời hạn khi bổ sung"),
        default=False,
        help_text=_("Nếu bật, thời hạn được tính lại từ khi nhận đủ hồ sơ bổ sung."),
    )
    description = models.TextField(_("mô tả ngắn"), blank=True)
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    methods_text = models.TextField(_("cách thức thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list)
    keywords = models.CharField(
        _("từ khóa tìm kiếm"),
        max_length=500,
        blank=True,
        help_text=_("Cách gọi thông dụng, cách nhau bởi dấu phẩy."),
    )
    popularity = models.PositiveIntegerField(_("mức độ phổ biến"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    search_text = models.TextField(
        editable=False, default="", help_text="Folded (no diacritics) text for search."
    )
    # Indexed: every search checks max(updated_at) to know whether its index is still fresh.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        constraints = [
            models.CheckConstraint(
                condition=Q(online__in=OnlineLevel.values), name="catalog_procedure_online_valid"
            ),
            models.CheckConstraint(
                condition=Q(legacy_online_level__gte=1) & Q(legacy_online_level__lte=4),
                name="catalog_procedure_legacy_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(processing_time_unit__in=TimeUnit.values),
                name="catalog_procedure_time_unit_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def applicant_type_labels(self) -> list[str]:
        return [
            str(ApplicantType(t).label) for t in self.applicant_types if t in ApplicantType.values
        ]


class Fee(models.Model):
    """A fee or charge (phí, lệ phí) of a procedure, in đồng."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="fees", verbose_name=_("thủ tục")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    unit = models.CharField(
        _("cách tính"), max_length=16, choices=FeeUnit.choices, default=FeeUnit.FIXED
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "position"], name="catalog_fee_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"


def form_template_path(instance: RequiredDocument, filename: str) -> str:
    # Never trust the client's filename for the path: keep only a safe extension.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    suffix = suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"
    return f"catalog/forms/{instance.procedure.code}/{instance.position:02d}.{suffix}"


class RequiredDocument(models.Model):
    """A document the applicant must provide (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="required_documents",
        verbose_name=_("thủ tục"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    form_name = models.CharField(_("mẫu đơn, tờ khai"), max_length=255, blank=True)
    form_template = models.FileField(
        _("tệp mẫu"),
        upload_to=form_template_path,
        blank=True,
        validators=[validate_form_template],
        help_text=_("PDF, DOC hoặc DOCX, tối đa 10 MB; người dân tải về từ trang thủ tục."),
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "position"], name="catalog_requireddoc_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
