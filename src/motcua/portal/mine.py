"""The applicant's own dossier after submission (hồ sơ của tôi): where it is, what to do now,
sending a supplement, withdrawing, downloading results delivered online and rating the service.

Pages are keyed by the dossier's id (a UUID: no personal data in addresses). A dossier is opened
only through the dossier selectors and only for its applicant (``actor_roles``): anyone else,
staff who may see it at their desk included, gets 404. Every write goes through the dossier
services; which buttons show comes from the status machine (``available_actions``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.catalog.models import Agency, RequiredDocument
from motcua.core.exceptions import ApplicationError, Conflict
from motcua.dossiers import selectors, services
from motcua.dossiers.constants import Action, Actor, Delivery, Status
from motcua.dossiers.documents import document_open
from motcua.dossiers.exceptions import (
    ActionNotAllowed,
    DocumentFileMissing,
    UnsupportedFileType,
    UploadTooLarge,
)
from motcua.dossiers.models import Document, Dossier, DossierEvent, Rating
from motcua.dossiers.uploads import format_size_limit

from .apply import _upload_message
from .forms import ACCEPT
from .timeline import Moment, timeline, what_to_do

NOTE_MAX_CHARS = 1000

# -- forms -----------------------------------------------------------------------------------


class SupplementForm(forms.Form):
    """One file input per item the desk asked for, and a note to the desk. Type and size are
    judged by the dossier services from the content."""

    note = forms.CharField(
        label=gettext_lazy("Ghi chú gửi cơ quan (nếu có)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, items: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items or [_("Giấy tờ bổ sung")]
        fields = {
            f"item-{index}": forms.FileField(
                label=item, required=False, widget=forms.FileInput(attrs={"accept": ACCEPT})
            )
            for index, item in enumerate(self.items)
        }
        # The files first, the note last, as the page shows them.
        self.fields = {**fields, "note": self.fields["note"]}

    def uploads(self) -> list[tuple[str, str, Any]]:
        """(field name, item asked for, file) for each file chosen in this post."""
        chosen = []
        for index, item in enumerate(self.items):
            name = f"item-{index}"
            uploaded = self.files.get(self.add_prefix(name))
            if uploaded is not None:
                chosen.append((name, item, uploaded))
        return chosen


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Lý do rút hồ sơ (nếu muốn)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


SCORES = [
    ("5", gettext_lazy("5 sao – Rất hài lòng")),
    ("4", gettext_lazy("4 sao – Hài lòng")),
    ("3", gettext_lazy("3 sao – Bình thường")),
    ("2", gettext_lazy("2 sao – Không hài lòng")),
    ("1", gettext_lazy("1 sao – Rất không hài lòng")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("Bạn hài lòng với việc giải quyết hồ sơ này ở mức nào?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Bạn chọn số sao (từ 1 đến 5).")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Góp ý của bạn (nếu có)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# -- reading the applicant's own dossier ---------------------------------------------------------


def _own_dossier(user: User, pk: uuid.UUID) -> Dossier:
    """The dossier, if this user is its applicant; 404 for anyone else."""
    dossier = selectors.dossier_get(viewer=user, code_or_id=str(pk))
    if dossier is None or Actor.APPLICANT not in selectors.actor_roles(
        viewer=user, dossier=dossier
    ):
        raise Http404
    return dossier


@dataclass
class Summary:
    """What the page shows about the dossier, read once per request."""

    dossier: Dossier
    actions: list[str]
    moments: list[Moment]
    todo: str
    items: list[str]
    request_note: str
    supplement_uploads: list[Document]
    results: list[Document]
    rating: Rating | None
    reason: str  # why the agency refused or rejected it, as the agency wrote it


def _summary(user: User, dossier: Dossier) -> Summary:
    events = list(selectors.dossier_events(dossier=dossier))
    codes = {e.agency_code for e in events} | {
        str((e.data or {}).get("to_agency", "")) for e in events
    }
    agencies = dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))
    last_request: DossierEvent | None = next(
        (e for e in reversed(events) if e.action == Action.REQUEST_SUPPLEMENT), None
    )
    todo, items = what_to_do(dossier, last_request)
    waiting = dossier.status == Status.SUPPLEMENT_REQUESTED and last_request is not None
    documents = list(dossier.documents.all())
    returned = dossier.status == Status.RETURNED
    # Results are downloadable here only when they were delivered online (a paper handed over
    # at the counter or sent by post is the result; the file is the agency's copy).
    delivered_online = returned and any(
        e.action == Action.RETURN_RESULT and (e.data or {}).get("delivery") == Delivery.ONLINE
        for e in events
    )
    return Summary(
        dossier=dossier,
        actions=services.available_actions(dossier=dossier, viewer=user),
        moments=timeline(dossier, events, agencies),
        todo=todo,
        items=items,
        request_note=last_request.note if waiting and last_request else "",
        supplement_uploads=[
            d
            for d in documents
            if waiting
            and last_request is not None
            and d.kind == Document.Kind.APPLICATION
            and d.uploaded_at >= last_request.at
        ],
        results=[d for d in documents if delivered_online and d.kind == Document.Kind.RESULT],
        rating=Rating.objects.filter(dossier=dossier).first() if returned else None,
        reason=next(
            (
                e.note
                for e in reversed(events)
                if e.action in (Action.REFUSE, Action.REJECT) and e.to_status == dossier.status
            ),
            "",
        ),
    )


def _render(
    request: HttpRequest,
    summary: Summary,
    *,
    supplement_form: SupplementForm | None = None,
    rating_form: RatingForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    dossier = summary.dossier
    if supplement_form is None and Action.SUPPLEMENT in summary.actions:
        supplement_form = SupplementForm(items=summary.items)
    if rating_form is None and dossier.status == Status.RETURNED and summary.rating is None:
        rating_form = RatingForm()
    return render(
        request,
        "portal/mine/dossier.html",
        {
            "dossier": dossier,
            "summary": summary,
            "supplement_form": supplement_form if Action.SUPPLEMENT in summary.actions else None,
            "rating_form": rating_form if summary.rating is None else None,
            "can_withdraw": Action.WITHDRAW in summary.actions,
            "problem": problem,
            "max_size": format_size_limit(settings.MOTCUA_UPLOAD_MAX_BYTES),
        },
        status=status,
    )


def _page_url(dossier: Dossier, anchor: str = "") -> str:
    url = reverse("portal:mine-dossier", kwargs={"pk": dossier.pk})
    return f"{url}#{anchor}" if anchor else url


def _changed_meanwhile() -> str:
    return _(
        "Hồ sơ vừa thay đổi tình trạng nên không thể làm việc này lúc này. "
        "Bạn xem tình trạng mới của hồ sơ bên dưới."
    )


# -- the page --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def dossier_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    if dossier.status == Status.DRAFT:
        return redirect("portal:apply-step", pk=dossier.pk, step=1)
    return _render(request, _summary(user, dossier))


# -- supplement (bổ sung hồ sơ) ----------------------------------------------------------------


def _required_by_name(dossier: Dossier) -> dict[str, RequiredDocument]:
    return {
        rd.name.strip().casefold(): rd
        for rd in RequiredDocument.objects.filter(procedure_id=dossier.procedure_id)
    }


@login_required
@require_POST
def supplement(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Upload the papers asked for; with ``then=send``, also send the supplement to the desk."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    summary = _summary(user, dossier)
    if Action.SUPPLEMENT not in summary.actions:
        return _render(request, summary, problem=_changed_meanwhile(), status=409)
    form = SupplementForm(request.POST, request.FILES, items=summary.items)
    form.is_valid()
    statuses: set[int] = set()
    uploaded = 0
    required = _required_by_name(dossier)
    for name, item, upload in form.uploads():
        try:
            services.dossier_attach(
                dossier_id=dossier.pk,
                actor=user,
                uploaded_file=upload,
                kind=Document.Kind.APPLICATION,
                # An item that is one of the procedure's documents is filed as that document.
                required_document=required.get(item.strip().casefold()),
            )
        except (UnsupportedFileType, UploadTooLarge) as error:
            form.add_error(name, _upload_message(error))
            statuses.add(error.status)
        except ActionNotAllowed:
            return _render(
                request, _summary(user, dossier), problem=_changed_meanwhile(), status=409
            )
        except ApplicationError as error:
            form.add_error(name, error.message)
            statuses.add(400)
        else:
            uploaded += 1
    if not form.errors and request.POST.get("then") == "send":
        dossier = _own_dossier(user, pk)
        summary = _summary(user, dossier)
        if not summary.supplement_uploads:
            form.add_error(
                "item-0", _("Bạn chưa tải lên giấy tờ nào. Bạn chọn tệp rồi bấm lại “Gửi bổ sung”.")
            )
            statuses.add(400)
        else:
            try:
                services.dossier_act(
                    dossier_id=dossier.pk,
                    action=Action.SUPPLEMENT,
                    actor=user,
                    fields={"note": form.cleaned_data.get("note", "")},
                )
            except ActionNotAllowed:
                return _render(
                    request, _summary(user, dossier), problem=_changed_meanwhile(), status=409
                )
            messages.success(
                request,
                _("Đã gửi bổ sung. Cơ quan tiếp tục giải quyết hồ sơ của bạn."),
            )
            return redirect(_page_url(dossier))
    if not form.errors:
        messages.success(
            request,
            _("Đã tải lên %(count)s tệp. Khi đủ giấy tờ, bạn bấm “Gửi bổ sung” để gửi cho cơ quan.")
            % {"count": uploaded},
        )
        return redirect(_page_url(dossier, "bo-sung"))
    summary = _summary(user, _own_dossier(user, pk))
    return _render(
        request,
        summary,
        supplement_form=form,
        # Too large (413) wins over a wrong type (415), which wins over anything else.
        status=next((code for code in (413, 415, 400) if code in statuses), 400),
    )


# -- withdraw (rút hồ sơ) --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """A confirmation page; posting it withdraws the dossier (the desk then confirms the stop,
    or, before receipt, the dossier stops at once)."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    allowed = Action.WITHDRAW in services.available_actions(dossier=dossier, viewer=user)
    form = WithdrawForm(request.POST or None)
    problem = ""
    status = 200
    if not allowed:
        problem, status = _("Hồ sơ ở tình trạng hiện tại không thể rút được nữa."), 409
    elif request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_act(
                dossier_id=dossier.pk,
                action=Action.WITHDRAW,
                actor=user,
                fields={"note": form.cleaned_data["note"]},
            )
        except ActionNotAllowed:
            problem, status = _("Hồ sơ ở tình trạng hiện tại không thể rút được nữa."), 409
        else:
            if dossier.status == Status.STOPPED:
                text = _("Bạn đã rút hồ sơ. Hồ sơ đã dừng, không được giải quyết tiếp.")
            else:
                text = _(
                    "Đã gửi đề nghị rút hồ sơ. Bộ phận một cửa sẽ xác nhận dừng giải quyết "
                    "và báo cho bạn."
                )
            messages.success(request, text)
            return redirect(_page_url(dossier))
    elif form.errors:
        status = 400
    return render(
        request,
        "portal/mine/withdraw.html",
        {"dossier": dossier, "form": form if allowed else None, "problem": problem},
        status=status,
    )


# -- results delivered online (kết quả trực tuyến) -------------------------------------------------


@login_required
@require_http_methods(["GET"])
def result_download(request: HttpRequest, pk: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    """A result document, to the applicant only, once the result was returned online."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    document = next((d for d in _summary(user, dossier).results if d.pk == document_id), None)
    if document is None:
        raise Http404
    try:
        handle, content_type, disposition = document_open(document=document, attachment=True)
    except DocumentFileMissing:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# -- rating (đánh giá) ---------------------------------------------------------------------------


@login_required
@require_POST
def rate(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render(request, _summary(user, dossier), rating_form=form, status=400)
    try:
        services.dossier_rate(
            dossier_id=dossier.pk,
            actor=user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"].strip(),
        )
    except ActionNotAllowed:
        problem = _("Bạn chỉ đánh giá được sau khi đã nhận kết quả.")
        return _render(request, _summary(user, dossier), problem=problem, status=409)
    except Conflict:
        problem = _("Bạn đã đánh giá hồ sơ này rồi. Mỗi hồ sơ chỉ đánh giá một lần.")
        return _render(request, _summary(user, dossier), problem=problem, status=409)
    messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect(_page_url(dossier, "danh-gia"))
