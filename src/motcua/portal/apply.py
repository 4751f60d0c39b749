"""The online application wizard (nộp hồ sơ trực tuyến) and its receipt page.

Five steps: (1) applicant, (2) request, (3) documents, (4) result delivery, (5) review and submit.
The draft is created when step 1 is first saved and every later step is saved into it, so a
person can stop and go on from another device ("Hồ sơ nháp"). Pages are keyed by the dossier's
id (a UUID: no personal data in addresses), and a dossier is opened only through the dossier
selectors, for its applicant: anyone else gets 404. All writes go through the dossier services.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import User
from motcua.accounts.selectors import citizen_profile
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.core.exceptions import ApplicationError, PermissionDenied
from motcua.dossiers import selectors, services
from motcua.dossiers.constants import Action, Actor, Channel, Status
from motcua.dossiers.exceptions import MissingDocuments, UnsupportedFileType, UploadTooLarge
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services.drafts import dossier_update_draft
from motcua.dossiers.slips.builders import tracking_url
from motcua.dossiers.slips.service import slip_pdf, submission_confirmation_pdf
from motcua.dossiers.uploads import format_size_limit

from .fees import fee_summary
from .forms import (
    ApplicantForm,
    DeliveryForm,
    RequestForm,
    UploadForm,
    add_service_error,
    document_field_name,
    quantity_fields,
    upload_problem,
)
from .qr import qr_svg

STEPS = (
    (1, "applicant"),
    (2, "request"),
    (3, "documents"),
    (4, "delivery"),
    (5, "review"),
)
LAST_STEP = len(STEPS)


def step_titles() -> list[tuple[int, str]]:
    return [
        (1, _("Người nộp")),
        (2, _("Nội dung yêu cầu")),
        (3, _("Giấy tờ")),
        (4, _("Nhận kết quả")),
        (5, _("Xem lại và nộp")),
    ]


# -- reading the applicant's own dossier ---------------------------------------------------------


def _own_dossier(user: User, pk: uuid.UUID) -> Dossier:
    """The dossier, if this user is its applicant; 404 for anyone else (staff who may see a
    submitted dossier included: these pages are the applicant's)."""
    dossier = selectors.dossier_get(viewer=user, code_or_id=str(pk))
    if dossier is None or Actor.APPLICANT not in selectors.actor_roles(
        viewer=user, dossier=dossier
    ):
        raise Http404
    return dossier


def _required_documents(procedure: Procedure) -> list[RequiredDocument]:
    return list(procedure.required_documents.order_by("position", "pk"))


def _attached(dossier: Dossier) -> dict[int | None, list[Document]]:
    by_required: dict[int | None, list[Document]] = {}
    for document in dossier.documents.all():
        if document.kind == Document.Kind.APPLICATION:
            by_required.setdefault(document.required_document_id, []).append(document)
    return by_required


def resume_step(dossier: Dossier, required: list[RequiredDocument]) -> int:
    """Where a person left off: the first step that still lacks something, else the review."""
    if not (dossier.form_data or {}).get("request"):
        return 2
    attached = _attached(dossier)
    if any(doc.required and not attached.get(doc.pk) for doc in required):
        return 3
    return LAST_STEP


def _context(
    request: HttpRequest, dossier: Dossier | None, step: int, **extra: Any
) -> dict[str, Any]:
    if dossier is not None:
        extra.setdefault("procedure", dossier.procedure)
    return {
        "dossier": dossier,
        "step": step,
        "steps": step_titles(),
        "step_name": dict(step_titles())[step],
        "last_step": LAST_STEP,
        **extra,
    }


def _staff_refusal(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/apply/refused.html",
        {
            "message": _(
                "Tài khoản cán bộ không dùng để nộp hồ sơ trực tuyến. "
                "Bạn đăng nhập bằng tài khoản công dân để nộp hồ sơ."
            )
        },
        status=403,
    )


def _is_staff(user: User) -> bool:
    return bool(selectors.staff_scope(user).roles) or citizen_profile(user) is None


# -- step 1: the applicant; creates the draft ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of a new application: who applies. Saving it creates the draft."""
    procedure = catalog_selectors.procedure_get(code=code)
    if procedure is None or not procedure.is_active or procedure.online == "none":
        raise Http404
    user: User = request.user  # type: ignore[assignment]
    if _is_staff(user):
        return _staff_refusal(request)
    profile = citizen_profile(user)
    initial = ApplicantForm.initial_from(profile.applicant() if profile else {}, None)
    form = ApplicantForm(request.POST or None, procedure=procedure, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(
                actor=user,
                procedure=procedure,
                agency=form.cleaned_data["agency"],
                channel=Channel.ONLINE,
                applicant=services.ApplicantData(**form.applicant()),
                on_behalf_of=form.on_behalf_of(),
            )
        except PermissionDenied:
            return _staff_refusal(request)
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return redirect("portal:apply-step", pk=dossier.pk, step=2)
    return render(
        request,
        "portal/apply/applicant.html",
        _context(request, None, 1, procedure=procedure, form=form),
        status=400 if form.errors else 200,
    )


# -- the steps of an existing draft --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply_step(request: HttpRequest, pk: uuid.UUID, step: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    if dossier.status != Status.DRAFT:
        return redirect("portal:apply-done", pk=dossier.pk)
    handler = _STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404
    return handler(request, user, dossier)


def _next(dossier: Dossier, step: int) -> HttpResponse:
    return redirect("portal:apply-step", pk=dossier.pk, step=step)


def _applicant_step(request: HttpRequest, user: User, dossier: Dossier) -> HttpResponse:
    procedure = dossier.procedure
    initial = ApplicantForm.initial_from(dossier.applicant, dossier.on_behalf_of)
    initial["agency"] = dossier.agency_id
    form = ApplicantForm(request.POST or None, procedure=procedure, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            dossier_update_draft(
                dossier_id=dossier.pk,
                actor=user,
                applicant=services.ApplicantData(**form.applicant()),
                on_behalf_of=form.on_behalf_of(),
                agency=form.cleaned_data["agency"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return _next(dossier, 2)
    return render(
        request,
        "portal/apply/applicant.html",
        _context(request, dossier, 1, procedure=procedure, form=form),
        status=400 if form.errors else 200,
    )


def _request_step(request: HttpRequest, user: User, dossier: Dossier) -> HttpResponse:
    form_data = dict(dossier.form_data or {})
    form = RequestForm(request.POST or None, initial={"request": form_data.get("request", "")})
    form.add_quantities(
        catalog_selectors.procedure_fee_rules(procedure_id=dossier.procedure_id), form_data
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier_update_draft(
                dossier_id=dossier.pk,
                actor=user,
                form_data={
                    **form_data,
                    "request": form.cleaned_data["request"].strip(),
                    **form.quantities(),
                },
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return _next(dossier, 3)
    return render(
        request,
        "portal/apply/request.html",
        _context(request, dossier, 2, form=form),
        status=400 if form.errors else 200,
    )


def _documents_step(request: HttpRequest, user: User, dossier: Dossier) -> HttpResponse:
    required = _required_documents(dossier.procedure)
    form = UploadForm(request.POST or None, request.FILES or None, required_documents=required)
    statuses: set[int] = set()
    if request.method == "POST":
        form.is_valid()
        for document, uploaded in form.uploads():
            try:
                services.dossier_attach(
                    dossier_id=dossier.pk,
                    actor=user,
                    uploaded_file=uploaded,
                    kind=Document.Kind.APPLICATION,
                    required_document=document,
                )
            except (UnsupportedFileType, UploadTooLarge) as error:
                form.add_error(document_field_name(document), _upload_message(error))
                statuses.add(error.status)
            except ApplicationError as error:
                form.add_error(document_field_name(document), error.message)
                statuses.add(400)
        if not form.errors:
            if request.POST.get("then") == "stay":
                return _next(dossier, 3)
            attached = _attached(_own_dossier(user, dossier.pk))
            for document in required:
                if document.required and not attached.get(document.pk):
                    form.add_error(
                        document_field_name(document),
                        _("Bạn chưa tải lên giấy tờ này. Đây là giấy tờ bắt buộc."),
                    )
            if not form.errors:
                return _next(dossier, 4)
            statuses.add(400)
        dossier = _own_dossier(user, dossier.pk)
    attached = _attached(dossier)
    rows = [
        {
            "document": document,
            "field": form[document_field_name(document)],
            "attached": attached.get(document.pk, []),
        }
        for document in required
    ]
    return render(
        request,
        "portal/apply/documents.html",
        _context(
            request,
            dossier,
            3,
            form=form,
            rows=rows,
            max_size=format_size_limit(settings.MOTCUA_UPLOAD_MAX_BYTES),
        ),
        # Too large (413) wins over a wrong type (415), which wins over anything else.
        status=next((code for code in (413, 415, 400) if code in statuses), 200),
    )


def _upload_message(error: ApplicationError) -> str:
    """A refused file, in the citizen's words."""
    match upload_problem(error):
        case "too_large":
            return _("Tệp quá lớn: tối đa %(limit)s. Bạn chụp lại với độ phân giải thấp hơn.") % {
                "limit": format_size_limit(settings.MOTCUA_UPLOAD_MAX_BYTES)
            }
        case "empty":
            return _("Tệp trống, không có nội dung. Chỉ nhận tệp PDF, JPG hoặc PNG.")
        case "damaged":
            return _(
                "Tệp bị hỏng hoặc chưa được tải lên trọn vẹn. Bạn kiểm tra lại tệp và gửi lại."
            )
    return _(
        "Tệp này không phải PDF, JPG hay PNG (dù tên tệp có thể ghi .pdf). "
        "Bạn chọn tệp PDF hoặc chụp ảnh giấy tờ."
    )


def _delivery_step(request: HttpRequest, user: User, dossier: Dossier) -> HttpResponse:
    form_data = dict(dossier.form_data or {})
    form = DeliveryForm(
        request.POST or None,
        procedure=dossier.procedure,
        initial={
            "result_delivery": dossier.result_delivery,
            "delivery_address": form_data.get("delivery_address")
            or dossier.applicant.get("address", ""),
        },
    )
    if request.method == "POST" and form.is_valid():
        delivery = form.cleaned_data["result_delivery"]
        form_data.pop("delivery_address", None)
        if delivery == "post":
            form_data["delivery_address"] = form.cleaned_data["delivery_address"].strip()
        try:
            dossier_update_draft(
                dossier_id=dossier.pk, actor=user, result_delivery=delivery, form_data=form_data
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            return _next(dossier, 5)
    return render(
        request,
        "portal/apply/delivery.html",
        _context(request, dossier, 4, form=form),
        status=400 if form.errors else 200,
    )


def _review_step(request: HttpRequest, user: User, dossier: Dossier) -> HttpResponse:
    required = _required_documents(dossier.procedure)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.dossier_act(dossier_id=dossier.pk, action=Action.SUBMIT, actor=user)
        except MissingDocuments as error:
            errors = list(error.errors.get("documents", [])) or [error.message]
            status = error.status
        except ApplicationError as error:
            errors = [error.message]
            status = error.status
        else:
            return redirect("portal:apply-done", pk=dossier.pk)
    attached = _attached(dossier)
    if not (dossier.form_data or {}).get("request"):
        errors.append(_("Bạn chưa viết nội dung yêu cầu."))
    return render(
        request,
        "portal/apply/review.html",
        _context(
            request,
            dossier,
            5,
            rows=[(document, attached.get(document.pk, [])) for document in required],
            submit_errors=errors,
            fees=fee_summary(dossier),
            asks_quantities=bool(
                quantity_fields(
                    catalog_selectors.procedure_fee_rules(procedure_id=dossier.procedure_id), None
                )
            ),
        ),
        status=status,
    )


_STEP_HANDLERS = {
    1: _applicant_step,
    2: _request_step,
    3: _documents_step,
    4: _delivery_step,
    5: _review_step,
}


# -- after submission ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def apply_done(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The receipt page: the dossier code, its QR code, what happens next and when."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    if dossier.status == Status.DRAFT:
        return redirect("portal:apply-step", pk=dossier.pk, step=LAST_STEP)
    url = tracking_url(settings.MOTCUA_PUBLIC_URL, dossier.code or "")
    label = _("Mã QR để tra cứu hồ sơ %(code)s") % {"code": dossier.code}
    return render(
        request,
        "portal/apply/done.html",
        {
            "dossier": dossier,
            "tracking_url": url,
            "tracking_path": reverse("portal:track-dossier", kwargs={"code": dossier.code}),
            "qr": qr_svg(url, label=label),
            "received": dossier.received_at is not None,
            "fees": fee_summary(dossier),
        },
    )


@login_required
@require_http_methods(["GET"])
def apply_receipt_pdf(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The receipt (Mẫu 01) as PDF, to its applicant, once the desk has received the dossier."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    pdf = slip_pdf(dossier=dossier, kind="receipt")
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-giay-tiep-nhan.pdf"'
    return response


@login_required
@require_http_methods(["GET"])
def apply_confirmation_pdf(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Phiếu xác nhận nộp hồ sơ trực tuyến as PDF, to its applicant, right after submitting."""
    user: User = request.user  # type: ignore[assignment]
    dossier = _own_dossier(user, pk)
    pdf = submission_confirmation_pdf(dossier=dossier)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-xac-nhan-nop.pdf"'
    return response


@login_required
@require_http_methods(["GET"])
def drafts(request: HttpRequest) -> HttpResponse:
    """Hồ sơ nháp: the applicant's unfinished applications, to go on with from any device."""
    user: User = request.user  # type: ignore[assignment]
    rows = []
    for dossier in selectors.dossier_list(viewer=user, filters={"status": Status.DRAFT}):
        if Actor.APPLICANT not in selectors.actor_roles(viewer=user, dossier=dossier):
            continue
        required = _required_documents(dossier.procedure)
        rows.append({"dossier": dossier, "step": resume_step(dossier, required)})
    return render(request, "portal/apply/drafts.html", {"rows": rows})
