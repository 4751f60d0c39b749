"""The leaders' daily digest email: each leader's overdue and soon-due dossiers, once a day.

The list is the leaders' page's (``leaders.leader_watchlist``: the queues' conditions, the
leader's visibility). The email carries what a leader needs to act and nothing more: code,
procedure, due time and a link to the dossier screen (behind the staff login) — no applicant's
name, phone or ID number, since email leaves our systems.

Only on a working day: a leader's digest covers the agencies they lead whose working calendar
has sessions that day (a holiday, a swapped day off or a weekend sends nothing for that agency),
so the command may run every day.

Once per leader and local day: the ``LeaderDigest`` row is inserted in the same transaction as
the sending, so a run that fails to send records nothing (the next run retries), and two runs at
the same time cannot both send (the second waits on the unique row, then skips). The email is
sent inside that transaction, not after it, on purpose: after-commit sending could record a
digest that never left.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from motcua.accounts.constants import Role, UserKind
from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency
from motcua.worktime.calendar import is_working_day
from motcua.worktime.selectors import calendar_for_agency

from .leaders import is_overdue, leader_watchlist
from .models import LeaderDigest

logger = logging.getLogger(__name__)

MAX_ROWS = 50  # per agency in one email; the rest are on the leaders' page


@dataclass(frozen=True)
class DigestRow:
    code: str
    procedure: str
    due_at: dt.datetime
    overdue: bool
    link: str


@dataclass(frozen=True)
class DigestSection:
    agency: Agency
    overdue: int
    due_soon: int
    rows: list[DigestRow]

    @property
    def more(self) -> int:
        return self.overdue + self.due_soon - len(self.rows)


@dataclass
class DigestRun:
    """What a run did, for the command to report (counts, never personal data)."""

    sent: list[str] = field(default_factory=list)  # usernames
    already_sent: list[str] = field(default_factory=list)
    nothing_due: list[str] = field(default_factory=list)
    day_off: list[str] = field(default_factory=list)  # no agency of theirs works today
    no_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def leader_memberships_by_user() -> Iterable[tuple[User, list[Membership]]]:
    """Each active staff member holding an active leader role, with those memberships."""
    memberships = (
        Membership.objects.filter(
            role=Role.LEADER,
            is_active=True,
            user__is_active=True,
            user__kind=UserKind.STAFF,
        )
        .select_related("user", "agency")
        .order_by("user_id", "agency__name", "pk")
    )
    for _, group in groupby(memberships, key=lambda m: m.user_id):
        found = list(group)
        yield found[0].user, found


def working_memberships(*, memberships: list[Membership], day: dt.date) -> list[Membership]:
    """The memberships whose agency works on ``day`` by its own calendar (weekly sessions,
    public holidays, swapped days, overrides): a digest speaks only for agencies at work."""
    return [m for m in memberships if is_working_day(calendar_for_agency(m.agency), day)]


def _link(path: str) -> str:
    return settings.MOTCUA_PUBLIC_URL.rstrip("/") + path


def digest_sections(
    *, user: User, memberships: list[Membership], now: dt.datetime
) -> list[DigestSection]:
    """The non-empty sections of ``user``'s digest, one per agency they lead."""
    sections = []
    for membership in memberships:
        watch = leader_watchlist(viewer=user, membership=membership, now=now)
        if not watch.counts["overdue"] and not watch.counts["due_soon"]:
            continue
        rows = [
            DigestRow(
                code=d.code or "",
                procedure=d.procedure.name,
                due_at=d.due_at,
                overdue=is_overdue(d),
                link=_link(reverse("backoffice:dossier", args=[d.pk])),
            )
            for d in watch.dossiers[:MAX_ROWS]
            if d.due_at is not None
        ]
        sections.append(
            DigestSection(
                agency=membership.agency,
                overdue=watch.counts["overdue"],
                due_soon=watch.counts["due_soon"],
                rows=rows,
            )
        )
    return sections


def digest_message(
    *, user: User, sections: list[DigestSection], day: dt.date
) -> EmailMultiAlternatives:
    """The email (text and HTML) in the active language."""
    context = {
        "user": user,
        "sections": sections,
        "day": day,
        "overdue": sum(s.overdue for s in sections),
        "due_soon": sum(s.due_soon for s in sections),
        "leaders_link": _link(reverse("backoffice:leaders")),
        "site_name": settings.MOTCUA_SITE_NAME,
    }
    subject = " ".join(render_to_string("backoffice/leaders_digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("backoffice/leaders_digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("backoffice/leaders_digest.html", context), "text/html"
    )
    return message


def leader_digests_send(
    *, now: dt.datetime | None = None, language: str | None = None, dry_run: bool = False
) -> DigestRun:
    """Send today's digest to every leader who has overdue or soon-due dossiers at an agency
    working today and has not had one today. Returns who got one, who was skipped and why."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    run = DigestRun()
    already = set(LeaderDigest.objects.filter(day=day).values_list("user_id", flat=True))
    with translation.override(language or settings.LANGUAGE_CODE):
        for user, memberships in leader_memberships_by_user():
            name = user.get_username()
            if user.pk in already:
                run.already_sent.append(name)
                continue
            if not user.email:
                run.no_email.append(name)
                continue
            working = working_memberships(memberships=memberships, day=day)
            if not working:
                run.day_off.append(name)
                continue
            sections = digest_sections(user=user, memberships=working, now=now)
            if not sections:
                run.nothing_due.append(name)
                continue
            if dry_run:
                run.sent.append(name)
                continue
            message = digest_message(user=user, sections=sections, day=day)
            try:
                with transaction.atomic():
                    LeaderDigest.objects.create(
                        user=user,
                        day=day,
                        sent_at=now,
                        overdue=sum(s.overdue for s in sections),
                        due_soon=sum(s.due_soon for s in sections),
                    )
                    message.send()
            except IntegrityError:
                run.already_sent.append(name)  # another run got there first
            except Exception:
                logger.exception("leader digest not sent (user id %s)", user.pk)
                run.failed.append(name)
            else:
                run.sent.append(name)
    return run
