"""Hold mail outside working hours, and release it in one batch when work starts.

*Holding*: while the person is off, a new message (unless urgent) goes to a *Plus tard* folder
instead of its lane, so no mail client notifies. Its decision is computed and stored as usual;
:class:`HoldPolicy` records it as held before its move is journaled (see
``accalmie.imap.pipeline``).

*Releasing*: when working time comes, :func:`release_held` moves every held message into its
lane, oldest first, with bulk ``UID MOVE`` through the same journal as every other move. The
trigger is level-based (``is_working(now)`` and something is held), never "the instant the
window opens": a clock jump forward or backward, a service stopped across the window start, or
a server down at 9:00 can delay a release but never skip it or make it happen twice.

Crash safety, whatever the instant of a kill or a server restart:

1. pending moves are finished first (``recover_pending``), and the hold folder is scanned so
   the store knows the UID of every message a killed run moved there;
2. the release journals every move (idempotent keys: folder, UIDVALIDITY, UID, content) before
   moving anything; a held row becomes ``released`` only once its move is marked done;
3. a rerun skips what is done, finishes what is pending, and retries what failed.

A WorkingTime that cannot answer fails open: the mail is not held (and what is held is
released), because hidden mail is worse than a notification.
"""

from __future__ import annotations

import fnmatch
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from accalmie.config import Account, Config
from accalmie.disconnect.clock import Clock, SystemClock
from accalmie.disconnect.watch import WatchSettings
from accalmie.i18n import _
from accalmie.imap.actions import (
    MOVE_KIND,
    ensure_folders,
    execute_moves,
    lane_folder_names,
    move_action,
    namespace_prefix,
    recover_pending,
    sha256,
)
from accalmie.imap.connect import ImapError, ImapErrorKind, Session, imap_errors
from accalmie.imap.sync import search_uids, select
from accalmie.imap.uids import location_key
from accalmie.mail.model import Message
from accalmie.store import Store
from accalmie.store import hold as held_store
from accalmie.store.bulk import Relocation, locate, locate_sha, relocate
from accalmie.store.records import JournalEntry
from accalmie.store.repository import norm_key
from accalmie.triage.decision import Decision, Flag, Lane

log = logging.getLogger(__name__)

RELEASE_CHUNK = 1000  # held messages per step (one bookkeeping transaction each)
FETCH_CHUNK = 50  # unknown messages of the hold folder fetched at once
RULE_CODES = ("rule", "rule_flag")  # reason codes the triage engine gives a user rule


class WorkingTimeLike(Protocol):
    """What holding needs from ``accalmie.disconnect.hours.WorkingTime``."""

    def is_working(self, at: datetime) -> bool: ...

    def next_start(self, at: datetime) -> datetime: ...


def load_working_time(config: Config, account: Account) -> WorkingTimeLike | None:
    """The account's working time from the hours capability; None when there is none.

    Mail is held only for people who wrote working hours (``[hours]`` or
    ``[accounts.hours]``): default hours would hide mail at lunch time from someone who never
    asked for it. A configuration error in ``[hours]`` is raised (the user must fix it).
    """
    if "hours" not in config.sections and "hours" not in account.sections:
        return None
    try:
        from accalmie.disconnect import hours
    except ImportError:
        return None
    func = getattr(hours, "working_time", None)
    if not callable(func):
        return None
    return func(config, account)  # type: ignore[no-any-return]


def hold_folder_name(config: Config, settings: WatchSettings, sep: str, prefix: str = "") -> str:
    """Full name of the hold folder: beside the lane folders, under ``[lanes] parent``."""
    parent = (config.lane_parent or "").strip().strip(sep)
    name = settings.hold_folder.strip().strip(sep) or "Plus tard"
    return f"{prefix}{parent}{sep}{name}" if parent else f"{prefix}{name}"


def _glob_match(address: str, patterns: Sequence[str]) -> bool:
    address = address.lower()
    return bool(address) and any(fnmatch.fnmatchcase(address, p.lower()) for p in patterns)


def is_urgent(msg: Message, decision: Decision, *, urgent_senders: Sequence[str] = (),
              urgent_rules: Sequence[str] = ()) -> bool:
    """Never held: a sender matching an urgent pattern, a message one of the user's urgent
    rules matched, or one the engine flagged urgent (when it has such a flag)."""
    senders = [a.email for a in (msg.from_, msg.sender) if a is not None]
    senders += [a.email for a in msg.reply_to]
    if urgent_senders and any(_glob_match(s, urgent_senders) for s in senders[:1]):
        return True
    if urgent_rules:
        wanted = {r.strip().lower() for r in urgent_rules}
        for reason in decision.reasons:
            if reason.code in RULE_CODES and \
                    str(reason.params.get("rule", "")).strip().lower() in wanted:
                return True
    urgent_flag = getattr(Flag, "URGENT", None)
    return urgent_flag is not None and urgent_flag in decision.flags


class HoldPolicy:
    """Decides, at the clock's time, whether a new message is held; records the held ones.

    ``working`` None (no working-time settings available) or a WorkingTime that fails means
    nothing is held.
    """

    def __init__(self, settings: WatchSettings, working: WorkingTimeLike | None, *,
                 clock: Clock | None = None) -> None:
        self.settings = settings
        self.working = working
        self.clock = clock or SystemClock()
        urgent = tuple(getattr(working, "urgent", ()) or ()) if working is not None else ()
        self.urgent_senders = tuple(settings.urgent_senders) + tuple(str(u) for u in urgent)
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self.settings.hold and self.working is not None

    def folder(self, config: Config, sep: str, prefix: str) -> str:
        return hold_folder_name(config, self.settings, sep, prefix)

    def off_duty(self, at: datetime | None = None) -> bool:
        """True when the person is outside working time (False when unknown: fail open)."""
        if not self.enabled:
            return False
        assert self.working is not None
        try:
            return not self.working.is_working(at or self.clock.now())
        except Exception as exc:  # noqa: BLE001 - a broken policy must not hide mail
            if not self._warned:
                log.error("working time unavailable (%s): mail is not held", exc)
                self._warned = True
            return False

    def next_start(self, at: datetime | None = None) -> datetime | None:
        if self.working is None:
            return None
        try:
            return self.working.next_start(at or self.clock.now())
        except Exception:  # noqa: BLE001
            return None

    def should_hold(self, msg: Message, decision: Decision) -> bool:
        if Lane(decision.lane) not in self.settings.hold_lanes:
            return False
        if not self.off_duty():
            return False
        return not is_urgent(msg, decision, urgent_senders=self.urgent_senders,
                             urgent_rules=self.settings.urgent_rules)

    def record(self, store: Store, account_id: int, row_ids: Sequence[int]) -> None:
        now = self.clock.now()
        after = self.next_start(now)
        held_store.record_held(store, account_id, [(r, now, after) for r in row_ids])

    def released_rows(self, store: Store, account_id: int, row_ids: Sequence[int]) -> set[int]:
        """Which of these message rows a release already brought back (never hold twice)."""
        return held_store.released_rows(store, account_id, row_ids)

    def release_due(self, store: Store, account_id: int) -> bool:
        """Something is held and it may go now: working time, holding switched off, or held
        longer than ``max_hold_days``."""
        count, oldest = held_store.held_summary(store, account_id)
        return count > 0 and self.may_release(oldest)

    def may_release(self, oldest: datetime | None) -> bool:
        if not self.off_duty():
            return True
        limit = self.settings.max_hold_days
        return bool(limit and oldest is not None
                    and self.clock.now() - oldest >= timedelta(days=limit))


# -- the hold folder as the store knows it ------------------------------------------------


def scan_hold_folder(session: Session, store: Store, account_id: int, folder: str) -> int:
    """Record where messages moved into the hold folder sit, when the store does not know.

    A kill between a MOVE and its bookkeeping leaves the row at its old place; the new UID is
    found here, by Message-ID and exact content. Messages the user put here are not ours and
    stay unknown. Returns how many rows were relocated.
    """
    prev = store.folder_state(account_id, folder)
    try:
        info = select(session, folder, readonly=True)
    except ImapError as exc:
        if exc.kind == ImapErrorKind.FOLDER:
            return 0
        raise
    reset = prev is not None and prev.uidvalidity != info.uidvalidity
    if prev is not None and not reset and prev.uidnext >= info.uidnext:
        return 0
    start = 1 if prev is None or reset else prev.uidnext
    uids = search_uids(session, start) if info.exists else []
    known = set() if reset else set(store.uids_in_folder(account_id, folder))
    unknown = [u for u in uids if u not in known]
    found = 0
    for i in range(0, len(unknown), FETCH_CHUNK):
        chunk = unknown[i:i + FETCH_CHUNK]
        resp = session.client.fetch(chunk, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]",
                                            "BODY.PEEK[]"])
        got: list[tuple[int, str, str]] = []
        for uid in chunk:
            data = resp.get(uid) or {}
            raw = data.get(b"BODY[]")
            if raw is None:
                continue
            head = next((v for k, v in data.items() if k.startswith(b"BODY[HEADER")), b"")
            got.append((uid, _message_id(bytes(head or b"")), sha256(bytes(raw))))
        by_mid = locate(store, account_id, [m for _u, m, _d in got if m])
        by_sha = locate_sha(store, account_id, [d for _u, m, d in got if not m])
        moves: list[Relocation] = []
        taken: set[int] = set()
        for uid, mid, digest in got:
            rows = [r for r in (by_mid.get(mid, []) if mid else by_sha.get(digest, []))
                    if r.raw_sha256 == digest and r.id not in taken
                    and not (r.folder == folder and r.uid is not None and r.uid in known)]
            if not rows:
                continue
            row = rows[0]
            taken.add(row.id)
            moves.append(Relocation(row.id, folder, uid,
                                    location_key(folder, info.uidvalidity, uid)))
        relocate(store, moves)
        found += len(moves)
    store.set_folder_state(account_id, folder, info.uidvalidity,
                           max(info.uidnext, (uids[-1] + 1) if uids else 1),
                           info.highestmodseq)
    return found


def _message_id(header_block: bytes) -> str:
    text = header_block.decode("utf-8", "replace")
    for line in text.replace("\r\n ", " ").replace("\n ", " ").splitlines():
        if line.lower().startswith("message-id:"):
            return line.split(":", 1)[1].strip()[:512]
    return ""


# -- release -----------------------------------------------------------------------------


@dataclass
class ReleaseReport:
    """What a release did; ``errors`` holds user-facing messages."""

    account: str
    held: int = 0  # held messages found at the start
    moved: int = 0  # moved to their lanes now
    already: int = 0  # moved by an interrupted release
    left: int = 0  # no longer in the hold folder (the user took them out)
    failed: int = 0  # to retry at the next tick
    release_id: int | None = None
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.account, "held": self.held, "moved": self.moved,
                "already": self.already, "left": self.left, "failed": self.failed,
                "release_id": self.release_id, "errors": list(self.errors),
                "elapsed_s": round(self.elapsed, 3)}


Progress = Callable[[str, int, int | None], None]


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


def release_held(session: Session, config: Config, account: Account, store: Store, *,
                 settings: WatchSettings, clock: Clock | None = None,
                 progress: Progress | None = None) -> ReleaseReport:
    """Move every held message of the account into its lane, oldest first, journaled.

    Safe to call at any time and to interrupt at any instant (see the module doc); the caller
    decides whether it is time (``HoldPolicy.release_due``).
    """
    clock = clock or SystemClock()
    prog = progress or _noop
    started = time.monotonic()
    report = ReleaseReport(account=account.name)
    try:
        with imap_errors(account):
            _release(session, config, account, store, settings, clock, prog, report)
    finally:
        report.elapsed = time.monotonic() - started
    return report


def _release(session: Session, config: Config, account: Account, store: Store,
             settings: WatchSettings, clock: Clock, prog: Progress,
             report: ReleaseReport) -> None:
    account_id = store.account_id(account.name)
    prefix = namespace_prefix(session)
    lanes = lane_folder_names(config, session.separator, prefix)
    folder = hold_folder_name(config, settings, session.separator, prefix)
    if store.journal_pending(account_id, MOVE_KIND):
        res = recover_pending(session, store, account_id)  # hold moves and killed releases
        report.already += res.moved + res.already
        report.errors.extend(res.errors)
    scan_hold_folder(session, store, account_id, folder)
    rows = held_store.held_rows(store, account_id)
    report.held = len(rows)
    if not rows:
        return
    now = clock.now()
    try:
        info = select(session, folder)
    except ImapError as exc:
        if exc.kind != ImapErrorKind.FOLDER:
            raise
        # No hold folder any more (the user deleted or renamed it): nothing waits there.
        held_store.mark(store, [r.id for r in rows], held_store.LEFT, now)
        report.left += len(rows)
        return
    prefix_key = f"imap:{folder}:{info.uidvalidity}:"
    here = [r for r in rows if r.folder == folder and r.uid is not None
            and r.key.startswith(prefix_key)]
    in_folder = {r.id for r in here}
    gone = [r for r in rows if r.id not in in_folder]
    # Out of the hold folder already: in its lane, a release cut short was finished by the
    # recovery of its journal; elsewhere, the user took it out first.
    landed = [r.id for r in gone if r.folder == lanes.get(_lane(r.lane))]
    left = [r.id for r in gone if r.folder != lanes.get(_lane(r.lane))]
    held_store.mark(store, landed, held_store.RELEASED, now)
    held_store.mark(store, left, held_store.LEFT, now)
    report.already += len(landed)
    report.left += len(left)
    if not here:
        return
    # A lane whose folder is the hold folder itself: its messages are where they belong.
    stay = [r.id for r in here if lanes[_lane(r.lane)] == folder]
    if stay:
        held_store.mark(store, stay, held_store.RELEASED, now)
        report.already += len(stay)
        here = [r for r in here if lanes[_lane(r.lane)] != folder]
        if not here:
            return
    ensure_folders(session, lanes.values())
    select(session, folder)
    release_id = held_store.start_release(store, account_id, now, len(here))
    report.release_id = release_id
    actions = []
    for r in here:
        dest = lanes[_lane(r.lane)]
        actions.append(move_action(folder, info.uidvalidity, int(r.uid or 0), dest,
                                   row_id=r.message_row_id, lane=r.lane,
                                   message_id=r.message_id, sha256=r.raw_sha256, size=0))
    # Every move journaled before the first one is made (one transaction).
    store.journal_add(account_id, actions)
    by_key = held_store.journal_states(store, account_id, [a.key for a in actions])
    done_before: list[int] = []
    todo: list[tuple[held_store.HeldRow, JournalEntry]] = []
    retry: list[int] = []
    for row, action in zip(here, actions, strict=True):
        key = norm_key(action.key)
        st = by_key.get(key)
        if st is None:
            continue
        if st.state == "done":
            done_before.append(row.id)
            continue
        if st.state == "failed":
            retry.append(st.id)
        # The payload is the one just built: the same place and content (the key says so),
        # and the lane as decided now.
        todo.append((row, JournalEntry(st.id, account_id, key, MOVE_KIND, action.payload,
                                       "pending", st.attempts, "", now, now)))
    if retry:  # a release never gives up: failed moves are tried again at every release
        store.journal_mark(retry, "pending")
    if done_before:
        held_store.mark(store, done_before, held_store.RELEASED, now, release_id)
        report.already += len(done_before)
    total = len(todo)
    prog("release", 0, total)
    for i in range(0, total, RELEASE_CHUNK):
        step = todo[i:i + RELEASE_CHUNK]  # the oldest remaining ones
        res = execute_moves(session, store, account_id, [e for _r, e in step],
                            selected=folder, ordered=True)
        report.errors.extend(res.errors)
        states = held_store.journal_states(store, account_id, [e.key for _r, e in step])
        ok: list[int] = []
        left: list[int] = []
        for r, e in step:
            st = states.get(e.key)
            if st is not None and st.state == "done":
                (left if st.error == "gone" else ok).append(r.id)
        held_store.mark(store, ok, held_store.RELEASED, clock.now(), release_id)
        held_store.mark(store, left, held_store.LEFT, clock.now(), release_id)
        report.moved += res.moved
        report.left += len(left)
        report.failed += len(step) - len(ok) - len(left)
        prog("release", min(i + RELEASE_CHUNK, total), total)
    held_store.finish_release(store, release_id, clock.now(), report.moved + report.already,
                              report.failed)
    log.info("account %s: released %d held messages (%d already moved, %d left, %d to retry)",
             account.name, report.moved, report.already, report.left, report.failed)


def _lane(value: str) -> Lane:
    """A stored lane; an unknown one (from a newer version) is released as priority."""
    try:
        return Lane(value)
    except ValueError:
        return Lane.PRIORITY


def describe_release(report: ReleaseReport) -> str:
    """One line for the terminal, in the current language."""
    line = _("Account {name}: {moved} held messages released into their lanes.").format(
        name=report.account, moved=report.moved + report.already)
    if report.left:
        line += " " + _("{n} had already been taken out of the hold folder.").format(
            n=report.left)
    if report.failed:
        line += " " + _("{n} could not be moved yet and will be tried again.").format(
            n=report.failed)
    return line


__all__ = ["HoldPolicy", "ReleaseReport", "WorkingTimeLike", "describe_release",
           "hold_folder_name", "is_urgent", "load_working_time", "release_held",
           "scan_hold_folder"]
