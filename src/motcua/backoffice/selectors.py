"""Reads of the back office: a staff member's memberships, and the work queues.

Every dossier read starts from ``dossiers.selectors`` (``dossier_list`` for the search and the
order by due time, ``dossier_visible`` under it): visibility is decided there and only there.
The queues add conditions on top, they never widen what a viewer sees.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Sector
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import CLOCK_RUNNING
from motcua.dossiers.selectors import OVERSIGHT_ROLES, dossier_list, dossier_visible
from motcua.worktime.calendar import add_working_time, full_working_day
from motcua.worktime.selectors import calendar_for_agency

# Dossiers someone still has to act on (drafts are the applicant's; the rest are closed).
OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.WITHDRAWAL_REQUESTED,
        Status.RESOLVED,
    }
)


# --- Work queues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    key: str
    label: str | Promise


QUEUES: dict[str, Queue] = {
    q.key: q
    for q in (
        Queue("reception", _("Chờ tiếp nhận (trực tuyến)")),
        Queue("mine", _("Giao cho tôi")),
        Queue("unit", _("Của đơn vị")),
        Queue("due_soon", _("Sắp đến hạn (trong 1 ngày làm việc)")),
        Queue("overdue", _("Quá hạn")),
        Queue("supplement", _("Chờ bổ sung")),
        Queue("payment", _("Chờ nộp phí")),
        Queue("ready", _("Chờ trả kết quả")),
    )
}

# Which queues each role works from, in the order shown. The counter receives and returns;
# specialists and leaders process; oversight roles watch their subtree's deadlines.
ROLE_QUEUES: dict[str, tuple[str, ...]] = {
    Role.COUNTER_OFFICER: (
        "reception",
        "mine",
        "unit",
        "due_soon",
        "overdue",
        "supplement",
        "payment",
        "ready",
    ),
    Role.SPECIALIST: ("mine", "unit", "due_soon", "overdue", "supplement", "payment"),
    Role.LEADER: ("mine", "unit", "due_soon", "overdue", "supplement", "payment"),
    Role.SUPERVISOR: ("unit", "due_soon", "overdue", "supplement", "payment"),
    Role.ADMINISTRATOR: ("unit", "due_soon", "overdue", "supplement", "payment"),
    Role.ASSISTANT: (),
}


def queues_for(role: str) -> list[Queue]:
    return [QUEUES[key] for key in ROLE_QUEUES.get(role, ())]


def due_soon_horizon(*, agency: Agency, now: dt.datetime) -> dt.datetime:
    """The instant one full working day after ``now`` on the agency's calendar."""
    calendar = calendar_for_agency(agency)
    return add_working_time(calendar, now, full_working_day(calendar))


def _unit_q(membership: Membership) -> Q:
    """Dossiers of the membership's agency: received there or held there now; for an oversight
    role, received or held anywhere in the agency's subtree."""
    agency = membership.agency
    if membership.role in OVERSIGHT_ROLES:
        subtree = Agency.objects.filter(path__startswith=agency.path).values("pk")
        return Q(agency_id__in=subtree) | Q(current_agency_id__in=subtree)
    return Q(agency_id=agency.pk) | Q(current_agency_id=agency.pk)


def queue_conditions(*, viewer: User, membership: Membership, now: dt.datetime) -> dict[str, Q]:
    """Each of the membership's queues as a condition on dossiers (applied on top of the
    viewer's visibility)."""
    keys = ROLE_QUEUES.get(membership.role, ())
    if not keys:
        return {}
    agency_id = membership.agency.pk
    unit = _unit_q(membership)
    running = Q(status__in=CLOCK_RUNNING)
    conditions: dict[str, Q] = {
        "reception": Q(status=Status.SUBMITTED, channel=Channel.ONLINE, agency_id=agency_id),
        "mine": Q(assignee_id=viewer.pk, status__in=OPEN_STATUSES),
        "unit": unit & Q(status__in=OPEN_STATUSES),
        "overdue": unit & running & Q(due_at__lt=now),
        "supplement": unit & Q(status=Status.SUPPLEMENT_REQUESTED),
        "payment": unit & Q(status=Status.PAYMENT_REQUESTED),
        "ready": Q(status=Status.RESOLVED, agency_id=agency_id),
    }
    if "due_soon" in keys:
        horizon = due_soon_horizon(agency=membership.agency, now=now)
        conditions["due_soon"] = unit & running & Q(due_at__gte=now, due_at__lt=horizon)
    return {key: conditions[key] for key in keys}


def queue_counts(*, viewer: User, conditions: dict[str, Q]) -> dict[str, int]:
    """How many visible dossiers each queue (``queue_conditions``) holds, in one query."""
    if not conditions:
        return {}
    qs = dossier_visible(viewer=viewer).order_by().filter(reduce(or_, conditions.values()))
    return qs.aggregate(**{key: Count("pk", filter=q) for key, q in conditions.items()})


@dataclass(frozen=True)
class QueueFilters:
    """The filters of a queue page; empty values mean "any"."""

    procedure: str = ""  # procedure code
    sector: str = ""  # sector code
    channel: str = ""
    date_from: dt.date | None = None  # submitted on or after (local date)
    date_to: dt.date | None = None  # submitted on or before (local date)
    q: str = ""  # code, applicant name (with or without diacritics), phone or ID number


_DIGITS_WITH_SEPARATORS = re.compile(r"^[\d\s.\-]+$")


def _search_text(q: str) -> str:
    """A phone or ID number as typed with spaces or dots ("0912 345 678") searches as digits;
    anything else (codes, names) is passed on as it is."""
    q = q.strip()
    if _DIGITS_WITH_SEPARATORS.match(q):
        return re.sub(r"\D", "", q)
    return q


def queue_dossiers(
    *, viewer: User, conditions: dict[str, Q], queue: str, filters: QueueFilters
) -> QuerySet[Dossier]:
    """The visible dossiers of one queue, filtered and searched, soonest due first."""
    if queue not in conditions:
        return Dossier.objects.none()
    list_filters: dict[str, Any] = {"procedure": filters.procedure, "q": _search_text(filters.q)}
    qs = dossier_list(viewer=viewer, filters=list_filters).filter(conditions[queue])
    if filters.sector:
        qs = qs.filter(procedure__sector__code=filters.sector)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.date_from:
        qs = qs.filter(submitted_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(submitted_at__date__lte=filters.date_to)
    # A queue row shows no documents: drop the list's prefetch of them.
    return qs.prefetch_related(None).select_related("procedure__sector")


def queue_procedures(*, viewer: User, conditions: dict[str, Q]) -> list[tuple[str, str]]:
    """``(code, name)`` of the procedures the queues hold dossiers of, for the procedure
    filter (not the whole catalogue, which has thousands)."""
    if not conditions:
        return []
    # From the dossiers' side, then distinct: as ``procedure IN (dossiers …)`` PostgreSQL walks
    # every procedure's dossiers in turn (a semi-join), 45 ms at 100,000 dossiers (bench/queues.py).
    rows = (
        dossier_visible(viewer=viewer)
        .filter(reduce(or_, conditions.values()))
        .values_list("procedure__code", "procedure__name")
        .order_by("procedure__name", "procedure__code")
        .distinct()
    )
    return [(str(code), str(name)) for code, name in rows]


def sector_choices() -> list[tuple[str, str]]:
    return list(Sector.objects.order_by("name").values_list("code", "name"))
