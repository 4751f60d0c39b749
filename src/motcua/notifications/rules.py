"""Which dossier events notify whom (pure: no database)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.dossiers.constants import Action
from motcua.worktime.calendar import Calendar, is_working_day

from .constants import Event, NoticeKind

REASSIGN = "reassign"  # dossiers.rules.REASSIGN, the leaders' reassignment event
SUPPLEMENT_REMINDER_WORKING_DAYS = 5

_CITIZEN_EVENTS: dict[str, Event] = {
    Action.SUBMIT: Event.SUBMITTED,
    Action.REQUEST_SUPPLEMENT: Event.SUPPLEMENT_REQUESTED,
    Action.REQUEST_PAYMENT: Event.PAYMENT_REQUESTED,
    Action.EXTEND: Event.EXTENDED,
    Action.APPROVE: Event.RESOLVED,
    Action.REJECT: Event.RESOLVED,
    Action.RETURN_RESULT: Event.RETURNED,
}


def citizen_event(action: str, from_status: str) -> Event | None:
    """What the applicant is told after a history event, if anything.

    A receipt at the counter (``receive`` with no status before: the dossier was created
    received) is the applicant's "submitted" message, with its appointment; the receipt of an
    online dossier is "received"."""
    if action == Action.RECEIVE:
        return Event.SUBMITTED if from_status == "" else Event.RECEIVED
    return _CITIZEN_EVENTS.get(action)


def staff_notice(action: str, *, has_assignee: bool) -> NoticeKind | None:
    """What the dossier's assignee (after the event) is told in the back office, if anything."""
    if not has_assignee:
        return None
    if action in (Action.FORWARD, Action.SEND_BACK, REASSIGN):
        return NoticeKind.ASSIGNED
    if action == Action.SUPPLEMENT:
        return NoticeKind.SUPPLEMENTED
    return None


def working_days_waited(cal: Calendar, since: dt.datetime, now: dt.datetime) -> int:
    """Working days after the (local) day of ``since`` up to and including that of ``now``:
    a supplement asked for on a Friday has waited 1 working day on the Monday."""
    first = timezone.localtime(since).date() + dt.timedelta(days=1)
    last = timezone.localtime(now).date()
    count = 0
    day = first
    while day <= last:
        if is_working_day(cal, day):
            count += 1
        day += dt.timedelta(days=1)
    return count
