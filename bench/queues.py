"""Benchmark of the back office's work queues and leaders' page with 100,000 dossiers (issue #5).

What it does, in order (figures and what they mean: ``bench/README.md``):

1. Drops and recreates a throwaway PostgreSQL database (``--db-name``, default
   ``motcua_bench_queues``, on the server of ``--admin-url``) and migrates it.
2. Seeds a province: the provincial service center, ``--departments`` (12) departments and
   ``--communes`` (100) communes, each with its one-stop desk; 40 procedures over 8 sectors;
   then ``--dossiers`` (100,000) dossiers in bulk (``bulk_create`` in batches, one transaction),
   spread as a year of real work is:

   * receiving desk: the first commune's desk is the busy one (8 % of all dossiers), the
     provincial center 25 %, the other communes share the rest;
   * status: most are closed (returned 62 %, refused, stopped, resolved waiting at the desk);
     about 20 % are open (received, processing, waiting for a supplement or a payment,
     withdrawal asked), 2 % are drafts and 2 % online submissions waiting for reception;
   * times: closed dossiers received over the past year; open ones over the past 30 days, with
     processing times of 1 to 15 days, so that about a third of them are overdue and a few
     per cent due within one working day;
   * handling: a commune procedure is processed by the receiving commune, a provincial one by
     its department (liên thông); open dossiers have their current step (a ``DossierStep``) and
     routing rows, half of them an assignee among the agency's officers.

   Then ``VACUUM ANALYZE``.
3. As each officer of the busy commune (its desk's counter officer, its specialist and its
   leader) and as the leader of the busiest department, requests every queue page of their role
   (``GET /can-bo/?queue=…``), the leaders' page (``GET /can-bo/lanh-dao/``) and a search by a
   name typed without diacritics (``POST /can-bo/``), through Django's test client (URL routing,
   middleware, session, the view, the template): ``--rounds`` (30) times each after a warm-up.
4. Prints, per page: rows shown / total, SQL queries per request, p50 and p95 wall-clock
   milliseconds, the time spent waiting for the database, and the CPU time per request of this
   process (Django) and of its PostgreSQL backend (from ``/proc``): on a shared machine the wall
   clock counts other processes' turns, the CPU times do not, and their sum is what a request
   costs on an idle one. Then ``EXPLAIN (ANALYZE, BUFFERS)`` figures of the slowest statements
   (with ``--explain``). ``--drop-index NAME`` measures without one of the indexes, to compare.
   Never fails on timing: the target (200 ms per queue page) is reported.

Run: ``.venv/bin/python bench/queues.py [--dossiers N] [--rounds N] [--keep-db] [--reuse-db]``.
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent

TARGET_MS = 200.0
SEED = 20261127
BUSY_DESK_SHARE = 0.08
CENTER_SHARE = 0.25

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu", "Đức", "Kim")
GIVEN = (
    "An", "Bình", "Châu", "Dũng", "Hạnh", "Khoa", "Lan", "Nhung", "Phúc", "Tâm", "Yến", "Hưởng",
    "Trinh", "Quân", "Tuấn", "Thảo", "Hòa", "Sơn", "Vy", "Long",
)  # fmt: skip
SECTORS = (
    ("HT", "Hộ tịch", "commune"),
    ("CT", "Chứng thực", "commune"),
    ("DD", "Đất đai", "commune"),
    ("XD", "Xây dựng", "province"),
    ("TP", "Tư pháp", "province"),
    ("YT", "Y tế", "province"),
    ("GD", "Giáo dục", "province"),
    ("CT2", "Công thương", "province"),
)

# Status mix of a year of dossiers (weights), and which ones are open (clock running or paused).
STATUS_WEIGHTS = {
    "draft": 2.0,
    "submitted": 2.0,
    "refused": 1.5,
    "received": 2.5,
    "processing": 11.0,
    "supplement_requested": 3.0,
    "payment_requested": 1.5,
    "withdrawal_requested": 0.5,
    "stopped": 1.0,
    "resolved": 4.0,
    "returned": 71.0,
}
OPEN = {"received", "processing", "supplement_requested", "payment_requested"}
PAUSED = {"supplement_requested", "payment_requested", "withdrawal_requested"}
NOT_RECEIVED = {"draft", "submitted", "refused"}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--departments", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=30, help="requests per page measured")
    parser.add_argument("--warmup", type=int, default=3, help="requests per page before measuring")
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database on the PostgreSQL server, to create and drop the bench database",
    )
    parser.add_argument("--db-name", default="motcua_bench_queues")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse-db", action="store_true", help="measure on the database a --keep-db run left"
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the slowest statement of each page"
    )
    parser.add_argument(
        "--drop-index",
        action="append",
        default=[],
        metavar="NAME",
        help="drop this index of the bench database before measuring (to compare; repeatable)",
    )
    return parser.parse_args(argv)


# --- database ------------------------------------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # responses carry their template context (rows shown, totals)


# --- seeding -------------------------------------------------------------------------------------


@dataclass
class Province:
    center: Any
    departments: list[Any]
    communes: list[Any]  # commune governments
    desks: list[Any]  # their one-stop desks, same order
    procedures: list[Any]
    officers: dict[int, list[Any]] = field(default_factory=dict)  # agency id → users
    users: dict[str, Any] = field(default_factory=dict)


def seed_structure(args: argparse.Namespace) -> Province:
    from motcua.accounts.models import Membership, User
    from motcua.catalog.models import Agency, Procedure, Sector
    from motcua.catalog.services import agency_save

    province = agency_save(
        agency=Agency(code="H56", name="Ủy ban nhân dân tỉnh Vĩnh Long", level_id="province")
    )
    center = agency_save(
        agency=Agency(
            code="H56.1",
            name="Trung tâm Phục vụ hành chính công tỉnh",
            level_id="department",
            parent=province,
            is_service_center=True,
        )
    )
    departments = [
        agency_save(
            agency=Agency(
                code=f"H56.{10 + i}", name=f"Sở số {i + 1}", level_id="department", parent=province
            )
        )
        for i in range(args.departments)
    ]
    communes, desks = [], []
    for i in range(args.communes):
        commune = agency_save(
            agency=Agency(
                code=f"H56.{100 + i}",
                name=f"Ủy ban nhân dân xã số {i + 1}",
                level_id="commune",
                parent=province,
            )
        )
        communes.append(commune)
        desks.append(
            agency_save(
                agency=Agency(
                    code=f"H56.{100 + i}.1",
                    name=f"Bộ phận Một cửa xã số {i + 1}",
                    level_id="commune",
                    parent=commune,
                    is_service_center=True,
                )
            )
        )
    procedures = []
    for s, (code, name, level) in enumerate(SECTORS):
        sector = Sector.objects.create(code=code, name=name)
        for p in range(5):
            procedure = Procedure.objects.create(
                code=f"1.{s:02d}{p:04d}",
                name=f"{name}: thủ tục số {p + 1}",
                sector=sector,
                online="full" if p % 2 else "partial",
                legacy_online_level=4,
                processing_time_value=1 + (s * 5 + p) % 15,
                processing_time_unit="working_days",
                applicant_types=["citizen"],
            )
            procedure.levels.set([level])
            procedure.agencies.set(desks if level == "commune" else [center, *desks[:10]])
            procedure.level = level  # type: ignore[attr-defined]  (for the seeding only)
            procedure.department = (  # type: ignore[attr-defined]
                departments[s % len(departments)] if level == "province" else None
            )
            procedures.append(procedure)

    result = Province(center, departments, communes, desks, procedures)

    def staff(username: str, agency: Any, role: str) -> Any:
        user = User(username=username, kind="staff", full_name=username.replace("_", " ").title())
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, agency=agency, role=role)
        result.officers.setdefault(agency.pk, []).append(user)
        return user

    busy_commune, busy_desk = communes[0], desks[0]
    busiest_department = departments[3 % len(departments)]  # the construction sector's
    result.users = {
        "counter": staff("bench_counter", busy_desk, "counter_officer"),
        "specialist": staff("bench_specialist", busy_commune, "specialist"),
        "leader": staff("bench_leader", busy_commune, "leader"),
        "leader_department": staff("bench_leader_so", busiest_department, "leader"),
    }
    staff("bench_counter_2", busy_desk, "counter_officer")
    staff("bench_specialist_2", busy_commune, "specialist")
    staff("bench_specialist_so", busiest_department, "specialist")
    for i, agency in enumerate([center, *departments, *communes[1:], *desks[1:]]):
        role = "counter_officer" if agency.is_service_center else "specialist"
        staff(f"bench_{i}", agency, role)
    return result


def name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed_dossiers(province: Province, count: int) -> dict[str, int]:
    """``count`` dossiers with their current steps and routing rows, in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from motcua.core.text import fold
    from motcua.dossiers.models import Dossier, DossierAgency, DossierStep

    rng = random.Random(SEED)
    now = timezone.now()
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    creator = province.users["counter"]
    sequences: dict[tuple[int, dt.date], int] = {}
    dossiers: list[Dossier] = []
    steps: list[DossierStep] = []
    routes: list[DossierAgency] = []
    tally: dict[str, int] = {}
    for n in range(count):
        status = rng.choices(statuses, weights)[0]
        tally[status] = tally.get(status, 0) + 1
        draw = rng.random()
        if draw < BUSY_DESK_SHARE:
            desk, commune = province.desks[0], province.communes[0]
        elif draw < BUSY_DESK_SHARE + CENTER_SHARE:
            desk, commune = province.center, None
        else:
            i = rng.randrange(1, len(province.desks))
            desk, commune = province.desks[i], province.communes[i]
        candidates = [
            p for p in province.procedures if (p.level == "commune") == (commune is not None)
        ]
        procedure = rng.choice(candidates)
        handler = commune if procedure.level == "commune" else procedure.department
        channel = rng.choices(["counter", "online", "post"], [55, 40, 5])[0]
        if status in ("draft", "submitted"):
            channel = "online"
        recent = status in OPEN or status in PAUSED or status in ("submitted", "draft")
        at = now - dt.timedelta(days=rng.uniform(0, 30 if recent else 365), hours=rng.uniform(0, 8))
        received = status not in NOT_RECEIVED
        due = at + dt.timedelta(days=rng.randint(1, 15)) if received else None
        if status in OPEN and rng.random() < 0.06:
            # A few due within hours: the "due soon" queue is never empty.
            due = now + dt.timedelta(hours=rng.uniform(0.5, 20))
        code = None
        if status != "draft":
            day = timezone.localtime(at).date()
            key = (desk.pk, day)
            sequences[key] = sequences.get(key, 0) + 1
            code = f"{desk.code}-{day:%y%m%d}-{sequences[key]:04d}"
        full_name = name(rng)
        holder = handler if status in OPEN or status in PAUSED else desk
        if status == "resolved":
            holder = desk
        assignee = None
        officers = province.officers.get(holder.pk, [])
        if status in OPEN and officers and rng.random() < 0.5:
            assignee = rng.choice(officers)
        dossier = Dossier(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            code=code,
            procedure=procedure,
            agency=desk,
            current_agency=holder,
            channel=channel,
            status=status,
            resume_status="processing" if status in PAUSED else "",
            applicant={
                "type": "citizen",
                "full_name": full_name,
                "id_number": f"0792{n:08d}",
                "phone": f"09{n:08d}",
                "email": "",
                "address": f"Ấp {n % 9 + 1}, tỉnh Vĩnh Long",
            },
            applicant_name=full_name,
            applicant_name_folded=fold(full_name),
            applicant_id_number=f"0792{n:08d}",
            applicant_phone=f"09{n:08d}",
            form_data={"ghi_chu": "Hồ sơ mẫu cho đo hiệu năng"},
            result_delivery="online" if channel == "online" else "counter",
            created_by=creator,
            assignee=assignee,
            created_at=at,
            submitted_at=at if status != "draft" else None,
            received_at=at if received else None,
            clock_started_at=at if received else None,
            clock_paused_at=at + dt.timedelta(days=1) if status in PAUSED else None,
            due_at=due,
            original_due_at=due,
            resolved_at=at + dt.timedelta(days=2) if status in ("resolved", "returned") else None,
            returned_at=at + dt.timedelta(days=3) if status == "returned" else None,
            stopped_at=at + dt.timedelta(days=1) if status == "stopped" else None,
            timeliness=rng.choice(["early", "on_time", "late"])
            if status in ("resolved", "returned")
            else "",
            decision="approved" if status in ("resolved", "returned") else "",
        )
        dossiers.append(dossier)
        if received:
            routes.append(DossierAgency(dossier_id=dossier.id, agency_id=desk.pk))
            if holder.pk != desk.pk:
                routes.append(DossierAgency(dossier_id=dossier.id, agency_id=holder.pk))
            steps.append(
                DossierStep(
                    dossier_id=dossier.id,
                    position=2 if holder.pk != desk.pk else 1,
                    name="Thẩm định hồ sơ" if holder.pk != desk.pk else "Tiếp nhận hồ sơ",
                    role="specialist" if holder.pk != desk.pk else "counter_officer",
                    agency_id=holder.pk,
                    assignee=assignee,
                    started_at=at,
                    due_at=due,
                    finished_at=None if status in OPEN or status in PAUSED else at,
                )
            )
    with transaction.atomic():
        Dossier.objects.bulk_create(dossiers, batch_size=2000)
        DossierStep.objects.bulk_create(steps, batch_size=5000)
        DossierAgency.objects.bulk_create(routes, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE dossiers_dossier d SET current_step_id = s.id "
                "FROM dossiers_dossierstep s WHERE s.dossier_id = d.id"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return tally


# --- measuring -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class PageFigures:
    who: str
    page: str
    shown: int
    total: int
    queries: int
    p50_ms: float
    p95_ms: float
    cpu_ms: float  # median CPU time of this process (Python; not PostgreSQL's)
    sql_ms: float  # median time spent waiting for the database's answers
    db_cpu_ms: float  # mean CPU time of the database's backend process per request
    slowest_sql: str = ""
    slowest_params: Any = None
    slowest_sql_ms: float = 0.0


def office_client(user: Any) -> Any:
    """A test client logged in to the back office as ``user`` (as if past its TOTP step)."""
    from django.test import Client

    from motcua.backoffice.access import AUTH

    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTH] = {"user": user.pk, "two_factor": True}
    session.save()
    return client


class QueryLog:
    """Every SQL statement the connection runs while active, with its time (``execute_wrapper``:
    unlike ``CaptureQueriesContext`` it survives the ``reset_queries`` of each request)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, params, (time.perf_counter() - started) * 1000))


def backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def process_cpu_ms(pid: int) -> float:
    """CPU time (user + system) of a process on this machine so far, from ``/proc``: the
    database's share of a request, whatever else the machine is doing meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(
    who: str, label: str, request: Callable[[], Any], rounds: int, warmup: int
) -> PageFigures:
    from django.db import connection

    for _ in range(warmup):
        response = request()
        assert response.status_code == 200, (label, response.status_code)
    log = QueryLog()
    with connection.execute_wrapper(log):
        response = request()
    page = response.context.get("page") if response.context is not None else None
    shown = len(page.object_list) if page is not None else 0
    total = page.paginator.count if page is not None else 0
    slowest = max(log.statements, key=lambda statement: statement[2])
    times, cpu, sql = [], [], []
    pid = backend_pid()
    db_started = process_cpu_ms(pid)
    for _ in range(rounds):
        timed = QueryLog()
        with connection.execute_wrapper(timed):
            started, started_cpu = time.perf_counter(), time.process_time()
            request()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(sum(ms for _, _, ms in timed.statements))
    db_cpu = (process_cpu_ms(pid) - db_started) / rounds if backend_pid() == pid else float("nan")
    return PageFigures(
        who,
        label,
        shown,
        total,
        len(log.statements),
        statistics.median(times),
        percentile(times, 0.95),
        statistics.median(cpu),
        statistics.median(sql),
        db_cpu,
        slowest[0],
        slowest[1],
        slowest[2],
    )


def explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def explain_summary(plan: list[str]) -> list[str]:
    """The plan's top node, its scans of the dossier tables, and its timings."""
    keep = [plan[0].strip()]
    for line in plan[1:]:
        text = line.strip().removeprefix("->  ")
        if (" on dossiers_" in text and ("Scan" in text or "Sort" in text)) or text.startswith(
            ("Planning Time", "Execution Time", "Sort Method")
        ):
            keep.append(text)
    return keep


def run_pages(province: Province, args: argparse.Namespace) -> list[PageFigures]:
    from motcua.backoffice.selectors import ROLE_QUEUES

    figures = []
    roles = [
        ("counter", "counter_officer"),
        ("specialist", "specialist"),
        ("leader", "leader"),
        ("leader_department", "leader"),
    ]
    for key, role in roles:
        user = province.users[key]
        client = office_client(user)
        for queue in ROLE_QUEUES[role]:
            figures.append(
                measure(
                    user.username,
                    f"queue {queue}",
                    lambda c=client, q=queue: c.get("/can-bo/", {"queue": q}),
                    args.rounds,
                    args.warmup,
                )
            )
        figures.append(
            measure(
                user.username,
                "search 'nguyen van an' (unit)",
                lambda c=client: c.post("/can-bo/", {"queue": "unit", "q": "nguyen van an"}),
                args.rounds,
                args.warmup,
            )
        )
        if role == "leader":
            figures.append(
                measure(
                    user.username,
                    "leaders' page",
                    lambda c=client: c.get("/can-bo/lanh-dao/"),
                    args.rounds,
                    args.warmup,
                )
            )
    return figures


def main(argv: Sequence[str] | None = None) -> list[PageFigures]:
    args = parse_args(argv)
    db_url = database_url(args.admin_url, args.db_name)
    if not args.reuse_db:
        recreate_database(args.admin_url, args.db_name)
    setup_django(db_url)
    from django.core.management import call_command
    from django.db import connection

    from motcua.accounts.models import User

    try:
        started = time.perf_counter()
        if not args.reuse_db:
            call_command("migrate", verbosity=0)
            migrated = time.perf_counter() - started
            started = time.perf_counter()
            province = seed_structure(args)
            tally = seed_dossiers(province, args.dossiers)
            seeded = time.perf_counter() - started
            print(
                f"queues: seeded {args.dossiers:,} dossiers in {seeded:.0f} s "
                f"(migrations {migrated:.0f} s) on PostgreSQL "
                f"{connection.cursor().connection.info.server_version // 10000}"
            )
            print("  statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(tally.items())))
        else:
            province = Province(None, [], [], [], [])
            province.users = {
                key: User.objects.get(username=username)
                for key, username in (
                    ("counter", "bench_counter"),
                    ("specialist", "bench_specialist"),
                    ("leader", "bench_leader"),
                    ("leader_department", "bench_leader_so"),
                )
            }
        for index in args.drop_index:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
            print(f"  dropped index {index}")
        load_before = os.getloadavg()[0]
        figures = run_pages(province, args)
        print(
            f"  {args.rounds} requests per page after {args.warmup} warm-up, Django test client "
            f"(target {TARGET_MS:.0f} ms per queue page)"
        )
        header = (
            f"  {'officer':18} {'page':32} {'rows':>13} {'SQL':>4} "
            f"{'p50 ms':>7} {'p95 ms':>7} {'SQL ms':>7} {'app CPU':>7} {'db CPU':>7}"
        )
        print(header)
        for f in figures:
            print(
                f"  {f.who:18} {f.page:32} {f.shown:>4}/{f.total:<8,} {f.queries:>4} "
                f"{f.p50_ms:7.1f} {f.p95_ms:7.1f} {f.sql_ms:7.1f} {f.cpu_ms:7.1f} {f.db_cpu_ms:7.1f}"
            )
        busiest = max(figures, key=lambda f: f.cpu_ms + f.db_cpu_ms)
        print(
            f"  most CPU per request: {busiest.cpu_ms + busiest.db_cpu_ms:.1f} ms "
            f"({busiest.who}, {busiest.page}): what one request costs on an idle machine"
        )
        worst = max(figures, key=lambda f: f.p95_ms)
        verdict = "within" if worst.p95_ms < TARGET_MS else "above"
        print(
            f"  slowest page p95 {worst.p95_ms:.1f} ms ({worst.who}, {worst.page}) is {verdict} "
            f"the {TARGET_MS:.0f} ms target"
        )
        print(
            f"  machine load average (1 min) before/after: {load_before:.1f} / "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        if args.explain:
            for f in sorted(figures, key=lambda f: -f.slowest_sql_ms)[:6]:
                print(f"\n  slowest statement of {f.who} / {f.page} ({f.slowest_sql_ms:.1f} ms):")
                for line in explain_summary(explain(f.slowest_sql, f.slowest_params)):
                    print("    " + line)
        return figures
    finally:
        connection.close()
        if not args.keep_db:
            drop_database(args.admin_url, args.db_name)


if __name__ == "__main__":
    main()
