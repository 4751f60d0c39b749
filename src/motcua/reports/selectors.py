"""Reads of the statistics: counts by SQL aggregation (one query per grouping, never a loop over
dossiers), limited to the agencies the viewer may report on.

Who may report on what (``report_scope``): a supervisor or administrator on the subtrees of the
agencies they oversee; a leader on the subtree of the agency they lead; a superuser on everything.
Dossiers count for their receiving agency (``Dossier.agency``, the agency whose code the dossier
carries and which handles the procedure); see docs/adr/0010-statistics-and-service-index.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.catalog.constants import OnlineLevel
from motcua.catalog.models import Agency, Procedure
from motcua.dossiers.constants import Channel, Status, Timeliness
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.rules import WAITING_FOR_APPLICANT
from motcua.dossiers.selectors import staff_scope
from motcua.worktime.calendar import VN_TZ

from .indicators import COMPLAINT_MAX_SCORE, Counts, ServiceFacts, percent

GROUPINGS = ("agency", "sector", "procedure", "month")
REPORTING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR, Role.LEADER})
PAUSED = frozenset(WAITING_FOR_APPLICANT | {Status.WITHDRAWAL_REQUESTED})


# --- Periods and scope --------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local dates ``first``..``last`` (both included)."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("a period ends after it starts")

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time.min, tzinfo=VN_TZ)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)

    def months(self) -> list[Period]:
        """The calendar months the period touches, each cut to the period."""
        out = []
        first = self.first
        while first <= self.last:
            following = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            out.append(Period(first, min(self.last, following - dt.timedelta(days=1))))
            first = following
        return out

    @classmethod
    def year_to_date(cls, today: dt.date) -> Period:
        return cls(today.replace(month=1, day=1), today)


@dataclass(frozen=True)
class Scope:
    """The agencies a viewer may report on: subtree roots (materialised paths); ``everything``
    for a superuser."""

    paths: tuple[str, ...] = ()
    everything: bool = False

    def allows(self, agency: Agency) -> bool:
        return self.everything or any(agency.path.startswith(p) for p in self.paths)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.paths


def report_scope(*, viewer: Any) -> Scope:
    if not isinstance(viewer, User) or not viewer.is_authenticated or not viewer.is_active:
        return Scope()
    if viewer.is_superuser:
        return Scope(everything=True)
    scope = staff_scope(viewer)
    ids = [a for a, roles in scope.roles.items() if roles & REPORTING_ROLES]
    paths = sorted(Agency.objects.filter(pk__in=ids).values_list("path", flat=True))
    # Keep only the outermost roots: a subtree inside another adds nothing.
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(r) for r in roots):
            roots.append(path)
    return Scope(paths=tuple(roots))


def scope_roots(*, scope: Scope) -> QuerySet[Agency]:
    """The agencies at the top of a scope (for a superuser, the roots of the tree)."""
    if scope.everything:
        return Agency.objects.filter(parent__isnull=True)
    return Agency.objects.filter(path__in=scope.paths)


def _agency_filter(
    scope: Scope, agency: Agency | None, include_descendants: bool, prefix: str = ""
) -> Q:
    if agency is not None:
        if include_descendants:
            return Q(**{f"{prefix}agency__path__startswith": agency.path})
        return Q(**{f"{prefix}agency_id": agency.pk})
    if scope.everything:
        return Q()
    q = Q(pk__in=[])
    for path in scope.paths:
        q |= Q(**{f"{prefix}agency__path__startswith": path})
    return q


# --- Counting -----------------------------------------------------------------------------------


def count_expressions(period: Period, *, now: dt.datetime) -> dict[str, Any]:
    """The aggregate of each figure of ``Counts`` for dossiers over ``period`` (API.md)."""
    start, end = period.start, period.end
    as_of = min(end, now)
    in_period = {"gte": start, "lt": end}

    def between(field: str) -> Q:
        return Q(**{f"{field}__gte": in_period["gte"], f"{field}__lt": in_period["lt"]})

    def unfinished_at(t: dt.datetime) -> Q:
        return (
            Q(received_at__lt=t)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=t))
            & (Q(stopped_at__isnull=True) | Q(stopped_at__gte=t))
        )

    paused_since = Q(status__in=PAUSED, clock_paused_at__isnull=False, clock_paused_at__lt=as_of)
    overdue_at_end = (paused_since & Q(clock_paused_at__gt=F("due_at"))) | (
        ~paused_since & Q(due_at__lt=as_of)
    )
    pending = unfinished_at(as_of)
    returned = between("returned_at")
    rated = returned & Q(rating__isnull=False)

    def count(q: Q) -> Any:
        return Count("pk", filter=q)

    return {
        "received": count(between("received_at")),
        "carried_over": count(unfinished_at(start)),
        "online_received": count(between("received_at") & Q(channel=Channel.ONLINE)),
        "resolved_early": count(between("resolved_at") & Q(timeliness=Timeliness.EARLY)),
        "resolved_on_time": count(between("resolved_at") & Q(timeliness=Timeliness.ON_TIME)),
        "resolved_late": count(between("resolved_at") & Q(timeliness=Timeliness.LATE)),
        "pending_not_due": count(pending & ~overdue_at_end),
        "pending_overdue": count(pending & overdue_at_end),
        "returned": count(returned),
        "refused": count(Q(status=Status.REFUSED) & between("submitted_at")),
        "stopped": count(between("stopped_at")),
        "rating_sum": Coalesce(Sum("rating__score", filter=rated), Value(0)),
        "rating_count": Count("rating__score", filter=rated),
    }


def touching(period: Period, *, now: dt.datetime) -> Q:
    """Dossiers that can count in ``period``: a cheap outer filter (the aggregates decide)."""
    start, end = period.start, period.end
    as_of = min(end, now)
    return (
        (
            Q(received_at__lt=as_of)
            & (
                Q(received_at__gte=start)
                | Q(resolved_at__isnull=True)
                | Q(resolved_at__gte=start)
                | Q(returned_at__gte=start)
            )
        )
        | Q(
            status__in=[Status.REFUSED, Status.STOPPED],
            submitted_at__gte=start,
            submitted_at__lt=end,
        )
        | Q(stopped_at__gte=start, stopped_at__lt=end)
    )


GROUP_COLUMNS: dict[str, tuple[str, str]] = {
    "agency": ("agency__code", "agency__name"),
    "sector": ("procedure__sector__code", "procedure__sector__name"),
    "procedure": ("procedure__code", "procedure__name"),
}


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    counts: Counts

    def payload(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, **self.counts.summary()}


@dataclass(frozen=True)
class Summary:
    period: Period
    agency: Agency | None
    include_descendants: bool
    group_by: str | None
    rows: list[Row]
    total: Counts


def _base(
    scope: Scope, agency: Agency | None, include_descendants: bool, period: Period, now: dt.datetime
) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(_agency_filter(scope, agency, include_descendants))
        .filter(touching(period, now=now))
        .order_by()
    )


def count_dossiers(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None = None,
    include_descendants: bool = True,
    group_by: str | None = None,
    now: dt.datetime | None = None,
    extra: Q | None = None,
    use_rollup: bool = True,
    fresh: bool | None = None,
) -> list[Row]:
    """``Counts`` per group (one query; for ``month`` one per month) or a single total row.

    The total and the grouping by agency come from the daily roll-up when it may be used
    (``reports.rollup``); the answer is the same."""
    now = now or timezone.now()
    if (
        use_rollup
        and extra is None
        and group_by in (None, "agency")
        and (rollup_usable(period, now) if fresh is None else fresh)
    ):
        return rollup_counts(
            scope=scope,
            period=period,
            agency=agency,
            include_descendants=include_descendants,
            group_by=group_by,
            now=now,
        )
    if group_by == "month":
        rows = []
        for month in period.months():
            (row,) = count_dossiers(
                scope=scope,
                period=month,
                agency=agency,
                include_descendants=include_descendants,
                now=now,
                extra=extra,
            )
            rows.append(Row(f"{month.first:%Y-%m}", f"{month.first:%m/%Y}", row.counts))
        return rows
    qs = _base(scope, agency, include_descendants, period, now)
    if extra is not None:
        qs = qs.filter(extra)
    expressions = count_expressions(period, now=now)
    if group_by is None:
        values = qs.aggregate(**expressions)
        return [Row("", "", Counts.from_row(values))]
    key, name = GROUP_COLUMNS[group_by]
    out = [
        Row(str(r[key]), str(r[name]), Counts.from_row(r))
        for r in qs.values(key, name).annotate(**expressions).order_by(key)
    ]
    return out


def stats_summary(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None = None,
    include_descendants: bool = True,
    group_by: str | None = None,
    now: dt.datetime | None = None,
    use_rollup: bool = True,
) -> Summary:
    """API.md's summary: the groups and the total of the whole selection (computed, not added,
    so that stock figures of months stay right)."""
    if group_by is not None and group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by}")
    now = now or timezone.now()
    # Whether the roll-up may answer, asked once for both reads.
    fresh = use_rollup and group_by in (None, "agency") and rollup_usable(period, now)
    (total,) = count_dossiers(
        scope=scope,
        period=period,
        agency=agency,
        include_descendants=include_descendants,
        now=now,
        use_rollup=use_rollup,
        fresh=fresh,
    )
    rows = (
        count_dossiers(
            scope=scope,
            period=period,
            agency=agency,
            include_descendants=include_descendants,
            group_by=group_by,
            now=now,
            use_rollup=use_rollup,
            fresh=fresh,
        )
        if group_by
        else []
    )
    return Summary(period, agency, include_descendants, group_by, rows, total.counts)


# --- Decision 766 facts ---------------------------------------------------------------------------


def published_procedure_q(prefix: str = "") -> Q:
    """A procedure's public record is complete: steps, time limit, legal basis and result."""
    return (
        ~Q(**{f"{prefix}steps_text": ""})
        & Q(**{f"{prefix}processing_time_value__gt": 0})
        & ~Q(**{f"{prefix}legal_basis": ""})
        & ~Q(**{f"{prefix}result": ""})
    )


def service_facts(
    *,
    scope: Scope,
    period: Period,
    agencies: list[Agency],
    now: dt.datetime | None = None,
) -> tuple[dict[str, ServiceFacts], ServiceFacts]:
    """The 766 facts of the subtree of each of ``agencies`` (disjoint subtrees, e.g. the children
    of the province) and of all of them together. Three grouped queries whatever the number of
    agencies: dossiers by receiving agency, then the subtrees added up from those groups."""
    now = now or timezone.now()
    start, end = period.start, period.end
    roots_q = Q(pk__in=[])
    for root in agencies:
        roots_q |= Q(agency__path__startswith=root.path)
    allowed = _agency_filter(scope, None, True)

    # 1. The statistics' counts, by receiving agency (from the roll-up when it may answer).
    agency_counts = counts_by_path(scope=scope, period=period, agency=None, now=now)
    agency_counts = {
        path: c
        for path, c in agency_counts.items()
        if any(path.startswith(root.path) for root in agencies)
    }
    # 2. Complaints, payments and digitization, by receiving agency.
    has_docs = Exists(
        Document.objects.filter(dossier=OuterRef("pk"), kind=Document.Kind.APPLICATION)
    )
    has_result = Exists(Document.objects.filter(dossier=OuterRef("pk"), kind=Document.Kind.RESULT))
    paid_online = Exists(
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action="pay", data__method="online")
    )
    resolved = Q(resolved_at__gte=start, resolved_at__lt=end)
    received = Q(received_at__gte=start, received_at__lt=end)
    returned = Q(returned_at__gte=start, returned_at__lt=end)
    figure_names = (
        "complaints",
        "paid",
        "paid_online",
        "digitized_received",
        "resolved_with_result_file",
    )
    figures_by_path = {
        r["agency__path"]: r
        for r in Dossier.objects.filter(allowed & roots_q)
        .filter(resolved | received | returned)
        .order_by()
        .values("agency__path")
        .annotate(
            complaints=Count("pk", filter=returned & Q(rating__score__lte=COMPLAINT_MAX_SCORE)),
            paid=Count("pk", filter=resolved & Q(fees_paid__gt=0)),
            paid_online=Count("pk", filter=resolved & Q(fees_paid__gt=0) & Q(paid_online)),
            digitized_received=Count("pk", filter=received & Q(has_docs)),
            resolved_with_result_file=Count("pk", filter=resolved & Q(has_result)),
        )
    }
    # 3. The catalogue: which active procedures each agency handles (a procedure handled at two
    # agencies of one subtree counts once for it).
    handled = Procedure.agencies.through.objects.filter(
        procedure__is_active=True,
        agency__in=Agency.objects.filter(_paths_q([a.path for a in agencies], "")),
    ).values_list(
        "agency__path",
        "procedure_id",
        "procedure__online",
        _published_flag(),
    )
    procedures_by_path: dict[str, list[tuple[int, str, bool]]] = {}
    for path, procedure_id, online, published in handled:
        procedures_by_path.setdefault(path, []).append((procedure_id, online, bool(published)))

    def facts_of(paths: list[str]) -> ServiceFacts:
        counts = sum((agency_counts[p] for p in paths if p in agency_counts), Counts())
        figures = {
            name: sum(int(figures_by_path[p][name] or 0) for p in paths if p in figures_by_path)
            for name in figure_names
        }
        procedures = {
            pid: (online, published)
            for p in paths
            for pid, online, published in procedures_by_path.get(p, [])
        }
        return ServiceFacts(
            counts=counts,
            procedures=len(procedures),
            procedures_published=sum(1 for _, pub in procedures.values() if pub),
            procedures_full_online=sum(1 for o, _ in procedures.values() if o == OnlineLevel.FULL),
            **figures,
        )

    all_paths = set(agency_counts) | set(figures_by_path) | set(procedures_by_path)
    facts = {
        root.code: facts_of([p for p in all_paths if p.startswith(root.path)]) for root in agencies
    }
    total = facts_of([p for p in all_paths if any(p.startswith(root.path) for root in agencies)])
    return facts, total


def _paths_q(paths: list[str], prefix: str) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _published_flag() -> Case:
    return Case(
        When(published_procedure_q("procedure__"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


# --- Drill-down and re-engineering ---------------------------------------------------------------


def late_dossiers(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None,
    procedure: Procedure | None,
    now: dt.datetime | None = None,
) -> QuerySet[Dossier]:
    """Dossiers resolved late in the period, and those overdue at its end, in due order.

    No applicant data is read: the rows show code, procedure, agency and times."""
    now = now or timezone.now()
    expressions = count_expressions(period, now=now)
    overdue_q = expressions["pending_overdue"].filter
    late_q = expressions["resolved_late"].filter
    qs = Dossier.objects.filter(_agency_filter(scope, agency, True)).filter(late_q | overdue_q)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return qs.select_related("procedure", "agency").order_by("original_due_at", "code")


def counts_by_path(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None,
    now: dt.datetime | None = None,
    use_rollup: bool = True,
) -> dict[str, Counts]:
    """``Counts`` per receiving agency (by its path) in the agency's subtree: one query (three
    from the roll-up)."""
    now = now or timezone.now()
    if use_rollup and rollup_usable(period, now):
        rows = rollup_counts(
            scope=scope,
            period=period,
            agency=agency,
            include_descendants=True,
            group_by="path",
            now=now,
        )
        return {r.key: r.counts for r in rows}
    qs = _base(scope, agency, True, period, now)
    return {
        r["agency__path"]: Counts.from_row(r)
        for r in qs.values("agency__path").annotate(**count_expressions(period, now=now))
    }


def roll_up(by_path: dict[str, Counts], roots: list[Agency]) -> dict[str, Counts]:
    """Each root's counts: the sum of the groups in its subtree (a sum over groups, not dossiers)."""
    return {
        root.code: sum((c for p, c in by_path.items() if p.startswith(root.path)), Counts())
        for root in roots
    }


def child_agencies(*, agency: Agency) -> list[Agency]:
    return list(Agency.objects.filter(parent=agency).order_by("code"))


# --- Re-engineering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StepTimes:
    """How long one step of a procedure's process took over the period (elapsed hours)."""

    position: int
    name: str
    finished: int
    late: int
    median_hours: float | None
    p90_hours: float | None

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.late, self.finished)


def _quantile(sorted_values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``)."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * q
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


def step_times(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None,
    procedure: Procedure,
) -> list[StepTimes]:
    """Per step of ``procedure`` (position and name on the control slip), the hand-overs that
    finished in the period: how many, how many late, median and 90th percentile elapsed time.

    On PostgreSQL the percentiles are ``percentile_cont`` in the query; elsewhere (SQLite has no
    such aggregate) the durations of each step are read and interpolated the same way."""
    from django.db import connection

    from motcua.dossiers.models import DossierStep

    steps = DossierStep.objects.filter(
        dossier__in=Dossier.objects.filter(
            _agency_filter(scope, agency, True), procedure=procedure
        ),
        finished_at__gte=period.start,
        finished_at__lt=period.end,
    ).order_by()
    if connection.vendor == "postgresql":
        from .sql import Percentile

        hours = F("finished_at") - F("started_at")
        rows = (
            steps.values("position", "name")
            .annotate(
                finished=Count("pk"),
                late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
                median=Percentile(hours, 0.5),
                p90=Percentile(hours, 0.9),
            )
            .order_by("position", "name")
        )
        return [
            StepTimes(
                r["position"],
                r["name"],
                r["finished"],
                r["late"],
                _hours(r["median"]),
                _hours(r["p90"]),
            )
            for r in rows
        ]
    durations: dict[tuple[int, str], list[float]] = {}
    late: dict[tuple[int, str], int] = {}
    for position, name, started, finished, timeliness in steps.values_list(
        "position", "name", "started_at", "finished_at", "timeliness"
    ).order_by("position", "name"):
        key = (position, name)
        assert finished is not None  # filtered on finished_at
        durations.setdefault(key, []).append((finished - started).total_seconds() / 3600)
        late[key] = late.get(key, 0) + (timeliness == Timeliness.LATE)
    out = []
    for (position, name), values in durations.items():
        values.sort()
        out.append(
            StepTimes(
                position,
                name,
                len(values),
                late[(position, name)],
                _round(_quantile(values, 0.5)),
                _round(_quantile(values, 0.9)),
            )
        )
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _hours(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return _round(value.total_seconds() / 3600)
    return _round(float(value) / 3600)


def monthly_flows(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None,
    now: dt.datetime | None = None,
) -> list[Row]:
    """The flow figures of each month of the period (received, online, resolved by timeliness,
    returned, ratings) in two grouped queries, for trend charts; the stock figures (carried over,
    pending) are left at 0: ask ``count_dossiers(group_by="month")`` for those."""
    from django.db.models.functions import TruncMonth

    now = now or timezone.now()
    if rollup_usable(period, now):
        return rollup_monthly_flows(scope=scope, period=period, agency=agency)
    base = Dossier.objects.filter(_agency_filter(scope, agency, True)).order_by()
    received = (
        base.filter(received_at__gte=period.start, received_at__lt=period.end)
        .annotate(month=TruncMonth("received_at", tzinfo=VN_TZ))
        .values("month")
        .annotate(
            received=Count("pk"), online_received=Count("pk", filter=Q(channel=Channel.ONLINE))
        )
    )
    resolved = (
        base.filter(resolved_at__gte=period.start, resolved_at__lt=period.end)
        .annotate(month=TruncMonth("resolved_at", tzinfo=VN_TZ))
        .values("month")
        .annotate(
            resolved_early=Count("pk", filter=Q(timeliness=Timeliness.EARLY)),
            resolved_on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            resolved_late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
        )
    )
    figures: dict[str, dict[str, int]] = {}
    for r in [*received, *resolved]:
        key = f"{timezone.localtime(r['month'], VN_TZ):%Y-%m}"
        figures.setdefault(key, {}).update({k: v for k, v in r.items() if k != "month"})
    return [
        Row(
            f"{m.first:%Y-%m}",
            f"{m.first:%m/%Y}",
            Counts.from_row(figures.get(f"{m.first:%Y-%m}", {})),
        )
        for m in period.months()
    ]


# --- Roll-up reads ------------------------------------------------------------------------------

OPEN = frozenset(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.WITHDRAWAL_REQUESTED,
    }
)


def rollup_usable(period: Period, now: dt.datetime) -> bool:
    """The roll-up answers periods that run up to now (their pending figures are today's)."""
    from .rollup import rollup_fresh_at

    return period.end > now and period.start <= now and rollup_fresh_at(now)


def _rollup_group(group_by: str | None) -> tuple[str, ...]:
    return {
        None: (),
        "agency": ("agency__code", "agency__name"),
        "path": ("agency__path",),
    }[group_by]


def rollup_counts(
    *,
    scope: Scope,
    period: Period,
    agency: Agency | None,
    include_descendants: bool,
    group_by: str | None,
    now: dt.datetime,
) -> list[Row]:
    """The same ``Counts`` as the direct aggregation at the roll-up's last refresh, from the daily
    rows (flows and carried over) and the open dossiers counted then: three small queries."""
    from .models import DailyFigures, PendingFigures
    from .rollup import FLOWS

    where = _agency_filter(scope, agency, include_descendants)
    columns = _rollup_group(group_by)
    days = DailyFigures.objects.filter(where).order_by()
    flows = days.filter(day__gte=period.first, day__lte=period.last)
    before = days.filter(day__lt=period.first)
    sums = {name: Sum(name) for name in FLOWS}
    carried = {
        "carried_in": Sum("received"),
        "carried_out": Sum(F("resolved_early") + F("resolved_on_time") + F("resolved_late"))
        + Sum("stopped_received"),
    }
    # The open dossiers as counted at the refresh (at most a minute or two ago).
    open_dossiers = PendingFigures.objects.filter(where).order_by()
    pending = {"pending_not_due": Sum("pending_not_due"), "pending_overdue": Sum("pending_overdue")}
    figures: dict[tuple[Any, ...], dict[str, int]] = {}

    def merge(rows: Any) -> None:
        for r in rows:
            key = tuple(r[c] for c in columns)
            figures.setdefault(key, {}).update(
                {k: int(v or 0) for k, v in r.items() if k not in columns}
            )

    if columns:
        merge(flows.values(*columns).annotate(**sums))
        merge(before.values(*columns).annotate(**carried))
        merge(open_dossiers.values(*columns).annotate(**pending))
    else:
        merge([flows.aggregate(**sums)])
        merge([before.aggregate(**carried)])
        merge([open_dossiers.aggregate(**pending)])
    rows = []
    for key, values in sorted(figures.items(), key=lambda kv: tuple(str(k) for k in kv[0])):
        values["carried_over"] = values.pop("carried_in", 0) - values.pop("carried_out", 0)
        values.pop("stopped_received", None)
        counts = Counts.from_row(values)
        if columns and counts == Counts():
            continue  # an agency with nothing in the period, as the direct query has no row
        rows.append(Row(str(key[0]) if key else "", str(key[-1]) if key else "", counts))
    return rows or ([] if columns else [Row("", "", Counts())])


def rollup_monthly_flows(*, scope: Scope, period: Period, agency: Agency | None) -> list[Row]:
    from django.db.models.functions import TruncMonth

    from .models import DailyFigures

    names = ("received", "online_received", "resolved_early", "resolved_on_time", "resolved_late")
    rows = (
        DailyFigures.objects.filter(
            _agency_filter(scope, agency, True), day__gte=period.first, day__lte=period.last
        )
        .order_by()
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**{n: Sum(n) for n in names})
    )
    by_month = {f"{r['month']:%Y-%m}": r for r in rows}
    return [
        Row(
            f"{m.first:%Y-%m}",
            f"{m.first:%m/%Y}",
            Counts.from_row(by_month.get(f"{m.first:%Y-%m}", {})),
        )
        for m in period.months()
    ]
