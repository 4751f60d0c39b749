"""Staff in-app notices (/can-bo/thong-bao/): the officer's own notices, newest first, and
marking them read. The notices are written by the notifications app when a dossier is given
to the officer or its supplement arrives; each row shows the dossier's code and procedure, no
applicant data."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from motcua.notifications.selectors import notice_list, notice_unread_count
from motcua.notifications.services import notices_mark_read

from .access import staff_view

PAGE_SIZE = 50


@require_GET
@staff_view
def notices_page(request: HttpRequest) -> HttpResponse:
    user = request.office.user  # type: ignore[attr-defined]
    page = Paginator(notice_list(viewer=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/notices/list.html",
        {
            "office": request.office,  # type: ignore[attr-defined]
            "page": page,
            "unread": notice_unread_count(viewer=user),
        },
    )


@require_POST
@staff_view
def notices_read(request: HttpRequest) -> HttpResponse:
    """Mark read the notices posted as ``notice`` (ids), or all of the officer's with ``all``.
    Ids of another officer's notices change nothing (the service filters by viewer)."""
    user = request.office.user  # type: ignore[attr-defined]
    if request.POST.get("all"):
        notices_mark_read(viewer=user)
    else:
        ids = [int(value) for value in request.POST.getlist("notice") if value.isdigit()]
        if ids:
            notices_mark_read(viewer=user, notice_ids=ids)
    return redirect("backoffice:notices")
