"""The desk's pages: a counter officer registers a walk-in dossier (received at once, the receipt
printed straight away); a volunteer files online on a citizen's behalf with the same form
("assisted" mode, API.md: ``channel`` online, ``assisted_by``, the citizen's consent).

Thin, like the rest of the back office: the form checks input, ``counter_services`` writes
through the dossier services, the selectors read. Addresses carry only the procedure's public
code and the dossier's id; a lookup by phone, email or ID number is posted, never in a URL.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.constants import Role
from motcua.accounts.models import Membership, User
from motcua.accounts.selectors import citizen_find
from motcua.catalog.fees import FeeRule
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.selectors import procedure_fee_rules
from motcua.core.exceptions import ApplicationError, PermissionDenied
from motcua.core.middleware import CSP
from motcua.dossiers.constants import Delivery, Status
from motcua.dossiers.exceptions import MissingDocuments, UnsupportedFileType, UploadTooLarge
from motcua.dossiers.history import record_personal_data_access_many
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get
from motcua.dossiers.services import ApplicantData
from motcua.dossiers.slips.service import slip_pdf
from motcua.dossiers.uploads import format_size_limit, inspect_upload
from motcua.portal.fees import fee_summary
from motcua.portal.forms import add_service_error, upload_problem

from .access import Office, staff_view
from .counter_forms import RegistrationForm, files_field_name, received_field_name
from .counter_selectors import desk_procedure, desk_procedures, procedure_documents
from .counter_services import Registration, counter_register

COUNTER = "counter"
ASSISTED = "assisted"
logger = logging.getLogger(__name__)

# How long a sent form is remembered, so that sending it again opens the dossier it created.
SUBMISSION_SECONDS = 3600


def desk_mode(membership: Membership) -> str | None:
    """How the active role files at the desk: a counter officer receives, a volunteer files
    online for the citizen; anyone else does neither here."""
    if membership.role == Role.COUNTER_OFFICER:
        return COUNTER
    if membership.role == Role.ASSISTANT:
        return ASSISTED
    return None


def _office(request: HttpRequest) -> Office:
    office: Office = request.office  # type: ignore[attr-defined]
    return office


def _not_at_desk(request: HttpRequest, office: Office) -> HttpResponse:
    return render(request, "backoffice/counter_forbidden.html", {"office": office}, status=403)


# --- Picking the procedure --------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@staff_view
def register_view(request: HttpRequest) -> HttpResponse:
    """Without a procedure: the search over the procedures this desk receives (htmx suggestions
    as one types; a plain GET form without JavaScript). With ``?thu-tuc=<code>``: the form."""
    office = _office(request)
    mode = desk_mode(office.active)
    if mode is None:
        return _not_at_desk(request, office)
    agency = office.active.agency
    code = request.GET.get("thu-tuc", "").strip()
    if not code:
        if request.method != "GET":
            return redirect("backoffice:counter")
        q = request.GET.get("q", "").strip()[:200]
        context = {
            "office": office,
            "mode": mode,
            "q": q,
            "procedures": desk_procedures(
                agency_id=agency.pk, agency_code=agency.code, q=q, online_only=mode == ASSISTED
            ),
        }
        template = (
            "backoffice/counter_procedures.html"
            if getattr(request, "htmx", False)
            else "backoffice/counter_pick.html"
        )
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    procedure = desk_procedure(agency_id=agency.pk, code=code, online_only=mode == ASSISTED)
    if procedure is None:
        raise Http404
    documents = procedure_documents(procedure=procedure)
    rules = procedure_fee_rules(procedure_id=procedure.pk)
    if request.method == "POST" and request.POST.get("action") == "lookup":
        return _lookup(request, office, mode, procedure, documents, rules)
    return _register(request, office, mode, procedure, documents, rules)


# --- Looking up the applicant's account -------------------------------------------------------


def _lookup(
    request: HttpRequest,
    office: Office,
    mode: str,
    procedure: Procedure,
    documents: list[RequiredDocument],
    rules: list[FeeRule],
) -> HttpResponse:
    """Fill the applicant's details from their citizen account, found by exactly one phone,
    email or ID number. With htmx only the applicant's part of the page is replaced (files
    already chosen stay chosen); without, the page comes back with everything typed kept."""
    data = request.POST
    found = citizen_find(identifier=data.get("account", ""))
    # A trace of who looked up accounts, without what was typed or found (personal data).
    logger.info(
        "Citizen account lookup at the desk by user %s: %s",
        office.user.pk,
        "found" if found is not None else "not found",
    )
    initial: dict[str, Any] = {name: value for name, value in data.items() if name != "action"}
    if found is not None:
        details = {
            "full_name": found.full_name,
            "id_number": found.id_number,
            "phone": found.phone,
            "email": found.email,
            "address": found.address,
        }
        initial.update({name: value for name, value in details.items() if value})
    form = RegistrationForm(
        initial=initial,
        procedure=procedure,
        required_documents=documents,
        assisted=mode == ASSISTED,
        fee_rules=rules,
    )
    context = _form_context(office, mode, procedure, form)
    context["lookup"] = {"done": True, "found": found}
    context["files_lost"] = bool(request.FILES)
    if getattr(request, "htmx", False):
        return render(request, "backoffice/counter_lookup.html", context)
    return render(request, "backoffice/counter_form.html", context)


# --- Registering ----------------------------------------------------------------------------


def _form_context(
    office: Office, mode: str, procedure: Procedure, form: RegistrationForm
) -> dict[str, Any]:
    return {
        "office": office,
        "mode": mode,
        "procedure": procedure,
        "form": form,
        "rows": form.document_rows(),
        "max_size": format_size_limit(settings.MOTCUA_UPLOAD_MAX_BYTES),
        "action_url": f"{reverse('backoffice:counter')}?thu-tuc={procedure.code}",
    }


def _register(
    request: HttpRequest,
    office: Office,
    mode: str,
    procedure: Procedure,
    documents: list[RequiredDocument],
    rules: list[FeeRule],
) -> HttpResponse:
    assisted = mode == ASSISTED
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"submission": uuid.uuid4().hex},
        procedure=procedure,
        required_documents=documents,
        assisted=assisted,
        fee_rules=rules,
    )
    if request.method == "POST":
        owner = _owner(form) if form.is_valid() else None
        if not form.errors:
            _check_files(form)
        if not form.errors:
            key = f"counter-submission:{office.user.pk}:{form.cleaned_data['submission']}"
            if cache.add(key, "", SUBMISSION_SECONDS):
                dossier = _create(request, office, procedure, form, owner, assisted=assisted)
                if dossier is not None:
                    cache.set(key, str(dossier.pk), SUBMISSION_SECONDS)
                    return redirect("backoffice:counter-done", dossier_id=dossier.pk)
                cache.delete(key)
            else:
                # The same form sent twice (a double click, a reload after a slow answer):
                # one dossier, and the second request goes where the first went.
                earlier = cache.get(key)
                if earlier:
                    return redirect("backoffice:counter-done", dossier_id=earlier)
                form.add_error(
                    None, _("Hồ sơ này đang được gửi. Chờ giây lát rồi xem lại hàng đợi hồ sơ.")
                )
    context = _form_context(office, mode, procedure, form)
    context["files_lost"] = bool(form.errors) and bool(request.FILES)
    return render(
        request, "backoffice/counter_form.html", context, status=400 if form.errors else 200
    )


def _owner(form: RegistrationForm) -> User | None:
    """The applicant's citizen account, found again from what is in the form now (never from
    an id the browser sends back)."""
    identifier = form.cleaned_data.get("account", "")
    owner = citizen_find(identifier=identifier) if identifier else None
    if identifier and owner is None:
        form.add_error(
            "account",
            _(
                "Không tìm thấy đúng một tài khoản với thông tin này. Xoá ô này nếu người nộp chưa có tài khoản."
            ),
        )
    if form.cleaned_data.get("result_delivery") == Delivery.ONLINE and owner is None:
        form.add_error(
            "result_delivery",
            _("Nhận kết quả trực tuyến cần tài khoản công dân của người nộp (tìm ở trên)."),
        )
    return owner


def _check_files(form: RegistrationForm) -> None:
    """Each file judged by its content, as the dossier documents service judges it, so that the
    error shows next to its document before anything is written."""
    max_bytes: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    for required, uploaded in form.uploads():
        try:
            inspect_upload(uploaded, size=uploaded.size or 0, max_bytes=max_bytes)
        except (UnsupportedFileType, UploadTooLarge) as error:
            form.add_error(
                files_field_name(required),
                _("Tệp “%(name)s”: %(problem)s")
                % {"name": uploaded.name, "problem": _upload_problem(error)},
            )


def _upload_problem(error: ApplicationError) -> str:
    """A refused file, in the officer's words."""
    match upload_problem(error):
        case "too_large":
            return _("quá lớn, tối đa %(limit)s. Quét lại với độ phân giải thấp hơn.") % {
                "limit": format_size_limit(settings.MOTCUA_UPLOAD_MAX_BYTES)
            }
        case "empty":
            return _("tệp trống. Chỉ nhận tệp PDF, JPG hoặc PNG.")
        case "damaged":
            return _("tệp bị hỏng hoặc chưa trọn vẹn. Quét hoặc chụp lại.")
    return _("không phải PDF, JPG hay PNG (dù tên tệp có thể ghi vậy).")


def _create(
    request: HttpRequest,
    office: Office,
    procedure: Procedure,
    form: RegistrationForm,
    owner: User | None,
    *,
    assisted: bool,
) -> Dossier | None:
    data = form.cleaned_data
    registration = Registration(
        procedure=procedure,
        agency=office.active.agency,
        applicant=ApplicantData(**form.applicant()),
        owner=owner,
        received=form.received(),
        files=form.uploads(),
        result_delivery=data["result_delivery"],
        delivery_address=data.get("delivery_address", "").strip(),
        request_text=data.get("request", "").strip(),
        sets_received=data.get("sets_received") or 1,
        quantities=form.quantities(),
    )
    try:
        return counter_register(
            actor=office.user,
            registration=registration,
            assisted=assisted,
            consent=bool(data.get("consent")),
        )
    except MissingDocuments as error:
        by_id = {str(doc.pk): doc for doc in form.required_documents}
        missing = error.extra.get("missing_required_documents", [])
        for pk in missing:
            if pk in by_id:
                name = (files_field_name if assisted else received_field_name)(by_id[pk])
                form.add_error(name, _("Giấy tờ bắt buộc này còn thiếu."))
        if not missing:
            form.add_error(None, error.message)
    except (UnsupportedFileType, UploadTooLarge) as error:
        form.add_error(None, _upload_problem(error))
    except PermissionDenied as error:
        form.add_error(None, error.message)
    except ApplicationError as error:
        add_service_error(form, error)
    return None


# --- After registering ----------------------------------------------------------------------


def _created_dossier(office: Office, dossier_id: uuid.UUID) -> Dossier:
    dossier = dossier_get(viewer=office.user, code_or_id=str(dossier_id))
    if dossier is None:
        raise Http404
    if office.user.pk not in {dossier.owner_id, dossier.assisted_by_id}:
        record_personal_data_access_many(user=office.user, dossiers=[dossier], channel="office")
    return dossier


@never_cache
@require_GET
@staff_view
def register_done(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The code, the appointment and the receipt (Mẫu 01) ready to print; for an assisted
    filing, the code and that the counter receives it next."""
    office = _office(request)
    dossier = _created_dossier(office, dossier_id)
    context = {
        "office": office,
        "dossier": dossier,
        "received": dossier.received_at is not None,
        "submitted": dossier.status == Status.SUBMITTED,
        "receipt_url": reverse("backoffice:counter-receipt", kwargs={"dossier_id": dossier.pk}),
        "mode": desk_mode(office.active),
        "fees": fee_summary(dossier),
    }
    return render(request, "backoffice/counter_done.html", context)


@require_GET
@xframe_options_sameorigin
@staff_view
def receipt_pdf(request: HttpRequest, dossier_id: uuid.UUID) -> HttpResponse:
    """The receipt (Mẫu 01) as PDF, shown inline so the page after registering can embed it."""
    office = _office(request)
    dossier = _created_dossier(office, dossier_id)
    pdf = slip_pdf(dossier=dossier, kind="receipt")
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-giay-tiep-nhan.pdf"'
    # Embedded by this site's own page (the default policy forbids any framing).
    response["Content-Security-Policy"] = CSP.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    return response
