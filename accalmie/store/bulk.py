"""Bulk store operations for mailbox sync: per batch, not per message.

Moving thousands of messages means recording thousands of new locations, and recognising a
batch of fetched messages means looking up their Message-IDs: one transaction or query per
message costs more than the whole IMAP exchange. Each helper is one statement per chunk on the
store's tables, with exactly the semantics of ``Store.set_location`` / ``Store.find_messages``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from accalmie.store import Store
from accalmie.store.db import WRITE
from accalmie.store.records import JournalEntry
from accalmie.store.repository import norm_key
from accalmie.store.schema import journal as _journal
from accalmie.store.schema import messages as _messages

_CHUNK = 400
KEPT_CODE = "user_kept"  # reason code of a message the user put back in the inbox


@dataclass(frozen=True, slots=True)
class Relocation:
    """A message row now sits at ``folder``/``uid``; ``key`` is its new location key."""

    row_id: int
    folder: str
    uid: int | None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class RowRef:
    """Just enough of a stored message to recognise it and know where it was."""

    id: int
    key: str
    folder: str
    uid: int | None
    message_id: str
    raw_sha256: str
    lane: str
    kept: bool = False  # the user put it back where it is: never move it again


def _ref(r: Any) -> RowRef:
    kept = any(isinstance(x, dict) and x.get("code") == KEPT_CODE for x in (r.reasons or ()))
    return RowRef(r.id, r.key, r.folder, r.uid, r.message_id, r.raw_sha256, r.lane, kept)


def _chunks(seq: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


def relocate(store: Store, moves: Sequence[Relocation]) -> None:
    """Record new locations in one transaction (``Store.set_location`` in bulk)."""
    if not moves:
        return
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    c = _messages.c
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            keyed = [m for m in moves if m.key is not None]
            for chunk in _chunks(keyed):
                # Another row holding the new key is this same message seen at its new place
                # by an earlier sync: this row replaces it (as Store.set_location does).
                keys = [norm_key(m.key or "") for m in chunk]
                ids = [m.row_id for m in chunk]
                acc = select(c.account_id).where(c.id.in_(ids)).distinct()
                conn.execute(delete(_messages).where(
                    c.account_id.in_(acc), c.key.in_(keys), c.id.not_in(ids)))
            params = [{"rid": m.row_id, "f": m.folder, "u": m.uid, "now": now} for m in moves
                      if m.key is None]
            if params:
                conn.execute(update(_messages).where(c.id == bindparam("rid")).values(
                    folder=bindparam("f"), uid=bindparam("u"), updated_at=bindparam("now")),
                    params)
            params = [{"rid": m.row_id, "f": m.folder, "u": m.uid, "k": norm_key(m.key),
                       "now": now} for m in keyed]
            if params:
                conn.execute(update(_messages).where(c.id == bindparam("rid")).values(
                    folder=bindparam("f"), uid=bindparam("u"), key=bindparam("k"),
                    updated_at=bindparam("now")), params)
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def _rows_by(store: Store, account_id: int, column: str, values: Iterable[str]
             ) -> dict[str, list[RowRef]]:
    """Stored rows of an account whose ``column`` is one of ``values`` (empty ones skipped)."""
    wanted = sorted({v for v in values if v})
    if not wanted:
        return {}
    c = _messages.c
    col = c[column]
    out: dict[str, list[RowRef]] = {}
    try:
        with store.engine.connect() as conn:
            for chunk in _chunks(wanted):
                rows = conn.execute(select(c.id, c.key, c.folder, c.uid, c.message_id,
                                           c.raw_sha256, c.lane, c.reasons).where(
                    c.account_id == account_id, col.in_(list(chunk))))
                for r in rows:
                    out.setdefault(getattr(r, column), []).append(_ref(r))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return out


def locate(store: Store, account_id: int, message_ids: Iterable[str]) -> dict[str, list[RowRef]]:
    """Stored rows of an account by Message-ID."""
    return _rows_by(store, account_id, "message_id", message_ids)


def locate_sha(store: Store, account_id: int, digests: Iterable[str]) -> dict[str, list[RowRef]]:
    """Stored rows by content hash: for messages without a Message-ID (rare; not indexed)."""
    return _rows_by(store, account_id, "raw_sha256", digests)


def rows_in_folder(store: Store, account_id: int, folder: str) -> list[RowRef]:
    """Every stored row said to sit in ``folder`` (for a resync after a UIDVALIDITY change)."""
    c = _messages.c
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(c.id, c.key, c.folder, c.uid, c.message_id,
                                       c.raw_sha256, c.lane, c.reasons).where(
                c.account_id == account_id, c.folder == folder))
            return [_ref(r) for r in rows]
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def journal_entries(store: Store, account_id: int, keys: Sequence[str]) -> list[JournalEntry]:
    """The pending journal entries with these keys (those just added), in key order given."""
    if not keys:
        return []
    c = _journal.c
    wanted = [norm_key(k) for k in keys]
    found: dict[str, JournalEntry] = {}
    try:
        with store.engine.connect() as conn:
            for chunk in _chunks(wanted):
                for r in conn.execute(select(_journal).where(
                        c.account_id == account_id, c.key.in_(list(chunk)),
                        c.state == "pending")):
                    found[r.key] = JournalEntry(
                        id=r.id, account_id=r.account_id, key=r.key, kind=r.kind,
                        payload=dict(r.payload or {}), state=r.state, attempts=r.attempts,
                        error=r.error, created_at=r.created_at, updated_at=r.updated_at)
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return [found[k] for k in wanted if k in found]


__all__ = ["KEPT_CODE", "Relocation", "RowRef", "journal_entries", "locate", "locate_sha",
           "relocate", "rows_in_folder"]
