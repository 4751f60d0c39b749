"""What creation and the actions share: events, steps, receipt, versions, facts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.catalog.selectors import procedure_fee_lines
from motcua.core.compiled import CompiledQuery, insert
from motcua.workflow.models import ProcessStep
from motcua.workflow.selectors import process_steps_list, step_agency
from motcua.worktime.calendar import Calendar
from motcua.worktime.selectors import calendar_for_agency

from .. import deadlines, rules
from ..codes import dossier_code_issue
from ..constants import Status
from ..exceptions import PreconditionFailed, StaleVersion
from ..history import CHAIN_HEAD, UNKNOWN_HEAD, event_append
from ..models import Dossier, DossierAgency, DossierEvent, DossierStep
from ..selectors import actor_roles

# Marks on a Dossier instance, read by record_event: its row is locked in this transaction
# (lock_dossier), or it was created in this transaction and has no event yet (dossier_create).
LOCKED = "_motcua_locked"
NEW = "_motcua_new"


@dataclass(frozen=True)
class ApplicantData:
    type: str
    full_name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "type": self.type,
            "full_name": self.full_name,
            "id_number": self.id_number,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }


def procedure_fees_total(
    *, procedure_id: int, form_data: dict[str, Any] | None, fixed_fees: int | None = None
) -> int:
    """What the procedure's fees come to for this form: the lines the payments ledger will write
    (``catalog.selectors.procedure_fee_lines``), so that ``fees.total`` is what is charged.
    ``fixed_fees``, when the caller knows the procedure has only fixed fees (``intake_facts``),
    is that total already and spares reading the fee rows."""
    if fixed_fees is not None:
        return fixed_fees
    lines = procedure_fee_lines(procedure_id=procedure_id, form_data=form_data)
    return sum(line.due for line in lines)


def actor_name(user: User | None) -> str:
    return (user.full_name or user.username) if user is not None else "Hệ thống"


def record_event(
    dossier: Dossier,
    *,
    action: str,
    actor: User | None,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    on_behalf_of: str = "",
    at: dt.datetime | None = None,
) -> None:
    step = dossier.current_step
    event_append(
        locked=dossier.__dict__.get(LOCKED, False),
        first=dossier.__dict__.pop(NEW, False),
        head=dossier.__dict__.get(CHAIN_HEAD, UNKNOWN_HEAD),
        dossier=dossier,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=dossier.status,
        agency_code=(step.agency.code if step is not None else dossier.current_agency.code),
        step=(step.name if step is not None else ""),
        note=note,
        data=data or {},
        on_behalf_of=on_behalf_of,
        at=at,
    )


# -- helpers shared by the actions -------------------------------------------------------------


def ordered_steps(dossier: Dossier) -> list[ProcessStep]:
    """The steps of the dossier's process version, read once per loaded dossier (a version in
    use is frozen, see workflow.services)."""
    if dossier.process_id is None:
        return []
    cached: list[ProcessStep] | None = dossier.__dict__.get("_ordered_steps")
    if cached is None:
        cached = process_steps_list(process_id=dossier.process_id)
        dossier.__dict__["_ordered_steps"] = cached
    return cached


def assign_code(dossier: Dossier, now: dt.datetime) -> None:
    if dossier.code is None:
        local_day = timezone.localtime(now).date()
        dossier.code = dossier_code_issue(agency_code=dossier.agency.code, day=local_day)


def open_step(
    dossier: Dossier,
    step: ProcessStep | None,
    *,
    position: int,
    agency: Agency,
    now: dt.datetime,
    handed_over_by: User | None,
    assignee: User | None,
    cal: Calendar | None = None,
) -> DossierStep:
    cal = cal or calendar_for_agency(agency)
    started = deadlines.clock_start(cal, now)
    budget = step.budget_hours if step is not None else Decimal("0")
    row = DossierStep(
        dossier=dossier,
        process_step=step,
        position=position,
        name=step.name if step is not None else "Tiếp nhận hồ sơ",
        role=step.role if step is not None else "counter_officer",
        agency=agency,
        assignee=assignee,
        handed_over_by=handed_over_by,
        started_at=now,
        due_at=deadlines.step_due(cal, started, budget),
    )
    insert(row)  # the INSERT built once (core.compiled)
    # Routed through this agency, once (unique): compiled as the other INSERTs.
    insert(DossierAgency(dossier=dossier, agency=agency), ignore_conflicts=True)
    dossier.current_step = row
    dossier.current_agency = agency
    dossier.assignee = assignee
    return row


def close_step(dossier: Dossier, *, actor: User | None, now: dt.datetime, outcome: str) -> None:
    row = dossier.current_step
    if row is None or row.finished_at is not None:
        return
    row.finished_at = now
    row.finished_by = actor
    row.outcome = outcome
    if row.due_at is not None:
        row.timeliness = deadlines.step_timeliness(calendar_for_agency(row.agency), now, row.due_at)
    row.save(update_fields=["finished_at", "finished_by", "outcome", "timeliness"])


def receive_now(
    dossier: Dossier, *, actor: User, now: dt.datetime, calendar_token: uuid.UUID | None = None
) -> None:
    """Receipt: clock start, appointment, the first (reception) step, and the code last (the
    desk's daily counter row stays locked from then to the commit). ``calendar_token``: the
    calendars' revision if the caller has just read it (``calendar_for_agency``)."""
    cal = calendar_for_agency(dossier.agency, token=calendar_token)
    dossier.received_at = now
    dossier.clock_started_at = deadlines.clock_start(cal, now)
    due = deadlines.initial_due(
        cal,
        dossier.clock_started_at,
        dossier.procedure.processing_time_value,
        dossier.procedure.processing_time_unit,
    )
    dossier.due_at = dossier.original_due_at = due
    dossier.status = Status.RECEIVED
    steps = ordered_steps(dossier)
    first = steps[0] if steps else None
    agency = (
        step_agency(step=first, receiving=dossier.agency) if first is not None else dossier.agency
    )
    open_step(
        dossier,
        first,
        position=1,
        agency=agency,
        now=now,
        handed_over_by=None,
        assignee=actor,
        cal=cal if agency.pk == dossier.agency_id else None,
    )
    assign_code(dossier, now)


def check_version(dossier: Dossier, *, version: int | None, if_match: int | None) -> None:
    if if_match is not None and if_match != dossier.version:
        raise PreconditionFailed(
            f"If-Match {if_match} does not match the current version {dossier.version}.",
            extra={"version": dossier.version},
        )
    if version is not None and version != dossier.version:
        raise StaleVersion(
            f"Version {version} is stale; the dossier is now at version {dossier.version}.",
            extra={"version": dossier.version},
        )


def dossier_facts(dossier: Dossier, *, now: dt.datetime | None = None) -> rules.Facts:
    """The facts the status machine needs about this dossier now."""
    now = now or timezone.now()
    position = dossier.current_step.position if dossier.current_step is not None else 0
    total = len(ordered_steps(dossier)) if dossier.process_id else 0
    return rules.Facts(
        status=Status(dossier.status),
        resume_status=Status(dossier.resume_status) if dossier.resume_status else None,
        received=dossier.received_at is not None,
        has_next_step=position < total,
        has_previous_step=position > 1,
        extended=dossier.extended_at is not None,
        before_due=dossier.due_at is not None and now < dossier.due_at,
    )


def available_actions(*, dossier: Dossier, viewer: Any) -> list[str]:
    return rules.available_actions(
        dossier_facts(dossier), actor_roles(viewer=viewer, dossier=dossier)
    )


_LOCK_ROW = CompiledQuery(
    lambda pk: (
        Dossier.objects.select_for_update().filter(pk=pk).order_by().values_list("pk", flat=True)
    ),
    uuid_params=("pk",),
)
_LOCK_ROW_BY_CODE = CompiledQuery(
    lambda code: (
        Dossier.objects.select_for_update()
        .filter(code=code)
        .order_by()
        .values_list("pk", flat=True)
    ),
    params=("code",),
)
_LOADS: dict[tuple[str, ...], CompiledQuery] = {}


def _load_query(related: tuple[str, ...]) -> CompiledQuery:
    query = _LOADS.get(related)
    if query is None:
        query = CompiledQuery(
            lambda pk: (
                Dossier.objects.select_related(*related)
                .filter(pk=pk)
                .annotate(
                    chain_head_seq=Subquery(_head("seq")), chain_head_hash=Subquery(_head("hash"))
                )
                .order_by()[:1]
            ),
            uuid_params=("pk",),
        )
        _LOADS[related] = query
    return query


def _head(column: str) -> QuerySet[DossierEvent, Any]:
    """A column of the dossier's last event (its history's chain head), for a ``Subquery``."""
    return DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-seq").values(column)[:1]


def lock_dossier(dossier_id: Any, *related: str) -> Dossier | None:
    """Lock the dossier's row (by id, or by code when ``dossier_id`` is not a UUID), then load it
    with ``related`` (both reads compiled once, see core.compiled: every action and upload
    starts here).

    The lock is taken by a query without joins: under READ COMMITTED, a query that waited for
    the lock re-checks its joins against the updated row, and a join through a column the
    other transaction changed (``current_agency`` after a forward) would drop the row.
    """
    try:
        pk = dossier_id if isinstance(dossier_id, uuid.UUID) else uuid.UUID(str(dossier_id))
    except ValueError:
        locked = _LOCK_ROW_BY_CODE.first_row(code=str(dossier_id))
        if locked is None:
            return None
        pk = locked[0]
    else:
        if _LOCK_ROW.first_row(pk=pk) is None:
            return None
    dossier: Dossier | None = _load_query(related).instance(pk=pk)
    if dossier is None:
        return None
    dossier.__dict__[LOCKED] = True  # record_event need not lock it again
    # ... nor read the last event: it was read with the row, under the lock (event_append).
    head_seq, head_hash = (
        dossier.__dict__.pop("chain_head_seq"),
        dossier.__dict__.pop("chain_head_hash"),
    )
    dossier.__dict__[CHAIN_HEAD] = (head_seq, head_hash) if head_seq is not None else None
    return dossier


def acting_for(actor: User | None, dossier: Dossier) -> str:
    """Whom an applicant-side actor acts for: the applicant, unless the actor is the owner."""
    if actor is None or actor.pk == dossier.owner_id:
        return ""
    if actor.pk == dossier.assisted_by_id or dossier.owner_id is not None:
        return dossier.applicant_name
    return ""
