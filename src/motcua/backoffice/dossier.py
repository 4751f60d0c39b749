"""The dossier screen of the back office (/can-bo/ho-so/<id>/): everything about one dossier,
its documents, history and hand-overs, its slips, and the actions the officer may take now.

Thin: the dossier is read through ``dossiers.selectors`` (anyone outside its visibility gets
404, the same answer as for a dossier that does not exist); which actions show comes from
``available_actions``; every change goes through ``dossier_act`` (and ``dossier_attach`` for the
files an action brings) with the version the officer saw, so a dossier changed meanwhile is
never acted on blindly. Every form posts and redirects: all of it works without JavaScript.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from motcua.accounts.models import User
from motcua.core.exceptions import ApplicationError, PermissionDenied
from motcua.dossiers.constants import Action, Actor, Status, Timeliness
from motcua.dossiers.documents import content_disposition, document_open
from motcua.dossiers.exceptions import (
    ActionNotAllowed,
    DocumentFileMissing,
    StaleVersion,
    UnsupportedFileType,
    UploadTooLarge,
)
from motcua.dossiers.history import record_personal_data_access_many
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.rules import may_reassign
from motcua.dossiers.selectors import (
    actor_roles,
    assignable_officers,
    dossier_events,
    dossier_get,
    dossier_steps,
)
from motcua.dossiers.services import (
    available_actions,
    dossier_act,
    dossier_attach,
    dossier_reassign,
)
from motcua.dossiers.slips.forms import TIMELINESS_LABELS
from motcua.dossiers.slips.service import slip_pdf
from motcua.dossiers.uploads import format_size_limit

from .access import Office, staff_view
from .dossier_forms import ACTION_FORMS, REASSIGN, ActionForm, ForwardForm, ReassignForm
from .dossier_selectors import dossier_handovers, forward_targets, officer_names, slip_kinds
from .views import _audit_reads

R = TypeVar("R", bound=HttpResponseBase)

# What the slips are called on screen (Circular 03/2025/TT-VPCP, Annex I).
SLIP_LABELS = {
    "receipt": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    "supplement-request": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"),
    "refusal": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)"),
    "apology": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
    "stop-notice": gettext_lazy("Phiếu dừng giải quyết hồ sơ (Mẫu 05)"),
    "control-slip": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)"),
}
# History entries that are not actions of the status machine.
EVENT_LABELS = {
    "create": gettext_lazy("Tạo hồ sơ"),
    "update_draft": gettext_lazy("Cập nhật hồ sơ nháp"),
    "attach_document": gettext_lazy("Thêm tệp"),
    "rate": gettext_lazy("Người nộp đánh giá"),
    REASSIGN: gettext_lazy("Giao lại người xử lý"),
}
# An entry written by a part of the system this screen does not know yet: a plain word, never
# the machine name of the event.
OTHER_EVENT_LABEL = gettext_lazy("Cập nhật hồ sơ")
# What each action's button says, where it differs from the action's name.
BUTTON_LABELS: dict[str, Any] = {
    Action.FORWARD: gettext_lazy("Chuyển xử lý"),
    Action.SUPPLEMENT: gettext_lazy("Nhận bổ sung tại quầy"),
    Action.PAY: gettext_lazy("Thu phí tại quầy"),
    Action.APPROVE: gettext_lazy("Phê duyệt, ban hành kết quả"),
    Action.EXTEND: gettext_lazy("Gia hạn, gửi phiếu xin lỗi"),
    REASSIGN: gettext_lazy("Giao lại cho người khác"),
}


def _load(office: Office, dossier_id: uuid.UUID) -> Dossier:
    dossier = dossier_get(viewer=office.user, code_or_id=str(dossier_id))
    if dossier is None:
        raise Http404
    return dossier


def _screen_url(dossier: Dossier, anchor: str = "") -> str:
    url = reverse("backoffice:dossier", kwargs={"dossier_id": dossier.pk})
    return f"{url}#{anchor}" if anchor else url


@dataclass
class Panel:
    """One action the officer may take, its button and its form."""

    action: str
    label: str
    button: str
    form: ActionForm
    open: bool


def _form(action: str, dossier: Dossier, *, data: Any = None, files: Any = None) -> ActionForm:
    form_class = ACTION_FORMS[action]
    if form_class is ForwardForm:
        return ForwardForm(data, files, dossier=dossier, targets=forward_targets(dossier=dossier))
    if form_class is ReassignForm:
        officers = list(assignable_officers(agency_id=dossier.current_agency_id))
        return ReassignForm(data, files, dossier=dossier, officers=officers)
    return form_class(data, files, dossier=dossier)


def _possible(dossier: Dossier, user: User) -> list[str]:
    """What the officer may do now: the status machine's actions, and reassigning (which
    changes no status, so the rules decide it apart)."""
    actions = available_actions(dossier=dossier, viewer=user)
    roles = actor_roles(viewer=user, dossier=dossier)
    if Action.PAY in actions and Actor.COUNTER_OFFICER not in roles:
        # The applicant's ``pay`` (an assistant who filed it) is taken at the payment gateway,
        # not with the counter's cash form (docs/adr/0011).
        actions.remove(Action.PAY)
    if may_reassign(Status(dossier.status), roles):
        actions.append(REASSIGN)
    return actions


def _panels(dossier: Dossier, actions: list[str], failed: ActionForm | None) -> list[Panel]:
    labels: dict[str, Any] = {**dict(Action.choices), REASSIGN: BUTTON_LABELS[REASSIGN]}
    panels = []
    for action in actions:
        if action not in ACTION_FORMS:
            continue  # the applicant's own actions (an officer filing for a relative)
        form = failed if failed is not None and failed.action == action else _form(action, dossier)
        panels.append(
            Panel(
                action=action,
                label=str(labels[action]),
                button=str(BUTTON_LABELS.get(action) or labels[action]),
                form=form,
                open=form is failed,
            )
        )
    return panels


def _documents(dossier: Dossier) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"application": [], "result": []}
    for document in dossier.documents.all():
        out["result" if document.kind == Document.Kind.RESULT else "application"].append(
            {
                "document": document,
                "url": reverse(
                    "backoffice:dossier-document",
                    kwargs={"dossier_id": dossier.pk, "document_id": document.pk},
                ),
                "is_image": document.content_type.startswith("image/"),
            }
        )
    return out


def _officer_names(events: list[DossierEvent]) -> dict[str, str]:
    return officer_names(
        usernames={
            str(name)
            for event in events
            if event.action == REASSIGN
            for name in ((event.data or {}).get("from"), (event.data or {}).get("to"))
            if name
        }
    )


def _reassign_detail(event: DossierEvent, names: dict[str, str]) -> str:
    data = event.data or {}
    previous, new = data.get("from"), data.get("to")
    if not new:
        return ""
    if not previous:
        return _("Giao cho %(new)s") % {"new": names.get(str(new), str(new))}
    return _("Từ %(previous)s sang %(new)s") % {
        "previous": names.get(str(previous), str(previous)),
        "new": names.get(str(new), str(new)),
    }


def _timeline(events: list[DossierEvent]) -> list[dict[str, Any]]:
    labels = {**dict(Action.choices), **EVENT_LABELS}
    statuses = dict(Status.choices)
    names = _officer_names(events)
    return [
        {
            "event": event,
            "label": labels.get(event.action, OTHER_EVENT_LABEL),
            "detail": _reassign_detail(event, names) if event.action == REASSIGN else "",
            "status": statuses.get(event.to_status, "")
            if event.to_status != event.from_status
            else "",
            "items": (event.data or {}).get("items") or [],
        }
        for event in events
    ]


PAYMENT_METHODS = {
    "cash": gettext_lazy("Tiền mặt"),
    "transfer": gettext_lazy("Chuyển khoản"),
    "online": gettext_lazy("Trực tuyến"),
}


def _payments(events: list[DossierEvent]) -> list[dict[str, Any]]:
    """Fees asked and paid, from the history (the dossier keeps only the totals)."""
    rows = []
    for event in events:
        data = event.data or {}
        if event.action == Action.REQUEST_PAYMENT:
            rows.append({"event": event, "asked": data.get("amount"), "paid": None, "method": ""})
        elif event.action == Action.PAY:
            rows.append(
                {
                    "event": event,
                    "asked": None,
                    "paid": data.get("amount"),
                    "method": PAYMENT_METHODS.get(str(data.get("method")), ""),
                    "receipt": data.get("receipt_number") or "",
                }
            )
    return rows


def _render(
    request: HttpRequest,
    office: Office,
    dossier: Dossier,
    *,
    failed: ActionForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    _audit_reads(office.user, [dossier])
    events = list(dossier_events(dossier=dossier))
    steps = list(dossier_steps(dossier=dossier))
    actions = _possible(dossier, office.user)
    if failed is not None:
        failed.mark_errors()
    timeliness = dict(Timeliness.choices)
    context = {
        "office": office,
        "dossier": dossier,
        "applicant": dossier.applicant or {},
        "documents": _documents(dossier),
        "timeline": _timeline(events),
        "payments": _payments(events),
        "asked_items": next(
            (
                (e.data or {}).get("items") or []
                for e in reversed(events)
                if e.action == Action.REQUEST_SUPPLEMENT
            ),
            [],
        )
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else [],
        "request_text": str((dossier.form_data or {}).get("request") or ""),
        # The control slip's words (trước hạn, đúng hạn, quá hạn) for the steps too.
        "steps": [
            {"step": step, "timeliness": _(TIMELINESS_LABELS[step.timeliness])}
            if step.timeliness in TIMELINESS_LABELS
            else {"step": step, "timeliness": ""}
            for step in steps
        ],
        "handovers": [
            {
                "row": row,
                "timeliness": _(TIMELINESS_LABELS[row.timeliness]) if row.timeliness else "",
            }
            for row in dossier_handovers(dossier=dossier, steps=steps)
        ],
        "slips": [
            {
                "label": SLIP_LABELS[kind],
                "url": reverse(
                    "backoffice:dossier-slip", kwargs={"dossier_id": dossier.pk, "kind": kind}
                ),
            }
            for kind in slip_kinds(dossier=dossier)
        ],
        "panels": _panels(dossier, actions, failed),
        "failed": failed,
        "problem": problem,
        "timeliness": timeliness.get(dossier.timeliness, ""),
        "overdue": dossier.status in (Status.RECEIVED, Status.PROCESSING)
        and dossier.due_at is not None
        and dossier.due_at < timezone.now(),
        "fees_due": dossier.fees_total - dossier.fees_paid,
        "max_size": format_size_limit(_max_bytes()),
    }
    return render(request, "backoffice/dossier.html", context, status=status)


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.MOTCUA_UPLOAD_MAX_BYTES)


@require_GET
@staff_view
def dossier_view(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """A dossier as its handlers see it, with what they may do now."""
    office: Office = request.office  # type: ignore[attr-defined]
    return _render(request, office, _load(office, dossier_id))


def _changed_meanwhile() -> str:
    return _(
        "Hồ sơ vừa được người khác cập nhật nên thao tác chưa được thực hiện, không có gì thay "
        "đổi. Xem lại tình trạng mới của hồ sơ bên dưới rồi thực hiện lại nếu vẫn cần."
    )


def _not_now() -> str:
    return _(
        "Thao tác này không thực hiện được ở tình trạng hiện tại của hồ sơ. Không có gì thay đổi."
    )


def _upload_error(error: ApplicationError) -> str:
    if isinstance(error, UploadTooLarge):
        return _("Tệp quá lớn: tối đa %(limit)s.") % {"limit": format_size_limit(_max_bytes())}
    return _(
        "Chỉ nhận tệp PDF, JPG hoặc PNG còn nguyên vẹn (dù tên tệp có thể ghi .pdf). "
        "Kiểm tra lại tệp rồi chọn lại."
    )


def _put_errors(form: ActionForm, error: ApplicationError) -> None:
    """The service's errors next to the fields they concern, the rest above the form."""
    placed = False
    for name, texts in (error.errors or {}).items():
        if name in form.fields and name != "version":
            for text in texts:
                form.add_error(name, str(text))
            placed = True
    if not placed:
        form.add_error(None, error.message)


@require_POST
@staff_view
def dossier_action(request: HttpRequest, dossier_id: uuid.UUID, action: str) -> HttpResponse:
    """Take ``action`` on the dossier with the posted form's fields and version."""
    office: Office = request.office  # type: ignore[attr-defined]
    user: User = office.user
    dossier = _load(office, dossier_id)
    if action not in ACTION_FORMS:
        raise Http404
    form = _form(action, dossier, data=request.POST, files=request.FILES)
    if action not in _possible(dossier, user):
        # Most often the dossier moved on since the page was read: say that, when it did.
        stale = request.POST.get(f"{action}-version") != str(dossier.version)
        problem = _changed_meanwhile() if stale else _not_now()
        return _render(request, office, dossier, problem=problem, status=409)
    if not form.is_valid():
        return _render(request, office, dossier, failed=form, status=400)
    uploads = form.uploads()
    try:
        with transaction.atomic():
            # Each file is a change of its own (a new version): the action then expects the
            # version the officer saw plus one per file. Anyone else's change in between makes
            # it stale, and everything here is rolled back.
            attached = [
                dossier_attach(dossier_id=dossier.pk, actor=user, uploaded_file=upload, kind=kind)
                for kind, upload in uploads
            ]
            fields = form.service_fields()
            if action == Action.APPROVE:  # the result documents: those ticked and those sent now
                fields["result_documents"] = [
                    *fields["result_documents"],
                    *(str(d.pk) for d in attached if d.kind == Document.Kind.RESULT),
                ]
            if action == REASSIGN:
                updated = dossier_reassign(
                    dossier_id=dossier.pk,
                    assignee=fields["assignee"],
                    actor=user,
                    version=form.cleaned_data["version"],
                    note=fields["note"],
                )
            else:
                updated = dossier_act(
                    dossier_id=dossier.pk,
                    action=action,
                    actor=user,
                    fields=fields,
                    version=form.cleaned_data["version"] + len(uploads),
                )
    except StaleVersion:
        fresh = _load(office, dossier_id)
        return _rebind(request, office, fresh, action, _changed_meanwhile())
    except ActionNotAllowed:
        return _render(request, office, _load(office, dossier_id), problem=_not_now(), status=409)
    except PermissionDenied:
        return _render(
            request,
            office,
            dossier,
            problem=_("Bạn không có quyền thực hiện thao tác này với hồ sơ."),
            status=403,
        )
    except (UnsupportedFileType, UploadTooLarge) as error:
        form.add_error("attachments", _upload_error(error))
        return _render(request, office, dossier, failed=form, status=error.status)
    except ApplicationError as error:
        _put_errors(form, error)
        return _render(request, office, dossier, failed=form, status=error.status)
    label = BUTTON_LABELS[REASSIGN] if action == REASSIGN else dict(Action.choices)[action]
    messages.success(
        request,
        _("Đã thực hiện: %(action)s. Tình trạng hồ sơ: %(status)s.")
        % {"action": label, "status": updated.get_status_display()},
    )
    if dossier_get(viewer=user, code_or_id=str(updated.pk)) is None:
        # Out of the officer's sight now: back to the queues, a whole page (not swapped in).
        queues = reverse("backoffice:queues")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(queues)
        return redirect(queues)
    return redirect(_screen_url(updated))


def _rebind(
    request: HttpRequest, office: Office, dossier: Dossier, action: str, problem: str
) -> HttpResponse:
    """After a stale version: the screen as it is now, the officer's input kept in the form
    (with the new version) if the action is still possible, so that nothing is typed twice."""
    if action not in _possible(dossier, office.user):
        return _render(request, office, dossier, problem=problem, status=409)
    data = request.POST.copy()
    data[f"{action}-version"] = str(dossier.version)
    form = _form(action, dossier, data=data)
    form.is_valid()
    form.add_error(None, problem)
    return _render(request, office, dossier, failed=form, problem=problem, status=409)


def _no_store(response: R) -> R:
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_view  # type: ignore[arg-type]  # a streamed file, not an HttpResponse
def document_view(
    request: HttpRequest, dossier_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponseBase:
    """A document of a visible dossier, shown in the browser (PDF viewer, image). Named by its
    cleaned display name only (``document_open``), never by what the uploader sent."""
    office: Office = request.office  # type: ignore[attr-defined]
    dossier = _load(office, dossier_id)
    document = next((d for d in dossier.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404
    try:
        handle, content_type, disposition = document_open(document=document)
    except DocumentFileMissing:
        raise Http404 from None
    _record(office.user, dossier, "document")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    return _no_store(response)


@require_GET
@staff_view
def slip_view(request: HttpRequest, dossier_id: uuid.UUID, kind: str) -> HttpResponse:
    """One of the six slips (Mẫu 01-06) of a visible dossier, as a PDF to print."""
    office: Office = request.office  # type: ignore[attr-defined]
    dossier = _load(office, dossier_id)
    pdf = slip_pdf(dossier=dossier, kind=kind)
    if pdf is None:
        raise Http404
    _record(office.user, dossier, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{dossier.code or dossier.pk}-{kind}.pdf"
    )
    return _no_store(response)


def _record(user: User, dossier: Dossier, channel: str) -> None:
    if user.pk not in {dossier.owner_id, dossier.assisted_by_id}:
        record_personal_data_access_many(user=user, dossiers=[dossier], channel=channel)
