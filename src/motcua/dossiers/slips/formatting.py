"""Dates and times as Vietnamese administrative documents write them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

#: Slips state the time where the dossier is handled, whatever the server's zone.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime) -> datetime:
    """``moment`` in Vietnam's time zone; a naive datetime is refused, since its zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"slip datetimes must be timezone-aware, got {moment!r}")
    return moment.astimezone(VIETNAM)


def date_numeric(moment: datetime) -> str:
    """``26/11/2026``."""
    return local(moment).strftime("%d/%m/%Y")


def time_of_day(moment: datetime) -> str:
    """``09:00``."""
    return local(moment).strftime("%H:%M")


def date_time(moment: datetime) -> str:
    """``09:00 26/11/2026``: compact, for table cells."""
    at = local(moment)
    return f"{at:%H:%M} {at:%d/%m/%Y}"


def appointment(moment: datetime) -> str:
    """``09 giờ 00 phút, ngày 26/11/2026``: receipt and appointment times, to the minute."""
    at = local(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{at:%H}",
        "minute": f"{at:%M}",
        "date": f"{at:%d/%m/%Y}",
    }


def date_words(moment: datetime) -> str:
    """``ngày 26 tháng 11 năm 2026``.

    Decree 30/2020/NĐ-CP writes days below 10 and the months January and February with a leading
    zero ("ngày 05 tháng 02") so that nobody can add a digit in front; other months have none.
    """
    at = local(moment)
    month = f"{at.month:02d}" if at.month <= 2 else str(at.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{at.day:02d}",
        "month": month,
        "year": str(at.year),
    }


def place_and_date(place: str, moment: datetime) -> str:
    """``Cái Nhum, ngày 26 tháng 11 năm 2026``: the line under the national heading."""
    return _("%(place)s, %(date)s") % {"place": place, "date": date_words(moment)}
