"""Dossier history: append-only events chained by SHA-256, and records of personal-data reads.

Every change to a dossier writes one ``DossierEvent`` through ``event_append``, in the same
transaction as the change. Events are never updated or deleted: nothing in the application does
it, and the database refuses it too (triggers of migration ``0003_event_append_only``, on
PostgreSQL and SQLite). A model-level guard (a manager without ``update``/``delete``) would need
``models.py``, which this module deliberately leaves alone; the triggers are the stronger guard.

Each event carries ``prev_hash`` (the previous event's ``hash``, or 64 zeros for a dossier's first
event) and ``hash = event_hash(event_content(event), prev_hash)``. Whoever manages to change a
row anyway (someone able to disable the triggers) breaks the chain, and ``verify_chain`` /
``manage.py verify_history`` find the first broken link of each dossier.

Canonical form of an event (what ``event_hash`` digests): the JSON object of ``event_content``
with keys sorted, no whitespace (``","`` and ``":"`` separators), UTF-8 without ``\\u`` escapes,
datetimes as ISO 8601 in UTC with microseconds and a ``Z`` (``2026-01-05T02:00:00.000000Z``),
UUIDs as their hyphenated text, integral floats written as integers (PostgreSQL's ``jsonb``
gives ``1e+20`` back as ``100000000000000000000``), NaN and infinities refused. The digest is
``sha256(canonical_json_utf8 + prev_hash_ascii)`` as 64 lowercase hex digits.

What a hash chain cannot show: removing the *last* events of a dossier, or a dossier's whole
history. Those need an anchor outside the table (e.g. publishing the latest hashes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.compiled import CompiledQuery, insert
from motcua.notifications.hooks import dossier_event_recorded

from .models import Dossier, DossierEvent, PersonalDataAccess

GENESIS_HASH = "0" * 64
"""``prev_hash`` of a dossier's first event."""

HASHED_FIELDS = (
    "dossier",
    "seq",
    "at",
    "actor",
    "on_behalf_of",
    "action",
    "from_status",
    "to_status",
    "agency_code",
    "step",
    "note",
    "data",
)
"""Keys of ``event_content``: everything an event says, except its own id and hashes."""

CHAIN_FIELDS = (
    "dossier_id",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "on_behalf_of",
    "action",
    "from_status",
    "to_status",
    "agency_code",
    "step",
    "note",
    "data",
    "prev_hash",
    "hash",
)
"""The columns ``verify_chain`` reads (``values_list(*CHAIN_FIELDS, named=True)`` is enough)."""

ACCESS_CHANNELS = frozenset({"api", "office", "pdf", "document"})
"""Where staff read personal data: the API, the office pages, a slip PDF, a document download."""

_HEX = frozenset("0123456789abcdef")


class ChainedEvent(Protocol):
    """What ``verify_chain`` needs of an event: a ``DossierEvent`` or a row of ``CHAIN_FIELDS``."""

    @property
    def dossier_id(self) -> Any: ...
    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> dt.datetime: ...
    @property
    def actor_id(self) -> int | None: ...
    @property
    def actor_name(self) -> str: ...
    @property
    def on_behalf_of(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def from_status(self) -> str: ...
    @property
    def to_status(self) -> str: ...
    @property
    def agency_code(self) -> str: ...
    @property
    def step(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def data(self) -> Any: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


# -- hashing (pure) ------------------------------------------------------------------------------


def _canonical_value(value: Any) -> Any:
    # Exact types first: this runs for every field of every event that verify_history reads.
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {str(key): _canonical_value(item) for key, item in value.items()}
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is list or kind is tuple:
        return [_canonical_value(item) for item in value]
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            raise ValueError(f"event times must be timezone-aware: {value!r}")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str | int):  # TextChoices, IntEnum: JSON writes their plain value
        return value
    if isinstance(value, float):
        return _canonical_value(float(value))
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    if isinstance(value, Mapping):  # last: checking an abstract class is slow
        return {str(key): _canonical_value(item) for key, item in value.items()}
    raise TypeError(f"no canonical form for {type(value).__name__}: {value!r}")


def canonical_json(fields: Mapping[str, Any]) -> bytes:
    """The canonical UTF-8 JSON of an event's content (see the module docstring)."""
    return json.dumps(
        _canonical_value(fields),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def event_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of an event's canonical content followed by the previous event's hash.

    Pure: used when an event is written and when a chain is verified. ``fields`` is normally
    ``event_content(event)``; ``prev_hash`` must be 64 lowercase hex digits.
    """
    if len(prev_hash) != 64 or not _HEX.issuperset(prev_hash):
        raise ValueError(f"prev_hash must be 64 lowercase hex digits: {prev_hash!r}")
    return hashlib.sha256(canonical_json(fields) + prev_hash.encode("ascii")).hexdigest()


def event_content(event: ChainedEvent) -> dict[str, Any]:
    """The hashed content of an event (keys ``HASHED_FIELDS``); the actor is its id and name."""
    return {
        "dossier": event.dossier_id,
        "seq": event.seq,
        "at": event.at,
        "actor": {"id": event.actor_id, "name": event.actor_name},
        "on_behalf_of": event.on_behalf_of,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "agency_code": event.agency_code,
        "step": event.step,
        "note": event.note,
        "data": event.data,
    }


# -- writing -------------------------------------------------------------------------------------


# The chain's last link, read before every append (compiled once, see core.compiled).
_LAST_EVENT = CompiledQuery(
    lambda dossier_id: (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .order_by("-seq")
        .values_list("seq", "hash")[:1]
    ),
    uuid_params=("dossier_id",),
)


# Where a Dossier instance whose row is locked carries its history's last (seq, hash), or None
# before the first event: read with the row (services._common.lock_dossier), then kept current
# by event_append, so that appending needs no read of the last event.
CHAIN_HEAD = "_motcua_chain_head"
UNKNOWN_HEAD: Any = object()  # ``head`` not given: event_append reads the last event


def event_append(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    agency_code: str = "",
    step: str = "",
    note: str = "",
    data: Mapping[str, Any] | None = None,
    on_behalf_of: str = "",
    at: dt.datetime | None = None,
    locked: bool = False,
    first: bool = False,
    head: Any = UNKNOWN_HEAD,
) -> DossierEvent:
    """Append the next event of ``dossier``'s history, chained to the previous one.

    Must run inside the caller's transaction (the change it records commits with it, or neither
    does): outside ``transaction.atomic`` it raises ``TransactionManagementError``. The dossier
    row is locked (``SELECT ... FOR NO KEY UPDATE`` on PostgreSQL; SQLite's writers are already
    serialised) so that concurrent appends take turns; ``(dossier, seq)`` is unique in the
    database as well. ``actor`` is None for the system (deadline jobs, automatic returns); its
    name is kept as it was at the time. ``data`` is stored as JSON: dates, decimals and UUIDs
    become strings. ``at`` defaults to now and must be timezone-aware.

    ``locked``: the caller already holds the row lock in this transaction (``lock_dossier``),
    so it is not taken again. ``first``: the dossier was created in this transaction and has no
    event yet; the event is then the first of the chain without reading the last one (if that
    were wrong, the unique ``(dossier, seq)`` would refuse the insert). ``head``: with
    ``locked``, the last event's ``(seq, hash)`` (None: no event yet) as read under the lock and
    kept on the instance (``CHAIN_HEAD``); the last event is then not read again. The instance's
    head is updated to the new event either way.
    """
    using = router.db_for_write(DossierEvent, instance=dossier)
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError(
            "event_append must run inside the transaction of the change it records"
        )
    at = timezone.now() if at is None else at
    if timezone.is_naive(at):
        raise ValueError(f"event times must be timezone-aware: {at!r}")
    # What is hashed must be exactly what the JSON column gives back.
    content = json.loads(json.dumps(dict(data or {}), cls=DjangoJSONEncoder, allow_nan=False))

    if first:
        seq, prev_hash = 1, GENESIS_HASH
    elif locked and head is not UNKNOWN_HEAD:
        seq, prev_hash = (head[0] + 1, head[1]) if head is not None else (1, GENESIS_HASH)
    else:
        # Serialise appends per dossier: whoever holds the row lock reads the latest event.
        if not locked:
            row = Dossier.objects.using(using).filter(pk=dossier.pk).order_by()
            if transaction.get_connection(using).features.has_select_for_update:
                row = row.select_for_update(no_key=True)
            if not list(row.values_list("pk", flat=True)):
                raise Dossier.DoesNotExist(f"no dossier {dossier.pk} to append history to")
        previous = _LAST_EVENT.first_row(using, dossier_id=dossier.pk)
        seq, prev_hash = (previous[0] + 1, previous[1]) if previous else (1, GENESIS_HASH)

    event = DossierEvent(
        dossier=dossier,
        seq=seq,
        at=at,
        actor=actor,
        actor_name="" if actor is None else str(actor)[:200],
        on_behalf_of=on_behalf_of,
        action=action,
        from_status=from_status,
        to_status=to_status,
        agency_code=agency_code,
        step=step,
        note=note,
        data=content,
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event_content(event), prev_hash)
    insert(event, using=using)  # the INSERT built once (core.compiled)
    dossier.__dict__[CHAIN_HEAD] = (seq, event.hash)
    # Notifications of this event (applicant, assigned officer): one outbox row in this
    # transaction when the event has something to tell, nothing otherwise (notifications.hooks).
    dossier_event_recorded(event)
    return event


def record_personal_data_access(
    *, user: User, dossier: Dossier, channel: str
) -> PersonalDataAccess:
    """Record that ``user`` (staff) has just read ``dossier``'s personal data through ``channel``.

    ``channel`` is one of ``ACCESS_CHANNELS``. The row is append-only like the events. It needs
    no transaction of its own: a read usually has none.
    """
    if channel not in ACCESS_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {sorted(ACCESS_CHANNELS)}")
    return PersonalDataAccess.objects.create(user=user, dossier=dossier, channel=channel)


def record_personal_data_access_many(
    *, user: User, dossiers: Iterable[Dossier], channel: str
) -> int:
    """Record one read per dossier (a page of a list shows each applicant) in one INSERT."""
    if channel not in ACCESS_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {sorted(ACCESS_CHANNELS)}")
    rows = [PersonalDataAccess(user=user, dossier=dossier, channel=channel) for dossier in dossiers]
    PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


# -- verifying (pure) ----------------------------------------------------------------------------


class BrokenLink(StrEnum):
    """Why a link of a chain is broken."""

    SEQ_GAP = "seq_gap"  # an event is missing (or seq does not start at 1)
    PREV_HASH_MISMATCH = "prev_hash_mismatch"  # prev_hash is not the previous event's hash
    HASH_MISMATCH = "hash_mismatch"  # the content does not give the stored hash


@dataclass(frozen=True, slots=True)
class Problem:
    """The first broken link of one dossier's history."""

    dossier_id: Any
    seq: int
    reason: BrokenLink
    detail: str


class ChainVerifier:
    """Checks events fed one at a time, ordered by dossier then seq, keeping only one dossier's
    state: millions of events stream through in constant memory. ``events`` and ``dossiers``
    count what was fed; ``feed`` returns a dossier's first problem and ignores the rest of it."""

    def __init__(self) -> None:
        self.events = 0
        self.dossiers = 0
        self._dossier: Any = None
        self._expected_seq = 1
        self._prev_hash = GENESIS_HASH
        self._broken = False

    def feed(self, event: ChainedEvent) -> Problem | None:
        """Check the next event; return the problem if it is its dossier's first broken link."""
        self.events += 1
        if self.events == 1 or event.dossier_id != self._dossier:
            self.dossiers += 1
            self._dossier = event.dossier_id
            self._expected_seq, self._prev_hash, self._broken = 1, GENESIS_HASH, False
        if self._broken:
            return None
        problem = self._check(event)
        if problem is not None:
            self._broken = True
            return problem
        self._expected_seq, self._prev_hash = event.seq + 1, event.hash
        return None

    def _check(self, event: ChainedEvent) -> Problem | None:
        def broken(reason: BrokenLink, detail: str) -> Problem:
            return Problem(dossier_id=event.dossier_id, seq=event.seq, reason=reason, detail=detail)

        if event.seq != self._expected_seq:
            return broken(
                BrokenLink.SEQ_GAP, f"expected seq {self._expected_seq}, found {event.seq}"
            )
        if event.prev_hash != self._prev_hash:
            which = "64 zeros" if event.seq == 1 else f"the hash of seq {event.seq - 1}"
            return broken(BrokenLink.PREV_HASH_MISMATCH, f"prev_hash is not {which}")
        try:
            expected = event_hash(event_content(event), event.prev_hash)
        except (TypeError, ValueError) as error:
            return broken(BrokenLink.HASH_MISMATCH, f"content cannot be hashed: {error}")
        if event.hash != expected:
            return broken(BrokenLink.HASH_MISMATCH, "the content does not match the stored hash")
        return None


def iter_problems(events: Iterable[ChainedEvent]) -> Iterator[Problem]:
    """Lazily yield the first broken link of each dossier (events ordered by dossier, seq)."""
    verifier = ChainVerifier()
    for event in events:
        problem = verifier.feed(event)
        if problem is not None:
            yield problem


def verify_chain(events: Iterable[ChainedEvent]) -> list[Problem]:
    """The first broken link of each dossier among ``events``, ordered by dossier then seq.

    Pure: no database access. An empty list means every chain is intact. Events of one dossier
    must be contiguous and in seq order, as ``order_by("dossier_id", "seq")`` gives them.
    """
    return list(iter_problems(events))
