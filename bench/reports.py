"""Benchmark of the statistics (issue #7): the province summary grouped by agency for a year and
the supervisors' dashboard, on N dossiers made directly in PostgreSQL.

What it does (figures and what they mean: ``bench/README.md``):

1. Drops and recreates a throwaway database (``--db-name``, default ``motcua_bench_reports``, on
   the server of ``--admin-url``), migrates it, and seeds the province of ``queues.py`` (the
   provincial service center, 12 departments, 100 communes with their one-stop desks, 40
   procedures).
2. Makes ``--dossiers`` dossiers (default 200,000; ``--dossiers 10000000`` for the issue's
   figure) with ``INSERT … SELECT … FROM generate_series`` in chunks of a million, no ORM and no
   Python per row: received over the past two years at the desks and the provincial center;
   75 % returned, 5 % resolved, 3 % refused, 2 % stopped, 10 % processing, 3 % waiting for a
   supplement, 2 % just received (the open ones over the past 30 days); 40 % online; timeliness
   70 % early, 15 % on time, 15 % late; a third of the returned ones rated. Then the ratings,
   ``VACUUM ANALYZE``.
3. Measures ``--rounds`` times after a warm-up, through Django's test client (routing,
   middleware, session, view, JSON or template):
   * ``GET /api/v1/stats/summary/?group_by=agency`` for the past 365 days, as the province's
     supervisor (target < 500 ms);
   * the same without grouping (the total alone);
   * ``GET /can-bo/bao-cao/`` for the past 365 days (target < 1 s).
   Prints p50 / p95 / max milliseconds and the SQL statements per request, with the roll-up
   and, with ``--direct``, without it (the direct aggregation); ``--explain`` prints
   ``EXPLAIN (ANALYZE, BUFFERS)`` of the direct grouped summary statement.

Never fails on timing. Run: ``.venv/bin/python bench/reports.py [--dossiers N] [--rounds N]
[--keep-db] [--reuse-db] [--explain]``. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import queues  # noqa: E402  (the province and the database helpers are the same)

SUMMARY_TARGET_MS = 500.0
DASHBOARD_TARGET_MS = 1000.0
CHUNK = 1_000_000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5, help="requests per page measured")
    parser.add_argument("--warmup", type=int, default=1, help="requests per page before measuring")
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database on the PostgreSQL server, to create and drop the bench database",
    )
    parser.add_argument("--db-name", default="motcua_bench_reports")
    parser.add_argument("--keep-db", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--reuse-db", action="store_true", help="measure on the database a --keep-db run left"
    )
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the summary")
    parser.add_argument("--direct", action="store_true", help="also measure without the roll-up")
    return parser.parse_args(argv)


# The dossiers, made by PostgreSQL itself. %(first)s and %(last)s bound the generate_series;
# the arrays name the receiving agencies (desks and the center, the busy desk twice over) and
# the procedures. Each row draws its own random numbers once (the lateral ``r``).
INSERT_DOSSIERS = """
INSERT INTO dossiers_dossier (
    id, code, procedure_id, agency_id, current_agency_id, channel, status, resume_status, version,
    applicant, applicant_name, applicant_name_folded, applicant_id_number, applicant_phone,
    form_data, result_delivery, sets_received, created_by_id, consent_recorded,
    created_at, updated_at, submitted_at, received_at, clock_started_at, clock_paused_at,
    due_at, original_due_at, resolved_at, returned_at, stopped_at, timeliness, decision,
    fees_total, fees_paid
)
SELECT
    gen_random_uuid(),
    a.code || '-' || to_char(s.at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || '-'
        || lpad(s.n::text, 8, '0'),
    s.procedure_id, a.id, a.id, s.channel, s.status,
    CASE WHEN s.status IN ('supplement_requested') THEN 'processing' ELSE '' END, 1,
    '{}'::jsonb, '', '', '', '', '{}'::jsonb, 'counter', 1, %(creator)s, true,
    s.at, s.at, s.at,
    CASE WHEN s.status = 'refused' THEN NULL ELSE s.at END,
    CASE WHEN s.status = 'refused' THEN NULL ELSE s.at END,
    CASE WHEN s.status = 'supplement_requested' THEN s.at + interval '1 day' END,
    CASE WHEN s.status = 'refused' THEN NULL ELSE s.due END,
    CASE WHEN s.status = 'refused' THEN NULL ELSE s.due END,
    CASE WHEN s.status IN ('resolved', 'returned') THEN s.finish END,
    CASE WHEN s.status = 'returned' THEN s.finish + interval '1 day' END,
    CASE WHEN s.status = 'stopped' THEN s.at + interval '2 days' END,
    CASE WHEN s.status NOT IN ('resolved', 'returned') THEN ''
         WHEN s.finish > s.due THEN 'late'
         WHEN s.r3 < 0.82 THEN 'early' ELSE 'on_time' END,
    CASE WHEN s.status IN ('resolved', 'returned') THEN 'approved' ELSE '' END,
    0, 0
FROM (
    SELECT
        g.n,
        (%(agencies)s::bigint[])[1 + floor(r.r1 * %(agency_count)s)::int] AS agency_id,
        (%(procedures)s::bigint[])[1 + floor(r.r2 * %(procedure_count)s)::int] AS procedure_id,
        CASE WHEN r.r4 < 0.40 THEN 'online' WHEN r.r4 < 0.95 THEN 'counter' ELSE 'post' END
            AS channel,
        st.status,
        st.at,
        st.at + make_interval(days => 3 + floor(r.r5 * 12)::int) AS due,
        -- 85 %% finish within their time, 15 %% after it.
        st.at + make_interval(days => CASE WHEN r.r3 < 0.85 THEN 1 + floor(r.r5 * 3)::int
                                           ELSE 16 + floor(r.r5 * 10)::int END) AS finish,
        r.r3
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(n)
    CROSS JOIN LATERAL (
        SELECT random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
               random() AS r6, random() AS r7, g.n AS keep
    ) r
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN r.r6 < 0.85 THEN 'returned' WHEN r.r6 < 0.90 THEN 'resolved'
                 WHEN r.r6 < 0.94 THEN 'refused' WHEN r.r6 < 0.97 THEN 'stopped'
                 WHEN r.r6 < 0.99 THEN 'processing' WHEN r.r6 < 0.995 THEN 'supplement_requested'
                 ELSE 'received' END AS status,
            CASE WHEN r.r6 >= 0.97
                 THEN now() - make_interval(secs => r.r7 * 30 * 86400)
                 ELSE now() - interval '30 days' - make_interval(secs => r.r7 * 700 * 86400)
            END AS at
    ) st
) s
JOIN catalog_agency a ON a.id = s.agency_id
"""

INSERT_RATINGS = """
INSERT INTO dossiers_rating (dossier_id, score, comment, created_at)
SELECT id, 1 + floor(random() * 5)::int, '', returned_at
FROM dossiers_dossier
WHERE status = 'returned' AND random() < 0.33
"""


def seed(args: argparse.Namespace) -> tuple[Any, float]:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    province = queues.seed_structure(argparse.Namespace(departments=12, communes=100))
    from motcua.catalog.models import Agency

    # The receiving desks and the provincial center; the busy desk counts twice.
    receiving = [province.center.pk, *[d.pk for d in province.desks], province.desks[0].pk]
    procedures = [p.pk for p in province.procedures]
    creator = province.users["counter"].pk
    done = 0
    while done < args.dossiers:
        last = min(done + CHUNK, args.dossiers)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                INSERT_DOSSIERS,
                {
                    "first": done + 1,
                    "last": last,
                    "agencies": receiving,
                    "agency_count": len(receiving),
                    "procedures": procedures,
                    "procedure_count": len(procedures),
                    "creator": creator,
                },
            )
        done = last
        print(f"  {done:,} dossiers ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_RATINGS)
        cursor.execute("VACUUM ANALYZE")
    assert Agency.objects.filter(code="H56").exists()
    return province, time.perf_counter() - started


def _supervisor_client() -> Any:
    from django.test import Client

    from motcua.accounts.models import Membership, User
    from motcua.backoffice.access import AUTH
    from motcua.catalog.models import Agency

    user, _ = User.objects.get_or_create(
        username="bench_supervisor", defaults={"kind": "staff", "full_name": "Bench Supervisor"}
    )
    Membership.objects.get_or_create(
        user=user, agency=Agency.objects.get(code="H56"), role="supervisor"
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTH] = {"user": user.pk, "two_factor": True}
    session.save()
    return client


def measure(client: Any, url: str, rounds: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        queries = len(captured.captured_queries)
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
        "queries": queries,
    }


def explain(first: dt.date, last: dt.date) -> None:
    from django.db import connection

    from motcua.catalog.models import Agency
    from motcua.reports.selectors import (
        GROUP_COLUMNS,
        Period,
        Scope,
        _base,
        count_expressions,
    )

    period = Period(first, last)
    from django.utils import timezone

    now = timezone.now()
    qs = _base(Scope(everything=True), Agency.objects.get(code="H56"), True, period, now)
    key, name = GROUP_COLUMNS["agency"]
    grouped = qs.values(key, name).annotate(**count_expressions(period, now=now))
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    url = queues.database_url(args.admin_url, args.db_name)
    if not args.reuse_db:
        queues.recreate_database(args.admin_url, args.db_name)
    queues.setup_django(url)
    from django.db import connection
    from django.utils import timezone

    try:
        if not args.reuse_db:
            print(f"reports: seeding {args.dossiers:,} dossiers in {args.db_name}", flush=True)
            _, seconds = seed(args)
            print(f"  seeded in {seconds:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), pg_size_pretty(pg_total_relation_size('dossiers_dossier')) FROM dossiers_dossier"
            )
            count, size = cursor.fetchone()
        from motcua.reports.models import RollupState
        from motcua.reports.rollup import rollup_refresh

        started = time.perf_counter()
        rollup_refresh(full=True)
        print(f"  roll-up rebuilt in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        rollup_refresh()
        print(
            f"  roll-up refreshed (the every-minute job) in {time.perf_counter() - started:.2f} s"
        )
        last = timezone.localdate()
        first = last - dt.timedelta(days=364)
        period = f"from={first:%Y-%m-%d}&to={last:%Y-%m-%d}"
        client = _supervisor_client()
        pages = [
            (
                "summary by agency, a year",
                f"/api/v1/stats/summary/?{period}&group_by=agency",
                SUMMARY_TARGET_MS,
            ),
            ("summary total, a year", f"/api/v1/stats/summary/?{period}", SUMMARY_TARGET_MS),
            ("dashboard, a year", f"/can-bo/bao-cao/?{period}", DASHBOARD_TARGET_MS),
        ]
        print(f"reports: {count:,} dossiers ({size} with indexes); {args.rounds} rounds each")
        modes = [("roll-up", True)] + ([("direct", False)] if args.direct else [])
        for mode, rollup in modes:
            if not rollup:
                RollupState.objects.filter(id=1).update(refreshed_at=None)
            print(f"  {mode:<28} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'SQL':>4}  target")
            for label, page, target in pages:
                if rollup:
                    rollup_refresh()  # as the every-minute job keeps it
                m = measure(client, page, args.rounds, args.warmup)
                verdict = "met" if m["p50"] < target else "NOT met"
                print(
                    f"  {label:<28} {m['p50']:9.0f} {m['p95']:9.0f} {m['max']:9.0f} "
                    f"{m['queries']:4d}  < {target:.0f} ms: {verdict}"
                )
        if args.explain:
            explain(first, last)
    finally:
        connection.close()
        if not args.keep_db:
            queues.drop_database(args.admin_url, args.db_name)


if __name__ == "__main__":
    main()
