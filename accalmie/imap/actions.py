"""Mailbox actions: lane folders, moves, and finishing the moves a killed run left pending.

Rules that hold whatever happens:

- never delete: a message leaves a folder only by MOVE, or by COPY + ``\\Deleted`` + UID EXPUNGE
  of exactly that UID once its copy exists (plain EXPUNGE only when nothing else in the folder
  is flagged ``\\Deleted``);
- every move is journaled before it is done, and marked done after; a move found pending is
  checked against the mailbox before anything is done again: a message no longer at its source
  UID is not moved twice, and a copy already in the destination is not copied twice.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from imapclient.exceptions import IMAPClientError

from accalmie.config import Config
from accalmie.i18n import _
from accalmie.imap.connect import ImapError, ImapErrorKind, Session
from accalmie.imap.sync import select
from accalmie.imap.uids import location_key, parse_uid_set, uid_set
from accalmie.store import Store
from accalmie.store.bulk import Relocation, relocate
from accalmie.store.records import JournalEntry, NewAction
from accalmie.triage.decision import Lane

log = logging.getLogger(__name__)

MOVE_KIND = "move"
UID_CHUNK = 500  # UIDs per MOVE/COPY/STORE command (keeps command lines short)


# -- lane folders ----------------------------------------------------------------------------


def namespace_prefix(session: Session) -> str:
    """The personal namespace prefix (``INBOX.`` on some servers, usually empty)."""
    if not session.has("NAMESPACE"):
        return ""
    try:
        ns = session.client.namespace()
    except (imaplib.IMAP4.error, IMAPClientError):
        return ""
    personal = ns.personal or ()
    if personal:
        prefix = personal[0][0] or ""
        return prefix if prefix.upper() != "INBOX" else ""
    return ""


def lane_folder_names(config: Config, sep: str, prefix: str = "") -> dict[Lane, str]:
    """Full folder name of each lane: prefix + parent + separator + name ("INBOX" stays)."""
    parent = (config.lane_parent or "").strip().strip(sep)
    out: dict[Lane, str] = {}
    for lane in Lane:
        name = (config.lane_folders.get(lane) or lane.value).strip()
        if name.upper() == "INBOX":
            out[lane] = "INBOX"
        elif parent:
            out[lane] = f"{prefix}{parent}{sep}{name}"
        else:
            out[lane] = f"{prefix}{name}"
    return out


def _exists_error(exc: BaseException) -> bool:
    text = str(exc).upper()
    return "ALREADYEXISTS" in text or "ALREADY EXISTS" in text or "EXISTS" in text


def ensure_folders(session: Session, folders: Iterable[str]) -> list[str]:
    """Create (and subscribe) the folders that are missing; returns those created."""
    client = session.client
    existing = {name for _f, _d, name in client.list_folders()}
    try:
        subscribed = {name for _f, _d, name in client.list_sub_folders()}
    except (imaplib.IMAP4.error, IMAPClientError):
        subscribed = set(existing)
    created: list[str] = []
    sep = session.separator
    wanted: list[str] = []
    for folder in folders:
        if folder.upper() == "INBOX":
            continue
        parts = folder.split(sep) if sep else [folder]
        for i in range(1, len(parts)):  # parents first, for servers that want them
            parent = sep.join(parts[:i])
            if parent and parent not in wanted:
                wanted.append(parent)
        if folder not in wanted:
            wanted.append(folder)
    for folder in wanted:
        if folder not in existing:
            try:
                client.create_folder(folder)
                created.append(folder)
            except imaplib.IMAP4.abort:
                raise
            except (imaplib.IMAP4.error, IMAPClientError) as exc:
                if not _exists_error(exc):
                    raise ImapError(_("The folder {folder} cannot be created on the server "
                                      "({error}).").format(folder=folder, error=str(exc)[:200]),
                                    ImapErrorKind.FOLDER) from None
        if folder not in subscribed:
            try:
                client.subscribe_folder(folder)
            except imaplib.IMAP4.abort:
                raise
            except (imaplib.IMAP4.error, IMAPClientError) as exc:  # not fatal
                log.warning("cannot subscribe %s: %s", folder, exc)
    return created


# -- moves -----------------------------------------------------------------------------------


def _pop_untagged(session: Session, name: str) -> list[bytes]:
    responses = session.client._imap.untagged_responses  # noqa: SLF001 - imaplib keeps them
    return [r for r in responses.pop(name, []) if isinstance(r, bytes)]


def _copyuid_map(lines: Sequence[bytes]) -> tuple[int | None, dict[int, int]]:
    """Parse ``COPYUID <uidvalidity> <source set> <destination set>`` responses."""
    validity: int | None = None
    mapping: dict[int, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        try:
            validity = int(parts[0])
        except ValueError:
            continue
        src, dst = parse_uid_set(parts[1]), parse_uid_set(parts[2])
        if len(src) == len(dst):
            mapping.update(zip(src, dst, strict=True))
    return validity, mapping


@dataclass
class MoveResult:
    """What happened to the source UIDs of one move to one folder."""

    dest: str
    moved: dict[int, int | None] = field(default_factory=dict)  # source UID -> new UID
    dest_uidvalidity: int | None = None
    left: list[int] = field(default_factory=list)  # copied and flagged, not expunged
    gone: list[int] = field(default_factory=list)  # not in the source any more


def _existing(session: Session, uids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for i in range(0, len(uids), UID_CHUNK):
        chunk = uids[i:i + UID_CHUNK]
        found.update(session.client.search(["UID", uid_set(chunk)]))
    return found & set(uids)


def _trycreate(session: Session, dest: str, exc: BaseException) -> bool:
    hint = _pop_untagged(session, "TRYCREATE")
    if hint or "TRYCREATE" in str(exc).upper() or "NONEXISTENT" in str(exc).upper():
        ensure_folders(session, [dest])
        return True
    return False


def move_uids(session: Session, uids: Sequence[int], dest: str, *,
              use_move: bool | None = None) -> MoveResult:
    """Move messages of the selected (read-write) folder to ``dest``, never deleting one.

    With MOVE: ``UID MOVE``. Without: ``UID COPY``, then ``\\Deleted`` and ``UID EXPUNGE`` of
    exactly the copied UIDs (UIDPLUS); with neither, a plain EXPUNGE only when no other message
    of the folder is flagged ``\\Deleted``, otherwise the originals are left flagged.
    New UIDs come from COPYUID when the server gives them.
    """
    result = MoveResult(dest)
    if not uids:
        return result
    if use_move is None:
        use_move = session.has("MOVE")
    ordered = sorted(set(uids))
    for i in range(0, len(ordered), UID_CHUNK):
        chunk = ordered[i:i + UID_CHUNK]
        _pop_untagged(session, "COPYUID")
        for attempt in (0, 1):
            try:
                if use_move:
                    _move_chunk(session, chunk, dest, result)
                else:
                    _copy_chunk(session, chunk, dest, result)
                break
            except imaplib.IMAP4.abort:
                raise
            except (imaplib.IMAP4.error, IMAPClientError) as exc:
                if attempt == 0 and _trycreate(session, dest, exc):
                    continue
                raise ImapError(_("The server refused to move messages to {folder} ({error})."
                                  ).format(folder=dest, error=str(exc)[:200]),
                                ImapErrorKind.FOLDER) from None
    return result


def _move_chunk(session: Session, chunk: list[int], dest: str, result: MoveResult) -> None:
    session.client._command_and_check("move", uid_set(chunk),  # noqa: SLF001
                                      session.client._normalise_folder(dest),  # noqa: SLF001
                                      uid=True)
    validity, mapping = _copyuid_map(_pop_untagged(session, "COPYUID"))
    if validity is not None:
        result.dest_uidvalidity = validity
    # With UIDPLUS, COPYUID lists every moved UID: the others were not there. Without it we
    # cannot tell "moved" from "was not there", and only know what is still in the source.
    exact = bool(mapping) or session.has("UIDPLUS")
    still = _existing(session, chunk) if not exact else set()
    for uid in chunk:
        if uid in mapping:
            result.moved[uid] = mapping[uid]
        elif exact:
            result.gone.append(uid)
        elif uid in still:
            result.left.append(uid)
        else:
            result.moved[uid] = None


def _copy_chunk(session: Session, chunk: list[int], dest: str, result: MoveResult) -> None:
    client = session.client
    present = sorted(_existing(session, chunk))
    result.gone.extend(u for u in chunk if u not in set(present))
    if not present:
        return
    client._command_and_check("copy", uid_set(present),  # noqa: SLF001
                              client._normalise_folder(dest), uid=True)  # noqa: SLF001
    validity, mapping = _copyuid_map(_pop_untagged(session, "COPYUID"))
    if validity is not None:
        result.dest_uidvalidity = validity
    _remove_originals(session, present)
    remaining = _existing(session, present)
    for uid in present:
        if uid in remaining:
            result.left.append(uid)
        else:
            result.moved[uid] = mapping.get(uid)


def _remove_originals(session: Session, uids: Sequence[int]) -> None:
    """Flag and expunge exactly these UIDs (their copies exist in the destination)."""
    if not uids:
        return
    client = session.client
    client._command_and_check("store", uid_set(uids), "+FLAGS.SILENT",  # noqa: SLF001
                              "(\\Deleted)", uid=True)
    if session.has("UIDPLUS"):
        client._command_and_check("expunge", uid_set(uids), uid=True)  # noqa: SLF001
        return
    deleted = set(client.search(["DELETED"]))
    if deleted <= set(uids):
        client.expunge()
    else:
        log.warning("not expunging: other messages of the folder are flagged \\Deleted")


# -- journal ---------------------------------------------------------------------------------


def move_key(folder: str, uidvalidity: int, uid: int, sha256: str) -> str:
    """Idempotency key of the move of one message (same message, same place: same key)."""
    return f"move:{folder}:{uidvalidity}:{uid}:{sha256[:16]}"


def move_action(folder: str, uidvalidity: int, uid: int, dest: str, *, row_id: int,
                lane: str, message_id: str, sha256: str, size: int) -> NewAction:
    return NewAction(move_key(folder, uidvalidity, uid, sha256), MOVE_KIND, {
        "src": folder, "uidvalidity": uidvalidity, "uid": uid, "dest": dest, "row": row_id,
        "lane": lane, "message_id": message_id, "sha256": sha256, "size": size})


@dataclass
class ExecuteResult:
    moved: int = 0
    already: int = 0  # found done already (a killed run had moved it)
    gone: int = 0  # no longer where it was: the user moved or deleted it first
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def ordered_runs(entries: Sequence[JournalEntry]) -> list[tuple[str, list[JournalEntry]]]:
    """Entries per destination, cut wherever the UIDs stop ascending in the given order.

    A server moves a UID set in UID order, so one MOVE per run keeps, in each destination
    folder, the order the entries were given in (a release goes oldest first).
    """
    by_dest: dict[str, list[JournalEntry]] = {}
    for e in entries:
        by_dest.setdefault(e.payload["dest"], []).append(e)
    runs: list[tuple[str, list[JournalEntry]]] = []
    for dest, group in by_dest.items():
        run: list[JournalEntry] = []
        for e in group:
            if run and int(e.payload["uid"]) <= int(run[-1].payload["uid"]):
                runs.append((dest, run))
                run = []
            run.append(e)
        if run:
            runs.append((dest, run))
    return runs


def execute_moves(session: Session, store: Store, account_id: int,
                  entries: Sequence[JournalEntry], *, use_move: bool | None = None,
                  selected: str | None = None, ordered: bool = False) -> ExecuteResult:
    """Do journaled moves of one source folder (already SELECTed read-write as ``selected``).

    One UID MOVE per destination (with ``ordered``, per run of :func:`ordered_runs`); then,
    in one transaction each, the new locations and the journal states (done, or failed to be
    retried).
    """
    out = ExecuteResult()
    groups: list[tuple[str, list[JournalEntry]]]
    if ordered:
        groups = ordered_runs(entries)
    else:
        by_dest: dict[str, list[JournalEntry]] = {}
        for e in entries:
            by_dest.setdefault(e.payload["dest"], []).append(e)
        groups = list(by_dest.items())
    moves: list[Relocation] = []
    done: list[int] = []
    gone: list[int] = []
    left: list[int] = []
    failed: dict[str, list[int]] = {}
    try:
        for dest, group in groups:
            uid_of = {int(e.payload["uid"]): e for e in group}
            try:
                res = move_uids(session, list(uid_of), dest, use_move=use_move)
            except ImapError as exc:
                if exc.kind != ImapErrorKind.FOLDER:
                    raise
                failed.setdefault(exc.message, []).extend(e.id for e in group)
                out.errors.append(exc.message)
                continue
            for uid, new_uid in res.moved.items():
                e = uid_of[uid]
                key = (location_key(dest, res.dest_uidvalidity, new_uid)
                       if new_uid is not None and res.dest_uidvalidity is not None else None)
                if e.payload.get("row"):
                    moves.append(Relocation(int(e.payload["row"]), dest, new_uid, key))
                done.append(e.id)
            gone.extend(uid_of[u].id for u in res.gone)
            left.extend(uid_of[u].id for u in res.left)
    finally:
        # Record what was done even when the connection drops half-way.
        relocate(store, moves)
        store.journal_mark(done, "done")
        store.journal_mark(gone, "done", "gone")
        store.journal_mark(left, "failed", "copied; original left flagged \\Deleted")
        for error, ids in failed.items():
            store.journal_mark(ids, "failed", error)
    out.moved += len(done)
    out.gone += len(gone)
    out.failed += len(left) + sum(len(v) for v in failed.values())
    return out


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def find_in_folder(session: Session, folder: str, message_id: str, digest: str, *,
                   candidates: Sequence[int] | None = None) -> list[int]:
    """UIDs in ``folder`` (selected as a side effect) holding exactly these bytes."""
    select(session, folder, readonly=True)
    client = session.client
    if candidates is None:
        if message_id and not any(ch in message_id for ch in '"\\\r\n'):
            candidates = client.search(["HEADER", "Message-ID", message_id])
        else:
            candidates = client.search(["ALL"])
    found = []
    for i in range(0, len(candidates), 50):
        chunk = list(candidates[i:i + 50])
        for uid, data in client.fetch(chunk, ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]")
            if raw is not None and sha256(bytes(raw)) == digest:
                found.append(uid)
    return sorted(found)


def dest_leftovers(session: Session, store: Store, account_id: int, dest: str,
                   wanted: dict[str, list[JournalEntry]]) -> dict[int, tuple[int, int]]:
    """Copies already in ``dest`` of pending moves: entry id -> (dest uidvalidity, uid).

    Only messages of ``dest`` that the store does not know yet are examined (a killed run's
    copies are among them), by Message-ID then by exact content.
    """
    info = select(session, dest, readonly=True)
    state = store.folder_state(account_id, dest)
    start = state.uidnext if state is not None and state.uidvalidity == info.uidvalidity else 1
    known = set(store.uids_in_folder(account_id, dest))
    uids = [u for u in session.client.search(["UID", f"{start}:*"]) if u >= start
            and u not in known]
    if not uids:
        return {}
    found: dict[int, tuple[int, int]] = {}
    for i in range(0, len(uids), 200):
        chunk = uids[i:i + 200]
        resp = session.client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            data = resp.get(uid)
            raw = data.get(b"BODY[]") if data else None
            if raw is None:
                continue
            digest = sha256(bytes(raw))
            for entry in wanted.get(digest, []):
                if entry.id not in found:
                    found[entry.id] = (info.uidvalidity, uid)
                    break
    return found


def recover_pending(session: Session, store: Store, account_id: int, *,
                    use_move: bool | None = None) -> ExecuteResult:
    """Finish the moves a previous run journaled but did not mark done.

    For each source folder: entries whose message is no longer at its UID were done (by the
    killed run, or by the user) and are marked so; the next lane-folder scan records where the
    message now sits. Entries still in the source are checked for a copy already in the
    destination (a killed COPY fallback): then only the original is removed; otherwise the move
    is done now. After a UIDVALIDITY change the message is looked for by Message-ID and content.
    """
    out = ExecuteResult()
    pending = store.journal_pending(account_id, MOVE_KIND)
    by_src: dict[str, list[JournalEntry]] = {}
    for e in pending:
        by_src.setdefault(str(e.payload.get("src", "INBOX")), []).append(e)
    for src, entries in by_src.items():
        try:
            info = select(session, src)
        except ImapError as exc:
            if exc.kind != ImapErrorKind.FOLDER:
                raise
            # The source folder is gone (deleted or renamed by the user): nothing to move.
            store.journal_mark([e.id for e in entries], "done", "source folder gone")
            out.gone += len(entries)
            continue
        same = [e for e in entries if int(e.payload.get("uidvalidity", 0)) == info.uidvalidity]
        other = [e for e in entries if e not in same]
        present = _existing(session, [int(e.payload["uid"]) for e in same])
        todo: list[JournalEntry] = []
        gone: list[JournalEntry] = []
        for e in same:
            (todo if int(e.payload["uid"]) in present else gone).append(e)
        for e in other:  # renumbered folder: find the message again
            uids = find_in_folder(session, src, str(e.payload.get("message_id", "")),
                                  str(e.payload.get("sha256", "")))
            if uids:
                payload = dict(e.payload, uid=uids[0], uidvalidity=info.uidvalidity)
                todo.append(JournalEntry(e.id, e.account_id, e.key, e.kind, payload, e.state,
                                         e.attempts, e.error, e.created_at, e.updated_at))
            else:
                gone.append(e)
        if gone:
            store.journal_mark([e.id for e in gone], "done", "not in source")
            out.already += len(gone)
        if not todo:
            continue
        # A copy may already sit in the destination (COPY done, original not yet removed).
        by_dest: dict[str, dict[str, list[JournalEntry]]] = {}
        for e in todo:
            by_dest.setdefault(e.payload["dest"], {}).setdefault(
                str(e.payload.get("sha256", "")), []).append(e)
        copies: dict[int, tuple[str, int, int]] = {}
        for dest, wanted in by_dest.items():
            try:
                for eid, (validity, uid) in dest_leftovers(session, store, account_id, dest,
                                                           wanted).items():
                    copies[eid] = (dest, validity, uid)
            except ImapError as exc:
                if exc.kind != ImapErrorKind.FOLDER:
                    raise
        select(session, src)
        if copies:
            finished = [e for e in todo if e.id in copies]
            _remove_originals(session, [int(e.payload["uid"]) for e in finished])
            remaining = _existing(session, [int(e.payload["uid"]) for e in finished])
            moves = []
            ok = []
            blocked = [e.id for e in finished if int(e.payload["uid"]) in remaining]
            store.journal_mark(blocked, "failed", "copied; original left flagged \\Deleted")
            out.failed += len(blocked)
            for e in finished:
                if int(e.payload["uid"]) in remaining:
                    continue
                dest, validity, uid = copies[e.id]
                if e.payload.get("row"):
                    moves.append(Relocation(int(e.payload["row"]), dest, uid,
                                            location_key(dest, validity, uid)))
                ok.append(e.id)
            relocate(store, moves)
            store.journal_mark(ok, "done", "copy found")
            out.already += len(ok)
            todo = [e for e in todo if e.id not in copies]
        res = execute_moves(session, store, account_id, todo, use_move=use_move, selected=src)
        out.moved += res.moved
        out.gone += res.gone
        out.failed += res.failed
        out.errors.extend(res.errors)
    return out
