"""The daily reconciliation: what was paid on one day (Vietnam's calendar day) by method, by
receiving agency and by procedure; the gateway's notifications that matched nothing or
disagreed (forged, unknown reference, wrong amount, money for what was already paid or for a
closed attempt); online attempts still pending past their expiry (no notification came).

Reads only. ``viewer`` limits it to the dossiers they may see (None: everything, for the
management command); notifications that name no payment are shown to overseers only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from motcua.accounts.models import User
from motcua.dossiers.selectors import dossier_visible, staff_scope

from .constants import MATCHED_VERDICTS, Method, PaymentState
from .models import GatewayNotification, Payment

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Group:
    key: str
    label: str
    count: int = 0
    amount: int = 0


@dataclass
class Report:
    day: dt.date
    total_count: int = 0
    total_amount: int = 0
    by_method: list[Group] = field(default_factory=list)
    by_agency: list[Group] = field(default_factory=list)
    by_procedure: list[Group] = field(default_factory=list)
    unmatched: list[GatewayNotification] = field(default_factory=list)
    stale_pending: list[Payment] = field(default_factory=list)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM)
    return start, start + dt.timedelta(days=1)


def _visible_payments(viewer: User | None) -> QuerySet[Payment]:
    qs = Payment.objects.all()
    if viewer is not None:
        qs = qs.filter(dossier__in=dossier_visible(viewer=viewer).values("pk"))
    return qs


def _groups(rows: dict[tuple[str, str], list[int]]) -> list[Group]:
    return sorted(
        (Group(key=k, label=label, count=len(v), amount=sum(v)) for (k, label), v in rows.items()),
        key=lambda g: (-g.amount, g.label),
    )


def daily_report(*, day: dt.date, viewer: User | None = None) -> Report:
    start, end = day_bounds(day)
    report = Report(day=day)
    paid = (
        _visible_payments(viewer)
        .filter(state=PaymentState.PAID, paid_at__gte=start, paid_at__lt=end)
        .select_related("dossier__agency", "dossier__procedure")
        .order_by("paid_at")
    )
    methods: dict[tuple[str, str], list[int]] = defaultdict(list)
    agencies: dict[tuple[str, str], list[int]] = defaultdict(list)
    procedures: dict[tuple[str, str], list[int]] = defaultdict(list)
    for payment in paid:
        dossier = payment.dossier
        methods[(payment.method, str(Method(payment.method).label))].append(payment.amount)
        agencies[(dossier.agency.code, dossier.agency.name)].append(payment.amount)
        procedures[(dossier.procedure.code, dossier.procedure.name)].append(payment.amount)
        report.total_count += 1
        report.total_amount += payment.amount
    report.by_method = _groups(methods)
    report.by_agency = _groups(agencies)
    report.by_procedure = _groups(procedures)

    notes = GatewayNotification.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        verdict__in=MATCHED_VERDICTS
    )
    if viewer is not None:
        mine = Q(payment__in=_visible_payments(viewer).values("pk"))
        overseer = viewer.is_superuser or bool(staff_scope(viewer).oversight_paths)
        notes = notes.filter(mine | Q(payment__isnull=True)) if overseer else notes.filter(mine)
    report.unmatched = list(notes.select_related("payment__dossier").order_by("received_at"))

    expiry = dt.timedelta(minutes=int(settings.MOTCUA_PAYMENT_EXPIRE_MINUTES))
    report.stale_pending = list(
        _visible_payments(viewer)
        .filter(
            method=Method.ONLINE,
            state=PaymentState.PENDING,
            created_at__gte=start,
            created_at__lt=min(end, dt.datetime.now(tz=VIETNAM) - expiry),
        )
        .select_related("dossier")
        .order_by("created_at")
    )
    return report


def report_csv(report: Report) -> str:
    """The report as CSV (UTF-8 with a BOM, which spreadsheet programs need for Vietnamese)."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    w.writerow(["ngay", report.day.isoformat()])
    w.writerow(["tong_so_giao_dich", report.total_count, "tong_so_tien", report.total_amount])
    for section, groups in (
        ("hinh_thuc", report.by_method),
        ("co_quan", report.by_agency),
        ("thu_tuc", report.by_procedure),
    ):
        w.writerow([])
        w.writerow([section, "ma", "ten", "so_giao_dich", "so_tien"])
        for g in groups:
            w.writerow([section, g.key, g.label, g.count, g.amount])
    w.writerow([])
    w.writerow(
        [
            "thong_bao_khong_khop",
            "thoi_gian",
            "cong",
            "ma_giao_dich",
            "ket_luan",
            "so_tien",
            "tra_loi",
        ]
    )
    for n in report.unmatched:
        w.writerow(
            [
                "thong_bao_khong_khop",
                n.received_at.astimezone(VIETNAM).isoformat(timespec="seconds"),
                n.gateway,
                n.transaction_ref,
                n.verdict,
                "" if n.amount is None else n.amount,
                n.answer_code,
            ]
        )
    w.writerow([])
    w.writerow(["cho_xac_nhan_qua_han", "tao_luc", "ma_giao_dich", "ho_so", "so_tien"])
    for p in report.stale_pending:
        w.writerow(
            [
                "cho_xac_nhan_qua_han",
                p.created_at.astimezone(VIETNAM).isoformat(timespec="seconds"),
                p.reference,
                p.dossier.code or "",
                p.amount,
            ]
        )
    return out.getvalue()
