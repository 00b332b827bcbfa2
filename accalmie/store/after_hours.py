"""After-hours facts in the store: recorded in bulk at triage, aggregated by the reports.

Recording is an upsert keyed by (account, direction, message reference): triaging the same
mailbox twice, or seeing a message again after it moved to a lane folder, changes nothing.
Only counts come back out: the reports never need a per-message row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from accalmie.disconnect.after_hours import DIRECTIONS, Fact
from accalmie.store import Store
from accalmie.store.db import WRITE
from accalmie.store.schema import after_hours_facts as _facts

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Bucket:
    """How many messages share a local date, hour, direction, verdict and kind of day."""

    day: date
    hour: int
    direction: str
    after_hours: bool
    day_kind: str
    count: int


def message_ref(message_id: str, raw_sha256: str = "") -> str:
    """A stable, opaque reference: a hash of the Message-ID, else of the raw bytes' hash.

    The Message-ID survives moves between folders and is the same in Sent and in a
    recipient's copy; without one, the content hash is what stays the same. '' when there
    is neither (such a message gets no fact rather than one shared by all of them).
    """
    mid = message_id.strip().strip("<>").strip().lower()
    sha = raw_sha256.strip().lower()
    if not mid and not sha:
        return ""
    basis = f"mid:{mid}" if mid else f"sha:{sha}"
    return hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:32]


def _insert(store: Store) -> Any:
    return postgresql.insert if store.dialect == "postgresql" else sqlite.insert


def record_facts(store: Store, account_id: int, facts: Iterable[tuple[str, Fact | None]]
                 ) -> int:
    """Upsert ``(ref, fact)`` pairs in one transaction (None facts skipped); rows written.

    A reference given twice in one call keeps the last fact.
    """
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for ref, fact in facts:
        if fact is None or not ref:
            continue
        if fact.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {fact.direction!r}")
        rows[(fact.direction, ref)] = {
            "account_id": account_id, "direction": fact.direction, "ref": ref[:32],
            "day": fact.day, "hour": int(fact.hour), "after_hours": bool(fact.after_hours),
            "day_kind": fact.day_kind[:8]}
    if not rows:
        return 0
    ordered = [rows[k] for k in sorted(rows)]  # same lock order for concurrent writers
    stmt = _insert(store)(_facts)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id", "direction", "ref"],
        set_={"day": stmt.excluded.day, "hour": stmt.excluded.hour,
              "after_hours": stmt.excluded.after_hours, "day_kind": stmt.excluded.day_kind})
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            for i in range(0, len(ordered), _CHUNK):
                conn.execute(stmt, ordered[i:i + _CHUNK])
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return len(ordered)


def _where(account_id: int | None, start: date | None, end: date | None,
           direction: str | None) -> list[Any]:
    c = _facts.c
    cond: list[Any] = []
    if account_id is not None:
        cond.append(c.account_id == account_id)
    if start is not None:
        cond.append(c.day >= start)
    if end is not None:
        cond.append(c.day < end)
    if direction is not None:
        cond.append(c.direction == direction)
    return cond


def fact_buckets(store: Store, account_id: int, start: date | None = None,
                 end: date | None = None, *, direction: str | None = None) -> list[Bucket]:
    """Counts per (day, hour, direction, after_hours, day_kind), days in [start, end)."""
    c = _facts.c
    keys = (c.day, c.hour, c.direction, c.after_hours, c.day_kind)
    q = (select(*keys, func.count().label("n")).where(*_where(account_id, start, end,
                                                              direction))
         .group_by(*keys).order_by(*keys))
    try:
        with store.engine.connect() as conn:
            return [Bucket(r.day, int(r.hour), r.direction, bool(r.after_hours), r.day_kind,
                           int(r.n)) for r in conn.execute(q)]
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def after_hours_totals(store: Store, account_id: int, start: date | None = None,
                       end: date | None = None) -> dict[str, tuple[int, int]]:
    """Per direction: (messages after hours, all messages), days in [start, end)."""
    c = _facts.c
    late = func.sum(case((c.after_hours, 1), else_=0))
    q = (select(c.direction, func.coalesce(late, 0), func.count())
         .where(*_where(account_id, start, end, None)).group_by(c.direction))
    out = {d: (0, 0) for d in DIRECTIONS}
    try:
        with store.engine.connect() as conn:
            for direction, n_late, n in conn.execute(q):
                out[direction] = (int(n_late or 0), int(n))
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc
    return out


def delete_facts(store: Store, *, account_id: int | None = None, before: date | None = None
                 ) -> int:
    """Retention: drop facts of days before ``before`` (and/or of one account); rows deleted."""
    if account_id is None and before is None:
        raise ValueError("say which facts to delete (an account, a date, or both)")
    try:
        with store.engine.execution_options(**{WRITE: True}).begin() as conn:
            res = conn.execute(delete(_facts).where(*_where(account_id, None, before, None)))
            return int(res.rowcount or 0)
    except SQLAlchemyError as exc:
        raise Store._error(exc) from exc


def record_messages(store: Store, account_id: int,
                    items: Sequence[tuple[str, str, Fact | None]]) -> int:
    """Convenience for the pipelines: ``(message_id, raw_sha256, fact)`` triples."""
    return record_facts(store, account_id,
                        ((message_ref(mid, sha), fact) for mid, sha, fact in items))


__all__ = ["Bucket", "after_hours_totals", "delete_facts", "fact_buckets", "message_ref",
           "record_facts", "record_messages"]
