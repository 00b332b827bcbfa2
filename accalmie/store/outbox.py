"""Store operations of the send-later outbox and the digest slots.

Every state change is one committed transaction, and the changes that decide who sends are
compare-and-set (``UPDATE ... WHERE state = <expected>``): two processes (the watch service and
a command run by hand) can never both claim the same message or the same digest slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update

from accalmie.store import Store
from accalmie.store.repository import clean_text, norm_key
from accalmie.store.schema import digests as _digests
from accalmie.store.schema import messages as _messages
from accalmie.store.schema import outbox as _outbox

# pending: waits for its time; sending: being handed to the SMTP server; sent: accepted by the
# server, not yet filed; filed: copy in Sent, removed from the queue (done); failed: refused
# (5xx) or given up, kept; invalid: cannot be sent as it is (no recipient, broken header), kept;
# uncertain: interrupted while the server was receiving it: not resent without the user's word;
# cancelled: removed from the queue folder by the user, or cancelled on the command line.
OUTBOX_STATES = ("pending", "sending", "sent", "filed", "failed", "invalid", "uncertain",
                 "cancelled")
PROBLEM_STATES = ("failed", "invalid", "uncertain")
OPEN_STATES = ("pending", "sending", "sent", "failed", "invalid", "uncertain")


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One queued message as stored (``raw``/``prepared`` are None once filed)."""

    id: int
    account_id: int
    key: str
    origin: str
    folder: str
    uidvalidity: int | None
    uid: int | None
    raw_sha256: str
    message_id: str
    subject: str
    sender: str
    recipients: tuple[str, ...]
    raw: bytes | None
    prepared: bytes | None
    state: str
    phase: str
    due_at: datetime | None
    requested: bool
    next_try_at: datetime | None
    attempts: int
    first_try_at: datetime | None
    claimed_by: str
    claimed_at: datetime | None
    error_code: str
    error: str
    smtp_answer: str
    notes: tuple[str, ...]
    appended: bool
    sent_at: datetime | None
    filed_at: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DigestSlot:
    account_id: int
    slot: datetime
    manual: bool
    state: str
    phase: str
    delivery: str
    message_id: str
    since: datetime | None
    attempts: int
    next_try_at: datetime | None
    claimed_by: str
    error: str
    created_at: datetime


def _item(r: Any) -> OutboxItem:
    return OutboxItem(
        id=r.id, account_id=r.account_id, key=r.key, origin=r.origin, folder=r.folder,
        uidvalidity=r.uidvalidity, uid=r.uid, raw_sha256=r.raw_sha256, message_id=r.message_id,
        subject=r.subject, sender=r.sender, recipients=tuple(r.recipients or ()),
        raw=bytes(r.raw) if r.raw is not None else None,
        prepared=bytes(r.prepared) if r.prepared is not None else None, state=r.state,
        phase=r.phase, due_at=r.due_at, requested=bool(r.requested), next_try_at=r.next_try_at,
        attempts=r.attempts, first_try_at=r.first_try_at, claimed_by=r.claimed_by,
        claimed_at=r.claimed_at, error_code=r.error_code, error=r.error,
        smtp_answer=r.smtp_answer, notes=tuple(r.notes or ()), appended=bool(r.appended),
        sent_at=r.sent_at, filed_at=r.filed_at, created_at=r.created_at,
        updated_at=r.updated_at)


def _slot(r: Any) -> DigestSlot:
    return DigestSlot(r.account_id, r.slot, bool(r.manual), r.state, r.phase, r.delivery,
                      r.message_id, r.since, r.attempts, r.next_try_at, r.claimed_by, r.error,
                      r.created_at)


_TEXT_LIMITS = {"subject": 1000, "sender": 320, "message_id": 512, "error": 2000,
                "smtp_answer": 1000, "error_code": 64, "claimed_by": 200, "folder": 2000}


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key, limit in _TEXT_LIMITS.items():
        if key in out and out[key] is not None:
            out[key] = clean_text(str(out[key]), limit)
    if "recipients" in out and out["recipients"] is not None:
        out["recipients"] = [clean_text(a, 320) for a in out["recipients"]][:1000]
    if "notes" in out and out["notes"] is not None:
        out["notes"] = [clean_text(n, 500) for n in out["notes"]][:20]
    return out


def outbox_add(store: Store, account_id: int, key: str, now: datetime, **values: Any) -> int | None:
    """Queue a message; its id, or None when ``key`` is queued already (nothing changes)."""
    row = {"origin": "imap", "folder": "", "uidvalidity": None, "uid": None, "raw_sha256": "",
           "message_id": "", "subject": "", "sender": "", "recipients": [], "raw": None,
           "prepared": None, "state": "pending", "phase": "", "due_at": None,
           "requested": False, "next_try_at": None, "attempts": 0, "first_try_at": None,
           "claimed_by": "", "claimed_at": None, "error_code": "", "error": "",
           "smtp_answer": "", "notes": [], "appended": False, "sent_at": None,
           "filed_at": None}
    row.update(_clean(values))
    row.update(account_id=account_id, key=norm_key(key), created_at=now, updated_at=now)
    c = _outbox.c
    # RETURNING says whether the row went in (rowcount is not reliable on every driver).
    stmt = store._insert(_outbox).values(**row).on_conflict_do_nothing(  # noqa: SLF001
        index_elements=["account_id", "key"]).returning(c.id)
    with store._write() as conn:  # noqa: SLF001
        new_id = conn.execute(stmt).scalar()
    return int(new_id) if new_id is not None else None


def outbox_get(store: Store, item_id: int) -> OutboxItem | None:
    with store._read() as conn:  # noqa: SLF001
        r = conn.execute(select(_outbox).where(_outbox.c.id == int(item_id))).first()
    return _item(r) if r else None


def outbox_by_key(store: Store, account_id: int, key: str) -> OutboxItem | None:
    c = _outbox.c
    with store._read() as conn:  # noqa: SLF001
        r = conn.execute(select(_outbox).where(c.account_id == account_id,
                                               c.key == norm_key(key))).first()
    return _item(r) if r else None


def outbox_list(store: Store, account_id: int, states: Iterable[str] | None = None, *,
                folder: str | None = None, limit: int | None = None) -> list[OutboxItem]:
    """Items of an account (oldest first), optionally only in ``states`` / a queue folder."""
    c = _outbox.c
    q = select(_outbox).where(c.account_id == account_id)
    if states is not None:
        q = q.where(c.state.in_(list(states)))
    if folder is not None:
        q = q.where(c.folder == folder)
    q = q.order_by(c.id)
    if limit is not None:
        q = q.limit(limit)
    with store._read() as conn:  # noqa: SLF001
        return [_item(r) for r in conn.execute(q)]


def outbox_due(store: Store, account_id: int, now: datetime) -> list[OutboxItem]:
    """Pending items whose time has come (and whose retry delay, if any, has passed)."""
    c = _outbox.c
    q = select(_outbox).where(
        c.account_id == account_id, c.state == "pending", c.due_at <= now,
        or_(c.next_try_at.is_(None), c.next_try_at <= now)).order_by(c.due_at, c.id)
    with store._read() as conn:  # noqa: SLF001
        return [_item(r) for r in conn.execute(q)]


def outbox_next_due(store: Store, account_id: int) -> datetime | None:
    """When the next pending item wants attention (its time, or its retry time)."""
    items = outbox_list(store, account_id, ("pending",))
    times = [max(t for t in (i.due_at, i.next_try_at) if t is not None) for i in items
             if i.due_at is not None]
    return min(times) if times else None


def outbox_by_message_id(store: Store, account_id: int, message_id: str) -> list[OutboxItem]:
    c = _outbox.c
    with store._read() as conn:  # noqa: SLF001
        return [_item(r) for r in conn.execute(select(_outbox).where(
            c.account_id == account_id, c.message_id == clean_text(message_id, 512))
            .order_by(c.id))]


def outbox_update(store: Store, item_id: int, now: datetime, *,
                  expect: Sequence[str] | None = None, **values: Any) -> bool:
    """Change an item; with ``expect``, only if its state is one of those (compare-and-set).

    True when the row was changed: the caller that gets True owns the transition.
    """
    c = _outbox.c
    cond = [c.id == int(item_id)]
    if expect is not None:
        cond.append(c.state.in_(list(expect)))
    with store._write() as conn:  # noqa: SLF001
        res = conn.execute(update(_outbox).where(and_(*cond)).values(
            **_clean(values), updated_at=now))
        return bool(res.rowcount)


def outbox_counts(store: Store, account_id: int) -> dict[str, int]:
    from sqlalchemy import func

    c = _outbox.c
    counts = dict.fromkeys(OUTBOX_STATES, 0)
    with store._read() as conn:  # noqa: SLF001
        for state, n in conn.execute(select(c.state, func.count()).where(
                c.account_id == account_id).group_by(c.state)):
            counts[state] = int(n)
    return counts


# -- digests ---------------------------------------------------------------------------------


def digest_claim(store: Store, account_id: int, slot: datetime, now: datetime, *,
                 manual: bool, delivery: str, message_id: str, since: datetime | None,
                 claimed_by: str = "") -> bool:
    """Record a digest slot as being delivered; False when the slot is recorded already."""
    stmt = store._insert(_digests).values(  # noqa: SLF001
        account_id=account_id, slot=slot, manual=manual, state="sending", phase="",
        delivery=delivery, message_id=clean_text(message_id, 512), since=since, attempts=0,
        next_try_at=None, claimed_by=clean_text(claimed_by, 200), error="",
        created_at=now, updated_at=now).on_conflict_do_nothing(
        index_elements=["account_id", "slot"]).returning(_digests.c.account_id)
    with store._write() as conn:  # noqa: SLF001
        return conn.execute(stmt).first() is not None


def digest_update(store: Store, account_id: int, slot: datetime, now: datetime, *,
                  expect: Sequence[str] | None = None, **values: Any) -> bool:
    c = _digests.c
    cond = [c.account_id == account_id, c.slot == slot]
    if expect is not None:
        cond.append(c.state.in_(list(expect)))
    if "error" in values:
        values["error"] = clean_text(values["error"], 2000)
    with store._write() as conn:  # noqa: SLF001
        return bool(conn.execute(update(_digests).where(and_(*cond)).values(
            **values, updated_at=now)).rowcount)


def digest_slots(store: Store, account_id: int, *, manual: bool | None = None,
                 states: Iterable[str] | None = None) -> list[DigestSlot]:
    """Recorded digests of an account, oldest first."""
    c = _digests.c
    q = select(_digests).where(c.account_id == account_id)
    if manual is not None:
        q = q.where(c.manual == manual)
    if states is not None:
        q = q.where(c.state.in_(list(states)))
    with store._read() as conn:  # noqa: SLF001
        return [_slot(r) for r in conn.execute(q.order_by(c.slot))]


def digest_last(store: Store, account_id: int, *, manual: bool | None = None
                ) -> DigestSlot | None:
    c = _digests.c
    q = select(_digests).where(c.account_id == account_id)
    if manual is not None:
        q = q.where(c.manual == manual)
    with store._read() as conn:  # noqa: SLF001
        r = conn.execute(q.order_by(c.slot.desc()).limit(1)).first()
    return _slot(r) if r else None


# -- what a digest reads from the messages ---------------------------------------------------


def _when_col() -> Any:
    from sqlalchemy import func

    m = _messages.c
    return func.coalesce(m.date, m.created_at)


def _window(q: Any, account_id: int, since: datetime | None, until: datetime | None) -> Any:
    m = _messages.c
    when = _when_col()
    q = q.where(m.account_id == account_id)
    if since is not None:
        q = q.where(when >= since)
    if until is not None:
        q = q.where(when < until)
    return q


def lane_counts_between(store: Store, account_id: int, since: datetime | None,
                        until: datetime | None) -> dict[str, int]:
    """Messages per lane received in [since, until) (by Date, else when first seen)."""
    from sqlalchemy import func

    m = _messages.c
    q = _window(select(m.lane, func.count()), account_id, since, until).group_by(m.lane)
    with store._read() as conn:  # noqa: SLF001
        return {lane: int(n) for lane, n in conn.execute(q)}


def messages_between(store: Store, account_id: int, since: datetime | None,
                     until: datetime | None, *, lane: str | None = None,
                     flag: str | None = None, limit: int = 50) -> list[Any]:
    """Stored messages received in [since, until), newest first, at most ``limit``.

    ``flag`` keeps only messages carrying that flag (e.g. "aggressive").
    """
    from sqlalchemy import String, cast

    from accalmie.store.repository import _stored

    m = _messages.c
    q = _window(select(_messages), account_id, since, until)
    if lane is not None:
        q = q.where(m.lane == lane)
    if flag is not None:
        q = q.where(cast(m.flags, String).like(f'%"{flag}"%'))
    q = q.order_by(_when_col().desc(), m.id.desc()).limit(max(1, int(limit)))
    with store._read() as conn:  # noqa: SLF001
        return [_stored(r) for r in conn.execute(q)]


def messages_by_ids(store: Store, ids: Sequence[int]) -> list[Any]:
    from accalmie.store.repository import _stored

    wanted = sorted({int(i) for i in ids})[:1000]
    if not wanted:
        return []
    with store._read() as conn:  # noqa: SLF001
        return [_stored(r) for r in conn.execute(
            select(_messages).where(_messages.c.id.in_(wanted)))]


__all__ = ["OPEN_STATES", "OUTBOX_STATES", "PROBLEM_STATES", "DigestSlot", "OutboxItem",
           "digest_claim", "digest_last", "digest_slots", "digest_update", "lane_counts_between",
           "messages_between", "messages_by_ids", "outbox_add",
           "outbox_by_key", "outbox_by_message_id", "outbox_counts", "outbox_due", "outbox_get",
           "outbox_list", "outbox_next_due", "outbox_update"]
