"""The leaders' page (/can-bo/lanh-dao/): their agency's overdue and soon-due dossiers, soonest
due first, with a form to reassign each one the agency holds; and the same list for the daily
digest email (``send_leader_digests``).

What counts as overdue or due soon is the work queues' rule (``selectors.queue_conditions``:
the agency's working calendar, one working day ahead); who may see a dossier is
``dossiers.selectors``; who may reassign it is ``dossiers.rules`` through
``dossiers.services.dossier_reassign``. Nothing is decided here twice.

The rows show no applicant's personal data (code, procedure, step, assignee, due time): a
leader watches deadlines here; the dossier screen, which records the read, has the rest.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.constants import Role
from motcua.accounts.models import Membership, User
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.dossiers.constants import Status
from motcua.dossiers.exceptions import ActionNotAllowed, StaleVersion
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import may_reassign
from motcua.dossiers.selectors import actor_roles, assignable_officers, dossier_visible_id
from motcua.dossiers.services import dossier_reassign

from .access import Office, staff_view
from .selectors import QueueFilters, queue_conditions, queue_counts, queue_dossiers

PAGE_SIZE = 50
WATCHED = ("overdue", "due_soon")  # the queues a leader watches here, by their queue keys


# --- Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Watchlist:
    """A leader's overdue and soon-due dossiers (visible to them), soonest due first."""

    dossiers: QuerySet[Dossier]
    counts: dict[str, int]
    now: dt.datetime


def leader_watchlist(*, viewer: User, membership: Membership, now: dt.datetime) -> Watchlist:
    """The dossiers of ``membership``'s agency that are overdue or due within one working day,
    by the work queues' own conditions, with how many of each."""
    conditions = queue_conditions(viewer=viewer, membership=membership, now=now)
    watched = {key: conditions[key] for key in WATCHED if key in conditions}
    if not watched:
        return Watchlist(Dossier.objects.none(), dict.fromkeys(WATCHED, 0), now)
    either = {
        "watched": watched.get("overdue", Q(pk__in=[])) | watched.get("due_soon", Q(pk__in=[]))
    }
    rows = queue_dossiers(viewer=viewer, conditions=either, queue="watched", filters=QueueFilters())
    counts = queue_counts(viewer=viewer, conditions=watched)
    # Which rows are overdue (the rest are due soon): the overdue queue's own condition, asked
    # of the database along with the rows.
    overdue = ExpressionWrapper(watched.get("overdue", Q(pk__in=[])), output_field=BooleanField())
    return Watchlist(
        rows.select_related("current_step").annotate(in_overdue_queue=overdue),
        {key: int(counts.get(key) or 0) for key in WATCHED},
        now,
    )


def is_overdue(dossier: Dossier) -> bool:
    """Whether a dossier of a ``leader_watchlist`` is in the overdue queue (else due soon)."""
    return bool(getattr(dossier, "in_overdue_queue", False))


def leader_memberships(memberships: list[Membership]) -> list[Membership]:
    return [m for m in memberships if m.role == Role.LEADER]


# --- Pages ----------------------------------------------------------------------------------


class ReassignForm(forms.Form):
    """What the reassign button posts; the service decides whether it may happen."""

    dossier = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    assignee = forms.CharField(label=gettext_lazy("Giao cho"), max_length=150)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)


def _leader_office(request: HttpRequest) -> Office:
    office: Office = request.office  # type: ignore[attr-defined]
    if office.active.role != Role.LEADER:
        raise _Forbidden
    return office


class _Forbidden(Exception):
    pass


def _forbidden(request: HttpRequest) -> HttpResponse:
    office = getattr(request, "office", None)
    return render(request, "backoffice/leaders_forbidden.html", {"office": office}, status=403)


@require_GET
@staff_view
def leaders_view(request: HttpRequest) -> HttpResponse:
    try:
        office = _leader_office(request)
    except _Forbidden:
        return _forbidden(request)
    now = timezone.now()
    watch = leader_watchlist(viewer=office.user, membership=office.active, now=now)
    page = Paginator(watch.dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    agency_id = office.active.agency_id
    officers = list(assignable_officers(agency_id=agency_id))
    rows = []
    for dossier in page.object_list:
        reassignable = dossier.current_agency_id == agency_id and may_reassign(
            Status(dossier.status), actor_roles(viewer=office.user, dossier=dossier)
        )
        rows.append(
            {
                "dossier": dossier,
                "overdue": is_overdue(dossier),
                "reassignable": reassignable,
                "officers": [o for o in officers if o.pk != dossier.assignee_id]
                if reassignable
                else [],
            }
        )
    context: dict[str, Any] = {
        "office": office,
        "page": page,
        "rows": rows,
        "counts": watch.counts,
        "now": now,
    }
    return render(request, "backoffice/leaders.html", context)


@require_POST
@staff_view
def reassign_view(request: HttpRequest) -> HttpResponse:
    try:
        office = _leader_office(request)
    except _Forbidden:
        return _forbidden(request)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn người được giao rồi thử lại."))
        return redirect("backoffice:leaders")
    dossier_id: uuid.UUID = form.cleaned_data["dossier"]
    if dossier_visible_id(viewer=office.user, code_or_id=str(dossier_id)) is None:
        raise Http404
    try:
        dossier = dossier_reassign(
            dossier_id=dossier_id,
            assignee=form.cleaned_data["assignee"],
            actor=office.user,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except PermissionDenied:
        return _forbidden(request)
    except StaleVersion:
        messages.error(
            request,
            _("Hồ sơ vừa được người khác cập nhật. Xem lại danh sách rồi giao lại nếu cần."),
        )
        return redirect("backoffice:leaders")
    except (ActionNotAllowed, ValidationFailed) as error:
        detail = next(iter(error.errors.get("assignee", [])), "")
        messages.error(
            request,
            _("Không giao lại được hồ sơ.") + (f" {_(detail)}" if detail else ""),
        )
        return redirect("backoffice:leaders")
    assignee = dossier.assignee
    messages.success(
        request,
        _("Đã giao hồ sơ %(code)s cho %(name)s.")
        % {
            "code": dossier.code,
            "name": (assignee.full_name or assignee.username) if assignee else "",
        },
    )
    return redirect("backoffice:leaders")
