import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.dossiers.constants import Action
from motcua.notifications.constants import Event, NoticeKind
from motcua.notifications.rules import citizen_event, staff_notice, working_days_waited
from motcua.worktime.calendar import builtin_calendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("action", "from_status", "expected"),
    [
        (Action.SUBMIT, "draft", Event.SUBMITTED),
        (Action.RECEIVE, "", Event.SUBMITTED),  # created at the counter: receipt + appointment
        (Action.RECEIVE, "submitted", Event.RECEIVED),
        (Action.REQUEST_SUPPLEMENT, "processing", Event.SUPPLEMENT_REQUESTED),
        (Action.REQUEST_PAYMENT, "processing", Event.PAYMENT_REQUESTED),
        (Action.EXTEND, "processing", Event.EXTENDED),
        (Action.APPROVE, "processing", Event.RESOLVED),
        (Action.REJECT, "processing", Event.RESOLVED),
        (Action.RETURN_RESULT, "resolved", Event.RETURNED),
        (Action.FORWARD, "processing", None),
        (Action.SUPPLEMENT, "supplement_requested", None),
        ("create", "", None),
        ("rate", "returned", None),
    ],
)
def test_citizen_event(action, from_status, expected):
    assert citizen_event(action, from_status) == expected


@pytest.mark.parametrize(
    ("action", "has_assignee", "expected"),
    [
        (Action.FORWARD, True, NoticeKind.ASSIGNED),
        (Action.SEND_BACK, True, NoticeKind.ASSIGNED),
        ("reassign", True, NoticeKind.ASSIGNED),
        (Action.SUPPLEMENT, True, NoticeKind.SUPPLEMENTED),
        (Action.FORWARD, False, None),
        (Action.SUPPLEMENT, False, None),
        (Action.APPROVE, True, None),
    ],
)
def test_staff_notice(action, has_assignee, expected):
    assert staff_notice(action, has_assignee=has_assignee) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 20, 17, 0, tzinfo=VN), 0),  # the same Friday
        (dt.datetime(2026, 11, 22, 10, 0, tzinfo=VN), 0),  # Sunday
        (dt.datetime(2026, 11, 23, 8, 0, tzinfo=VN), 1),  # Monday
        (dt.datetime(2026, 11, 24, 8, 0, tzinfo=VN), 1),  # 24/11, Vietnamese Culture Day: off
        (dt.datetime(2026, 11, 27, 7, 0, tzinfo=VN), 4),  # Friday a week later
        (dt.datetime(2026, 11, 30, 7, 0, tzinfo=VN), 5),  # Monday after
    ],
)
def test_working_days_waited_skips_weekends(now, expected):
    friday = dt.datetime(2026, 11, 20, 9, 30, tzinfo=VN)
    assert working_days_waited(builtin_calendar(), friday, now) == expected


def test_working_days_waited_skips_public_holidays():
    # National Day 2026: Monday 31 August to Wednesday 2 September are days off.
    friday = dt.datetime(2026, 8, 28, 9, 0, tzinfo=VN)
    next_friday = dt.datetime(2026, 9, 4, 9, 0, tzinfo=VN)
    assert working_days_waited(builtin_calendar(), friday, next_friday) == 2
