"""Sample dossiers for the demo: a year of work, made through the real services.

Every dossier is created and moved with ``dossier_create`` / ``dossier_act`` / ``dossier_attach``
at historical times (their ``now`` argument), so codes, steps, histories with their hash chain,
deadlines and timeliness are exactly what the system would have produced. A seeded random
generator makes the same N dossiers on every machine.

- Receiving desks: the provincial service center, the first commune's desk (where the demo
  accounts work) and the desks of the next few communes.
- Channels: counter, online (by the two demo citizens and a pool of generated ones; at the first
  commune's desk a quarter of them filed by its volunteer, ``tinhnguyen.xa``, as assisted), post.
- Fates: most are returned; some wait for a supplement or a payment, some are refused, withdrawn,
  rejected or extended; a realistic share is late. Dossiers whose story reaches today stop
  where they are, so recent ones are found in every status.
- Staff: the demo accounts act where they work; elsewhere background officers are created with
  unusable passwords (they cannot log in), one per agency and role.

Idempotent: when the database already holds the demo dossiers, nothing is created.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.constants import Role, UserKind
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Procedure
from motcua.core.exceptions import ApplicationError
from motcua.dossiers.constants import Channel, Delivery, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_attach, dossier_create
from motcua.workflow.selectors import process_current, process_steps, step_agency
from motcua.worktime.calendar import add_working_time, next_working_instant
from motcua.worktime.selectors import calendar_for_agency

from . import structure

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_COUNT = 2000
SEED = 20261126
OTHER_COMMUNES = 7  # desks of the communes after the first one that receive sample dossiers
CITIZEN_POOL = 40
ASSISTED_SHARE = 0.25  # of the online dossiers at a desk with a volunteer (the first commune's)

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Trương",
    "Bùi",
    "Đặng",
    "Đỗ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Hữu", "Kim", "Quốc", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Khoa",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Đạt",
]

# A minimal valid PDF for the online applications' attachments.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class DossierPlan:
    """What happens to one sample dossier (drawn up front, so the run is reproducible)."""

    received_at: dt.datetime
    desk: Agency
    procedure: Procedure
    channel: str
    owner: User | None
    supplement: bool
    payment: bool
    refuse: bool
    withdraw: bool
    reject: bool
    extend: bool
    slowness: float  # multiplies each step's budget: above 1 makes late dossiers
    rating: int | None
    assisted: bool = False  # filed online by the desk's volunteer, with the citizen's consent
    events: list[str] = field(default_factory=list)


@dataclass
class SampleReport:
    created: int = 0
    skipped_existing: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _applicant(rng: random.Random, owner: User | None) -> ApplicantData:
    name = owner.full_name if owner is not None and owner.full_name else _name(rng)
    return ApplicantData(
        type="citizen",
        full_name=name,
        id_number=f"0861{rng.randrange(10**8):08d}",
        phone=owner.phone if owner is not None and owner.phone else f"09{rng.randrange(10**8):08d}",
        email="",
        address=f"Ấp {rng.randrange(1, 9)}, tỉnh Vĩnh Long",
    )


class Staff:
    """Who acts for an agency in a role: a demo account if one works there, else a background
    officer created on first need (unusable password: it cannot log in)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], User] = {}

    def __call__(self, agency: Agency, role: str) -> User:
        key = (agency.pk, role)
        if key not in self._cache:
            member = (
                Membership.objects.filter(
                    agency=agency, role=role, is_active=True, user__is_active=True
                )
                .select_related("user")
                .order_by("user__date_joined", "user_id")
                .first()
            )
            if member is not None:
                self._cache[key] = member.user
            else:
                username = f"demo.{agency.code.lower().replace('.', '-')}.{role}"
                user, created = User.objects.get_or_create(
                    username=username,
                    defaults={
                        "kind": UserKind.STAFF,
                        "full_name": f"Cán bộ {agency.short_name or agency.name}",
                    },
                )
                if created:
                    user.set_unusable_password()
                    user.save(update_fields=["password"])
                Membership.objects.get_or_create(user=user, agency=agency, role=role)
                self._cache[key] = user
        return self._cache[key]


def _citizens(rng: random.Random) -> list[User]:
    named = list(User.objects.filter(username__in=["congdan", "congdan2"]).order_by("username"))
    pool = []
    for number in range(1, CITIZEN_POOL + 1):
        user, created = User.objects.get_or_create(
            username=f"demo.congdan.{number:03d}",
            defaults={
                "kind": UserKind.CITIZEN,
                "full_name": _name(rng),
                "phone": f"09{rng.randrange(10**8):08d}",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        pool.append(user)
    return named + pool


def _desks() -> list[tuple[Agency, float]]:
    center = Agency.objects.get(code=structure.SERVICE_CENTER_CODE)
    communes = list(structure.communes())[: 1 + OTHER_COMMUNES]
    desks = list(
        Agency.objects.filter(code__in=[c.service_center_code for c in communes]).order_by("code")
    )
    first = next(d for d in desks if d.code == structure.first_commune().service_center_code)
    others = [d for d in desks if d.pk != first.pk]
    return [(center, 0.25), (first, 0.35)] + [(d, 0.40 / len(others)) for d in others]


def _working_moment(rng: random.Random, day: dt.date) -> dt.datetime:
    minutes = rng.choice(
        [rng.randrange(7 * 60 + 30, 11 * 60 + 30), rng.randrange(13 * 60 + 30, 17 * 60)]
    )
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=VN)


def plan_dossiers(count: int, *, today: dt.date, rng: random.Random) -> list[DossierPlan]:
    desks = _desks()
    weights = [w for _, w in desks]
    by_desk = {
        desk.pk: list(
            Procedure.objects.filter(agencies=desk, is_active=True, processes__is_active=True)
            .distinct()
            .order_by("code")
        )
        for desk, _ in desks
    }
    citizens = _citizens(rng)
    # Drawn from a generator of its own, so that adding assisted filings left the rest of the
    # sample as it was.
    assisting = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    volunteer_desks = set(
        Membership.objects.filter(role=Role.ASSISTANT, is_active=True).values_list(
            "agency_id", flat=True
        )
    )
    plans = []
    for _ in range(count):
        desk = rng.choices([d for d, _ in desks], weights)[0]
        choices = by_desk[desk.pk]
        if not choices:
            continue
        procedure = rng.choices(choices, [max(p.popularity, 1) for p in choices])[0]
        # A steady flow over the year, and the last fortnight's work still in hand.
        age_days = (
            int(rng.uniform(0, 14)) if rng.random() < 0.2 else int(rng.triangular(0, 365, 30))
        )
        day = today - dt.timedelta(days=age_days)
        online_possible = procedure.online != "none"
        roll = rng.random()
        channel = (
            Channel.ONLINE
            if online_possible and roll < 0.45
            else Channel.POST
            if roll > 0.96
            else Channel.COUNTER
        )
        owner = (
            rng.choices(citizens, [8, 4] + [1] * (len(citizens) - 2))[0]
            if channel == Channel.ONLINE
            else None
        )
        plans.append(
            DossierPlan(
                received_at=_working_moment(rng, day),
                desk=desk,
                procedure=procedure,
                channel=channel,
                owner=owner,
                supplement=rng.random() < 0.10,
                payment=rng.random() < 0.05,
                refuse=channel == Channel.ONLINE and rng.random() < 0.04,
                withdraw=channel == Channel.ONLINE and rng.random() < 0.02,
                reject=rng.random() < 0.04,
                extend=rng.random() < 0.04,
                slowness=rng.lognormvariate(-0.35, 0.45),
                rating=rng.choice([3, 4, 5, 5, 5]) if rng.random() < 0.35 else None,
                assisted=channel == Channel.ONLINE
                and desk.pk in volunteer_desks
                and assisting.random() < ASSISTED_SHARE,
            )
        )
    plans.sort(key=lambda p: p.received_at)
    return plans


class _Clock:
    """Historical time for one dossier; stops the story when it reaches the present."""

    def __init__(self, start: dt.datetime, now: dt.datetime) -> None:
        self.t = start
        self.now = now

    def after(self, agency: Agency, hours: float) -> bool:
        cal = calendar_for_agency(agency)
        self.t = add_working_time(
            cal, next_working_instant(cal, self.t), dt.timedelta(hours=max(hours, 0.05))
        )
        return self.t < self.now


def _play(plan: DossierPlan, staff: Staff, rng: random.Random, now: dt.datetime) -> Dossier:
    desk, procedure = plan.desk, plan.procedure
    counter = staff(desk, Role.COUNTER_OFFICER)
    applicant = _applicant(rng, plan.owner)
    delivery = (
        Delivery.ONLINE
        if plan.channel == Channel.ONLINE and rng.random() < 0.3
        else Delivery.COUNTER
    )
    clock = _Clock(plan.received_at, now)

    def act(action: str, actor: User | None, **fields: object) -> Dossier:
        return dossier_act(
            dossier_id=dossier.pk, action=action, actor=actor, fields=fields, now=clock.t
        )

    if plan.channel == Channel.ONLINE:
        assert plan.owner is not None
        clock.t = plan.received_at - dt.timedelta(hours=rng.randrange(1, 40))
        # The citizen at home, or the desk's volunteer at the desk for them (assisted filing).
        volunteer = staff(desk, Role.ASSISTANT) if plan.assisted else None
        filer = volunteer or plan.owner
        dossier = dossier_create(
            actor=filer,
            procedure=procedure,
            agency=desk,
            channel=Channel.ONLINE,
            applicant=applicant,
            result_delivery=delivery,
            assisted_by=volunteer,
            consent=volunteer is not None,
            owner=plan.owner if volunteer is not None else None,
            now=clock.t,
        )
        for required in procedure.required_documents.filter(required=True).order_by("position"):
            upload = SimpleUploadedFile("giay-to.pdf", SAMPLE_PDF, content_type="application/pdf")
            dossier_attach(
                dossier_id=dossier.pk,
                actor=filer,
                uploaded_file=upload,
                kind="application",
                required_document=required,
                now=clock.t,
            )
        act("submit", filer)
        if plan.withdraw and rng.random() < 0.5:
            return act("withdraw", plan.owner, note="Tôi nộp nhầm thủ tục.")
        clock.t = max(clock.t, plan.received_at)
        if clock.t >= now:
            return dossier
        if plan.refuse:
            return act(
                "refuse", counter, note="Hồ sơ không thuộc thẩm quyền tiếp nhận của cơ quan."
            )
        dossier = act("receive", counter)
    else:
        dossier = dossier_create(
            actor=counter,
            procedure=procedure,
            agency=desk,
            channel=plan.channel,
            applicant=applicant,
            result_delivery=delivery,
            now=plan.received_at,
        )

    all_steps = list(process_steps(process=process_current(procedure=procedure)))  # type: ignore[arg-type]
    # The decision is taken at the last leader step; steps after it (handing the result back to
    # the desk) are what ``return_result`` records.
    leader_positions = [i for i, s in enumerate(all_steps, start=1) if s.role == "leader"]
    steps = all_steps[: leader_positions[-1]] if leader_positions else all_steps
    owner_or_counter = plan.owner or counter
    for position, step in enumerate(steps, start=1):
        agency = step_agency(step=step, receiving=desk)
        holder = counter if position == 1 else staff(agency, step.role)
        if not clock.after(agency, float(step.budget_hours) * plan.slowness):
            return dossier
        if plan.supplement and position == min(2, len(steps)) and step.role != "leader":
            asker = holder if step.role in ("counter_officer", "specialist") else counter
            act(
                "request_supplement",
                asker,
                items=["Bản sao giấy tờ tùy thân"],
                note="Bản sao chưa rõ nét.",
            )
            plan.supplement = False
            if not clock.after(agency, rng.uniform(4, 40)):
                return Dossier.objects.get(pk=dossier.pk)
            act("supplement", owner_or_counter)
        if plan.payment and position == 1:
            act(
                "request_payment",
                counter,
                amount=rng.choice([20000, 50000, 100000]),
                note="Phí thẩm định.",
            )
            if not clock.after(agency, rng.uniform(2, 24)):
                return Dossier.objects.get(pk=dossier.pk)
            act("pay", counter, method="cash", receipt_number=f"BL{rng.randrange(10**6):06d}")
        if plan.withdraw and position == 2:
            act("withdraw", owner_or_counter if plan.owner else counter, note="Xin rút hồ sơ.")
            if not clock.after(desk, rng.uniform(1, 8)):
                return Dossier.objects.get(pk=dossier.pk)
            return act("stop", counter)
        if position < len(steps):
            dossier = act("forward", holder)
            continue
        current = Dossier.objects.get(pk=dossier.pk)
        if plan.extend and current.due_at is not None and clock.t < current.due_at:
            act(
                "extend",
                holder,
                new_due_at=(current.due_at + dt.timedelta(days=3)).isoformat(),
                note="Cần xác minh thêm thông tin với cơ quan liên quan.",
            )
            if not clock.after(agency, 8):
                return Dossier.objects.get(pk=dossier.pk)
        if plan.reject:
            dossier = act("reject", holder, note="Hồ sơ không đủ điều kiện theo quy định.")
        else:
            dossier = act("approve", holder)
    if dossier.status == Status.RESOLVED:
        if not clock.after(desk, rng.uniform(1, 30)):
            return dossier
        dossier = act("return_result", counter)
    if dossier.status == Status.RETURNED and plan.rating and plan.owner is not None:
        from motcua.dossiers.services import dossier_rate

        dossier_rate(dossier_id=dossier.pk, actor=plan.owner, score=plan.rating, comment="")
    return dossier


def seed_sample_dossiers(
    count: int = DEFAULT_COUNT,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SampleReport:
    """Create ``count`` sample dossiers over the past 12 months, unless they exist already."""
    report = SampleReport()
    existing = Dossier.objects.count()
    if existing >= count:
        report.skipped_existing = existing
        return report
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    wanted = count - existing
    # A few are kept back for the statuses the year's sample may lack (see _complete_statuses).
    reserve = min(len(SHOWCASE), wanted // 10)
    today = timezone.localtime(now).date()
    with transaction.atomic():
        plans = plan_dossiers(wanted - reserve, today=today, rng=rng)
    staff = Staff()
    _play_all(plans, staff, rng, now, report, progress)
    left = reserve - _complete_statuses(report, staff, rng, now, budget=reserve)
    if left > 0:  # nothing was missing: the ordinary sample takes the rest
        with transaction.atomic():
            more = plan_dossiers(left, today=today, rng=rng)
        _play_all(more, staff, rng, now, report, None)
    return report


def _play_all(
    plans: list[DossierPlan],
    staff: Staff,
    rng: random.Random,
    now: dt.datetime,
    report: SampleReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    for index, plan in enumerate(plans, start=1):
        # A moment later today than now (the evening, or just after midnight): the same
        # weekday and time a week earlier, so that the count never depends on the hour.
        while plan.received_at >= now:
            plan.received_at -= dt.timedelta(days=7)
        try:
            with transaction.atomic():
                dossier = _play(plan, staff, rng, now)
        except ApplicationError as exc:  # a rule we did not foresee: skip this one, say so
            report.by_status[f"skipped:{exc.code}"] = (
                report.by_status.get(f"skipped:{exc.code}", 0) + 1
            )
            continue
        report.created += 1
        report.by_status[dossier.status] = report.by_status.get(dossier.status, 0) + 1
        if progress is not None and index % 200 == 0:
            progress(index, len(plans))


# API.md: sample dossiers "in every status". The year's sample ends in the statuses a dossier
# stays in for long; the short-lived ones (a draft, one waiting at the counter, a withdrawal
# waiting for the stop notice, …) may be missing from it, and a small --dossiers N any status.
# One of each missing one is made at the first commune's desk, by the demo accounts (congdan,
# tiepnhan.xa, …), in the last hours; they are taken out of N, which stays the total.
SHOWCASE: tuple[str, ...] = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
    Status.WITHDRAWAL_REQUESTED,
    Status.REFUSED,
    Status.STOPPED,
    Status.RESOLVED,
    Status.RETURNED,
)
SHOWCASE_PROCEDURE = "1.001193"  # Đăng ký khai sinh


def _complete_statuses(
    report: SampleReport, staff: Staff, rng: random.Random, now: dt.datetime, *, budget: int
) -> int:
    """Make one dossier in each SHOWCASE status the sample lacks, at most ``budget``; how many."""
    missing = [s for s in SHOWCASE if not report.by_status.get(s)][:budget]
    if not missing:
        return 0
    desk = Agency.objects.get(code=structure.first_commune().service_center_code)
    procedure = Procedure.objects.get(code=SHOWCASE_PROCEDURE)
    owner = User.objects.filter(username="congdan").first() or _citizens(rng)[0]
    made = 0
    for index, status in enumerate(missing):
        # Spread over the last hours, in order, so each history reads forwards.
        at = now - dt.timedelta(hours=2 * (len(missing) - index), minutes=30)
        made += 1
        try:
            with transaction.atomic():
                dossier = _showcase(status, desk, procedure, owner, staff, rng, at)
        except ApplicationError as exc:  # as for the sample: skip it, say so
            key = f"skipped:{exc.code}"
            report.by_status[key] = report.by_status.get(key, 0) + 1
            continue
        report.created += 1
        report.by_status[dossier.status] = report.by_status.get(dossier.status, 0) + 1
    return made


def _showcase(
    status: str,
    desk: Agency,
    procedure: Procedure,
    owner: User,
    staff: Staff,
    rng: random.Random,
    at: dt.datetime,
) -> Dossier:
    counter = staff(desk, Role.COUNTER_OFFICER)

    def step(dossier: Dossier, action: str, actor: User, **fields: object) -> Dossier:
        nonlocal at
        at += dt.timedelta(minutes=10)
        return dossier_act(dossier_id=dossier.pk, action=action, actor=actor, fields=fields, now=at)

    at_the_counter = {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.RESOLVED,
        Status.RETURNED,
    }
    if status in at_the_counter:
        dossier = dossier_create(
            actor=counter,
            procedure=procedure,
            agency=desk,
            channel=Channel.COUNTER,
            applicant=_applicant(rng, None),
            result_delivery=Delivery.COUNTER,
            now=at,
        )
        if status == Status.PROCESSING:
            return step(dossier, "forward", counter)
        if status in {Status.RESOLVED, Status.RETURNED}:
            # Through the process as _play does: forwarded step by step, decided by the leader.
            all_steps = list(process_steps(process=process_current(procedure=procedure)))  # type: ignore[arg-type]
            leaders = [i for i, s in enumerate(all_steps, start=1) if s.role == "leader"]
            steps = all_steps[: leaders[-1]] if leaders else all_steps
            for position, process_step in enumerate(steps, start=1):
                agency = step_agency(step=process_step, receiving=desk)
                holder = counter if position == 1 else staff(agency, process_step.role)
                action = "forward" if position < len(steps) else "approve"
                dossier = step(dossier, action, holder)
            if status == Status.RETURNED:
                dossier = step(dossier, "return_result", counter)
            return dossier
        if status == Status.SUPPLEMENT_REQUESTED:
            return step(
                dossier,
                "request_supplement",
                counter,
                items=["Giấy chứng sinh (bản chính)"],
                note="Giấy chứng sinh nộp kèm là bản chụp.",
            )
        if status == Status.PAYMENT_REQUESTED:
            return step(
                dossier, "request_payment", counter, amount=8000, note="Phí cấp bản sao trích lục."
            )
        return dossier
    dossier = dossier_create(
        actor=owner,
        procedure=procedure,
        agency=desk,
        channel=Channel.ONLINE,
        applicant=_applicant(rng, owner),
        result_delivery=Delivery.COUNTER,
        now=at,
    )
    if status == Status.DRAFT:
        return dossier
    for required in procedure.required_documents.filter(required=True).order_by("position"):
        upload = SimpleUploadedFile("giay-to.pdf", SAMPLE_PDF, content_type="application/pdf")
        dossier_attach(
            dossier_id=dossier.pk,
            actor=owner,
            uploaded_file=upload,
            kind="application",
            required_document=required,
            now=at,
        )
    dossier = step(dossier, "submit", owner)
    if status == Status.REFUSED:
        return step(dossier, "refuse", counter, note="Hồ sơ không thuộc thẩm quyền của phường.")
    if status == Status.STOPPED:
        return step(dossier, "withdraw", owner, note="Tôi nộp nhầm thủ tục.")
    if status == Status.WITHDRAWAL_REQUESTED:
        dossier = step(dossier, "receive", counter)
        return step(dossier, "withdraw", owner, note="Xin rút hồ sơ.")
    return dossier  # submitted
