"""The store: every read and write of Accalmie's state goes through :class:`Store`.

Each public write is one transaction, committed (durable) when the method returns: the action
journal's crash-safety relies on it. Bulk writes use multi-row ``INSERT ... ON CONFLICT`` on
both SQLite and PostgreSQL, with rows sorted by key so that concurrent writers on PostgreSQL
take locks in the same order.

Text from messages is cleaned on the way in (NUL characters and undecodable surrogates are
replaced, sizes are capped) so that hostile input can never make a write fail; the engine hides
statement parameters from error messages, so bodies never reach a log through an exception.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    String,
    and_,
    any_,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import SQLAlchemyError

from accalmie.i18n import _
from accalmie.store import schema as t
from accalmie.store.db import SURROGATES, WRITE, StoreError, make_engine, migrate
from accalmie.store.records import (
    JOURNAL_STATES,
    OVERRIDE_KINDS,
    Correction,
    FolderState,
    JournalEntry,
    NewAction,
    StoredItem,
    StoredMessage,
)
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source

MAX_KEY = 512  # longer keys are shortened to a prefix plus their SHA-256
MAX_ADDRS = 200  # recipients kept per To/Cc
MAX_ATTACHMENTS = 100
MAX_UNSUBSCRIBE = 10
MAX_BODY = 2_000_000  # characters of a kept body
_CHUNK = 500  # rows per statement (well under SQLite's bound-parameter limit)


# ---------------------------------------------------------------------------------------------
# Cleaning of untrusted text


def clean_text(value: str | None, limit: int | None = None) -> str:
    """A string any database accepts: no NUL, no lone surrogate, at most ``limit`` characters."""
    if not value:
        return ""
    if not isinstance(value, str):
        value = str(value)
    if limit is not None and len(value) > limit:
        value = value[:limit]
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = SURROGATES.sub("\ufffd", value)
    return value


def norm_key(key: str) -> str:
    """The stored form of an idempotency or location key (bounded for the unique index)."""
    key = clean_text(key)
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[:MAX_KEY - 65]}#{digest}"


def make_excerpt(text: str, chars: int) -> str:
    """The first ``chars`` characters of ``text``, whitespace collapsed, cut at a word."""
    if chars <= 0 or not text:
        return ""
    flat = " ".join(text[: chars * 4 + 64].split())
    if len(flat) <= chars:
        return clean_text(flat)
    cut = flat[: max(chars - 1, 1)]
    space = cut.rfind(" ")
    if space > chars * 0.6:
        cut = cut[:space]
    return clean_text(cut.rstrip(" ,;:.-") + "…")


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so that what is stored is exactly what will be read back."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _now() -> datetime:
    return datetime.now(UTC)


def _emails(addrs: Sequence[Any]) -> list[str]:
    return [clean_text(a.email, 320) for a in addrs[:MAX_ADDRS] if a.email]


def message_row(account_id: int, item: StoredItem, now: datetime) -> dict[str, Any]:
    """The minimised row for one message: never the body unless the item carries one."""
    m = item.message
    d = item.decision
    frm = m.from_
    return {
        "account_id": account_id,
        "key": norm_key(item.key),
        "folder": clean_text(item.folder),
        "uid": item.uid,
        "raw_sha256": clean_text(item.raw_sha256, 64),
        "message_id": clean_text(m.message_id, 512),
        "from_email": clean_text(frm.email, 320) if frm else "",
        "from_name": clean_text(frm.name, 256) if frm else "",
        "to_addrs": _emails(m.to),
        "cc_addrs": _emails(m.cc),
        "subject": clean_text(m.subject, 1000),
        "date": m.date,
        "list_id": clean_text(m.list_id, 256),
        "list_unsubscribe": [clean_text(u, 2000) for u in m.list_unsubscribe[:MAX_UNSUBSCRIBE]],
        "list_unsubscribe_post": bool(m.list_unsubscribe_post),
        "in_reply_to": clean_text(m.in_reply_to, 512),
        "precedence": clean_text(m.precedence, 32),
        "auto_submitted": clean_text(m.auto_submitted, 64),
        "language": clean_text(m.language, 8),
        "size": int(m.size or 0),
        "has_html": bool(m.has_html),
        "n_links": len(m.links),
        "n_attachments": len(m.attachments),
        "attachments": [
            {"filename": clean_text(a.filename, 255),
             "content_type": clean_text(a.content_type, 127), "size": int(a.size),
             "sha256": clean_text(a.sha256, 64), "inline": bool(a.inline),
             "findings": [clean_text(f, 40) for f in a.findings[:16]]}
            for a in m.attachments[:MAX_ATTACHMENTS]
        ],
        "n_defects": len(m.defects),
        "features": dict(item.features) if item.features else None,
        **_decision_values(d),
        "excerpt": make_excerpt(m.new_text or m.text, item.excerpt_chars),
        "body": clean_text(item.body, MAX_BODY) if item.body is not None else None,
        "created_at": now,
        "updated_at": now,
    }


def _decision_values(d: Decision) -> dict[str, Any]:
    return {
        "lane": Lane(d.lane).value,
        "source": Source(d.source).value,
        "flags": sorted(Flag(f).value for f in d.flags),
        "score": float(d.score),
        "reasons": [r.to_dict() for r in d.reasons],
        "predicted_folder": clean_text(d.folder, 1000),
    }


def _decision(row: Row[Any]) -> Decision:
    flags = []
    for f in row.flags or ():
        try:
            flags.append(Flag(f))
        except ValueError:  # a flag from a newer version: ignore rather than fail to read
            continue
    return Decision(
        lane=Lane(row.lane), source=Source(row.source),
        reasons=tuple(Reason.from_dict(r) for r in row.reasons or ()),
        flags=frozenset(flags), score=float(row.score), folder=row.predicted_folder or "")


def _stored(row: Row[Any]) -> StoredMessage:
    return StoredMessage(
        id=row.id, account_id=row.account_id, key=row.key, folder=row.folder, uid=row.uid,
        raw_sha256=row.raw_sha256, message_id=row.message_id, from_email=row.from_email,
        from_name=row.from_name, to=tuple(row.to_addrs or ()), cc=tuple(row.cc_addrs or ()),
        subject=row.subject, date=row.date, list_id=row.list_id,
        list_unsubscribe=tuple(row.list_unsubscribe or ()),
        list_unsubscribe_post=bool(row.list_unsubscribe_post), in_reply_to=row.in_reply_to,
        precedence=row.precedence, auto_submitted=row.auto_submitted, language=row.language,
        size=row.size, has_html=bool(row.has_html), n_links=row.n_links,
        n_attachments=row.n_attachments, attachments=tuple(row.attachments or ()),
        n_defects=row.n_defects, features=dict(row.features or {}), decision=_decision(row),
        excerpt=row.excerpt, body=row.body, created_at=row.created_at, updated_at=row.updated_at)


def _entry(row: Row[Any]) -> JournalEntry:
    return JournalEntry(id=row.id, account_id=row.account_id, key=row.key, kind=row.kind,
                        payload=dict(row.payload or {}), state=row.state, attempts=row.attempts,
                        error=row.error, created_at=row.created_at, updated_at=row.updated_at)


def _chunks(seq: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i:i + size]


# ---------------------------------------------------------------------------------------------


class Store:
    """Accalmie's persistent state on SQLite (default) or PostgreSQL, behind one API."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._accounts: dict[str, int] = {}
        dialect = engine.dialect.name
        if dialect == "sqlite":
            self._insert = sqlite.insert
        elif dialect == "postgresql":
            self._insert = postgresql.insert
        else:
            raise StoreError(_("Unsupported database: {name} (use SQLite or PostgreSQL).")
                             .format(name=dialect))

    @classmethod
    def open(cls, url_or_path: str | Path, *, migrate_schema: bool = True) -> Store:
        """Open a SQLite file (a path; its folder is created) or a URL, migrated to head."""
        engine = make_engine(url_or_path)
        try:
            if migrate_schema:
                migrate(engine)
            return cls(engine)
        except BaseException:
            engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction, committed on exit (SQLite: BEGIN IMMEDIATE)."""
        try:
            with self._write_engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise self._error(exc) from exc

    @staticmethod
    def _error(exc: SQLAlchemyError) -> StoreError:
        orig = getattr(exc, "orig", None)
        detail = str(orig if orig is not None else exc).strip().splitlines()
        return StoreError(_("Database error: {error}").format(
            error=detail[0] if detail else exc.__class__.__name__))

    # -- accounts -------------------------------------------------------------------------

    def account_id(self, name: str) -> int:
        """The id of the account called ``name``, created on first use."""
        name = clean_text(name, 200)
        cached = self._accounts.get(name)
        if cached is not None:
            return cached
        q = select(t.accounts.c.id).where(t.accounts.c.name == name)
        with self._read() as conn:
            found = conn.execute(q).scalar()
        if found is None:
            with self._write() as conn:
                conn.execute(self._insert(t.accounts).values(name=name, created_at=_now())
                             .on_conflict_do_nothing(index_elements=["name"]))
                found = conn.execute(q).scalar_one()
        self._accounts[name] = int(found)
        return int(found)

    def accounts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute(select(t.accounts.c.name, t.accounts.c.id)
                                .order_by(t.accounts.c.id)).all()
        return {r.name: r.id for r in rows}

    # -- IMAP folder state ----------------------------------------------------------------

    def folder_state(self, account_id: int, folder: str) -> FolderState | None:
        c = t.folder_state.c
        with self._read() as conn:
            row = conn.execute(select(c.uidvalidity, c.uidnext, c.highestmodseq).where(
                c.account_id == account_id, c.folder == folder)).first()
        return FolderState(row.uidvalidity, row.uidnext, row.highestmodseq) if row else None

    def folder_states(self, account_id: int) -> dict[str, FolderState]:
        c = t.folder_state.c
        with self._read() as conn:
            rows = conn.execute(select(c.folder, c.uidvalidity, c.uidnext, c.highestmodseq)
                                .where(c.account_id == account_id)).all()
        return {r.folder: FolderState(r.uidvalidity, r.uidnext, r.highestmodseq) for r in rows}

    def set_folder_state(self, account_id: int, folder: str, uidvalidity: int, uidnext: int,
                         highestmodseq: int | None = None) -> None:
        stmt = self._insert(t.folder_state).values(
            account_id=account_id, folder=folder, uidvalidity=uidvalidity, uidnext=uidnext,
            highestmodseq=highestmodseq, updated_at=_now())
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "folder"],
            set_={"uidvalidity": stmt.excluded.uidvalidity, "uidnext": stmt.excluded.uidnext,
                  "highestmodseq": stmt.excluded.highestmodseq,
                  "updated_at": stmt.excluded.updated_at})
        with self._write() as conn:
            conn.execute(stmt)

    # -- messages and decisions -----------------------------------------------------------

    def save_messages(self, account_id: int, items: Sequence[StoredItem]) -> list[int]:
        """Insert or update (by key) the messages, in one transaction; their row ids, in order.

        A key given twice in one call keeps the last item.
        """
        if not items:
            return []
        now = _now()
        rows_by_key: dict[str, dict[str, Any]] = {}
        for item in items:
            row = message_row(account_id, item, now)
            rows_by_key[row["key"]] = row
        rows = [rows_by_key[k] for k in sorted(rows_by_key)]
        stmt = self._insert(t.messages)
        keep = {"id", "account_id", "key", "created_at"}
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "key"],
            set_={c.name: stmt.excluded[c.name] for c in t.messages.c if c.name not in keep},
        )
        ids: dict[str, int] = {}
        with self._write() as conn:
            # A plain executemany (psycopg pipelines it; sqlite3 loops in C) then one lookup
            # of the ids: much faster than INSERT ... RETURNING over huge multi-row statements.
            for chunk in _chunks(rows):
                conn.execute(stmt, list(chunk))
            for chunk in _chunks(list(rows_by_key)):
                ids.update(self._ids_by_key(conn, account_id, chunk))
        return [ids[norm_key(item.key)] for item in items]

    def _ids_by_key(self, conn: Connection, account_id: int,
                    keys: Sequence[str]) -> dict[str, int]:
        c = t.messages.c
        if self.dialect == "postgresql":  # one array parameter instead of one per key
            match = c.key == any_(bindparam("keys", list(keys), type_=ARRAY(String)))
        else:
            match = c.key.in_(keys)
        rows = conn.execute(select(c.key, c.id).where(c.account_id == account_id, match))
        return {key: rid for key, rid in rows}

    def get_message(self, message_row_id: int) -> StoredMessage | None:
        with self._read() as conn:
            row = conn.execute(select(t.messages).where(t.messages.c.id == message_row_id)).first()
        return _stored(row) if row else None

    def message_by_key(self, account_id: int, key: str) -> StoredMessage | None:
        c = t.messages.c
        with self._read() as conn:
            row = conn.execute(select(t.messages).where(
                c.account_id == account_id, c.key == norm_key(key))).first()
        return _stored(row) if row else None

    def find_messages(self, account_id: int, *, message_id: str | None = None,
                      lane: str | None = None, folder: str | None = None, limit: int = 100,
                      offset: int = 0) -> list[StoredMessage]:
        """Messages of an account, newest first (by Date, undated last, then newest row)."""
        c = t.messages.c
        q = select(t.messages).where(c.account_id == account_id)
        if message_id is not None:
            q = q.where(c.message_id == clean_text(message_id, 512))
        if lane is not None:
            q = q.where(c.lane == str(lane))
        if folder is not None:
            q = q.where(c.folder == folder)
        q = q.order_by(c.date.desc().nulls_last(), c.id.desc()).limit(limit).offset(offset)
        with self._read() as conn:
            return [_stored(r) for r in conn.execute(q)]

    def uids_in_folder(self, account_id: int, folder: str) -> dict[int, int]:
        """UID -> message row id of what the store believes sits in an IMAP folder."""
        c = t.messages.c
        with self._read() as conn:
            rows = conn.execute(select(c.uid, c.id).where(
                c.account_id == account_id, c.folder == folder, c.uid.is_not(None))).all()
        return {r.uid: r.id for r in rows}

    def count_messages(self, account_id: int | None = None) -> int:
        q = select(func.count()).select_from(t.messages)
        if account_id is not None:
            q = q.where(t.messages.c.account_id == account_id)
        with self._read() as conn:
            return int(conn.execute(q).scalar_one())

    def set_location(self, message_row_id: int, folder: str, uid: int | None,
                     key: str | None = None) -> bool:
        """Record where a message now sits, after a move; False when the row is unknown.

        Give ``key`` (the location key of the new place) so that the next sync of the target
        folder finds this row instead of adding a second one. A row already holding that key
        is the same message seen at its new place by a sync; it is replaced by this one.
        """
        c = t.messages.c
        values: dict[str, Any] = {"folder": folder, "uid": uid, "updated_at": _now()}
        with self._write() as conn:
            if key is not None:
                nkey = norm_key(key)
                acc = conn.execute(select(c.account_id).where(c.id == message_row_id)).scalar()
                if acc is None:
                    return False
                conn.execute(delete(t.messages).where(
                    c.account_id == acc, c.key == nkey, c.id != message_row_id))
                values["key"] = nkey
            res = conn.execute(update(t.messages).where(c.id == message_row_id).values(**values))
            return bool(res.rowcount)

    def set_decision(self, message_row_id: int, decision: Decision) -> bool:
        """Replace a message's decision; False when the row is unknown."""
        with self._write() as conn:
            res = conn.execute(update(t.messages).where(t.messages.c.id == message_row_id)
                               .values(**_decision_values(decision), updated_at=_now()))
            return bool(res.rowcount)

    def lane_counts(self, account_id: int | None = None) -> dict[str, int]:
        """Messages per lane (every lane present, zero included)."""
        c = t.messages.c
        q = select(c.lane, func.count()).group_by(c.lane)
        if account_id is not None:
            q = q.where(c.account_id == account_id)
        counts = {lane.value: 0 for lane in Lane}
        with self._read() as conn:
            for lane, n in conn.execute(q):
                counts[lane] = int(n)
        return counts

    def drop_bodies(self, account_id: int | None = None, before: datetime | None = None) -> int:
        """Forget kept bodies (retention), optionally only of mail dated before ``before``."""
        c = t.messages.c
        stmt = update(t.messages).where(c.body.is_not(None))
        if account_id is not None:
            stmt = stmt.where(c.account_id == account_id)
        if before is not None:
            stmt = stmt.where(c.date < before)
        with self._write() as conn:
            return int(conn.execute(stmt.values(body=None, updated_at=_now())).rowcount)

    # -- action journal -------------------------------------------------------------------

    def journal_add(self, account_id: int, entries: Sequence[NewAction]) -> None:
        """Journal actions as pending; a key already journaled (in any state) is left as is.

        Entries keep the order given (``journal_pending`` returns them in that order), so an
        action that others depend on (creating a folder) should come first.
        """
        if not entries:
            return
        now = _now()
        rows: dict[str, dict[str, Any]] = {}
        for e in entries:
            k = norm_key(e.key)
            rows.setdefault(k, {
                "account_id": account_id, "key": k, "kind": clean_text(e.kind, 64),
                "payload": _jsonable(dict(e.payload)), "state": "pending", "attempts": 0,
                "error": "", "created_at": now, "updated_at": now})
        ordered = list(rows.values())
        stmt = self._insert(t.journal).on_conflict_do_nothing(index_elements=["account_id", "key"])
        with self._write() as conn:
            for chunk in _chunks(ordered):
                conn.execute(stmt, list(chunk))

    def journal_pending(self, account_id: int, kind: str | None = None, *,
                        include_failed: bool = True, max_attempts: int = 5,
                        limit: int | None = None) -> list[JournalEntry]:
        """Entries still to do, oldest first: pending ones, and failed ones with attempts left."""
        c = t.journal.c
        todo = c.state == "pending"
        if include_failed:
            todo = todo | and_(c.state == "failed", c.attempts < max_attempts)
        q = select(t.journal).where(c.account_id == account_id, todo)
        if kind is not None:
            q = q.where(c.kind == kind)
        q = q.order_by(c.id)
        if limit is not None:
            q = q.limit(limit)
        with self._read() as conn:
            return [_entry(r) for r in conn.execute(q)]

    def journal_mark(self, entry_ids: Sequence[int], state: str, error: str = "") -> None:
        """Set the state of entries; "done" and "failed" each count one attempt."""
        if state not in JOURNAL_STATES:
            raise ValueError(f"unknown journal state {state!r} (expected {JOURNAL_STATES})")
        if not entry_ids:
            return
        c = t.journal.c
        values: dict[str, Any] = {"state": state, "error": clean_text(error, 2000),
                                  "updated_at": _now()}
        if state != "pending":
            values["attempts"] = c.attempts + 1
        ids = sorted(set(int(i) for i in entry_ids))
        with self._write() as conn:
            for chunk in _chunks(ids):
                conn.execute(update(t.journal).where(c.id.in_(chunk)).values(**values))

    def journal_has(self, account_id: int, key: str) -> bool:
        c = t.journal.c
        with self._read() as conn:
            return conn.execute(select(c.id).where(
                c.account_id == account_id, c.key == norm_key(key))).first() is not None

    def journal_get(self, account_id: int, key: str) -> JournalEntry | None:
        c = t.journal.c
        with self._read() as conn:
            row = conn.execute(select(t.journal).where(
                c.account_id == account_id, c.key == norm_key(key))).first()
        return _entry(row) if row else None

    def journal_counts(self, account_id: int) -> dict[str, int]:
        c = t.journal.c
        counts = dict.fromkeys(JOURNAL_STATES, 0)
        with self._read() as conn:
            for state, n in conn.execute(select(c.state, func.count()).where(
                    c.account_id == account_id).group_by(c.state)):
                counts[state] = int(n)
        return counts

    # -- learning -------------------------------------------------------------------------

    def add_correction(self, account_id: int, message_row_id: int | None, message_id: str,
                       old_lane: str, new_lane: str, origin: str) -> None:
        with self._write() as conn:
            conn.execute(t.corrections.insert().values(
                account_id=account_id, message_row_id=message_row_id,
                message_id=clean_text(message_id, 512), old_lane=str(old_lane),
                new_lane=str(new_lane), origin=clean_text(origin, 32), created_at=_now()))

    def corrections(self, account_id: int) -> list[Correction]:
        """The user's corrections, oldest first (the order to replay them in)."""
        c = t.corrections.c
        with self._read() as conn:
            rows = conn.execute(select(t.corrections).where(c.account_id == account_id)
                                .order_by(c.id)).all()
        return [Correction(r.id, r.account_id, r.message_row_id, r.message_id, r.old_lane,
                           r.new_lane, r.origin, r.created_at) for r in rows]

    def save_model(self, account_id: int, name: str, blob: bytes) -> None:
        stmt = self._insert(t.models).values(account_id=account_id, name=name, blob=bytes(blob),
                                             updated_at=_now())
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "name"],
            set_={"blob": stmt.excluded.blob, "updated_at": stmt.excluded.updated_at})
        with self._write() as conn:
            conn.execute(stmt)

    def load_model(self, account_id: int, name: str) -> bytes | None:
        c = t.models.c
        with self._read() as conn:
            blob = conn.execute(select(c.blob).where(c.account_id == account_id,
                                                     c.name == name)).scalar()
        return bytes(blob) if blob is not None else None

    def bump_contacts(self, account_id: int, counts: Mapping[str, int]) -> None:
        """Add to how often the user wrote to each address (lowercased)."""
        merged: dict[str, int] = {}
        for email, n in counts.items():
            e = clean_text(email, 320).strip().lower()
            if e and n:
                merged[e] = merged.get(e, 0) + int(n)
        if not merged:
            return
        now = _now()
        rows = [{"account_id": account_id, "email": e, "count": merged[e], "updated_at": now}
                for e in sorted(merged)]
        stmt = self._insert(t.contacts)
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "email"],
            set_={"count": t.contacts.c["count"] + stmt.excluded["count"],
                  "updated_at": stmt.excluded.updated_at})
        with self._write() as conn:
            for chunk in _chunks(rows):
                conn.execute(stmt, list(chunk))

    def contacts(self, account_id: int) -> dict[str, int]:
        c = t.contacts.c
        with self._read() as conn:
            rows = conn.execute(select(c.email, c["count"]).where(c.account_id == account_id))
            return {r[0]: int(r[1]) for r in rows}

    def set_override(self, account_id: int, kind: str, value: str, lane: str) -> None:
        """"Always this lane" for a sender address, a domain or a list id (lowercased)."""
        if kind not in OVERRIDE_KINDS:
            raise ValueError(f"unknown override kind {kind!r} (expected {OVERRIDE_KINDS})")
        lane = Lane(lane).value
        stmt = self._insert(t.overrides).values(
            account_id=account_id, kind=kind, value=clean_text(value, 320).strip().lower(),
            lane=lane, created_at=_now())
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "kind", "value"],
            set_={"lane": stmt.excluded.lane, "created_at": stmt.excluded.created_at})
        with self._write() as conn:
            conn.execute(stmt)

    def remove_override(self, account_id: int, kind: str, value: str) -> bool:
        c = t.overrides.c
        with self._write() as conn:
            res = conn.execute(delete(t.overrides).where(
                c.account_id == account_id, c.kind == kind,
                c.value == clean_text(value, 320).strip().lower()))
            return bool(res.rowcount)

    def overrides(self, account_id: int) -> dict[tuple[str, str], str]:
        c = t.overrides.c
        with self._read() as conn:
            rows = conn.execute(select(c.kind, c.value, c.lane).where(c.account_id == account_id))
            return {(r.kind, r.value): r.lane for r in rows}
