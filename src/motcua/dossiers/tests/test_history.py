"""History: the hash chain, append-only triggers, verify_history, and personal-data reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError

from motcua.dossiers.constants import Action, Status
from motcua.dossiers.history import (
    GENESIS_HASH,
    HASHED_FIELDS,
    BrokenLink,
    Problem,
    canonical_json,
    event_append,
    event_content,
    event_hash,
    record_personal_data_access,
    verify_chain,
)
from motcua.dossiers.models import Dossier, DossierEvent, PersonalDataAccess
from motcua.dossiers.tests.factories import (
    DossierEventFactory,
    DossierFactory,
    PersonalDataAccessFactory,
    UserFactory,
)

POSTGRES = connection.vendor == "postgresql"
SQLITE = connection.vendor == "sqlite"
postgres_only = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)")
sqlite_only = pytest.mark.skipif(not SQLITE, reason="the embedded-mode (SQLite) triggers")

EVENTS = DossierEvent._meta.db_table
ACCESSES = PersonalDataAccess._meta.db_table
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=HANOI)
EVENTS_REFUSED = "dossier events are append-only"
ACCESSES_REFUSED = "personal data access records are append-only"


# -- helpers -------------------------------------------------------------------------------------


def append_history(dossier: Dossier, count: int, *, start: dt.datetime = MONDAY_9) -> None:
    """``count`` events for ``dossier``, one minute apart, in one transaction."""
    actor = UserFactory(staff=True, full_name="Phạm Thu Hà")
    with transaction.atomic():
        for index in range(count):
            event_append(
                dossier=dossier,
                action=Action.FORWARD if index else Action.RECEIVE,
                actor=actor,
                from_status=Status.RECEIVED if index else "",
                to_status=Status.PROCESSING if index else Status.RECEIVED,
                agency_code=dossier.current_agency.code,
                step=f"Bước {index + 1}",
                note=f"Ghi chú {index + 1}",
                data={"index": index},
                at=start + dt.timedelta(minutes=index),
            )


def stored_events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))


def memory_chain(dossier_id: uuid.UUID, count: int) -> list[SimpleNamespace]:
    """A valid chain of events as plain objects, for the pure functions."""
    events: list[SimpleNamespace] = []
    prev_hash = GENESIS_HASH
    for seq in range(1, count + 1):
        event = SimpleNamespace(
            dossier_id=dossier_id,
            seq=seq,
            at=MONDAY_9 + dt.timedelta(minutes=seq),
            actor_id=7,
            actor_name="Phạm Thu Hà",
            on_behalf_of="",
            action="forward",
            from_status="processing",
            to_status="processing",
            agency_code="H56.1",
            step="",
            note=f"Ghi chú {seq}",
            data={},
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event_content(event), prev_hash)
        prev_hash = event.hash
        events.append(event)
    return events


@contextmanager
def triggers_bypassed(table: str) -> Iterator[None]:
    """What a DBA could do: switch the append-only triggers off, then on again."""
    with connection.cursor() as cursor:
        if POSTGRES:
            # ALTER TABLE waits for no deferred foreign-key check of this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if POSTGRES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for _name, sql in triggers:
                    cursor.execute(sql)


def tamper(sql: str, params: list[Any]) -> None:
    with triggers_bypassed(EVENTS), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_history(*args: str) -> tuple[int, list[str]]:
    """Run the command in-process: (exit status, output lines)."""
    out = StringIO()
    try:
        call_command("verify_history", *args, stdout=out, no_color=True)
    except CommandError as error:
        return error.returncode, out.getvalue().splitlines()
    return 0, out.getvalue().splitlines()


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                "(%s::regclass, %s::regclass)",
                [EVENTS, ACCESSES],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


# -- the canonical form and the hash (pure) ------------------------------------------------------


def test_canonical_json_sorts_keys_and_writes_utc_microseconds_utf8_without_spaces() -> None:
    # given content with nested data, a local time, a UUID and an integral float
    fields = {
        "note": "Hồ sơ đầy đủ",
        "at": MONDAY_9,
        "dossier": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "data": {"b": 1.0, "a": [1, 2.5], "c": None, "d": True},
    }

    # when
    canonical = canonical_json(fields)

    # then
    assert (
        canonical
        == (
            '{"at":"2026-01-05T02:00:00.000000Z","data":{"a":[1,2.5],"b":1,"c":null,"d":true},'
            '"dossier":"12345678-1234-5678-1234-567812345678","note":"Hồ sơ đầy đủ"}'
        ).encode()
    )


def test_event_hash_is_sha256_of_canonical_content_then_prev_hash() -> None:
    fields = {"seq": 1, "note": "Tiếp nhận"}
    prev = "ab" * 32

    assert (
        event_hash(fields, prev)
        == hashlib.sha256('{"note":"Tiếp nhận","seq":1}'.encode() + prev.encode()).hexdigest()
    )


def test_event_hash_does_not_depend_on_key_order_or_time_zone() -> None:
    one = {"at": MONDAY_9, "note": "x", "data": {"a": 1, "b": 2}}
    other = {"data": {"b": 2, "a": 1}, "note": "x", "at": MONDAY_9.astimezone(dt.UTC)}

    assert event_hash(one, GENESIS_HASH) == event_hash(other, GENESIS_HASH)


def test_event_hash_changes_with_any_field_or_the_previous_hash() -> None:
    base = {"note": "a", "seq": 2}

    hashes = {
        event_hash(base, GENESIS_HASH),
        event_hash({"note": "b", "seq": 2}, GENESIS_HASH),
        event_hash({"note": "a", "seq": 3}, GENESIS_HASH),
        event_hash(base, "1" * 64),
    }

    assert len(hashes) == 4


@pytest.mark.parametrize(
    ("fields", "prev_hash", "error"),
    [
        ({"at": dt.datetime(2026, 1, 5, 9)}, GENESIS_HASH, ValueError),  # naive time
        ({"data": {"x": math.nan}}, GENESIS_HASH, ValueError),
        ({"data": {"x": math.inf}}, GENESIS_HASH, ValueError),
        ({"data": {"x": Decimal("1.5")}}, GENESIS_HASH, TypeError),
        ({"note": "x"}, "0" * 63, ValueError),
        ({"note": "x"}, "A" * 64, ValueError),
    ],
)
def test_event_hash_refuses_what_has_no_canonical_form(
    fields: dict[str, Any], prev_hash: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        event_hash(fields, prev_hash)


def test_event_content_holds_the_hashed_fields_with_the_actor_as_id_and_name() -> None:
    (event,) = memory_chain(uuid.UUID(int=1), 1)

    content = event_content(event)

    assert tuple(content) == HASHED_FIELDS
    assert content["actor"] == {"id": 7, "name": "Phạm Thu Hà"}
    assert content["dossier"] == uuid.UUID(int=1)


# -- verify_chain (pure) ---------------------------------------------------------------------------


def test_verify_chain_accepts_intact_chains_of_several_dossiers() -> None:
    events = memory_chain(uuid.UUID(int=1), 3) + memory_chain(uuid.UUID(int=2), 2)

    assert verify_chain(events) == []
    assert verify_chain([]) == []


def test_verify_chain_reports_a_missing_middle_event_as_a_seq_gap() -> None:
    first, _second, third = memory_chain(uuid.UUID(int=1), 3)

    assert verify_chain([first, third]) == [
        Problem(uuid.UUID(int=1), 3, BrokenLink.SEQ_GAP, "expected seq 2, found 3")
    ]


def test_verify_chain_reports_a_chain_that_does_not_start_at_one() -> None:
    _first, second = memory_chain(uuid.UUID(int=1), 2)

    assert verify_chain([second]) == [
        Problem(uuid.UUID(int=1), 2, BrokenLink.SEQ_GAP, "expected seq 1, found 2")
    ]


def test_verify_chain_reports_changed_content_as_a_hash_mismatch() -> None:
    events = memory_chain(uuid.UUID(int=1), 3)
    events[1].note = "Đã sửa"

    assert verify_chain(events) == [
        Problem(
            uuid.UUID(int=1),
            2,
            BrokenLink.HASH_MISMATCH,
            "the content does not match the stored hash",
        )
    ]


def test_verify_chain_reports_a_rehashed_event_at_the_next_link() -> None:
    # given an event changed and rehashed by someone who knows the algorithm
    events = memory_chain(uuid.UUID(int=1), 3)
    events[1].note = "Đã sửa"
    events[1].hash = event_hash(event_content(events[1]), events[1].prev_hash)

    # then the next event no longer points at it
    assert verify_chain(events) == [
        Problem(
            uuid.UUID(int=1), 3, BrokenLink.PREV_HASH_MISMATCH, "prev_hash is not the hash of seq 2"
        )
    ]


def test_verify_chain_reports_a_first_event_not_chained_to_zeros() -> None:
    (event,) = memory_chain(uuid.UUID(int=1), 1)
    event.prev_hash = "1" * 64
    event.hash = event_hash(event_content(event), event.prev_hash)

    assert verify_chain([event]) == [
        Problem(uuid.UUID(int=1), 1, BrokenLink.PREV_HASH_MISMATCH, "prev_hash is not 64 zeros")
    ]


def test_verify_chain_reports_only_the_first_break_of_each_dossier() -> None:
    broken_twice = memory_chain(uuid.UUID(int=1), 4)
    broken_twice[1].note = "x"
    broken_twice[3].note = "y"
    intact = memory_chain(uuid.UUID(int=2), 2)
    gap = memory_chain(uuid.UUID(int=3), 3)
    del gap[0]

    problems = verify_chain(broken_twice + intact + gap)

    assert [(p.dossier_id, p.seq, p.reason) for p in problems] == [
        (uuid.UUID(int=1), 2, BrokenLink.HASH_MISMATCH),
        (uuid.UUID(int=3), 2, BrokenLink.SEQ_GAP),
    ]


# -- event_append ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_append_builds_a_valid_chain_that_survives_the_database() -> None:
    # given
    dossier = DossierFactory()

    # when
    append_history(dossier, 3)

    # then
    events = stored_events(dossier)
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.prev_hash for e in events] == [GENESIS_HASH, events[0].hash, events[1].hash]
    assert all(e.hash == event_hash(event_content(e), e.prev_hash) for e in events)
    assert verify_chain(events) == []


@pytest.mark.django_db
def test_event_append_records_every_field_and_returns_the_saved_event() -> None:
    dossier = DossierFactory(status=Status.PROCESSING)
    actor = UserFactory(staff=True, full_name="Đỗ Minh Khôi")

    with transaction.atomic():
        event = event_append(
            dossier=dossier,
            action=Action.FORWARD,
            actor=actor,
            from_status=Status.RECEIVED,
            to_status=Status.PROCESSING,
            agency_code="H56.7",
            step="Thẩm định",
            note="Chuyển chuyên viên",
            data={"to_step": 2},
            on_behalf_of="Nguyễn Văn An",
            at=MONDAY_9,
        )

    stored = DossierEvent.objects.get(pk=event.pk)
    assert (
        stored.dossier_id,
        stored.seq,
        stored.at,
        stored.actor_id,
        stored.actor_name,
        stored.on_behalf_of,
        stored.action,
        stored.from_status,
        stored.to_status,
        stored.agency_code,
        stored.step,
        stored.note,
        stored.data,
        stored.prev_hash,
        stored.hash,
    ) == (
        dossier.pk,
        1,
        MONDAY_9,
        actor.pk,
        "Đỗ Minh Khôi",
        "Nguyễn Văn An",
        "forward",
        "received",
        "processing",
        "H56.7",
        "Thẩm định",
        "Chuyển chuyên viên",
        {"to_step": 2},
        GENESIS_HASH,
        event.hash,
    )


@pytest.mark.django_db
def test_event_append_by_the_system_has_no_actor_and_defaults_to_now() -> None:
    dossier = DossierFactory(status=Status.RESOLVED)

    with time_machine.travel(MONDAY_9, tick=False), transaction.atomic():
        event = event_append(
            dossier=dossier,
            action=Action.RETURN_RESULT,
            actor=None,
            from_status=Status.RESOLVED,
            to_status=Status.RETURNED,
        )

    stored = DossierEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_name, stored.at, stored.data) == (None, "", MONDAY_9, {})


@pytest.mark.django_db
def test_event_data_is_stored_as_json_and_still_verifies_after_the_round_trip() -> None:
    # given data with values JSON columns change: times, decimals, UUIDs, big and integral floats
    dossier = DossierFactory()
    data = {
        "new_due_at": MONDAY_9,
        "amount": Decimal("50000.50"),
        "document": uuid.UUID(int=5),
        "big": 1e20,
        "whole": 2.0,
        "small": 1.5e-7,
        "items": ("Bản sao CCCD", "Tờ khai"),
    }

    # when
    with transaction.atomic():
        event_append(
            dossier=dossier, action="extend", actor=None, from_status="", to_status="", data=data
        )

    # then
    (stored,) = stored_events(dossier)
    assert stored.data == {
        "new_due_at": "2026-01-05T09:00:00+07:00",
        "amount": "50000.50",
        "document": "00000000-0000-0000-0000-000000000005",
        "big": 1e20,
        "whole": 2.0,
        "small": 1.5e-7,
        "items": ["Bản sao CCCD", "Tờ khai"],
    }
    assert verify_chain([stored]) == []


@pytest.mark.django_db
def test_event_append_refuses_a_naive_time_and_writes_nothing() -> None:
    dossier = DossierFactory()

    with pytest.raises(ValueError, match="timezone-aware"), transaction.atomic():
        event_append(
            dossier=dossier,
            action="receive",
            actor=None,
            from_status="",
            to_status="received",
            at=dt.datetime(2026, 1, 5, 9),
        )

    assert DossierEvent.objects.count() == 0


@pytest.mark.django_db
def test_event_append_numbers_each_dossier_separately() -> None:
    one, other = DossierFactory(), DossierFactory()

    append_history(one, 2)
    append_history(other, 1)
    append_history(one, 1)

    assert [e.seq for e in stored_events(one)] == [1, 2, 3]
    assert [e.seq for e in stored_events(other)] == [1]
    assert verify_chain(DossierEvent.objects.order_by("dossier_id", "seq")) == []


@pytest.mark.django_db(transaction=True)
def test_event_append_outside_a_transaction_raises_and_writes_nothing() -> None:
    dossier = DossierFactory()

    with pytest.raises(TransactionManagementError, match="inside the transaction"):
        event_append(
            dossier=dossier, action="receive", actor=None, from_status="", to_status="received"
        )

    assert DossierEvent.objects.count() == 0


@pytest.mark.django_db
def test_the_event_factory_appends_through_the_chain() -> None:
    dossier = DossierFactory(with_history=True)

    DossierEventFactory(dossier=dossier, action=Action.FORWARD, note="Chuyển xử lý")

    events = stored_events(dossier)
    assert [(e.seq, e.action) for e in events] == [(1, "receive"), (2, "forward")]
    assert events[0].actor_id == dossier.created_by_id
    assert verify_chain(events) == []


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_take_turns_and_keep_seq_unique() -> None:
    # given one dossier and 20 officers acting on it at the same moment
    dossier = DossierFactory()
    actor = UserFactory(staff=True)
    workers = 20
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def append(index: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                event_append(
                    dossier=Dossier.objects.get(pk=dossier.pk),
                    action="forward",
                    actor=actor,
                    from_status="processing",
                    to_status="processing",
                    note=f"Luồng {index}",
                )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=append, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    events = stored_events(dossier)
    assert [e.seq for e in events] == list(range(1, workers + 1))
    assert {e.note for e in events} == {f"Luồng {i}" for i in range(workers)}
    assert verify_chain(events) == []


# -- append-only in the database -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_append_only_triggers_are_installed() -> None:
    expected = (
        {"dossier_event_append_only", "personal_data_access_append_only"}
        if POSTGRES
        else {
            "dossier_event_no_update",
            "dossier_event_no_delete",
            "personal_data_access_no_update",
            "personal_data_access_no_delete",
        }
    )

    assert expected <= trigger_names()


def _update_queryset(event: DossierEvent) -> None:
    DossierEvent.objects.filter(pk=event.pk).update(note="Đã sửa")


def _update_save(event: DossierEvent) -> None:
    event.note = "Đã sửa"
    event.save()


def _update_raw(event: DossierEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierevent SET note = %s WHERE id = %s", ["Đã sửa", event.pk]
        )


def _delete_instance(event: DossierEvent) -> None:
    event.delete()


def _delete_queryset(event: DossierEvent) -> None:
    DossierEvent.objects.filter(dossier_id=event.dossier_id, seq__gte=event.seq).delete()


def _delete_raw(event: DossierEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [event.pk])


CHANGES: dict[str, Callable[[DossierEvent], None]] = {
    "update via queryset": _update_queryset,
    "update via save": _update_save,
    "update via raw SQL": _update_raw,
    "delete via instance": _delete_instance,
    "delete via queryset": _delete_queryset,
    "delete via raw SQL": _delete_raw,
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_database_refuses_to_change_or_delete_an_event(
    change: Callable[[DossierEvent], None],
) -> None:
    # given the second event of a history (on SQLite only the table's oldest row may go)
    dossier = DossierFactory()
    append_history(dossier, 3)
    before = [(e.seq, e.note, e.hash) for e in stored_events(dossier)]

    # when
    with pytest.raises(DatabaseError, match=EVENTS_REFUSED) as refused, transaction.atomic():
        change(stored_events(dossier)[1])

    # then
    assert type(refused.value) is IntegrityError
    assert [(e.seq, e.note, e.hash) for e in stored_events(dossier)] == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE dossiers_personaldataaccess SET channel = 'pdf'",
        "DELETE FROM dossiers_personaldataaccess WHERE channel = 'office'",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_personal_data_access(statement: str) -> None:
    PersonalDataAccessFactory(channel="api")
    PersonalDataAccessFactory(channel="office")

    with (
        pytest.raises(DatabaseError, match=ACCESSES_REFUSED),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    assert sorted(PersonalDataAccess.objects.values_list("channel", flat=True)) == ["api", "office"]


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_even_the_oldest_event_and_a_bulk_delete() -> None:
    dossier = DossierFactory()
    append_history(dossier, 2)

    with pytest.raises(IntegrityError, match=EVENTS_REFUSED), transaction.atomic():
        stored_events(dossier)[0].delete()
    with pytest.raises(IntegrityError, match=EVENTS_REFUSED), transaction.atomic():
        DossierEvent.objects.all().delete()

    assert [e.seq for e in stored_events(dossier)] == [1, 2]


@sqlite_only
@pytest.mark.django_db
def test_sqlite_lets_only_the_oldest_row_go_and_verify_history_sees_it() -> None:
    # given two dossiers' histories; the first event ever written is the table's oldest row
    first, second = DossierFactory(), DossierFactory()
    append_history(first, 2)
    append_history(second, 2)

    # when it is deleted (what flush does, row by row)
    stored_events(first)[0].delete()

    # then nothing else may follow out of order, and the chain shows the loss
    with pytest.raises(IntegrityError, match=EVENTS_REFUSED), transaction.atomic():
        stored_events(second)[0].delete()
    code, lines = verify_history()
    assert code == 1
    assert lines[0] == f"{first.code}: seq 2: seq_gap (expected seq 1, found 2)"


@pytest.mark.django_db(transaction=True)
def test_flush_between_transactional_tests_still_empties_the_tables() -> None:
    # given interleaved histories and access records
    one, other = DossierFactory(), DossierFactory()
    append_history(one, 2)
    append_history(other, 2)
    append_history(one, 1)
    PersonalDataAccessFactory(dossier=one)

    # when the test database is flushed (TRUNCATE on PostgreSQL, DELETE FROM on SQLite)
    call_command("flush", interactive=False, verbosity=0)

    # then
    assert (DossierEvent.objects.count(), PersonalDataAccess.objects.count()) == (0, 0)


# -- verify_history --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_history_passes_intact_histories() -> None:
    for _ in range(3):
        append_history(DossierFactory(), 3)

    assert verify_history() == (0, ["Checked 9 events of 3 dossiers: 0 broken."])


@pytest.mark.django_db
def test_verify_history_with_no_events() -> None:
    assert verify_history() == (0, ["Checked 0 events of 0 dossiers: 0 broken."])


@pytest.mark.django_db
def test_verify_history_detects_a_note_changed_behind_the_triggers() -> None:
    # given two histories, and a DBA who disables the trigger and rewrites a note
    tampered, intact = DossierFactory(), DossierFactory()
    append_history(tampered, 3)
    append_history(intact, 3)
    tamper(
        "UPDATE dossiers_dossierevent SET note = %s WHERE id = %s",
        ["Hồ sơ hợp lệ", stored_events(tampered)[1].pk],
    )
    assert stored_events(tampered)[1].note == "Hồ sơ hợp lệ"

    # when / then
    assert verify_history() == (
        1,
        [
            f"{tampered.code}: seq 2: hash_mismatch (the content does not match the stored hash)",
            "Checked 6 events of 2 dossiers: 1 broken.",
        ],
    )
    # and the trigger is back on
    with pytest.raises(DatabaseError, match=EVENTS_REFUSED), transaction.atomic():
        DossierEvent.objects.filter(dossier=tampered).update(note="again")


@pytest.mark.django_db
def test_verify_history_detects_a_deleted_middle_event() -> None:
    dossier = DossierFactory()
    append_history(dossier, 4)
    tamper("DELETE FROM dossiers_dossierevent WHERE id = %s", [stored_events(dossier)[1].pk])

    assert verify_history() == (
        1,
        [
            f"{dossier.code}: seq 3: seq_gap (expected seq 2, found 3)",
            "Checked 3 events of 1 dossiers: 1 broken.",
        ],
    )


@pytest.mark.django_db
def test_verify_history_detects_a_changed_hash() -> None:
    dossier = DossierFactory()
    append_history(dossier, 3)
    tamper(
        "UPDATE dossiers_dossierevent SET hash = %s WHERE id = %s",
        ["f" * 64, stored_events(dossier)[2].pk],
    )

    code, lines = verify_history()

    assert (code, lines[0]) == (
        1,
        f"{dossier.code}: seq 3: hash_mismatch (the content does not match the stored hash)",
    )


@pytest.mark.django_db
def test_verify_history_detects_a_rewritten_and_rehashed_event() -> None:
    dossier = DossierFactory()
    append_history(dossier, 3)
    event = stored_events(dossier)[1]
    event.note = "Hồ sơ hợp lệ"
    rehashed = event_hash(event_content(event), event.prev_hash)
    tamper(
        "UPDATE dossiers_dossierevent SET note = %s, hash = %s WHERE id = %s",
        ["Hồ sơ hợp lệ", rehashed, event.pk],
    )

    code, lines = verify_history()

    assert (code, lines[0]) == (
        1,
        f"{dossier.code}: seq 3: prev_hash_mismatch (prev_hash is not the hash of seq 2)",
    )


@pytest.mark.django_db
def test_verify_history_reports_a_dossier_without_a_code_by_its_id() -> None:
    draft = DossierFactory(draft=True)
    append_history(draft, 2)
    tamper(
        "UPDATE dossiers_dossierevent SET action = %s WHERE id = %s",
        ["submit", stored_events(draft)[0].pk],
    )

    code, lines = verify_history()

    assert (code, lines[0]) == (
        1,
        f"{draft.pk}: seq 1: hash_mismatch (the content does not match the stored hash)",
    )


@pytest.mark.django_db
def test_verify_history_of_one_dossier() -> None:
    broken, intact = DossierFactory(), DossierFactory()
    append_history(broken, 2)
    append_history(intact, 2)
    tamper(
        "UPDATE dossiers_dossierevent SET note = 'x' WHERE id = %s", [stored_events(broken)[1].pk]
    )

    assert verify_history("--dossier", intact.code) == (
        0,
        ["Checked 2 events of 1 dossiers: 0 broken."],
    )
    assert verify_history("--dossier", broken.code)[0] == 1


@pytest.mark.django_db
def test_verify_history_of_an_unknown_dossier_is_a_usage_error() -> None:
    with pytest.raises(CommandError, match="no dossier with code H56-260105-0001") as error:
        call_command("verify_history", "--dossier", "H56-260105-0001", stdout=StringIO())

    assert error.value.returncode == 2


@pytest.mark.django_db
def test_verify_history_streams_in_chunks_with_one_query(
    django_assert_num_queries: Any,
) -> None:
    # given histories that straddle the chunk boundaries, one of them broken
    dossiers = [DossierFactory() for _ in range(4)]
    for dossier in dossiers:
        append_history(dossier, 3)
    tamper(
        "UPDATE dossiers_dossierevent SET note = 'x' WHERE id = %s",
        [stored_events(dossiers[2])[2].pk],
    )

    # when: one query for the events, one for the codes of the broken dossiers
    with django_assert_num_queries(2):
        code, lines = verify_history("--chunk-size", "2")

    # then
    assert code == 1
    assert lines == [
        f"{dossiers[2].code}: seq 3: hash_mismatch (the content does not match the stored hash)",
        "Checked 12 events of 4 dossiers: 1 broken.",
    ]


@pytest.mark.django_db(transaction=True)
def test_verify_history_exit_status_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given an intact history
    dossier = DossierFactory()
    append_history(dossier, 2)

    def run() -> int:
        try:
            ManagementUtility(["manage.py", "verify_history", "--no-color"]).execute()
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return 0

    assert run() == 0
    # when an event is inserted with a forged hash (inserting is allowed; the chain is not fooled)
    last = stored_events(dossier)[-1]
    DossierEvent.objects.create(
        dossier=dossier,
        seq=3,
        at=MONDAY_9,
        action="approve",
        prev_hash=last.hash,
        hash="0" * 64,
    )

    # then
    assert run() == 1
    output = capsys.readouterr()
    assert output.out.splitlines() == [
        "Checked 2 events of 1 dossiers: 0 broken.",
        f"{dossier.code}: seq 3: hash_mismatch (the content does not match the stored hash)",
        "Checked 3 events of 1 dossiers: 1 broken.",
    ]
    assert output.err == "CommandError: 1 dossier(s) with a broken history\n"


# -- personal-data reads -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_record_personal_data_access_records_who_when_which_and_how() -> None:
    dossier = DossierFactory()
    officer = UserFactory(staff=True)

    with time_machine.travel(MONDAY_9, tick=False):
        access = record_personal_data_access(user=officer, dossier=dossier, channel="office")

    stored = PersonalDataAccess.objects.get()
    assert (stored.pk, stored.user_id, stored.dossier_id, stored.at, stored.channel) == (
        access.pk,
        officer.pk,
        dossier.pk,
        MONDAY_9,
        "office",
    )


@pytest.mark.django_db
def test_record_personal_data_access_refuses_an_unknown_channel() -> None:
    dossier = DossierFactory()

    with pytest.raises(ValueError, match="unknown channel 'email'"):
        record_personal_data_access(user=UserFactory(staff=True), dossier=dossier, channel="email")

    assert PersonalDataAccess.objects.count() == 0
