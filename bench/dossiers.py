"""Benchmark of counter dossiers and public tracking against a real server (issue #3).

What it does, in order (see ``bench/LOAD.md`` for the figures and what they mean):

1. Drops and recreates a throwaway PostgreSQL database (``--db-name``, default
   ``motcua_bench_dossiers``, on the server of ``--admin-url``), migrates it.
2. Seeds a minimal province: province → commune → its one-stop desk; one procedure handled by the
   desk with one required document and a three-step process; one counter officer. Then
   ``--existing`` (10,000) received dossiers for the tracking test: the first ``--via-services``
   (300) through ``services.dossier_create`` exactly as the API does (today's codes), the rest as
   bulk copies of those, received on earlier days with distinct codes
   (``{desk}-{YYMMDD}-{NNNN}``, 40 a day going back, ``DossierCodeCounter`` moved past them), each
   with its reception step, its routing row and a correctly hashed ``receive`` event, so that
   ``verify_history`` still passes on the bench database.
3. Starts gunicorn (``motcua.wsgi``, settings ``motcua.settings.production``, sync workers,
   ``--workers``) on 127.0.0.1 with the bench database, Redis for the cache and throttling
   (``REDIS_URL``, when the ``redis`` package is installed; otherwise each worker has its own
   in-memory cache and a warning says so), a tracking throttle far above the load, and uploads
   under ``var/bench/dossiers/``. The counter officer logs in with ``POST /api/v1/auth/token/``.
4. Drives load with ``wrk`` (Debian package ``wrk``) on the same machine, each scenario after a
   short warm-up:

   * **counter** (``load_counter.lua``): each connection creates a dossier with
     ``"channel": "counter"`` (received at once, code issued) then uploads a 200 KB PDF to it;
     completed dossiers per second (both requests 201), p50/p95/p99 of each request kind,
     errors (non-2xx). One wrk thread per connection so that each response is paired with its
     request.
   * **tracking** (``load_lookup.lua``): ``GET /api/v1/tracking/{code}/`` over the 10,000 codes
     at random; requests per second, p50/p95/p99, errors. The requests carry an
     ``X-Forwarded-For`` drawn from ``--clients`` (5,000) simulated citizens, as a reverse proxy
     would add: the throttle then keeps one short history per citizen, as in production, instead
     of one enormous history for 127.0.0.1 (DRF keeps every timestamp of the window).
   * **ceiling** (``load_ceiling_app.py``): a bare Django view reading one dossier row by code,
     under the same gunicorn setup and database; requests per second, for comparison.
   * **floor** (``load_floor_app.py``, only when asked: ``--scenarios counter,floor``): the
     counter scenario against an application that writes the same rows with hand-written SQL,
     without middleware, DRF, model instances or services: what the counter's writes cost on this
     machine before any framework, for comparison.

5. Prints a table of figures (and writes them as JSON with ``--json``), stops gunicorn and drops the
   database unless ``--keep-db`` (``--reuse-db`` then runs again on it without seeding). Never
   fails on timing: it exits 0 when targets are missed.

Where the CPU went: around each measured run the bench reads the CPU time of gunicorn's workers,
of the bench database's PostgreSQL sessions, of Redis and of wrk, and of the whole machine
(``/proc``). It prints the CPU milliseconds per dossier or request of each, the share of the
machine other work took meanwhile (``others``: the machine may be shared), and the idle-machine
estimate ``cores × 1000 / CPU ms per unit``, which matched the measured rates within 5 % whenever
nothing else ran. ``--sample-waits`` also samples what the database sessions wait on.

Targets of issue #3 on the 2-core machine: at least 200 counter dossiers/s, at least 1,000
tracking lookups/s with p99 under 50 ms; the ceiling is about 1,400 requests/s.

``--profile`` first runs each request kind in-process (Django's test client, same settings) and
prints its SQL statements (listed with ``--show-sql``), its median time, and the top functions of
a CPU-time cProfile of a few hundred requests.

Run: ``.venv/bin/python bench/dossiers.py [--workers N[,N...]] [--duration S] [--connections C]``.
A list of worker counts (``--workers 2,3,4,6``) repeats the three scenarios for each; 3 workers is
the default because it did best on the 2-core machine. ``--app module:callable`` serves another
WSGI application (a variant to compare; ``PYTHONPATH`` is passed on). Only 127.0.0.1 is ever
contacted; every scenario is bounded by ``--duration``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
WORK = ROOT / "var" / "bench" / "dossiers"
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

TARGET_DOSSIERS_PER_S = 200.0
TARGET_TRACKING_PER_S = 1000.0
TARGET_TRACKING_P99_MS = 50.0
DEFAULT_WORKERS = "3"
CORES = os.cpu_count() or 1

AGENCY_CODE = "H56.101.1"
PROCEDURE_CODE = "1.001193"
OFFICER = "bench_counter"
COPIES_PER_DAY = 40

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hạnh", "Khoa", "Lan", "Nhung", "Phúc", "Tâm", "Yến")


# --- arguments and environment ----------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--workers",
        default=DEFAULT_WORKERS,
        help="gunicorn workers; a comma-separated list repeats the scenarios for each",
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per scenario")
    parser.add_argument(
        "--connections",
        type=int,
        default=0,
        help="concurrent connections of the load tool (0: 2 per worker, at least 8)",
    )
    parser.add_argument(
        "--scenarios",
        default="counter,tracking,ceiling",
        help="which of counter, tracking, ceiling, floor to run (comma-separated; 'none' for "
        "none; floor: the counter's writes in raw SQL, see load_floor_app.py)",
    )
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--existing", type=int, default=10_000, help="received dossiers seeded")
    parser.add_argument(
        "--via-services",
        type=int,
        default=300,
        help="how many of them are created through the services (the rest are bulk copies)",
    )
    parser.add_argument("--upload-kb", type=int, default=200, help="size of the uploaded PDF")
    parser.add_argument(
        "--clients", type=int, default=5000, help="simulated citizens (X-Forwarded-For) tracking"
    )
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database on the PostgreSQL server, to create and drop the bench database",
    )
    parser.add_argument("--db-name", default="motcua_bench_dossiers")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="use the database a previous --keep-db run left, without recreating or seeding it",
    )
    parser.add_argument(
        "--app",
        default="motcua.wsgi:application",
        help="the WSGI application gunicorn serves (e.g. a patched variant to compare; "
        "PYTHONPATH from the environment is passed on)",
    )
    parser.add_argument("--profile", action="store_true", help="profile requests in-process")
    parser.add_argument("--show-sql", action="store_true", help="with --profile: print the SQL")
    parser.add_argument(
        "--sample-waits",
        action="store_true",
        help="sample PostgreSQL wait events of the server's connections during each scenario",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    args.worker_counts = [int(w) for w in str(args.workers).split(",") if w.strip()]
    args.scenario_list = [
        s.strip() for s in args.scenarios.split(",") if s.strip() and s.strip() != "none"
    ]
    unknown = set(args.scenario_list) - {"counter", "tracking", "ceiling", "floor"}
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if args.via_services < 1 or args.via_services > args.existing:
        parser.error("--via-services must be between 1 and --existing")
    return args


def database_url(admin_url: str, name: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def redis_available() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    return True


def server_environment(args: argparse.Namespace, db_url: str) -> dict[str, str]:
    """What the server (and the in-process seeding and profile) run with."""
    env = {
        "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": db_url,
        "MOTCUA_THROTTLE_TRACKING": "1000000/minute",
        "MOTCUA_THROTTLE_LOGIN": "1000/minute",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT / "src"), str(BENCH), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
    }
    if redis_available():
        env["REDIS_URL"] = args.redis_url
    return env


# --- database ------------------------------------------------------------------------------------


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


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    for path in (str(ROOT / "src"), str(BENCH)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


# --- seeding -----------------------------------------------------------------------------------


@dataclass
class Seeded:
    password: str
    required_document: int
    codes: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def applicant_name(n: int) -> str:
    return (
        f"{FAMILY[n % len(FAMILY)]} {MIDDLE[(n // 7) % len(MIDDLE)]} {GIVEN[(n // 3) % len(GIVEN)]}"
    )


def applicant(n: int) -> dict[str, str]:
    return {
        "type": "citizen",
        "full_name": applicant_name(n),
        "id_number": f"0792{n:08d}",
        "phone": f"09{n % 100_000_000:08d}",
        "email": "",
        "address": f"Ấp {n % 9 + 1}, xã An Bình, tỉnh Vĩnh Long",
    }


def seed(args: argparse.Namespace) -> Seeded:
    """The province, the procedure, the officer and the existing dossiers (module docstring)."""
    from decimal import Decimal

    from django.db import connection, transaction

    from motcua.accounts.models import Membership, User
    from motcua.catalog.models import Agency, Procedure, RequiredDocument, Sector
    from motcua.catalog.services import agency_save
    from motcua.dossiers import services
    from motcua.dossiers.models import Dossier
    from motcua.workflow.models import Process, ProcessStep

    started = time.perf_counter()
    province = agency_save(
        agency=Agency(code="H56", name="Ủy ban nhân dân tỉnh Vĩnh Long", level_id="province")
    )
    commune = agency_save(
        agency=Agency(
            code="H56.101", name="Ủy ban nhân dân xã An Bình", level_id="commune", parent=province
        )
    )
    desk = agency_save(
        agency=Agency(
            code=AGENCY_CODE,
            name="Bộ phận Một cửa xã An Bình",
            level_id="commune",
            parent=commune,
            is_service_center=True,
        )
    )
    sector = Sector.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code=PROCEDURE_CODE,
        name="Đăng ký khai sinh",
        sector=sector,
        online="full",
        legacy_online_level=4,
        processing_time_value=1,
        processing_time_unit="working_days",
        applicant_types=["citizen"],
    )
    procedure.levels.set(["commune"])
    procedure.agencies.set([desk])
    required = RequiredDocument.objects.create(
        procedure=procedure, position=0, name="Tờ khai đăng ký khai sinh", originals=1, copies=0
    )
    process = Process.objects.create(procedure=procedure, version=1, name="Quy trình khai sinh")
    for position, (name, role, rule, hours) in enumerate(
        [
            ("Tiếp nhận hồ sơ", "counter_officer", "receiving", "1"),
            ("Thẩm định", "specialist", "receiving_government", "4"),
            ("Phê duyệt", "leader", "receiving_government", "2.5"),
        ],
        start=1,
    ):
        ProcessStep.objects.create(
            process=process,
            position=position,
            name=name,
            role=role,
            agency_rule=rule,
            budget_hours=Decimal(hours),
        )
    password = secrets.token_urlsafe(16)
    officer = User.objects.create_user(
        username=OFFICER, password=password, kind="staff", full_name="Nguyễn Thị Một Cửa"
    )
    Membership.objects.create(user=officer, agency=desk, role="counter_officer")
    seconds = {"structure": time.perf_counter() - started}

    started = time.perf_counter()
    templates: list[Dossier] = []
    for n in range(args.via_services):
        data = applicant(n)
        templates.append(
            services.dossier_create(
                actor=officer,
                procedure=procedure,
                agency=desk,
                channel="counter",
                applicant=services.ApplicantData(**data),
                form_data={"child_name": applicant_name(n + 1), "birth_place": "Vĩnh Long"},
            )
        )
    seconds["via services"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        copied = bulk_copies(templates, args.existing - args.via_services, officer=officer)
    seconds["bulk copies"] = time.perf_counter() - started

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds["analyze"] = time.perf_counter() - started
    codes = [d.code for d in templates if d.code] + copied
    return Seeded(password=password, required_document=required.pk, codes=codes, seconds=seconds)


def bulk_copies(templates: list[Any], count: int, *, officer: Any) -> list[str]:
    """``count`` copies of the received ``templates``, on earlier days, with distinct codes.

    Each copy gets its own id and code, its times moved back by whole days, its reception step,
    its routing row and a ``receive`` event hashed as ``event_append`` would (first of its chain).
    """
    import uuid

    from django.db.models import F
    from django.utils import timezone

    from motcua.dossiers.codes import format_code
    from motcua.dossiers.history import GENESIS_HASH, event_content, event_hash
    from motcua.dossiers.models import (
        Dossier,
        DossierAgency,
        DossierCodeCounter,
        DossierEvent,
        DossierStep,
    )

    today = timezone.localdate()
    steps = {s.dossier_id: s for s in DossierStep.objects.filter(dossier__in=templates)}
    dossiers: list[Dossier] = []
    new_steps: list[DossierStep] = []
    routes: list[DossierAgency] = []
    events: list[DossierEvent] = []
    last_by_day: dict[dt.date, int] = {}
    for i in range(count):
        template = templates[i % len(templates)]
        days_back = 1 + i // COPIES_PER_DAY
        sequence = i % COPIES_PER_DAY + 1
        day = today - dt.timedelta(days=days_back)
        last_by_day[day] = max(sequence, last_by_day.get(day, 0))
        shift = dt.timedelta(days=days_back)
        n = len(templates) + i
        data = applicant(n)
        dossier_id = uuid.uuid4()
        step = steps[template.pk]
        new_step = DossierStep(
            dossier_id=dossier_id,
            process_step_id=step.process_step_id,
            position=step.position,
            name=step.name,
            role=step.role,
            agency_id=step.agency_id,
            assignee_id=step.assignee_id,
            started_at=step.started_at - shift,
            due_at=step.due_at - shift if step.due_at else None,
        )
        new_steps.append(new_step)
        copy = Dossier(
            id=dossier_id,
            code=format_code(AGENCY_CODE, day, sequence),
            procedure_id=template.procedure_id,
            agency_id=template.agency_id,
            current_agency_id=template.current_agency_id,
            process_id=template.process_id,
            channel=template.channel,
            status=template.status,
            applicant=data,
            applicant_name=data["full_name"],
            applicant_name_folded=template.applicant_name_folded,
            applicant_id_number=data["id_number"],
            applicant_phone=data["phone"],
            form_data=template.form_data,
            result_delivery=template.result_delivery,
            sets_received=template.sets_received,
            created_by_id=template.created_by_id,
            assignee_id=template.assignee_id,
            received_at=template.received_at - shift,
            clock_started_at=template.clock_started_at - shift,
            due_at=template.due_at - shift,
            original_due_at=template.original_due_at - shift,
            fees_total=template.fees_total,
        )
        dossiers.append(copy)
        routes.append(DossierAgency(dossier_id=dossier_id, agency_id=template.agency_id))
        event = DossierEvent(
            dossier_id=dossier_id,
            seq=1,
            at=copy.received_at,
            actor=officer,
            actor_name=str(officer)[:200],
            action="receive",
            from_status="",
            to_status=copy.status,
            agency_code=AGENCY_CODE,
            step=step.name,
            data={"channel": template.channel},
            prev_hash=GENESIS_HASH,
        )
        event.hash = event_hash(event_content(event), GENESIS_HASH)
        events.append(event)
    # Foreign keys are deferred to the commit: steps may name dossiers inserted just after.
    DossierStep.objects.bulk_create(new_steps, batch_size=2000)
    for copy, new_step in zip(dossiers, new_steps, strict=True):
        copy.current_step_id = new_step.pk
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    DossierAgency.objects.bulk_create(routes, batch_size=5000)
    DossierEvent.objects.bulk_create(events, batch_size=2000)
    # created_at is auto_now_add: give the copies the time they were received.
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(
        created_at=F("received_at"), updated_at=F("received_at")
    )
    for day, last in last_by_day.items():
        DossierCodeCounter.objects.update_or_create(
            agency_code=AGENCY_CODE, day=day, defaults={"last": last}
        )
    return [d.code for d in dossiers if d.code]


def reuse(args: argparse.Namespace) -> Seeded:
    """What ``seed`` made, found in a database kept by an earlier run (a new password)."""
    from motcua.accounts.models import User
    from motcua.catalog.models import RequiredDocument
    from motcua.dossiers.models import Dossier

    officer = User.objects.get(username=OFFICER)
    password = secrets.token_urlsafe(16)
    officer.set_password(password)
    officer.save(update_fields=["password"])
    required = RequiredDocument.objects.get(procedure__code=PROCEDURE_CODE)
    codes = list(
        Dossier.objects.filter(status="received", agency__code=AGENCY_CODE, code__isnull=False)
        .order_by("received_at")
        .values_list("code", flat=True)[: args.existing]
    )
    return Seeded(password=password, required_document=required.pk, codes=[str(c) for c in codes])


# --- inputs of the load tool --------------------------------------------------------------------


@dataclass
class Inputs:
    codes: Path
    create_body: Path
    upload_body: Path
    boundary: str
    pdf_bytes: int


def make_pdf(target_bytes: int) -> bytes:
    """A real, valid PDF of at least ``target_bytes``: uncompressed text pages (reportlab)."""
    pages = 1
    while True:
        data = _pdf_pages(pages)
        if len(data) >= target_bytes:
            return data
        pages = max(pages + 1, -(-target_bytes * pages // len(data)))


def _pdf_pages(pages: int) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    line = "To khai dang ky khai sinh - ho so tiep nhan tai Bo phan Mot cua xa An Binh."
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 9)
        for row in range(70):
            pdf.drawString(36, 800 - row * 11, f"{page:03d}.{row:02d} {line}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def write_inputs(seeded: Seeded, upload_kb: int) -> Inputs:
    WORK.mkdir(parents=True, exist_ok=True)
    codes = WORK / "codes.txt"
    codes.write_text("\n".join(seeded.codes) + "\n", encoding="ascii")
    create_body = WORK / "create.json"
    create_body.write_text(
        json.dumps(
            {
                "procedure": PROCEDURE_CODE,
                "agency": AGENCY_CODE,
                "channel": "counter",
                "applicant": applicant(424242),
                "form_data": {"child_name": "Nguyễn Minh Khoa", "birth_place": "Vĩnh Long"},
                "result_delivery": "counter",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    pdf = make_pdf(upload_kb * 1024)
    boundary = "motcua-bench-" + secrets.token_hex(8)
    parts = [
        _form_field(boundary, "required_document", str(seeded.required_document)),
        _form_field(boundary, "kind", "application"),
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="tờ khai khai sinh.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    upload_body = WORK / "upload.multipart"
    upload_body.write_bytes(b"".join(parts))
    return Inputs(codes, create_body, upload_body, boundary, len(pdf))


def _form_field(boundary: str, name: str, value: str) -> bytes:
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


# --- the server ----------------------------------------------------------------------------------


@dataclass
class Server:
    app: str
    workers: int
    port: int
    env: dict[str, str]
    worker_class: str = "sync"
    threads: int = 1
    process: subprocess.Popen[bytes] | None = None
    log: Path = WORK / "gunicorn.log"

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, probe: str) -> None:
        if _port_open(self.port):
            raise SystemExit(f"port {self.port} is already in use: choose another with --port")
        command = [
            str(VENV_BIN / "gunicorn"),
            self.app,
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            self.worker_class,
            "--threads",
            str(self.threads),
            "--pythonpath",
            f"{ROOT / 'src'},{BENCH}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        environment = {**os.environ, **self.env}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            try:
                with urllib.request.urlopen(self.base + probe, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not answer {probe} within 60 s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


@contextlib.contextmanager
def serving(server: Server, probe: str) -> Iterator[Server]:
    server.start(probe)
    try:
        yield server
    finally:
        server.stop()


def login(base: str, password: str) -> str:
    body = json.dumps({"username": OFFICER, "password": password}).encode()
    request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
        base + "/api/v1/auth/token/",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return str(json.load(response)["token"])


# --- load --------------------------------------------------------------------------------------


def run_wrk(
    script: str, url: str, *, threads: int, connections: int, seconds: int, env: dict[str, str]
) -> dict[str, Any]:
    """Run wrk with one of our Lua scripts and return the JSON its done() wrote."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    with tempfile.NamedTemporaryFile(suffix=".json", dir=WORK, delete=False) as handle:
        result = Path(handle.name)
    try:
        completed = subprocess.run(
            [
                wrk,
                "--threads",
                str(threads),
                "--connections",
                str(connections),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--script",
                str(BENCH / script),
                url,
            ],
            env={**os.environ, **env, "LOAD_RESULT": str(result)},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
        if completed.returncode != 0 or not result.stat().st_size:
            raise SystemExit(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
        return dict(json.loads(result.read_text()))
    finally:
        result.unlink(missing_ok=True)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return float(ordered[rank])


@dataclass
class Row:
    """One line of the table: a rate, latencies, errors, and where the CPU went."""

    workers: int
    scenario: str
    rate: float
    unit: str
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    errors: int
    requests: int
    target: str = ""
    note: str = ""
    cpu: Cpu | None = None


@dataclass
class Cpu:
    """CPU milliseconds per unit (dossier or request) of each party, over a measured run."""

    app_ms: float
    db_ms: float
    redis_ms: float
    tool_ms: float
    others_pct: float  # of the whole machine, used by processes that are not part of the bench

    @property
    def total_ms(self) -> float:
        return self.app_ms + self.db_ms + self.redis_ms + self.tool_ms

    def idle_estimate(self) -> float:
        """Units per second the machine's cores could do if nothing else ran (an upper bound)."""
        return CORES * 1000 / self.total_ms if self.total_ms else 0.0


def _ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 if it is gone)."""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = data.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _pids_named(name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
    return found


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal
    return total - idle, total


class CpuMeter:
    """CPU used by gunicorn's workers, the PostgreSQL sessions of the bench database, Redis and
    the load tool during a run, and by everything else on the machine (other people's work)."""

    def __init__(self, server: Server, admin_url: str, db_name: str) -> None:
        self.server = server
        self.admin_url = admin_url
        self.db_name = db_name

    def _backends(self) -> list[int]:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.db_name]
            ).fetchall()
        return [int(row[0]) for row in rows]

    def _snapshot(self) -> dict[str, dict[int, int]]:
        assert self.server.process is not None
        return {
            "app": {pid: _ticks(pid) for pid in _children(self.server.process.pid)},
            "db": {pid: _ticks(pid) for pid in self._backends()},
            "redis": {pid: _ticks(pid) for pid in _pids_named("redis-server")},
        }

    def __enter__(self) -> CpuMeter:
        self.before = self._snapshot()
        self.machine_before = _machine_ticks()
        self.tool_before = _children_rusage()
        return self

    def __exit__(self, *exc: object) -> None:
        self.machine_after = _machine_ticks()
        self.tool_after = _children_rusage()
        self.after = self._snapshot()

    def result(self, units: int) -> Cpu:
        tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
        spent = {
            party: sum(
                max(0, ticks - self.before[party].get(pid, 0)) for pid, ticks in pids.items()
            )
            * tick_ms
            for party, pids in self.after.items()
        }
        tool = (self.tool_after - self.tool_before) * 1000
        busy = (self.machine_after[0] - self.machine_before[0]) * tick_ms
        total = (self.machine_after[1] - self.machine_before[1]) * tick_ms
        others = max(0.0, busy - sum(spent.values()) - tool)
        per = max(units, 1)
        return Cpu(
            app_ms=spent["app"] / per,
            db_ms=spent["db"] / per,
            redis_ms=spent["redis"] / per,
            tool_ms=tool / per,
            others_pct=100 * others / total if total else 0.0,
        )


def _children_rusage() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class WaitSampler:
    """Samples what the bench database's sessions are doing (wait events) every 20 ms."""

    def __init__(self, admin_url: str, db_name: str) -> None:
        self.admin_url = admin_url
        self.db_name = db_name
        self.counts: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            while not self._stop.wait(0.02):
                rows = conn.execute(
                    "SELECT state, coalesce(wait_event_type, ''), coalesce(wait_event, '') "
                    "FROM pg_stat_activity WHERE datname = %s",
                    [self.db_name],
                ).fetchall()
                self.samples += 1
                for state, kind, event in rows:
                    label = f"{state} {kind}:{event}" if kind else str(state)
                    self.counts[label] += 1

    def summary(self) -> str:
        if not self.samples:
            return ""
        top = ", ".join(f"{k} {v / self.samples:.2f}" for k, v in self.counts.most_common(6))
        return f"sessions by state, on average: {top}"


def measured_run(
    server: Server,
    args: argparse.Namespace,
    script: str,
    *,
    threads: int,
    connections: int,
    env: dict[str, str],
) -> tuple[dict[str, Any], CpuMeter, WaitSampler | None]:
    """A warm-up, then the measured wrk run with its CPU accounting (and wait sampling)."""
    url = server.base + "/"
    if args.warmup:
        run_wrk(script, url, threads=threads, connections=connections, seconds=args.warmup, env=env)
    sampler = WaitSampler(args.admin_url, args.db_name) if args.sample_waits else None
    meter = CpuMeter(server, args.admin_url, args.db_name)
    with sampler or contextlib.nullcontext(), meter:
        out = run_wrk(
            script, url, threads=threads, connections=connections, seconds=args.duration, env=env
        )
    return out, meter, sampler


def scenario_counter(
    server: Server,
    args: argparse.Namespace,
    inputs: Inputs,
    token: str,
    connections: int,
    *,
    label: str = "counter dossiers",
) -> list[Row]:
    env = {
        "LOAD_TOKEN": token,
        "LOAD_CREATE_BODY": str(inputs.create_body),
        "LOAD_UPLOAD_BODY": str(inputs.upload_body),
        "LOAD_BOUNDARY": inputs.boundary,
    }
    # One thread per connection: see load_counter.lua.
    out, meter, sampler = measured_run(
        server, args, "load_counter.lua", threads=connections, connections=connections, env=env
    )
    shutil.rmtree(WORK / "media", ignore_errors=True)  # this run's uploads: up to ~1 GB
    seconds = out["duration_us"] / 1e6
    create = [v / 1000 for v in out["create_us"]]
    upload = [v / 1000 for v in out["upload_us"]]
    failures = out["failures"]
    socket_errors = sum(out["socket_errors"].values())
    create_errors = sum(v for k, v in failures.items() if k.startswith("create"))
    upload_errors = sum(v for k, v in failures.items() if k.startswith("upload"))
    dossiers = out["uploads_ok"] / seconds
    note = ", ".join(f"HTTP {k}: {v}" for k, v in sorted(failures.items()))
    if socket_errors:
        note = f"{note}; socket errors {out['socket_errors']}".lstrip("; ")
    if sampler is not None:
        note = f"{note} [{sampler.summary()}]".strip()
    met = "met" if dossiers >= TARGET_DOSSIERS_PER_S else "MISSED"
    return [
        Row(
            server.workers,
            label,
            dossiers,
            "dossiers/s",
            None,
            None,
            None,
            create_errors + upload_errors + socket_errors,
            out["requests"],
            f">= {TARGET_DOSSIERS_PER_S:.0f}/s: {met}",
            note,
            meter.result(out["uploads_ok"]),
        ),
        _latency_row(server.workers, "  create (POST)", create, create_errors, seconds),
        _latency_row(server.workers, "  upload 200 KB", upload, upload_errors, seconds),
    ]


def _latency_row(workers: int, name: str, millis: list[float], errors: int, seconds: float) -> Row:
    return Row(
        workers,
        name,
        len(millis) / seconds,
        "req/s",
        percentile(millis, 0.50),
        percentile(millis, 0.95),
        percentile(millis, 0.99),
        errors,
        len(millis),
    )


def scenario_lookup(
    server: Server,
    args: argparse.Namespace,
    inputs: Inputs,
    connections: int,
    *,
    ceiling: bool,
) -> Row:
    env = {
        "LOAD_CODES": str(inputs.codes),
        "LOAD_PATH_PREFIX": "/ceiling/" if ceiling else "/api/v1/tracking/",
        "LOAD_CLIENTS": "0" if ceiling else str(args.clients),
        "LOAD_SEED": str(server.workers),
    }
    out, meter, sampler = measured_run(
        server,
        args,
        "load_lookup.lua",
        threads=min(2, connections),
        connections=connections,
        env=env,
    )
    seconds = out["duration_us"] / 1e6
    rate = out["requests"] / seconds
    socket_errors = sum(out["socket_errors"].values())
    non_2xx = sum(v for k, v in out["statuses"].items() if not k.startswith("2"))
    p99 = out["p99_us"] / 1000
    note = ", ".join(
        f"HTTP {k}: {v}" for k, v in sorted(out["statuses"].items()) if not k.startswith("2")
    )
    if socket_errors:
        note = f"{note}; socket errors {out['socket_errors']}".lstrip("; ")
    if sampler is not None:
        note = f"{note} [{sampler.summary()}]".strip()
    if ceiling:
        target = "about 1,400/s here (issue #3)"
    else:
        met = rate >= TARGET_TRACKING_PER_S and p99 < TARGET_TRACKING_P99_MS
        target = f">= {TARGET_TRACKING_PER_S:,.0f}/s, p99 < {TARGET_TRACKING_P99_MS:.0f} ms: "
        target += "met" if met else "MISSED"
    return Row(
        server.workers,
        "ceiling (bare view)" if ceiling else "tracking lookups",
        rate,
        "req/s",
        out["p50_us"] / 1000,
        out["p95_us"] / 1000,
        p99,
        non_2xx + socket_errors,
        out["requests"],
        target,
        note,
        meter.result(out["requests"]),
    )


# --- in-process profile --------------------------------------------------------------------------


def profile_requests(seeded: Seeded, inputs: Inputs, show_sql: bool, rounds: int = 200) -> None:
    """SQL statements and in-process time of one request of each kind, and a cProfile of
    ``rounds`` of them (Django's test client, the server's settings, the bench database)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    from motcua.accounts.services import api_token_issue

    token, _ = api_token_issue(username=OFFICER, password=seeded.password)
    client = Client(SERVER_NAME=HOST, HTTP_AUTHORIZATION=f"Bearer {token}")
    public = Client(SERVER_NAME=HOST)
    create_body = inputs.create_body.read_bytes()
    upload_body = inputs.upload_body.read_bytes()
    upload_type = f"multipart/form-data; boundary={inputs.boundary}"
    codes = iter(seeded.codes * 100)
    state: dict[str, str] = {}

    def create() -> Any:
        response = client.post("/api/v1/dossiers/", create_body, content_type="application/json")
        state["code"] = response.json()["code"]
        return response

    def upload() -> Any:
        return client.post(
            f"/api/v1/dossiers/{state['code']}/documents/", upload_body, content_type=upload_type
        )

    def track() -> Any:
        return public.get(f"/api/v1/tracking/{next(codes)}/", HTTP_X_FORWARDED_FOR="10.9.9.9")

    kinds = {"create": create, "upload": upload, "tracking": track}
    for _ in range(3):  # warm: URLconf, calendars, serializers, connections
        for call in kinds.values():
            call()

    statements: list[tuple[float, str]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql))

    print("\nIn-process profile (Django test client, the server's settings, the bench database):")
    for name, call in kinds.items():
        if name == "upload":
            create()
        statements.clear()
        with connection.execute_wrapper(record):
            response = call()
        assert response.status_code in (200, 201), (name, response.status_code)
        timings = []
        for _ in range(100):
            if name == "upload":
                create()
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        sql_ms = sum(t for t, _ in statements)
        print(
            f"  {name:<9} {len(statements):>3} SQL statements ({sql_ms:.1f} ms waiting on them), "
            f"median {percentile(timings, 0.5):.2f} ms per request in-process"
        )
        if show_sql:
            for elapsed, sql in statements:
                print(f"      {elapsed:6.2f} ms  {sql[:160]}")
    for name, call in kinds.items():
        profiler = cProfile.Profile(time.process_time)  # CPU time: waits are not the cost
        for _ in range(rounds):
            if name == "upload":
                create()
            profiler.enable()
            call()
            profiler.disable()
        print(f"\n  cProfile (CPU time) of {rounds} '{name}' requests, motcua's functions:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"src/motcua", 14)
        print("  ... and every function by own time:")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(10)
    shutil.rmtree(WORK / "media", ignore_errors=True)


# --- report --------------------------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'workers':>7}  {'scenario':<20} {'rate':>9} {'unit':<10} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'requests':>8}  target"
    )
    print("\n" + header)
    print("-" * len(header))

    def ms(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    for row in rows:
        print(
            f"{row.workers:>7}  {row.scenario:<20} {row.rate:>9,.1f} {row.unit:<10} "
            f"{ms(row.p50_ms):>7} {ms(row.p95_ms):>7} {ms(row.p99_ms):>7} "
            f"{row.errors:>6} {row.requests:>8}  {row.target}"
        )
        if row.note:
            print(f"{'':>9}{row.note}")

    measured = [row for row in rows if row.cpu is not None]
    if not measured:
        return
    header = (
        f"{'workers':>7}  {'scenario':<20} {'CPU ms per':<10} {'app':>6} {'db':>6} "
        f"{'redis':>6} {'wrk':>6} {'total':>6}  {'others':>6}  {'idle-machine estimate':>22}"
    )
    print(f"\nWhere the CPU went ({CORES} cores; 'others': the machine's CPU used by other work)")
    print(header)
    print("-" * len(header))
    for row in measured:
        cpu = row.cpu
        assert cpu is not None
        unit = row.unit.split("/")[0].rstrip("s") or "unit"
        print(
            f"{row.workers:>7}  {row.scenario:<20} {unit:<10} {cpu.app_ms:>6.2f} {cpu.db_ms:>6.2f} "
            f"{cpu.redis_ms:>6.2f} {cpu.tool_ms:>6.2f} {cpu.total_ms:>6.2f}  "
            f"{cpu.others_pct:>5.0f}%  {cpu.idle_estimate():>16,.0f} {row.unit}"
        )


def print_best(rows: list[Row]) -> None:
    if len({row.workers for row in rows}) < 2:
        return
    print()
    for scenario in (
        "counter dossiers",
        "floor (raw SQL)",
        "tracking lookups",
        "ceiling (bare view)",
    ):
        candidates = [row for row in rows if row.scenario == scenario]
        if candidates:
            best = max(candidates, key=lambda row: row.rate)
            steady = min(
                (row for row in candidates if row.cpu is not None),
                key=lambda row: row.cpu.total_ms if row.cpu else 0.0,
            )
            print(
                f"{scenario}: highest rate with {best.workers} workers "
                f"({best.rate:,.1f} {best.unit}); least CPU per unit with {steady.workers}"
            )


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    db_url = database_url(args.admin_url, args.db_name)
    env = server_environment(args, db_url)
    (WORK / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without it
    shutil.rmtree(WORK / "media", ignore_errors=True)
    if "REDIS_URL" not in env:
        print(
            "warning: the redis package is not installed: no REDIS_URL, each worker throttles "
            "and caches in its own memory"
        )
    rows: list[Row] = []
    started = time.perf_counter()
    if args.reuse_db:
        print(f"database {args.db_name}: reusing it as a previous run left it", flush=True)
    else:
        print(f"database {args.db_name}: recreating, migrating, seeding ...", flush=True)
        recreate_database(args.admin_url, args.db_name)
    try:
        setup_django(env)
        if args.reuse_db:
            seeded = reuse(args)
        else:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
            migrate_s = time.perf_counter() - started
            seeded = seed(args)
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in seeded.seconds.items())
            print(f"  migrated in {migrate_s:.1f} s; seeded {len(seeded.codes):,} ({steps})")
        inputs = write_inputs(seeded, args.upload_kb)
        print(
            f"  {len(seeded.codes):,} received dossiers to track; "
            f"upload: a {inputs.pdf_bytes / 1024:.0f} KB PDF"
        )
        from django.db import connections

        connections.close_all()
        if args.profile:
            profile_requests(seeded, inputs, args.show_sql)
            connections.close_all()

        token = ""
        for workers in args.worker_counts:

            def server_for(app: str, workers: int = workers) -> Server:
                return Server(app, workers, args.port, env, args.worker_class, args.threads)

            connections_n = args.connections or max(8, 2 * workers)
            print(
                f"\n{workers} workers ({args.worker_class}, {args.threads} thread(s)), "
                f"{connections_n} connections, {args.duration} s per scenario; load average "
                f"before: {os.getloadavg()[0]:.1f} ...",
                flush=True,
            )
            app_scenarios = [s for s in args.scenario_list if s in ("counter", "tracking")]
            if app_scenarios:
                server = server_for(args.app)
                with serving(server, f"/api/v1/tracking/{seeded.codes[0]}/"):
                    token = token or login(server.base, seeded.password)
                    if "counter" in app_scenarios:
                        rows.extend(scenario_counter(server, args, inputs, token, connections_n))
                        print(f"  counter: {rows[-3].rate:,.1f} dossiers/s", flush=True)
                    if "tracking" in app_scenarios:
                        rows.append(
                            scenario_lookup(server, args, inputs, connections_n, ceiling=False)
                        )
                        print(f"  tracking: {rows[-1].rate:,.1f} req/s", flush=True)
            if "floor" in args.scenario_list:
                server = server_for("load_floor_app:application")
                with serving(server, f"/api/v1/tracking/{seeded.codes[0]}/"):
                    token = token or login(server.base, seeded.password)
                    rows.extend(
                        scenario_counter(
                            server, args, inputs, token, connections_n, label="floor (raw SQL)"
                        )
                    )
                    print(f"  floor: {rows[-3].rate:,.1f} dossiers/s", flush=True)
            if "ceiling" in args.scenario_list:
                server = server_for("load_ceiling_app:application")
                with serving(server, f"/ceiling/{seeded.codes[0]}/"):
                    rows.append(scenario_lookup(server, args, inputs, connections_n, ceiling=True))
                    print(f"  ceiling: {rows[-1].rate:,.1f} req/s", flush=True)
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections as django_connections

            django_connections.close_all()
        if args.keep_db or args.reuse_db:
            print(f"kept database {args.db_name} ({db_url})")
        else:
            drop_database(args.admin_url, args.db_name)
        shutil.rmtree(WORK / "media", ignore_errors=True)

    print_table(rows)
    print_best(rows)
    print(
        "\nClosed-loop load (wrk) on the same machine as gunicorn, PostgreSQL and Redis; "
        "latencies are per request, as the client sees them. When 'others' is high, the "
        "machine was busy with other work and the rates are low by as much: the CPU per unit "
        "and the idle-machine estimate are the steadier figures."
    )
    figures = {
        "settings": {
            "workers": args.worker_counts,
            "worker_class": args.worker_class,
            "threads": args.threads,
            "duration_s": args.duration,
            "connections": args.connections or "2 per worker, at least 8",
            "existing_dossiers": args.existing,
            "upload_kb": args.upload_kb,
            "redis": "REDIS_URL" in env,
        },
        "rows": [asdict(row) for row in rows],
    }
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return figures


if __name__ == "__main__":
    main()
