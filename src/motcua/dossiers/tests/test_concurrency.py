"""Races on PostgreSQL (issue 3 "Access"; API.md "Conventions"): requests really running at once,
each thread on its own database connection, released together by a ``threading.Barrier``.

- 50 counter officers receiving at the same desk in the same second get distinct codes, numbered
  1..50 without a gap, all with the same date;
- two officers sending the same action with the same version: one wins, the other gets 412
  (``If-Match``) or 409 (``version`` in the body), and the history has one new event;
- two different actions without a version are serialised by the row lock: the second sees the
  state the first left (409 when its action is no longer allowed);
- the same ``Idempotency-Key`` sent from several threads creates one dossier; the others get the
  replayed 201 or 409 ``idempotency_in_flight``.

Where two requests must meet at a dossier's row lock, a third session (``RowLock``) holds that
lock until both are seen waiting for it in ``pg_stat_activity``: the race then happens every
time, not now and then, and a failure is never a fluke. Two bugs this found are fixed
(``services._common.lock_dossier``): a request queued behind a forward lost the dossier (404, or
a 500 for an upload) because the locking query joined through columns the forward changed.

SQLite serialises every writer, so these races cannot happen there: the module is skipped.
These are transactional tests (each thread commits); the database is flushed after each.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from rest_framework.test import APIClient

from motcua.accounts.models import Membership, User
from motcua.catalog.models import Agency, Procedure
from motcua.core.models import IdempotencyRecord
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent

from .conftest import World

if TYPE_CHECKING:  # what the test client returns (a private name of the DRF stubs)
    from rest_framework.response import _MonkeyPatchedResponse as Response

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need concurrent transactions and row locks: PostgreSQL only",
    ),
]

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)
RECEIPTS = 50


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


T = TypeVar("T")
# A racer runs in its own thread: it prepares (reads what a client would read first), calls
# ``go()`` to wait until every racer is ready, then sends its request.
Racer = Callable[[Callable[[], None]], T]


def run_together(
    racers: Sequence[Racer[T]], *, meanwhile: Callable[[], None] | None = None
) -> list[T]:
    """Run each racer in its own thread and connection, released at once; results in order.

    ``meanwhile`` runs in the main thread while they race (to release a lock they queue on)."""
    barrier = threading.Barrier(len(racers))
    results: list[Any] = [None] * len(racers)

    def go() -> None:
        barrier.wait(timeout=30)

    def worker(index: int, racer: Racer[T]) -> None:
        try:
            results[index] = racer(go)
        except BaseException as error:  # reported by the main thread
            barrier.abort()
            results[index] = error
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(racers)]
    for thread in threads:
        thread.start()
    if meanwhile is not None:
        meanwhile()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise errors[0]
    return results


def at_once(call: Callable[[], T]) -> Racer[T]:
    """A racer with nothing to prepare."""

    def racer(go: Callable[[], None]) -> T:
        go()
        return call()

    return racer


def waiting_on_locks() -> int:
    """How many other sessions of this test database are waiting for a lock right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return int(row[0])


def until_waiting(count: int) -> None:
    deadline = time.monotonic() + 30
    while waiting_on_locks() < count:
        assert time.monotonic() < deadline, f"fewer than {count} requests queued on the lock"
        time.sleep(0.005)


class RowLock:
    """Hold a dossier's row lock in a thread of its own, changing nothing, until ``release``.

    Requests sent meanwhile queue behind it, so they are sure to overlap: when it lets go, the
    first in the queue takes the lock and the others wait for that one's transaction, which
    is the moment two officers clicking at once is about."""

    def __init__(self, dossier: Dossier) -> None:
        self._pk = dossier.pk
        self._locked = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                list(Dossier.objects.select_for_update().filter(pk=self._pk).values_list("pk"))
                self._locked.set()
                self._release.wait(timeout=60)
        finally:
            connections.close_all()

    def __enter__(self) -> RowLock:
        self._thread.start()
        assert self._locked.wait(timeout=30)
        return self

    def release(self) -> None:
        self._release.set()
        self._thread.join(timeout=30)

    def __exit__(self, *exc: object) -> None:
        self.release()


def warm_client(user: User) -> APIClient:
    """A client authenticated as ``user`` whose middleware is already loaded, so that the threads
    start their requests at the same moment instead of one after the other."""
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/v1/dossiers/", {"page_size": 1}).status_code == 200
    return client


def second_counter_officer(world: World) -> User:
    """Another counter officer at desk A: two people at the same desk, acting at once."""
    user = User.objects.create_user(username="counter_a2", password="x", kind="staff")
    Membership.objects.create(user=user, agency=world.desk_a, role="counter_officer")
    return user


def applicant(n: int = 1) -> services.ApplicantData:
    return services.ApplicantData(
        type="citizen", full_name=f"Nguyễn Văn Số {n}", phone="0912345678"
    )


def received_dossier(world: World) -> Dossier:
    return services.dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=applicant(),
    )


def submitted_dossier(world: World) -> Dossier:
    citizen = world.user("citizen")
    draft = services.dossier_create(
        actor=citizen,
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=applicant(),
    )
    for required in world.birth.required_documents.all():
        services.dossier_attach(
            dossier_id=draft.pk,
            actor=citizen,
            uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            kind="application",
            required_document=required,
        )
    return services.dossier_act(dossier_id=draft.pk, action="submit", actor=citizen)


def history(dossier: Dossier) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("seq")
        .values_list("action", flat=True)
    )


# -- codes ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_counter_receipts_get_distinct_consecutive_codes(
    transactional_db: None, world: World
) -> None:
    # Given 50 counter officers of desk A (each a separate request: own user, own connection)
    officer = world.user("counter_a")
    procedure_id, desk_id = world.birth.pk, world.desk_a.pk

    def receive(n: int) -> Racer[str]:
        def racer(go: Callable[[], None]) -> str:
            actor = User.objects.get(pk=officer.pk)
            procedure = Procedure.objects.get(pk=procedure_id)
            desk = Agency.objects.get(pk=desk_id)
            go()
            dossier = services.dossier_create(
                actor=actor,
                procedure=procedure,
                agency=desk,
                channel="counter",
                applicant=applicant(n),
            )
            assert dossier.code is not None
            return dossier.code

        return racer

    # When they all receive a dossier in the same second
    with time_machine.travel(MONDAY_9, tick=False):
        codes = run_together([receive(n) for n in range(1, RECEIPTS + 1)])

    # Then every code is different, with the same desk and date, numbered 1..50 without a gap
    assert len(set(codes)) == RECEIPTS
    assert {code.rsplit("-", 2)[0] for code in codes} == {"H56.101.1"}
    assert {code.rsplit("-", 2)[1] for code in codes} == {"261123"}
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, RECEIPTS + 1))
    assert set(Dossier.objects.values_list("code", flat=True)) == set(codes)
    assert set(Dossier.objects.values_list("received_at", flat=True)) == {MONDAY_9}
    counter = DossierCodeCounter.objects.get()
    assert (counter.agency_code, counter.day, counter.last) == (
        "H56.101.1",
        dt.date(2026, 11, 23),
        RECEIPTS,
    )


# -- the same action at once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("action", "fields"),
    [
        pytest.param("request_payment", {"amount": 30_000}, id="request_payment"),
        pytest.param("forward", {}, id="forward"),
    ],
)
@pytest.mark.parametrize(
    ("precondition", "loser_status", "loser_code"),
    [
        pytest.param("if_match", 412, "precondition_failed", id="if_match"),
        pytest.param("body_version", 409, "stale_version", id="body_version"),
    ],
)
def test_two_officers_acting_on_the_same_version_one_wins(
    transactional_db: None,
    world: World,
    action: str,
    fields: dict[str, Any],
    precondition: str,
    loser_status: int,
    loser_code: str,
) -> None:
    # Given a received dossier and two counter officers of its desk
    dossier = received_dossier(world)
    version = dossier.version
    clients = [warm_client(world.user("counter_a")), warm_client(second_counter_officer(world))]
    path = f"/api/v1/dossiers/{dossier.code}/"
    events_before = history(dossier)
    read: list[int] = []

    def act(client: APIClient) -> Racer[Response]:
        def racer(go: Callable[[], None]) -> Response:
            read.append(int(client.get(path)["ETag"].strip('"')))  # both read version v ...
            go()  # ... before either acts
            body: dict[str, Any] = {"action": action, **fields}
            headers: dict[str, str] = {}
            if precondition == "if_match":
                headers["If-Match"] = f'"{read[-1]}"'
            else:
                body["version"] = read[-1]
            return client.post(f"{path}actions/", body, format="json", headers=headers)

        return racer

    # When both send the same action with the version they read, at the same moment
    with RowLock(dossier) as lock:  # both requests are sure to reach the lock before either wins

        def release_when_both_wait() -> None:
            until_waiting(2)
            lock.release()

        responses = run_together([act(c) for c in clients], meanwhile=release_when_both_wait)

    # Then exactly one succeeds; the other is told the dossier changed meanwhile
    assert read == [version, version]
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == sorted([200, loser_status])
    winner = responses[statuses.index(200)]
    loser = responses[statuses.index(loser_status)]
    assert winner.json()["version"] == version + 1
    assert (loser.json()["code"], loser.json()["version"]) == (loser_code, version + 1)
    # ... and the dossier changed once: one new version, one new event
    dossier.refresh_from_db()
    assert dossier.version == version + 1
    assert history(dossier) == [*events_before, action]


@pytest.mark.django_db(transaction=True)
def test_two_different_actions_at_once_are_serialised_by_the_row_lock(
    transactional_db: None, world: World
) -> None:
    # Given a submitted dossier that one officer receives while another refuses it
    dossier = submitted_dossier(world)
    version = dossier.version
    events_before = history(dossier)
    receive, refuse = (
        warm_client(world.user("counter_a")),
        warm_client(second_counter_officer(world)),
    )
    path = f"/api/v1/dossiers/{dossier.pk}/actions/"

    # When both act at the same moment, without any version
    with RowLock(dossier) as lock:

        def release_when_both_wait() -> None:
            until_waiting(2)
            lock.release()

        responses = run_together(
            [
                at_once(lambda: receive.post(path, {"action": "receive"}, format="json")),
                at_once(
                    lambda: refuse.post(path, {"action": "refuse", "note": "Sai"}, format="json")
                ),
            ],
            meanwhile=release_when_both_wait,
        )

    # Then one goes first; the second sees the status it left, where its action is not allowed
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [200, 409]
    loser = responses[statuses.index(409)]
    assert loser.json()["code"] == "action_not_allowed"
    assert loser.json()["reason"] == "action_not_allowed_in_status"
    won = ["receive", "refuse"][statuses.index(200)]
    dossier.refresh_from_db()
    assert dossier.status == {"receive": "received", "refuse": "refused"}[won]
    assert dossier.version == version + 1
    assert history(dossier) == [*events_before, won]


@pytest.mark.django_db(transaction=True)
def test_an_upload_queued_behind_a_forward_is_stored(transactional_db: None, world: World) -> None:
    # Given a dossier at the commune's specialist step: the specialist forwards it to the leader
    # (the current step changes) while the leader attaches the signed result
    dossier = received_dossier(world)
    services.dossier_act(dossier_id=dossier.pk, action="forward", actor=world.user("counter_a"))
    forwarder = warm_client(world.user("specialist_a"))
    uploader = warm_client(world.user("leader_a"))
    base = f"/api/v1/dossiers/{dossier.code}"
    results: dict[str, Response | BaseException] = {}

    def send(name: str, call: Callable[[], Response]) -> threading.Thread:
        def worker() -> None:
            try:
                results[name] = call()
            except BaseException as error:  # re-raised by the main thread
                results[name] = error
            finally:
                connections.close_all()

        thread = threading.Thread(target=worker)
        thread.start()
        return thread

    # When the upload reaches the row lock right after the forward
    with RowLock(dossier) as lock:
        forwarding = send(
            "forward",
            lambda: forwarder.post(f"{base}/actions/", {"action": "forward"}, format="json"),
        )
        until_waiting(1)
        upload = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        uploading = send(
            "upload",
            lambda: uploader.post(
                f"{base}/documents/", {"file": upload, "kind": "result"}, format="multipart"
            ),
        )
        until_waiting(2)
        lock.release()
        forwarding.join(timeout=60)
        uploading.join(timeout=60)
    statuses = {}
    for name, result in results.items():
        if isinstance(result, BaseException):
            raise result
        statuses[name] = result.status_code

    # Then both are done, one after the other
    assert statuses == {"forward": 200, "upload": 201}
    assert history(Dossier.objects.get(pk=dossier.pk))[-2:] == ["forward", "attach_document"]


# -- idempotency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_from_several_threads_creates_one_dossier(
    transactional_db: None, world: World
) -> None:
    # Given one counter officer's client (the key belongs to the caller) in eight threads
    officer = world.user("counter_a")
    clients = [warm_client(officer) for _ in range(8)]
    body = {
        "procedure": "1.001193",
        "agency": "H56.101.1",
        "channel": "counter",
        "applicant": {"type": "citizen", "full_name": "Phạm Thị Dung", "phone": "0912000111"},
    }

    def create(client: APIClient) -> Racer[Response]:
        return at_once(
            lambda: client.post(
                "/api/v1/dossiers/", body, format="json", headers={"Idempotency-Key": "quay-1-0001"}
            )
        )

    # When they all send the same creation with the same Idempotency-Key at once
    with time_machine.travel(MONDAY_9, tick=False):
        responses = run_together([create(client) for client in clients])

    # Then one dossier exists; every answer is its 201 (first or replayed) or "still running"
    dossier = Dossier.objects.get()
    assert dossier.code == "H56.101.1-261123-0001"
    for response in responses:
        if response.status_code == 201:
            assert response.json()["id"] == str(dossier.pk)
        else:
            assert response.status_code == 409
            assert response.json()["code"] == "idempotency_in_flight"
    firsts = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r]
    assert len(firsts) == 1
    replays = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" in r]
    assert all(r.content == firsts[0].content for r in replays)
    record = IdempotencyRecord.objects.get()
    assert (record.key, record.status_code) == ("quay-1-0001", 201)
    assert history(dossier) == ["receive"]
