"""Dossiers (hồ sơ): one application for one procedure, its documents, steps and history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Channel, Delivery, Status, Timeliness

USER = settings.AUTH_USER_MODEL


class DossierQuerySet(models.QuerySet["Dossier"]):
    pass


class Dossier(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("nơi tiếp nhận"),
        db_index=False,  # the first column of dossier_agency_queue_idx and _received_idx
    )
    current_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="held_dossiers",
        verbose_name=_("cơ quan đang xử lý"),
        db_index=False,  # the first column of dossier_queue_idx
    )
    process = models.ForeignKey(
        "workflow.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    channel = models.CharField(_("kênh nộp"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("trạng thái"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    resume_status = models.CharField(max_length=24, choices=Status.choices, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    # Applicant: the whole record as given, plus columns for search. The search matches phone and
    # ID numbers exactly (indexed in Meta, without PostgreSQL's LIKE copy that db_index adds) and
    # names anywhere inside the folded name, which no b-tree index serves: none is kept for names.
    applicant = models.JSONField(_("người nộp"), default=dict)
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_name_folded = models.CharField(max_length=200, blank=True)
    applicant_id_number = models.CharField(max_length=32, blank=True)
    applicant_phone = models.CharField(max_length=20, blank=True)
    on_behalf_of = models.JSONField(_("nộp thay cho"), null=True, blank=True)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=8,
        choices=Delivery.choices,
        default=Delivery.COUNTER,
    )
    sets_received = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)

    owner = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("chủ hồ sơ"),
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo")
    )
    assisted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người hỗ trợ"),
    )
    consent_recorded = models.BooleanField(_("công dân đã đồng ý"), default=False)
    assignee = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_dossiers"
    )
    current_step = models.ForeignKey(
        "dossiers.DossierStep", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Time: all aware datetimes. The clock starts at clock_started_at (receipt, moved to the next
    # working session when received outside working time).
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    clock_started_at = models.DateTimeField(null=True, blank=True)
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True, default="")
    decision = models.CharField(max_length=16, blank=True, default="")  # approved / rejected

    fees_total = models.PositiveBigIntegerField(default=0)
    fees_paid = models.PositiveBigIntegerField(default=0)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["current_agency", "status", "due_at"], name="dossier_queue_idx"),
            # The same for the receiving desk: the queues ask for "received here or held here".
            models.Index(fields=["agency", "status", "due_at"], name="dossier_agency_queue_idx"),
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone_idx"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id_idx"),
            # The overdue and due-soon queues walk this in due order: only dossiers whose clock
            # runs (rules.CLOCK_RUNNING), not the year of closed ones with older due times that
            # an index on all due times makes them step over (bench/README.md, queues).
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=[Status.PROCESSING, Status.RECEIVED]),
                name="dossier_running_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dossier_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT, code__isnull=True) | ~Q(status=Status.DRAFT),
                name="dossier_draft_has_no_code",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=False, code__isnull=False, due_at__isnull=False)
                | ~Q(
                    status__in=[
                        Status.RECEIVED,
                        Status.PROCESSING,
                        Status.RESOLVED,
                        Status.RETURNED,
                    ]
                ),
                name="dossier_received_has_code_and_due",
            ),
            models.CheckConstraint(
                condition=Q(fees_paid__lte=models.F("fees_total")), name="dossier_paid_le_total"
            ),
        ]

    def __str__(self) -> str:
        return self.code or str(self.id)


class DossierCodeCounter(models.Model):
    """The per-agency, per-day sequence behind dossier codes (incremented atomically)."""

    agency_code = models.CharField(max_length=64)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency_code", "day"], name="dossier_code_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last}"


class DossierAgency(models.Model):
    """Every agency a dossier has been routed through: they keep seeing it."""

    # The first column of dossier_agency_unique: no index of its own.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="routes", db_index=False
    )
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "agency"], name="dossier_agency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.agency_id}"


class DossierStep(models.Model):
    """One stint of a dossier in a process step: a row of the control slip (Mẫu 06)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    process_step = models.ForeignKey(
        "workflow.ProcessStep", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    role = models.CharField(max_length=32)
    # The first column of dossier_step_agency_idx: no index of its own.
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    assignee = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handed_over_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=24, blank=True, default="")
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True, default="")

    class Meta:
        ordering = ["dossier", "started_at", "id"]
        indexes = [models.Index(fields=["agency", "finished_at"], name="dossier_step_agency_idx")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


def document_path(instance: Document, filename: str) -> str:
    """``dossiers/<year>/<month>/<day>/<document id>.<suffix>``, by the upload's local date.

    The client's filename never reaches the path: only the document's id and a suffix from the
    sniffed type. Folders by day, not one per dossier: a province stores millions of dossiers,
    and a folder per dossier means millions of folders and a new one made for nearly every
    upload (a ``mkdir`` costs about as much CPU as creating the file itself on the servers
    measured in ``bench/LOAD.md``); day folders are few, and a day's files are backed up together.
    Documents stored under the earlier per-dossier layout keep their names.
    """
    suffix = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.content_type, "bin"
    )
    day = timezone.localdate(instance.uploaded_at)
    return f"dossiers/{day:%Y/%m/%d}/{instance.id}.{suffix}"


class Document(models.Model):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Thành phần hồ sơ")
        RESULT = "result", _("Kết quả giải quyết")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.APPLICATION)
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(upload_to=document_path, max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)  # settable for loaded history

    class Meta:
        ordering = ["dossier", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="document_content_type_allowed",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """Append-only history. Each event's hash covers its content and the previous event's hash."""

    # The first column of dossier_event_seq_unique, which also finds a history's last event.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    agency_code = models.CharField(max_length=64, blank=True)
    step = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class Rating(models.Model):
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class PersonalDataAccess(models.Model):
    """Every read of a dossier's personal data by staff (who, when, which dossier, how)."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField(max_length=32)  # api, office, pdf, document

    class Meta:
        indexes = [models.Index(fields=["dossier", "at"], name="pd_access_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.dossier_id} at {self.at}"
