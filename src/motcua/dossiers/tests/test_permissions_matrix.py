"""Permissions matrix of the dossier API: every endpoint and every action, for every role, in
every dossier state (API.md "Conventions", "Dossiers", "Public tracking"; issue 3 "Access").

Dimensions: 13 roles (``ROLES``) x 11 states (``STATES``) x 22 endpoints per dossier (detail,
events, a document's content, a slip, the 15 actions, upload, rating, public tracking): 3,146
cells, of which 2,396 are requested: every endpoint by every role, and every action by the roles
that see the dossier and by those issue 3 names (``endpoints_for`` says which actions the others
try). Plus creating (13 roles x 3 bodies) and listing for every role, and 22 searches.

How to read ``MATRIX``: one entry per state; in it, one row per role that *sees* the dossier. A
row has one character per column of ``COLUMNS`` (the fifteen actions in API.md's order, then the
upload and the rating), in groups of five:

    2  the request succeeds (200, or 201 for an upload or a rating)
    3  403: the caller sees the dossier but could never take this action on it
    9  409 ``action_not_allowed``: the caller could take it, but not in this state
    p  409 ``pay_online_at_gateway``: the applicant's ``pay``, offered (it is among
       ``available_actions``) but taken at the payment gateway; the problem names the
       endpoint that starts an online payment (docs/adr/0011)
    !  a known bug (``test_receiving_desk_cannot_act_on_a_dossier_another_agency_holds``): 200
       today, a refusal (403/409) once fixed; the matrix accepts either

A role with no row does not see the dossier: 404 on every dossier endpoint, with the very body of
a dossier that does not exist (never 403: a dossier's existence is not revealed); the anonymous
caller gets 401. A role that sees the dossier gets 200 for the detail, the events and a
document's content; its detail's ``available_actions`` are exactly the actions that succeed
(and the applicant's ``pay``, cell ``p``). The
control slip (``forms/control-slip.pdf``, BM.06) is 200 or 404 for those who see the dossier (404
while it has none) and 404 for everybody else. Public tracking ignores the caller: 200 by code, 404
for a draft (no code).

Every refused request (401/403/404/409/422) must change nothing: every dossier row, and the
number of dossiers, events, documents, steps, routes, ratings, personal-data access records,
idempotency records and code counters, are compared before and after. Requests that succeed run
in a savepoint that is rolled back, so that every cell meets the state as it was built.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.core.models import IdempotencyRecord
from motcua.dossiers import services
from motcua.dossiers.constants import Action
from motcua.dossiers.models import (
    Document,
    Dossier,
    DossierAgency,
    DossierCodeCounter,
    DossierEvent,
    DossierStep,
    PersonalDataAccess,
    Rating,
)

from .conftest import World

if TYPE_CHECKING:  # what the test client returns (a private name of the DRF stubs)
    from rest_framework.response import _MonkeyPatchedResponse as Response

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# -- the dimensions ------------------------------------------------------------------------------

ROLES: tuple[str, ...] = (
    "anonymous",
    "citizen",  # the applicant of every dossier at desk A
    "citizen2",  # another citizen (the applicant at desk B)
    "assistant_a",  # volunteer at desk A; sees only what they filed themselves
    "counter_a",  # counter officer of desk A (H56.101.1), the receiving desk
    "counter_b",  # counter officer of desk B (H56.102.1), another commune
    "counter_center",  # counter officer of the provincial service center (H56.1)
    "specialist_a",  # specialist of commune A (H56.101)
    "leader_a",  # leader of commune A
    "specialist_xd",  # specialist of Sở Xây dựng (H56.6), liên thông
    "leader_xd",  # leader of Sở Xây dựng
    "supervisor",  # supervisor of the province (H56): reads everything, acts on nothing
    "admin",  # superuser without memberships
)

ACTIONS: tuple[str, ...] = (
    "submit",
    "receive",
    "request_supplement",
    "supplement",
    "refuse",
    "forward",
    "send_back",
    "request_payment",
    "pay",
    "approve",
    "reject",
    "extend",
    "withdraw",
    "stop",
    "return_result",
)
COLUMNS: tuple[str, ...] = (*ACTIONS, "upload", "rating")
READS: tuple[str, ...] = ("detail", "events", "content", "form", "tracking")
ENDPOINTS: tuple[str, ...] = (*READS[:4], *COLUMNS, READS[4])

# A valid body for every action, so that an allowed action succeeds (refusals come first anyway).
FIELDS: dict[str, dict[str, Any]] = {
    "request_supplement": {"items": ["Bản sao giấy chứng sinh"], "note": "Thiếu giấy tờ"},
    "supplement": {"note": "Đã bổ sung"},
    "refuse": {"note": "Không thuộc thẩm quyền"},
    "send_back": {"note": "Cần thẩm định lại"},
    "request_payment": {"amount": 50_000, "note": "Lệ phí"},
    "pay": {"method": "cash", "receipt_number": "BL-0001"},
    "reject": {"note": "Không đủ điều kiện"},
    "extend": {"new_due_at": "2027-03-01T09:00:00+07:00", "note": "Cần xác minh thêm"},
    "withdraw": {"note": "Tôi rút hồ sơ"},
    "return_result": {"delivery": "counter"},
}


@dataclass(frozen=True)
class Recipe:
    """How a state is reached: an online application, then these (username, action) steps."""

    procedure: str  # "birth" (commune) or "permit" (liên thông to Sở Xây dựng)
    desk: str  # "desk_a" or "desk_b"
    applicant: str
    steps: tuple[tuple[str, str], ...] = ()


SUBMIT = (("citizen", "submit"),)
RECEIVED_A = (*SUBMIT, ("counter_a", "receive"))
FORWARDED = (*RECEIVED_A, ("counter_a", "forward"))  # to step 2, a specialist's
RESOLVED_A = (*FORWARDED, ("specialist_a", "forward"), ("leader_a", "approve"))

# Birth registrations (1.001193) are handled by commune A itself; the building permit (1.009994)
# is received at commune A's desk and handled by Sở Xây dựng once forwarded (liên thông).
RECIPES: dict[str, Recipe] = {
    "draft": Recipe("birth", "desk_a", "citizen"),
    "submitted": Recipe("birth", "desk_a", "citizen", SUBMIT),
    "received": Recipe("permit", "desk_a", "citizen", RECEIVED_A),
    "processing_commune": Recipe("birth", "desk_a", "citizen", FORWARDED),
    "processing_department": Recipe("permit", "desk_a", "citizen", FORWARDED),
    "supplement_requested": Recipe(
        "birth", "desk_a", "citizen", (*FORWARDED, ("specialist_a", "request_supplement"))
    ),
    "payment_requested": Recipe(
        "permit", "desk_a", "citizen", (*FORWARDED, ("specialist_xd", "request_payment"))
    ),
    "withdrawal_requested": Recipe(
        "birth", "desk_a", "citizen", (*FORWARDED, ("citizen", "withdraw"))
    ),
    "resolved": Recipe("birth", "desk_a", "citizen", RESOLVED_A),
    "returned": Recipe("birth", "desk_a", "citizen", (*RESOLVED_A, ("counter_a", "return_result"))),
    "commune_b_received": Recipe(
        "birth", "desk_b", "citizen2", (("citizen2", "submit"), ("counter_b", "receive"))
    ),
}
STATES: tuple[str, ...] = tuple(RECIPES)

# The matrix test walks one dossier along each path and checks every cell at each stop (each
# recipe extends the previous one): half the cost of building every state on its own.
PATHS: dict[str, tuple[str, ...]] = {
    "commune": ("draft", "submitted", "processing_commune", "resolved", "returned"),
    "commune_supplement": ("supplement_requested",),
    "commune_withdrawal": ("withdrawal_requested",),
    "lien_thong": ("received", "processing_department", "payment_requested"),
    "commune_b": ("commune_b_received",),
}

# -- the matrix ----------------------------------------------------------------------------------

# fmt: off
# The applicant is offered ``pay`` while payment is requested, but pays at the gateway (cell p:
# 409 pointing at the payments endpoint), whose confirmation takes ``pay`` as the system; cash is
# the counter's.
# A row is four groups; group k holds the columns of line k:
#     submit     receive     request_supplement  supplement  refuse
#     forward    send_back   request_payment     pay         approve
#     reject     extend      withdraw            stop        return_result
#     upload     rating
NOTHING = "33333 33333 33333 33"            # sees it, may do nothing: supervisor, superuser
APPLICANT_WAITING = "93393 33393 33233 99"  # received or in processing: may only withdraw
COUNTER_RECEIVED = "39299 23293 33399 23"   # at the receiving desk: forward, ask, upload
COUNTER_ELSEWHERE = "33333 33333 33333 33"  # held by another agency's step: not the desk's work
SPECIALIST_HOLDING = "33233 22233 33333 93" # the step is in the specialist's agency
LEADER_HOLDING = "33333 22332 22333 93"     # ... in the leader's agency
SPECIALIST_WAITING = "33933 99933 33333 93" # that agency, while the applicant or desk acts
LEADER_WAITING = "33333 99339 99333 93"

MATRIX: dict[str, dict[str, str]] = {
    "draft": {
        "citizen":        "23393 33393 33233 29",
        "admin":          NOTHING,
    },
    "submitted": {
        "citizen":        "93393 33393 33233 99",
        "counter_a":      "32292 93993 33399 23",
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "received": {  # a liên thông permit at desk A: Sở Xây dựng does not see it yet
        "citizen":        APPLICANT_WAITING,
        "counter_a":      COUNTER_RECEIVED,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "processing_commune": {  # at commune A's specialist step
        "citizen":        APPLICANT_WAITING,
        "counter_a":      COUNTER_ELSEWHERE,
        "specialist_a":   SPECIALIST_HOLDING,
        "leader_a":       LEADER_HOLDING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "processing_department": {  # forwarded: Sở Xây dựng sees it, commune A's staff never do
        "citizen":        APPLICANT_WAITING,
        "counter_a":      COUNTER_ELSEWHERE,
        "specialist_xd":  SPECIALIST_HOLDING,
        "leader_xd":      LEADER_HOLDING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "supplement_requested": {  # asked by commune A's specialist
        "citizen":        "93323 33393 33233 29",
        "counter_a":      "39929 93993 33399 23",
        "specialist_a":   SPECIALIST_WAITING,
        "leader_a":       LEADER_WAITING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "payment_requested": {  # asked by Sở Xây dựng's specialist; desk A takes cash
        "citizen":        "93393 333p3 33233 99",
        "counter_a":      "39999 93923 33399 93",
        "specialist_xd":  SPECIALIST_WAITING,
        "leader_xd":      LEADER_WAITING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "withdrawal_requested": {  # from commune A's specialist step; desk A stops it
        "citizen":        "93393 33393 33933 99",
        "counter_a":      "39999 93993 33329 93",
        "specialist_a":   SPECIALIST_WAITING,
        "leader_a":       LEADER_WAITING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "resolved": {
        "citizen":        "93393 33393 33933 99",
        "counter_a":      "39999 93993 33392 93",
        "specialist_a":   SPECIALIST_WAITING,
        "leader_a":       LEADER_WAITING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "returned": {  # the applicant rates, once
        "citizen":        "93393 33393 33933 92",
        "counter_a":      "39999 93993 33399 93",
        "specialist_a":   SPECIALIST_WAITING,
        "leader_a":       LEADER_WAITING,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
    "commune_b_received": {  # desk A and its citizen see nothing of commune B
        "citizen2":       APPLICANT_WAITING,
        "counter_b":      COUNTER_RECEIVED,
        "supervisor":     NOTHING,
        "admin":          NOTHING,
    },
}
# fmt: on

CELL = {"2": "done", "3": "forbidden", "9": "not_now", "p": "at_gateway", "!": "known_bug"}


def test_the_matrix_covers_every_action_state_and_column() -> None:
    assert set(ACTIONS) == set(Action.values)
    assert set(MATRIX) == set(STATES)
    for state, rows in MATRIX.items():
        assert set(rows) <= set(ROLES) - {"anonymous"}, state
        for role, row in rows.items():
            assert len(row.replace(" ", "")) == len(COLUMNS), (state, role)
            assert set(row.replace(" ", "")) <= set(CELL), (state, role)


def cell(state: str, role: str, column: str) -> str:
    row = MATRIX[state][role].replace(" ", "")
    return row[COLUMNS.index(column)]


def expected_statuses(state: str, role: str, endpoint: str) -> set[int]:
    """The status codes the matrix allows for one request."""
    if endpoint == "tracking":
        return {404} if state == "draft" else {200}
    if role == "anonymous":
        return {401}
    if role not in MATRIX[state]:
        return {404}
    if endpoint == "form":
        return {200, 404}
    if endpoint in READS:
        return {200}
    done = 201 if endpoint in ("upload", "rating") else 200
    return {
        "2": {done},
        "3": {403},
        "9": {409},
        "p": {409},
        "!": {done, 403, 409},
    }[cell(state, role, endpoint)]


# -- building the states -------------------------------------------------------------------------


@pytest.fixture
def people(world: World) -> World:
    """The test world, plus a superuser with no membership."""
    world.users["admin"] = User.objects.create_superuser(
        username="admin", password="motcua-test", kind="staff"
    )
    return world


def pdf_upload(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applicant_for(username: str) -> services.ApplicantData:
    if username == "citizen2":
        return services.ApplicantData(
            type="citizen",
            full_name="Trần Văn Bình",
            id_number="083190000456",
            phone="0987654321",
        )
    return services.ApplicantData(
        type="citizen",
        full_name="Nguyễn Thị Ánh Tuyết",
        id_number="083190000123",
        phone="0912345678",
    )


def build(world: World, state: str) -> Dossier:
    """One dossier in ``state``, reached through the services as ``RECIPES`` says."""
    recipe = RECIPES[state]
    procedure = world.birth if recipe.procedure == "birth" else world.permit
    desk = world.desk_a if recipe.desk == "desk_a" else world.desk_b
    owner = world.user(recipe.applicant)
    dossier = services.dossier_create(
        actor=owner,
        procedure=procedure,
        agency=desk,
        channel="online",
        applicant=applicant_for(recipe.applicant),
    )
    for required in procedure.required_documents.all():
        services.dossier_attach(
            dossier_id=dossier.pk,
            actor=owner,
            uploaded_file=pdf_upload(),
            kind=Document.Kind.APPLICATION,
            required_document=required,
        )
    return advance(world, dossier, to=state, steps=recipe.steps)


def advance(
    world: World, dossier: Dossier, *, to: str, steps: tuple[tuple[str, str], ...]
) -> Dossier:
    """Take ``steps`` on ``dossier``, which then is in state ``to``."""
    for username, action in steps:
        services.dossier_act(
            dossier_id=dossier.pk,
            action=action,
            actor=world.user(username),
            fields=FIELDS.get(action, {}),
        )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == state_status(to), to
    return dossier


def state_status(state: str) -> str:
    return {
        "processing_commune": "processing",
        "processing_department": "processing",
        "commune_b_received": "received",
    }.get(state, state)


@functools.cache
def shared_client() -> APIClient:
    """One client for the whole module: loading the middleware (WhiteNoise scans the static
    files) per client would cost more than all the requests of a role."""
    return APIClient()


def client_for(world: World, role: str) -> APIClient:
    client = shared_client()
    client.force_authenticate(None if role == "anonymous" else world.user(role))
    return client


def stored_files(folder: str = "dossiers") -> set[str]:
    """Every file under ``folder`` in the default storage."""
    if not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    found = {f"{folder}/{name}" for name in files}
    for sub in folders:
        found |= stored_files(f"{folder}/{sub}")
    return found


@pytest.fixture(autouse=True)
def _no_files_left_behind() -> Iterator[None]:
    """The test storage lives as long as the process, and rolling back a document's row does not
    remove its file: take away every file a test of this module wrote, so that no other test
    (the orphan purge, say) finds them, dated on a frozen clock."""
    before = stored_files()
    yield
    for name in stored_files() - before:
        default_storage.delete(name)


# -- requests and snapshots ----------------------------------------------------------------------

COUNTED = (
    Dossier,
    DossierEvent,
    Document,
    DossierStep,
    DossierAgency,
    Rating,
    PersonalDataAccess,
    IdempotencyRecord,
    DossierCodeCounter,
)


def snapshot() -> tuple[Any, ...]:
    """Everything a request could change: every dossier row and the size of every related table.

    Raw SQL: this runs after each of the ~3,400 requests, and the ORM would double the time."""
    quote = connection.ops.quote_name
    counts = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})"  # noqa: S608 - our own tables
        for m in COUNTED
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        sizes = cursor.fetchone()
        cursor.execute(f"SELECT * FROM {quote(Dossier._meta.db_table)} ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    return (sizes, rows)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a request that succeeds in a savepoint, and undo what it did."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def request(
    client: APIClient, endpoint: str, ref: str, document_id: str, *, key: str | None = None
) -> Response:
    """One request to ``endpoint`` of the dossier ``ref`` (a code, or an id for a draft)."""
    base = f"/api/v1/dossiers/{ref}"
    headers = {"Idempotency-Key": key} if key else {}
    if endpoint == "detail":
        return client.get(f"{base}/")
    if endpoint == "events":
        return client.get(f"{base}/events/")
    if endpoint == "content":
        response = client.get(f"{base}/documents/{document_id}/content")
        if getattr(response, "streaming", False):
            # Reading to the end closes the file; the test client then ends the "request". (An
            # explicit close() would end it a second time and close the database connection.)
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response
    if endpoint == "form":
        return client.get(f"{base}/forms/control-slip.pdf")
    if endpoint == "tracking":
        return client.get(f"/api/v1/tracking/{ref}/")
    if endpoint == "upload":
        return client.post(
            f"{base}/documents/",
            {"file": pdf_upload("bo-sung.pdf")},
            format="multipart",
            headers=headers,
        )
    if endpoint == "rating":
        return client.post(
            f"{base}/rating/", {"score": 4, "comment": "Tốt"}, format="json", headers=headers
        )
    body = {"action": endpoint, **FIELDS.get(endpoint, {})}
    return client.post(f"{base}/actions/", body, format="json")


# On a dossier it does not see, a role is tried with every action when the caller is the other
# commune's counter officer or the other citizen (issue 3 names them), and otherwise with one
# action of each role of API.md's "who" column: whatever the caller's role, some probes are
# actions it could take on a dossier of its own (a leak would answer 200) and others actions it
# never could (a leak would answer 403). The superuser, who sees every dossier but holds no role in
# any agency, gets the same five probes (the supervisor, in the same position within the
# province, every action). Public tracking has no authentication at all, so it is tried
# anonymously, by a citizen and by a staff member. Every other endpoint, by every role.
EVERY_ACTION_WHEN_HIDDEN = frozenset({"anonymous", "citizen", "citizen2", "counter_a", "counter_b"})
HIDDEN_PROBES = frozenset({"submit", "receive", "request_supplement", "forward", "approve"})
TRACKING_CALLERS = frozenset({"anonymous", "citizen2", "counter_b"})


def endpoints_for(state: str, role: str) -> tuple[str, ...]:
    every = (role in MATRIX[state] and role != "admin") or role in EVERY_ACTION_WHEN_HIDDEN
    probes = ACTIONS if every else tuple(a for a in ACTIONS if a in HIDDEN_PROBES)
    return tuple(
        endpoint
        for endpoint in ENDPOINTS
        if (endpoint not in ACTIONS or endpoint in probes)
        and (endpoint != "tracking" or role in TRACKING_CALLERS)
    )


PROBLEM_CODES = {401: "not_authenticated", 403: "action_forbidden", 404: "not_found"}
UNKNOWN_CODE = "H56.101.1-261123-9999"


def check_cells(world: World, dossier: Dossier, state: str, roles: tuple[str, ...]) -> list[str]:
    """Send every request of the matrix for ``dossier`` and return the cells that disagree."""
    mismatches: list[str] = []
    ref = dossier.code or str(dossier.pk)
    document = Document.objects.filter(dossier=dossier).order_by("uploaded_at").first()
    assert document is not None
    # An invisible dossier answers exactly like one that does not exist.
    unknown = request(client_for(world, "citizen2"), "detail", UNKNOWN_CODE, str(document.pk))
    not_found = unknown.json()
    baseline = snapshot()
    for role in roles:
        client = client_for(world, role)
        succeeded: list[str] = []
        available: list[str] | None = None
        for endpoint in endpoints_for(state, role):
            where = f"{state} / {role} / {endpoint}"
            allowed = expected_statuses(state, role, endpoint)
            key = str(uuid.uuid4()) if endpoint in ("upload", "rating") else None
            if allowed & {200, 201}:
                with rolled_back():
                    response = request(client, endpoint, ref, str(document.pk), key=key)
            else:
                response = request(client, endpoint, ref, str(document.pk), key=key)
            status = response.status_code
            if status not in allowed:
                mismatches.append(f"{where}: {status}, expected {sorted(allowed)}")
            at_gateway = (
                role in MATRIX[state] and endpoint in ACTIONS and cell(state, role, endpoint) == "p"
            )
            if status >= 400:
                problem = response.json()
                wanted = (
                    ("pay_online_at_gateway" if at_gateway else "action_not_allowed")
                    if status == 409
                    else PROBLEM_CODES.get(status)
                )
                if response["Content-Type"] != "application/problem+json" or (
                    problem.get("code") != wanted
                ):
                    mismatches.append(f"{where}: problem {problem!r}, expected code {wanted}")
                if status == 404 and problem != not_found:
                    mismatches.append(f"{where}: 404 {problem!r} differs from {not_found!r}")
            elif endpoint == "detail":
                available = response.json()["available_actions"]
            elif endpoint in ACTIONS:
                succeeded.append(endpoint)
            if at_gateway and status == 409:
                succeeded.append(endpoint)  # offered, and answered with where to pay
            # Refused requests changed nothing; successful ones were rolled back.
            if snapshot() != baseline:
                mismatches.append(f"{where}: {status} changed the database")
                baseline = snapshot()
        # The detail's available_actions are exactly the actions that succeed.
        if available is not None and sorted(available) != sorted(succeeded):
            mismatches.append(f"{state} / {role}: available {available}, succeed {succeeded}")
    return mismatches


def test_the_paths_pass_through_every_state() -> None:
    assert sorted(state for path in PATHS.values() for state in path) == sorted(STATES)
    for path in PATHS.values():
        for before, after in itertools.pairwise(path):
            first, then = RECIPES[before], RECIPES[after]
            assert then.steps[: len(first.steps)] == first.steps, (before, after)
            assert (first.procedure, first.desk, first.applicant) == (
                then.procedure,
                then.desk,
                then.applicant,
            )


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_every_role_on_every_endpoint(people: World, path: tuple[str, ...]) -> None:
    mismatches: list[str] = []
    with time_machine.travel(MONDAY_9, tick=False):
        # Given a dossier in the first state of the path
        dossier = build(people, path[0])
        for previous, state in zip((None, *path), path, strict=False):
            if previous is not None:  # Given the same dossier, moved on to the next state
                done = len(RECIPES[previous].steps)
                dossier = advance(people, dossier, to=state, steps=RECIPES[state].steps[done:])
            # When every role calls every dossier endpoint and takes every action
            mismatches += check_cells(people, dossier, state, ROLES)
    # Then each answer is the matrix's, and no refused request changed anything
    assert mismatches == []


# -- creating ------------------------------------------------------------------------------------

APPLICANT = {
    "type": "citizen",
    "full_name": "Lê Văn Cường",
    "id_number": "083190000789",
    "phone": "0901234567",
}
CREATE_BODIES: dict[str, dict[str, Any]] = {
    "online": {"procedure": "1.001193", "agency": "H56.101.1", "applicant": APPLICANT},
    "assisted": {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "applicant": APPLICANT,
        "assisted_by": "assistant_a",
        "consent": True,
    },
    "counter": {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "applicant": APPLICANT,
        "channel": "counter",
    },
}
# POST /api/v1/dossiers/ at desk A: (online, assisted, counter). An online application is a
# citizen's (or, with consent, an assistant's); staff register at the counter of their own desk.
# The superuser has no membership: it may file an online application like anyone, no more.
CREATE_MATRIX: dict[str, tuple[int, int, int]] = {
    "anonymous": (401, 401, 401),
    "citizen": (201, 403, 403),
    "citizen2": (201, 403, 403),
    "assistant_a": (422, 201, 403),  # 422 consent_required: assistants file with consent
    "counter_a": (403, 403, 201),
    "counter_b": (403, 403, 403),
    "counter_center": (403, 403, 403),
    "specialist_a": (403, 403, 403),
    "leader_a": (403, 403, 403),
    "specialist_xd": (403, 403, 403),
    "leader_xd": (403, 403, 403),
    "supervisor": (403, 403, 403),
    "admin": (201, 403, 403),
}
CREATE_PROBLEMS = {401: "not_authenticated", 403: "permission_denied", 422: "consent_required"}


@pytest.mark.django_db
def test_create_as_every_role(people: World) -> None:
    assert set(CREATE_MATRIX) == set(ROLES)
    mismatches: list[str] = []
    baseline = snapshot()
    with time_machine.travel(MONDAY_9, tick=False):
        for role, statuses in CREATE_MATRIX.items():
            client = client_for(people, role)
            for (kind, body), expected in zip(CREATE_BODIES.items(), statuses, strict=True):
                key = {"Idempotency-Key": str(uuid.uuid4())}
                if expected == 201:
                    with rolled_back():
                        response = client.post(
                            "/api/v1/dossiers/", body, format="json", headers=key
                        )
                        created = Dossier.objects.get(pk=response.json()["id"])
                        expected_status = "received" if kind == "counter" else "draft"
                        if created.status != expected_status:
                            mismatches.append(f"{role} / {kind}: created {created.status}")
                else:
                    response = client.post("/api/v1/dossiers/", body, format="json", headers=key)
                    if response.json().get("code") != CREATE_PROBLEMS[expected]:
                        mismatches.append(f"{role} / {kind}: problem {response.json()!r}")
                if response.status_code != expected:
                    mismatches.append(f"{role} / {kind}: {response.status_code}, not {expected}")
                if snapshot() != baseline:
                    mismatches.append(f"{role} / {kind}: the database changed")
                    baseline = snapshot()
    assert mismatches == []


# -- lists and search ----------------------------------------------------------------------------


def listed(world: World, role: str, **params: str) -> set[str]:
    """The ids the list endpoint returns to ``role`` (every page)."""
    response = client_for(world, role).get("/api/v1/dossiers/", {"page_size": "200", **params})
    assert response.status_code == 200, (role, params, response.json())
    body = response.json()
    assert body["next"] is None
    return {item["id"] for item in body["results"]}


@pytest.mark.django_db
def test_lists_return_exactly_the_dossiers_each_role_sees(people: World) -> None:
    # Given a dossier in every state
    with time_machine.travel(MONDAY_9, tick=False):
        dossiers = {state: build(people, state) for state in STATES}
    ids = {str(dossier.pk): state for state, dossier in dossiers.items()}
    # When each role lists the dossiers
    # Then it gets exactly those the matrix says it sees: no more, no less
    assert client_for(people, "anonymous").get("/api/v1/dossiers/").status_code == 401
    for role in ROLES[1:]:
        expected = {state for state in STATES if role in MATRIX[state]}
        assert {ids[pk] for pk in listed(people, role)} == expected, role


# (role, q, the states whose dossier it finds). Desk A's applicant is Nguyễn Thị Ánh Tuyết
# (0912345678, 083190000123), desk B's Trần Văn Bình (0987654321, 083190000456).
SEARCHES: list[tuple[str, str, set[str]]] = [
    ("citizen", "tuyet", {"draft", "received", "processing_department"}),
    ("citizen2", "tuyet", set()),
    ("citizen2", "tran van binh", {"commune_b_received"}),
    ("counter_a", "nguyen thi anh tuyet", {"received", "processing_department"}),
    ("counter_a", "NGUYỄN THỊ ÁNH", {"received", "processing_department"}),
    ("counter_a", "0912345678", {"received", "processing_department"}),
    ("counter_a", "083190000123", {"received", "processing_department"}),
    ("counter_a", "tran van binh", set()),
    ("counter_a", "0987654321", set()),
    ("counter_a", "083190000456", set()),
    ("counter_b", "tran van binh", {"commune_b_received"}),
    ("counter_b", "0987654321", {"commune_b_received"}),
    ("counter_b", "083190000456", {"commune_b_received"}),
    ("counter_b", "nguyen thi anh tuyet", set()),
    ("counter_b", "0912345678", set()),
    ("counter_b", "083190000123", set()),
    ("specialist_xd", "tuyet", {"processing_department"}),
    ("specialist_a", "tuyet", set()),
    ("counter_center", "083190000123", set()),
    ("supervisor", "083190000123", {"received", "processing_department"}),  # never a draft
    ("supervisor", "binh", {"commune_b_received"}),
    ("admin", "tuyet", {"draft", "received", "processing_department"}),
]


@pytest.mark.django_db
def test_search_finds_by_name_phone_and_id_number_only_what_the_caller_sees(
    people: World,
) -> None:
    # Given dossiers of both communes, one of them at Sở Xây dựng
    states = ("draft", "received", "processing_department", "commune_b_received")
    with time_machine.travel(MONDAY_9, tick=False):
        ids = {str(build(people, state).pk): state for state in states}
    # When each role searches; Then it finds only the matches among the dossiers it sees
    found = [(role, q, {ids[pk] for pk in listed(people, role, q=q)}) for role, q, _ in SEARCHES]
    assert found == SEARCHES


# -- one-off rules -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_is_served_only_under_its_own_dossier(people: World) -> None:
    # Given a dossier of each commune
    with time_machine.travel(MONDAY_9, tick=False):
        mine = build(people, "received")
        theirs = build(people, "commune_b_received")
    their_document = Document.objects.filter(dossier=theirs).first()
    assert their_document is not None
    client = client_for(people, "counter_a")
    # When desk A asks for desk B's document through its own dossier's path
    response = client.get(f"/api/v1/dossiers/{mine.code}/documents/{their_document.pk}/content")
    # Then it does not exist for desk A, and reading nothing left no access record
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_an_assistant_acts_as_the_applicant_only_of_what_they_filed(people: World) -> None:
    # Given a draft an assistant filed for a citizen with their consent
    assistant = client_for(people, "assistant_a")
    with time_machine.travel(MONDAY_9, tick=False):
        created = assistant.post("/api/v1/dossiers/", CREATE_BODIES["assisted"], format="json")
        assert created.status_code == 201, created.json()
        draft_id = created.json()["id"]
        for required in people.birth.required_documents.all():
            uploaded = assistant.post(
                f"/api/v1/dossiers/{draft_id}/documents/",
                {"file": pdf_upload(), "required_document": str(required.pk)},
                format="multipart",
            )
            assert uploaded.status_code == 201, uploaded.json()
        # When the assistant submits it
        submitted = assistant.post(
            f"/api/v1/dossiers/{draft_id}/actions/", {"action": "submit"}, format="json"
        )
    # Then it is submitted on the applicant's behalf, and the desk sees it, nobody else
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["available_actions"] == ["withdraw"]
    code = submitted.json()["code"]
    for role, status in [("counter_a", 200), ("citizen", 404), ("counter_b", 404)]:
        response = client_for(people, role).get(f"/api/v1/dossiers/{code}/")
        assert response.status_code == status, role


# -- bugs found by this matrix, fixed --------------------------------------------------------------


@pytest.mark.parametrize("action", ["forward", "request_supplement", "request_payment"])
@pytest.mark.django_db
def test_receiving_desk_cannot_act_on_a_dossier_another_agency_holds(
    people: World, action: str
) -> None:
    # Given dossiers at the specialist step of commune A and of Sở Xây dựng (liên thông)
    with time_machine.travel(MONDAY_9, tick=False):
        held = [build(people, "processing_commune"), build(people, "processing_department")]
        counter = client_for(people, "counter_a")
        for dossier in held:
            before = snapshot()
            # When commune A's desk, which received them, takes the holder's action
            response = counter.post(
                f"/api/v1/dossiers/{dossier.code}/actions/",
                {"action": action, **FIELDS.get(action, {})},
                format="json",
            )
            # Then it is refused (it is not the desk's step) and nothing changed
            assert response.status_code in (403, 409), (dossier.current_agency.code, action)
            assert snapshot() == before


@pytest.mark.django_db
def test_history_records_for_whom_an_assistant_acts(people: World) -> None:
    # Given a draft an assistant filed for Lê Văn Cường, with his consent
    assistant = people.user("assistant_a")
    with time_machine.travel(MONDAY_9, tick=False):
        draft = services.dossier_create(
            actor=assistant,
            procedure=people.birth,
            agency=people.desk_a,
            channel="online",
            applicant=services.ApplicantData(type="citizen", full_name="Lê Văn Cường"),
            assisted_by=assistant,
            consent=True,
        )
        for required in people.birth.required_documents.all():
            services.dossier_attach(
                dossier_id=draft.pk,
                actor=assistant,
                uploaded_file=pdf_upload(),
                kind=Document.Kind.APPLICATION,
                required_document=required,
            )
        # When the assistant submits it
        services.dossier_act(dossier_id=draft.pk, action="submit", actor=assistant)
    # Then the history says the assistant acted on the applicant's behalf
    event = DossierEvent.objects.get(dossier=draft, action="submit")
    assert (event.actor_id, event.on_behalf_of) == (assistant.pk, "Lê Văn Cường")
