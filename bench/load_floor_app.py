"""The floor of the counter benchmark: a counter dossier's writes without the framework.

``bench/dossiers.py --scenarios floor`` serves this WSGI application with the same gunicorn setup
as motcua and drives it with the same wrk script as the counter scenario. It answers the two
counter requests, ``POST /api/v1/dossiers/`` and ``POST /api/v1/dossiers/{code}/documents/``,
with hand-written SQL through ``django.db.connection``: no middleware, no DRF, no model
instances, no services. Everything else (the token login, the tracking probe) goes to motcua's
own application.

It writes what motcua writes for a counter dossier, in as few statements as that allows: the
reception step, the route, the desk's code counter, the dossier (its other columns copied from a
received dossier of the same procedure), the receipt event and its notification row; then the
document, the dossier's new version and the upload event, each event hashed and chained by
``motcua.dossiers.history`` so that ``verify_history`` still passes. The token, the caller's
counter role, the procedure at the desk and the chain head are read in as few queries. The file
is checked as a PDF by its first bytes, hashed and written under ``MEDIA_ROOT`` as motcua lays
documents out. Deadlines are not computed on working days (a plain number of days).

What it leaves out is what the framework and motcua's own code cost: the difference between this
scenario and the counter scenario is the price of Django's request handling beyond the bare
minimum, DRF, the ORM's model instances and the services. See ``bench/LOAD.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

# isort: off
from motcua.wsgi import application as motcua_application  # sets Django up: first of motcua

from motcua.accounts.services import hash_token
from motcua.core.text import fold
from motcua.dossiers.history import GENESIS_HASH, event_content, event_hash

# isort: on

UPLOAD_PATH = re.compile(r"^/api/v1/dossiers/([^/]+)/documents/$")

# Columns the floor sets itself; the others are copied from a template dossier.
_GIVEN = (
    "id", "code", "current_step_id", "created_at", "received_at", "updated_at", "applicant",
    "applicant_name", "applicant_name_folded", "applicant_id_number", "applicant_phone", "due_at",
    "original_due_at", "clock_started_at", "version",
)  # fmt: skip
_templates: dict[str, Any] = {}


def _template(procedure_id: int, agency_id: int) -> tuple[Any, str]:
    """A received dossier of this procedure and desk to copy the other columns from, and the
    INSERT that copies them (read once per process)."""
    key = f"{procedure_id}:{agency_id}"
    if key not in _templates:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM dossiers_dossier WHERE procedure_id = %s AND agency_id = %s "
                "AND status = 'received' LIMIT 1",
                [procedure_id, agency_id],
            )
            (template,) = cursor.fetchone()
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'dossiers_dossier' ORDER BY ordinal_position"
            )
            copied = [name for (name,) in cursor.fetchall() if name not in _GIVEN]
        sql = (
            f"INSERT INTO dossiers_dossier ({', '.join((*_GIVEN, *copied))}) "  # noqa: S608
            f"SELECT {', '.join(['%s'] * len(_GIVEN))}, {', '.join(copied)} "
            "FROM dossiers_dossier WHERE id = %s"
        )
        _templates[key] = (template, sql)
    return _templates[key]


def _caller(request: WSGIRequest) -> tuple[int, str] | None:
    """The token's active user (id, name), or None."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(parts) != 2:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id, u.full_name, u.username FROM accounts_apitoken t "
            "JOIN accounts_user u ON u.id = t.user_id WHERE t.key_hash = %s AND u.is_active "
            "AND t.revoked_at IS NULL AND t.expires_at > now()",
            [hash_token(parts[1])],
        )
        row = cursor.fetchone()
    return None if row is None else (row[0], row[1] or row[2])


def _event(
    cursor: Any,
    *,
    dossier_id: uuid.UUID,
    seq: int,
    prev: str,
    actor: tuple[int, str],
    **fields: Any,
) -> None:
    event = SimpleNamespace(
        dossier_id=dossier_id, seq=seq, at=timezone.now(), actor_id=actor[0],
        actor_name=actor[1], on_behalf_of="", note="", **fields,
    )  # fmt: skip
    event.hash = event_hash(event_content(event), prev)
    cursor.execute(
        "INSERT INTO dossiers_dossierevent (seq, at, actor_name, on_behalf_of, action, from_status, "
        "to_status, agency_code, step, note, data, prev_hash, hash, actor_id, dossier_id) "
        "VALUES (%s, %s, %s, '', %s, %s, %s, %s, %s, '', %s, %s, %s, %s, %s)",
        [
            seq, event.at, actor[1], event.action, event.from_status, event.to_status,
            event.agency_code, event.step, json.dumps(event.data), prev, event.hash, actor[0],
            dossier_id,
        ],
    )  # fmt: skip


def create(request: WSGIRequest) -> HttpResponse:
    actor = _caller(request)
    if actor is None:
        return JsonResponse({"detail": "not authenticated"}, status=401)
    body = json.loads(request.body)
    applicant = body["applicant"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, a.id, a.code, p.processing_time_value, s.id, s.name, s.role, "
            "s.budget_hours, EXISTS(SELECT 1 FROM accounts_membership m WHERE m.user_id = %s "
            "AND m.agency_id = a.id AND m.role = 'counter_officer' AND m.is_active) "
            "FROM catalog_procedure_agencies l "
            "JOIN catalog_procedure p ON p.id = l.procedure_id AND p.is_active "
            "JOIN catalog_agency a ON a.id = l.agency_id AND a.is_active "
            "JOIN workflow_process pr ON pr.procedure_id = p.id AND pr.is_active "
            "JOIN workflow_processstep s ON s.process_id = pr.id "
            "WHERE p.code = %s AND a.code = %s ORDER BY pr.version DESC, s.position LIMIT 1",
            [actor[0], body["procedure"], body["agency"]],
        )
        row = cursor.fetchone()
    if row is None or not row[8]:
        return JsonResponse({"detail": "refused"}, status=403)
    procedure_id, agency_id, agency_code, days, step_id, step_name, role, budget, _ = row
    template, insert_dossier = _template(procedure_id, agency_id)
    now = timezone.now()
    due = now + timedelta(days=int(days))
    dossier_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dossiers_dossierstep (position, name, role, started_at, due_at, outcome, "
            "timeliness, agency_id, assignee_id, dossier_id, process_step_id) "
            "VALUES (1, %s, %s, %s, %s, '', '', %s, %s, %s, %s) RETURNING id",
            [
                step_name, role, now, now + timedelta(hours=float(budget)), agency_id, actor[0],
                dossier_id, step_id,
            ],
        )  # fmt: skip
        (current_step,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO dossiers_dossieragency (dossier_id, agency_id) VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING",
            [dossier_id, agency_id],
        )
        day = timezone.localtime(now).date()
        cursor.execute(
            "INSERT INTO dossiers_dossiercodecounter (agency_code, day, last) VALUES (%s, %s, 1) "
            "ON CONFLICT (agency_code, day) DO UPDATE "
            "SET last = dossiers_dossiercodecounter.last + 1 RETURNING last",
            [agency_code, day],
        )
        code = f"{agency_code}-{day:%y%m%d}-{cursor.fetchone()[0]:04d}"
        name = applicant["full_name"]
        cursor.execute(
            insert_dossier,
            [
                dossier_id, code, current_step, now, now, now, json.dumps(applicant), name,
                fold(name), applicant.get("id_number", ""), applicant.get("phone", ""), due, due,
                now, 1, template,
            ],
        )  # fmt: skip
        _event(
            cursor, dossier_id=dossier_id, seq=1, prev=GENESIS_HASH, actor=actor,
            action="receive", from_status="", to_status="received", agency_code=agency_code,
            step=step_name, data={"channel": "counter"},
        )  # fmt: skip
        cursor.execute(
            "INSERT INTO outbox_outboxmessage (kind, payload, idempotency_key, state, attempts, "
            "next_attempt_at, give_up_at, last_error, created_at, updated_at) "
            "VALUES ('floor', %s, %s, 'delivered', 0, %s, %s, '', %s, %s)",
            [json.dumps({"dossier": str(dossier_id)}), f"floor:{dossier_id}", now, now, now, now],
        )
    payload = {
        "id": str(dossier_id), "code": code, "status": "received", "version": 1,
        "procedure": body["procedure"], "agency": body["agency"], "applicant": applicant,
        "received_at": now.isoformat(), "due_at": due.isoformat(), "documents": [],
    }  # fmt: skip
    return JsonResponse(payload, status=201)


def upload(request: WSGIRequest, code: str) -> HttpResponse:
    actor = _caller(request)
    if actor is None:
        return JsonResponse({"detail": "not authenticated"}, status=401)
    uploaded = request.FILES["file"]
    required = int(request.POST["required_document"])
    if not uploaded.read(1024).lstrip().startswith(b"%PDF-"):
        return JsonResponse({"detail": "not a PDF"}, status=415)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    document_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT id FROM dossiers_dossier WHERE code = %s FOR UPDATE", [code])
        locked = cursor.fetchone()
        if locked is None:
            return JsonResponse({"detail": "not found"}, status=404)
        (dossier_id,) = locked
        cursor.execute(
            "SELECT d.version, d.status, s.name, a.code, e.seq, e.hash, "
            "EXISTS(SELECT 1 FROM catalog_requireddocument r WHERE r.id = %s "
            "AND r.procedure_id = d.procedure_id), "
            "EXISTS(SELECT 1 FROM accounts_membership m WHERE m.user_id = %s "
            "AND m.agency_id = d.agency_id AND m.role = 'counter_officer' AND m.is_active) "
            "FROM dossiers_dossier d JOIN dossiers_dossierstep s ON s.id = d.current_step_id "
            "JOIN catalog_agency a ON a.id = s.agency_id "
            "JOIN LATERAL (SELECT seq, hash FROM dossiers_dossierevent WHERE dossier_id = d.id "
            "ORDER BY seq DESC LIMIT 1) e ON true WHERE d.id = %s",
            [required, actor[0], dossier_id],
        )
        version, status, step, agency_code, seq, prev, required_ok, allowed = cursor.fetchone()
        if not (required_ok and allowed):
            return JsonResponse({"detail": "refused"}, status=403)
        name = f"dossiers/{timezone.localdate():%Y/%m/%d}/{document_id}.pdf"  # document_path
        path = os.path.join(os.environ["MEDIA_ROOT"], name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        cursor.execute(
            "INSERT INTO dossiers_document (id, kind, name, file, size, sha256, content_type, "
            "uploaded_at, required_document_id, uploaded_by_id, dossier_id) "
            "VALUES (%s, 'application', %s, %s, %s, %s, 'application/pdf', now(), %s, %s, %s)",
            [
                document_id,
                uploaded.name,
                name,
                uploaded.size,
                sha256,
                required,
                actor[0],
                dossier_id,
            ],
        )
        cursor.execute(
            "UPDATE dossiers_dossier SET version = %s, updated_at = now() WHERE id = %s",
            [version + 1, dossier_id],
        )
        _event(
            cursor, dossier_id=dossier_id, seq=seq + 1, prev=prev, actor=actor,
            action="attach_document", from_status=status, to_status=status,
            agency_code=agency_code, step=step,
            data={"document": str(document_id), "kind": "application", "sha256": sha256,
                  "size": uploaded.size},
        )  # fmt: skip
    payload = {
        "id": str(document_id), "name": uploaded.name, "size": uploaded.size,
        "sha256": sha256, "content_type": "application/pdf",
    }  # fmt: skip
    return JsonResponse(payload, status=201)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
    match = UPLOAD_PATH.match(path)
    if method != "POST" or (path != "/api/v1/dossiers/" and match is None):
        return motcua_application(environ, start_response)  # type: ignore[no-any-return]
    request = WSGIRequest(environ)
    try:
        response = create(request) if match is None else upload(request, match.group(1))
    finally:
        request.close()
    start_response(f"{response.status_code} {response.reason_phrase}", [*response.items()])
    return response
