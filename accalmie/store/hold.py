"""Held mail in the store: which messages wait in the hold folder, and each release batch.

A held row points at a ``messages`` row, whose folder/UID say where the message sits and whose
lane says where it goes at release; nothing of the message is copied here. States:
``held`` (in the hold folder, to release), ``released`` (moved to its lane by a release),
``left`` (no longer in the hold folder when the release came: the user took it out first).
Each function is one statement (or one transaction) per chunk, like ``store/bulk.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from accalmie.store import Store
from accalmie.store.db import WRITE
from accalmie.store.records import JournalEntry
from accalmie.store.repository import norm_key
from accalmie.store.schema import held as _held
from accalmie.store.schema import journal as _journal
from accalmie.store.schema import messages as _messages
from accalmie.store.schema import releases as _releases

HELD, RELEASED, LEFT = "held", "released", "left"
HELD_STATES = (HELD, RELEASED, LEFT)
_CHUNK = 400


@dataclass(frozen=True, slots=True)
class HeldRow:
    """A held message and where its ``messages`` row says it sits."""

    id: int
    message_row_id: int
    folder: str
    uid: int | None
    key: str
    raw_sha256: str
    message_id: str
    lane: str
    date: datetime | None  # the message's Date (aware, UTC), when it has one
    held_at: datetime
    release_after: datetime | None


@dataclass(frozen=True, slots=True)
class HeldRecord:
    """What reports and digests need: which message, held when, released when."""

    message_row_id: int
    state: str
    held_at: datetime
    release_after: datetime | None
    released_at: datetime | None
    release_id: int | None


@dataclass(frozen=True, slots=True)
class ReleaseRecord:
    id: int
    account_id: int
    started_at: datetime
    finished_at: datetime | None
    messages: int
    moved: int
    failed: int


def _chunks(seq: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def _insert(store: Store):  # type: ignore[no-untyped-def]
    return (postgresql.insert if store.dialect == "postgresql" else sqlite.insert)(_held)


def record_held(store: Store, account_id: int,
                rows: Iterable[tuple[int, datetime, datetime | None]]) -> None:
    """Note messages as held: (message row id, held at, release after), one transaction.

    A row already known goes back to ``held`` (the same message decided again after a killed
    run): recording is idempotent.
    """
    values = {int(r): (at, after) for r, at, after in rows}
    if not values:
        return
    params = [{"account_id": account_id, "message_row_id": r, "state": HELD, "held_at": at,
               "release_after": after, "released_at": None, "release_id": None}
              for r, (at, after) in sorted(values.items())]
    stmt = _insert(store)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id", "message_row_id"],
        set_={"state": stmt.excluded.state, "release_after": stmt.excluded.release_after,
              "released_at": None, "release_id": None})
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            for chunk in _chunks(params):
                conn.execute(stmt, list(chunk))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def held_rows(store: Store, account_id: int) -> list[HeldRow]:
    """Every message still held, oldest first (by Date, else when it was held)."""
    h, m = _held.c, _messages.c
    q = (select(h.id, h.message_row_id, m.folder, m.uid, m.key, m.raw_sha256, m.message_id,
                m.lane, m.date, h.held_at, h.release_after)
         .join(_messages, m.id == h.message_row_id)
         .where(h.account_id == account_id, h.state == HELD))
    try:
        with store.engine.connect() as conn:
            rows = [HeldRow(*r) for r in conn.execute(q)]
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    rows.sort(key=lambda r: (r.date or r.held_at, r.held_at, r.uid or 0))
    return rows


def released_rows(store: Store, account_id: int, row_ids: Sequence[int]) -> set[int]:
    """The message rows among ``row_ids`` that a release moved out of the hold folder."""
    h = _held.c
    ids = sorted({int(i) for i in row_ids})
    out: set[int] = set()
    try:
        with store.engine.connect() as conn:
            for chunk in _chunks(ids):
                out.update(r for (r,) in conn.execute(select(h.message_row_id).where(
                    h.account_id == account_id, h.state == RELEASED,
                    h.message_row_id.in_(list(chunk)))))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return out


def held_summary(store: Store, account_id: int) -> tuple[int, datetime | None]:
    """How many messages are held, and since when the oldest one is."""
    h = _held.c
    q = select(func.count(), func.min(h.held_at)).where(h.account_id == account_id,
                                                        h.state == HELD)
    try:
        with store.engine.connect() as conn:
            n, oldest = conn.execute(q).one()
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return int(n or 0), oldest  # min() keeps the column's type: an aware datetime


def mark(store: Store, held_ids: Sequence[int], state: str, now: datetime,
         release_id: int | None = None) -> None:
    """Set the state of held rows (``released`` or ``left`` records when and by which batch)."""
    if state not in HELD_STATES:
        raise ValueError(f"unknown held state {state!r} (expected {HELD_STATES})")
    ids = sorted({int(i) for i in held_ids})
    if not ids:
        return
    values: dict[str, Any] = {"state": state}
    if state != HELD:
        values.update(released_at=now, release_id=release_id)
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            for chunk in _chunks(ids):
                conn.execute(update(_held).where(_held.c.id.in_(list(chunk))).values(**values))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def start_release(store: Store, account_id: int, now: datetime, messages: int) -> int:
    """Open the record of a release batch; its id."""
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            res = conn.execute(_releases.insert().values(
                account_id=account_id, started_at=now, messages=int(messages), moved=0,
                failed=0))
            return int(res.inserted_primary_key[0])
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def finish_release(store: Store, release_id: int, now: datetime, moved: int,
                   failed: int) -> None:
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            conn.execute(update(_releases).where(_releases.c.id == release_id).values(
                finished_at=now, moved=int(moved), failed=int(failed)))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def releases(store: Store, account_id: int, limit: int = 20) -> list[ReleaseRecord]:
    """The latest release batches of an account, newest first."""
    r = _releases.c
    q = (select(_releases).where(r.account_id == account_id)
         .order_by(r.started_at.desc(), r.id.desc()).limit(limit))
    try:
        with store.engine.connect() as conn:
            return [ReleaseRecord(x.id, x.account_id, x.started_at, x.finished_at, x.messages,
                                  x.moved, x.failed) for x in conn.execute(q)]
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def held_between(store: Store, account_id: int, start: datetime | None = None,
                 end: datetime | None = None) -> list[HeldRecord]:
    """Messages held from ``start`` (included) to ``end`` (excluded), oldest first: what a
    digest lists as "held overnight"."""
    h = _held.c
    q = select(h.message_row_id, h.state, h.held_at, h.release_after, h.released_at,
               h.release_id).where(h.account_id == account_id)
    if start is not None:
        q = q.where(h.held_at >= start)
    if end is not None:
        q = q.where(h.held_at < end)
    q = q.order_by(h.held_at, h.id)
    try:
        with store.engine.connect() as conn:
            return [HeldRecord(*r) for r in conn.execute(q)]
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


@dataclass(frozen=True, slots=True)
class JournalState:
    """Where a journaled action stands (without its payload: cheap for thousands)."""

    id: int
    state: str
    error: str
    attempts: int


def journal_states(store: Store, account_id: int,
                   keys: Sequence[str]) -> dict[str, JournalState]:
    """State of the journal entries with these keys (stored key -> state), any state."""
    c = _journal.c
    wanted = sorted({norm_key(k) for k in keys})
    out: dict[str, JournalState] = {}
    try:
        with store.engine.connect() as conn:
            for chunk in _chunks(wanted):
                for r in conn.execute(select(c.key, c.id, c.state, c.error, c.attempts).where(
                        c.account_id == account_id, c.key.in_(list(chunk)))):
                    out[r.key] = JournalState(r.id, r.state, r.error, r.attempts)
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return out


def journal_by_keys(store: Store, account_id: int,
                    keys: Sequence[str]) -> dict[str, JournalEntry]:
    """Journal entries with these keys, in any state (stored key -> entry)."""
    c = _journal.c
    wanted = sorted({norm_key(k) for k in keys})
    out: dict[str, JournalEntry] = {}
    try:
        with store.engine.connect() as conn:
            for chunk in _chunks(wanted):
                for r in conn.execute(select(_journal).where(
                        c.account_id == account_id, c.key.in_(list(chunk)))):
                    out[r.key] = JournalEntry(
                        id=r.id, account_id=r.account_id, key=r.key, kind=r.kind,
                        payload=dict(r.payload or {}), state=r.state, attempts=r.attempts,
                        error=r.error, created_at=r.created_at, updated_at=r.updated_at)
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return out


__all__ = ["HELD", "HELD_STATES", "LEFT", "RELEASED", "HeldRecord", "HeldRow", "JournalState",
           "ReleaseRecord", "finish_release", "held_between", "held_rows", "held_summary",
           "journal_by_keys", "journal_states", "mark", "record_held", "released_rows", "releases",
           "start_release"]
