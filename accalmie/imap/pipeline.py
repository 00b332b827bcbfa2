"""One IMAP triage run: connect, finish pending work, learn from the user, sort new mail.

Order of a run, each step safe to interrupt at any instant:

1. create the lane folders (under ``config.lane_parent``, with the server's separator);
2. finish the moves a killed run left pending in the journal;
3. look at what arrived in the lane folders since the last run: a message the user moved
   there from another lane is a correction (stored, and taught to the triager at once);
4. count the people the user writes to, from the Sent folder;
5. fetch the new messages of the inbox (batches; parsing of the next batch overlaps the
   rest), decide their lanes, store message + decision, journal one move per message, record
   the folder state, then move (UID MOVE per destination) and mark the journal done.

Because the journal entry is written before the move and the folder state only after the
journal, a rerun after a kill finishes every move exactly once: see ``actions.recover_pending``.
``dry_run`` decides and reports, and writes nothing anywhere.

With a ``hold`` policy (the right to disconnect, ``accalmie.disconnect.hold``), a message the
policy holds goes to the hold folder instead of its lane; its decision is stored all the same,
and the policy records it as held (before the move is journaled) so a release finds it.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from accalmie.config import Account, Config
from accalmie.disconnect.after_hours import Fact, after_hours_fact
from accalmie.i18n import N_, gettext_for
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
from accalmie.imap.connect import ImapError, ImapErrorKind, Session, imap_errors, open_session
from accalmie.imap.sync import Batch, FolderSync, prefetch, search_uids, select, sync_sent
from accalmie.imap.uids import location_key
from accalmie.mail.model import Message
from accalmie.store import Store
from accalmie.store.after_hours import record_messages
from accalmie.store.bulk import (
    KEPT_CODE,
    Relocation,
    RowRef,
    journal_entries,
    locate,
    locate_sha,
    relocate,
    rows_in_folder,
)
from accalmie.store.records import NewAction, StoredItem
from accalmie.triage.decision import Decision, Lane, Reason, Source, lane_label

if TYPE_CHECKING:
    from accalmie.disconnect.hours import WorkingTime

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
MAX_PLANNED = 10_000  # dry-run lines kept for display
PREFETCH_MIN = 400  # new messages from which a second connection fetches ahead


class TriagerLike(Protocol):
    """What a run needs from the triage engine (``accalmie.triage.engine.Triager``)."""

    def decide(self, msg: Message) -> Decision: ...

    def learn(self, msg: Message, lane: Lane | str) -> None: ...


class HoldLike(Protocol):
    """What a run needs from a hold policy (``accalmie.disconnect.hold.HoldPolicy``)."""

    def folder(self, config: Config, sep: str, prefix: str) -> str: ...

    def should_hold(self, msg: Message, decision: Decision) -> bool: ...

    def record(self, store: Store, account_id: int, row_ids: Sequence[int]) -> None: ...

    def released_rows(self, store: Store, account_id: int, row_ids: Sequence[int]) -> set[int]:
        ...


class ParserLike(Protocol):
    def parse(self, raws: Sequence[bytes]) -> list[Message]: ...

    def decide_stream(self, batches: Iterator[Sequence[bytes]], decider: TriagerLike, *,
                      keep_text: bool = False) -> Iterator[list[tuple[Message, Decision]]]: ...


@dataclass(frozen=True, slots=True)
class PlannedMove:
    """One decision, as a dry run shows it."""

    folder: str
    uid: int
    dest: str
    decision: Decision
    subject: str
    sender: str


@dataclass
class TriageReport:
    """What a run did; ``errors`` holds user-facing messages of what could not be done."""

    account: str
    dry_run: bool = False
    lane_folders: dict[str, str] = field(default_factory=dict)
    folders_created: list[str] = field(default_factory=list)
    fetched: int = 0
    lanes: Counter[str] = field(default_factory=Counter)
    moved: int = 0
    already_done: int = 0  # pending moves a killed run had in fact finished
    recovered: int = 0  # pending moves finished now
    gone: int = 0  # messages that vanished before their move (moved or deleted by the user)
    failed: int = 0  # moves that will be retried at the next run
    kept: int = 0  # messages the user put back in the inbox: left there
    corrections: int = 0  # user moves between lane folders
    learned_new: int = 0  # unknown messages the user filed into a lane folder
    sent_read: int = 0
    contacts: int = 0
    pending_before: int = 0
    unreadable: int = 0  # messages the server could not give
    skipped_deleted: int = 0  # flagged \\Deleted by the user: left alone
    held: int = 0  # put in the hold folder until working hours
    hold_folder: str = ""
    errors: list[str] = field(default_factory=list)
    planned: list[PlannedMove] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rate(self) -> float:
        return self.fetched / self.elapsed if self.elapsed > 0 else 0.0

    def render(self, lang: str | None = None) -> str:
        """A short plain-text summary for the terminal, in ``lang``."""
        lines = [gettext_for(lang, "Account {name}: {n} new messages in {s:.1f} s.").format(
            name=self.account, n=self.fetched, s=self.elapsed)]
        for lane in Lane:
            n = self.lanes.get(lane.value, 0)
            folder = self.lane_folders.get(lane.value, "")
            lines.append(f"  {lane_label(lane, lang)}: {n}" + (f"  → {folder}" if folder else ""))
        if self.dry_run:
            lines.append(gettext_for(lang, "Dry run: nothing was moved or recorded."))
            for p in self.planned[:50]:
                why = "; ".join(p.decision.explain(lang)[:2])
                lines.append(f"  [{p.uid}] {p.subject[:60]!s} — {p.sender} → {p.dest}"
                             + (f" ({why})" if why else ""))
            if len(self.planned) > 50:
                lines.append(gettext_for(lang, "  … and {n} more.").format(
                    n=len(self.planned) - 50))
        else:
            lines.append(gettext_for(
                lang, "Moved: {moved}. Finished from an interrupted run: {done}.").format(
                moved=self.moved, done=self.recovered + self.already_done))
        if self.corrections:
            lines.append(gettext_for(
                lang, "Learned from your moves between lane folders: {n}.").format(
                n=self.corrections))
        if self.kept:
            lines.append(gettext_for(
                lang, "Left in the inbox where you put them back: {n}.").format(n=self.kept))
        if self.held:
            lines.append(gettext_for(
                lang, "Held until your working hours: {n} (in {folder}).").format(
                n=self.held, folder=self.hold_folder))
        if self.failed:
            lines.append(gettext_for(lang, "Moves to retry at the next run: {n}.").format(
                n=self.failed))
        for error in self.errors[:20]:
            lines.append(gettext_for(lang, "Error: {error}").format(error=error))
        return "\n".join(lines)


def _noop(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class _Options:
    dry_run: bool = False
    move: bool = True
    after_learning: Callable[[], None] | None = None
    hold: HoldLike | None = None
    hold_folder: str = ""  # the hold policy's folder on this server (set by _run)
    full: bool = True  # False: only the inbox (the live watch, between full passes)
    working_time: WorkingTime | None = None  # for the after-hours facts of received mail


def user_move_decision(lane: Lane, folder: str, previous: Decision | None) -> Decision:
    reason = Reason(N_("You moved it to the folder {folder}"), {"folder": folder},
                    "user_move", 1.0)
    flags = previous.flags if previous is not None else frozenset()
    return Decision(lane, Source.LEARNED, (reason,), flags, 1.0)


def kept_decision(previous: Decision, folder: str) -> Decision:
    """The decision of a message the user put back in the inbox: it stays there."""
    reason = Reason(N_("You put it back in {folder}"), {"folder": folder}, KEPT_CODE, 1.0)
    return replace(previous, reasons=(reason, *previous.reasons))


def triage_imap(config: Config, account: Account, store: Store, triager: TriagerLike, *,
                password: str, dry_run: bool = False, progress: Progress | None = None,
                parser: ParserLike | None = None, move: bool = True,
                after_learning: Callable[[], None] | None = None,
                hold: HoldLike | None = None) -> TriageReport:
    """Run IMAP triage of one account to completion (see the module doc for the steps).

    ``move=False`` is a sync: decisions are stored and the folders' state advances, but
    nothing is moved (a later run with ``move=True`` moves what is still in the inbox).
    ``after_learning`` is called once the user's moves have been learned (to save the model
    before the long part of the run). ``hold`` sends what the policy holds to its folder.
    Raises :class:`ImapError` when the server cannot be used (the message is for the user);
    what was committed stays committed, and a rerun continues.
    """
    started = time.monotonic()
    report = TriageReport(account=account.name, dry_run=dry_run)
    opts = _Options(dry_run=dry_run, move=move and not dry_run, after_learning=after_learning,
                    hold=hold if move and not dry_run else None)
    prog = progress or _noop
    own_parser = parser is None
    if parser is None:
        from accalmie.pipeline import Parser

        parser = Parser()
    try:
        prog("connect", 0, None)
        session = open_session(account, password)
        try:
            with imap_errors(account):
                _run(session, config, account, store, triager, parser, report, opts, prog,
                     password)
        finally:
            session.close()
    finally:
        if own_parser:
            close = getattr(parser, "close", None)
            if callable(close):
                close()
        report.elapsed = time.monotonic() - started
    return report


def triage_session(session: Session, config: Config, account: Account, store: Store,
                   triager: TriagerLike, parser: ParserLike, *, password: str = "",
                   full: bool = True, hold: HoldLike | None = None,
                   progress: Progress | None = None,
                   after_learning: Callable[[], None] | None = None) -> TriageReport:
    """One run on an open session (the live watch keeps its session, triager and parser).

    ``full=False`` only finishes pending moves and sorts what is new in the account's
    folders: no folder creation, no scan of the lane folders, no Sent folder (the watch does
    a full run when it connects, then between events now and then).
    """
    started = time.monotonic()
    report = TriageReport(account=account.name)
    opts = _Options(after_learning=after_learning, hold=hold, full=full)
    try:
        with imap_errors(account):
            _run(session, config, account, store, triager, parser, report, opts,
                 progress or _noop, password)
    finally:
        report.elapsed = time.monotonic() - started
    return report


def _run(session: Session, config: Config, account: Account, store: Store,
         triager: TriagerLike, parser: ParserLike, report: TriageReport, opts: _Options,
         prog: Progress, password: str) -> None:
    prefix = namespace_prefix(session) if opts.full else _prefix_cache(session)
    lanes = lane_folder_names(config, session.separator, prefix)
    report.lane_folders = {lane.value: folder for lane, folder in lanes.items()}
    opts = replace(opts, working_time=getattr(triager, "working_time", None))
    if opts.hold is not None:
        opts = replace(opts, hold_folder=opts.hold.folder(config, session.separator, prefix))
        report.hold_folder = opts.hold_folder
    if opts.full:
        prog("folders", 0, len(lanes))
        if opts.move:
            wanted = [*lanes.values(), *([opts.hold_folder] if opts.hold_folder else [])]
            report.folders_created = ensure_folders(session, wanted)
        prog("folders", len(lanes), len(lanes))
    account_id = store.account_id(account.name)

    pending = store.journal_pending(account_id, MOVE_KIND)
    report.pending_before = len(pending)
    if pending and opts.move:
        prog("recover", 0, len(pending))
        res = recover_pending(session, store, account_id)
        report.recovered += res.moved
        report.already_done += res.already
        report.gone += res.gone
        report.failed += res.failed
        report.errors.extend(res.errors)
        prog("recover", len(pending), len(pending))

    if not opts.full:
        for folder in account.folders:
            _triage_folder(session, config, account, store, account_id, folder, lanes,
                           triager, parser, report, opts, prog, password)
        return

    inboxes = set(account.folders)
    corrections = report.corrections + report.learned_new
    for lane, folder in lanes.items():
        if folder in inboxes or folder.upper() == "INBOX":
            continue
        _scan_lane_folder(session, store, account_id, folder, lane, triager, parser, report,
                          opts.dry_run, prog)
    if (opts.after_learning is not None and not opts.dry_run
            and report.corrections + report.learned_new > corrections):
        opts.after_learning()

    on_counts = getattr(triager, "update_contacts", None)
    working = opts.working_time

    def sent_facts(pairs: list[tuple[str, datetime | None]]) -> None:
        if working is not None:
            record_messages(store, account_id, [
                (mid, "", after_hours_fact(when, working, "out")) for mid, when in pairs])

    sent = sync_sent(session, store, account_id, own_addresses=account.own_addresses,
                     configured=account.sent_folder, commit=not opts.dry_run,
                     progress=prog, on_counts=on_counts if callable(on_counts) else None,
                     on_sent=sent_facts)
    report.sent_read = sent.messages
    report.contacts = len(sent.counts)
    add_threads = getattr(triager, "add_thread_ids", None)
    if callable(add_threads) and sent.message_ids:
        add_threads(sent.message_ids)

    for folder in account.folders:
        if opts.move:
            _catch_up(session, store, account_id, folder, lanes, report)
        _triage_folder(session, config, account, store, account_id, folder, lanes, triager,
                       parser, report, opts, prog, password)


def _prefix_cache(session: Session) -> str:
    """The namespace prefix, asked once per session (the watch's quick runs skip NAMESPACE)."""
    cached = getattr(session, "_accalmie_prefix", None)
    if cached is None:
        cached = namespace_prefix(session)
        try:
            session._accalmie_prefix = cached  # type: ignore[attr-defined]  # noqa: SLF001
        except AttributeError:
            pass
    return str(cached)


def _catch_up(session: Session, store: Store, account_id: int, folder: str,
              lanes: dict[Lane, str], report: TriageReport) -> None:
    """Move what an earlier sync (``move=False``) decided but left in the folder.

    Rows the user put back in the inbox are marked (reason ``user_kept``) and stay.
    """
    rows = [r for r in rows_in_folder(store, account_id, folder)
            if r.uid is not None and not r.kept]
    if not rows:
        return
    info = select(session, folder)
    prefix = f"imap:{folder}:{info.uidvalidity}:"
    actions = []
    for r in rows:
        try:
            lane = Lane(r.lane)
        except ValueError:
            continue
        dest = lanes.get(lane, folder)
        if dest == folder or not r.key.startswith(prefix):
            continue
        actions.append(move_action(folder, info.uidvalidity, int(r.uid or 0), dest, row_id=r.id,
                                   lane=lane.value, message_id=r.message_id,
                                   sha256=r.raw_sha256, size=0))
    if not actions:
        return
    store.journal_add(account_id, actions)
    _run_moves(session, store, account_id, actions, folder, report)


# -- lane folders: what the user moved there ---------------------------------------------------


def _match(rows: list[RowRef], digest: str, folder: str) -> RowRef | None:
    exact = [r for r in rows if r.raw_sha256 == digest]
    pool = exact or rows
    others = [r for r in pool if r.folder != folder]
    return (others or pool or [None])[0]


def _scan_lane_folder(session: Session, store: Store, account_id: int, folder: str, lane: Lane,
                      triager: TriagerLike, parser: ParserLike, report: TriageReport,
                      dry_run: bool, prog: Progress) -> None:
    """Record what arrived in a lane folder since the last run.

    Our own moves are known rows (recorded here, or recorded late after a kill); a known
    message decided for another lane is a user correction; an unknown message filed here by the
    user teaches the lane too (not on the first scan, which only records the folder's state).
    """
    prev = store.folder_state(account_id, folder)
    try:
        info = select(session, folder, readonly=True)
    except ImapError as exc:
        if exc.kind == ImapErrorKind.FOLDER:
            return  # not there (a dry run or a sync does not create it): nothing to learn
        raise
    first = prev is None
    reset = prev is not None and prev.uidvalidity != info.uidvalidity
    if not first and not reset and prev.uidnext >= info.uidnext:
        if prev.highestmodseq != info.highestmodseq and not dry_run:
            store.set_folder_state(account_id, folder, info.uidvalidity, prev.uidnext,
                                   info.highestmodseq)
        return
    if first:  # what is there already was not filed by us, nor moved since: just note it
        if not dry_run:
            store.set_folder_state(account_id, folder, info.uidvalidity, info.uidnext,
                                   info.highestmodseq)
        return
    start = 1 if reset else prev.uidnext
    uids = search_uids(session, start) if info.exists else []
    known = set() if reset else set(store.uids_in_folder(account_id, folder))
    unknown = [u for u in uids if u not in known]
    prog("corrections", 0, len(unknown))
    done = 0
    corrected: dict[int, str] | None = None
    for i in range(0, len(unknown), 100):
        chunk = unknown[i:i + 100]
        resp = session.client.fetch(chunk, ["BODY.PEEK[]"])
        fetched = [(uid, bytes(resp[uid][b"BODY[]"])) for uid in chunk
                   if uid in resp and resp[uid].get(b"BODY[]") is not None]
        msgs = parser.parse([raw for _uid, raw in fetched])
        rows = locate(store, account_id, [m.message_id for m in msgs])
        no_id = [sha256(raw) for (_uid, raw), m in zip(fetched, msgs, strict=True)
                 if not m.message_id]
        by_sha = locate_sha(store, account_id, no_id) if no_id else {}
        moves: list[Relocation] = []
        new_items: list[StoredItem] = []
        for (uid, raw), msg in zip(fetched, msgs, strict=True):
            digest = sha256(raw)
            key = location_key(folder, info.uidvalidity, uid)
            row = _match(rows.get(msg.message_id, []) if msg.message_id
                         else by_sha.get(digest, []), digest, folder)
            if row is not None:
                if row.lane != lane.value:
                    report.corrections += 1
                    if dry_run:
                        continue
                    if corrected is None:
                        corrected = {c.message_row_id: c.new_lane
                                     for c in store.corrections(account_id)
                                     if c.message_row_id is not None}
                    if corrected.get(row.id) != lane.value:  # not already recorded
                        store.add_correction(account_id, row.id, msg.message_id, row.lane,
                                             lane.value, "imap-move")
                        corrected[row.id] = lane.value
                    triager.learn(msg, lane)
                    old = store.get_message(row.id)
                    store.set_decision(row.id, user_move_decision(
                        lane, folder, old.decision if old else None))
                if not dry_run:
                    moves.append(Relocation(row.id, folder, uid, key))
            elif not dry_run and not reset:
                # An unknown message the user filed here: it teaches this lane too.
                triager.learn(msg, lane)
                report.learned_new += 1
                new_items.append(StoredItem(key, folder, uid, msg,
                                            user_move_decision(lane, folder, None), digest))
        if not dry_run:
            relocate(store, moves)
            store.save_messages(account_id, new_items)
        done += len(chunk)
        prog("corrections", done, len(unknown))
    if not dry_run:
        store.set_folder_state(account_id, folder, info.uidvalidity,
                               max(info.uidnext, (uids[-1] + 1) if uids else 1),
                               info.highestmodseq)


# -- the inbox ---------------------------------------------------------------------------------


def _triage_folder(session: Session, config: Config, account: Account, store: Store,
                   account_id: int, folder: str, lanes: dict[Lane, str], triager: TriagerLike,
                   parser: ParserLike, report: TriageReport, opts: _Options,
                   prog: Progress, password: str) -> None:
    sync = FolderSync(session, store, account_id, folder, batch_size=account.batch_size,
                      readonly=not opts.move)
    sync.open()
    if sync.unchanged:
        return
    total = len(sync.pending)
    lane_set = {f for f in lanes.values() if f != folder}
    if opts.hold_folder and opts.hold_folder != folder:
        lane_set.add(opts.hold_folder)  # taken out of the hold folder by the user: it stays
    old_rows: dict[str, list[RowRef]] = {}
    if sync.reset:  # renumbered: recognise what we had by content, do not add it twice
        for r in rows_in_folder(store, account_id, folder):
            old_rows.setdefault(r.raw_sha256, []).append(r)
    pulled: deque[Batch] = deque()
    # A second connection fetches ahead while this one stores and moves (big runs only).
    fetcher: Session | None = None
    if total > PREFETCH_MIN:
        try:
            fetcher = open_session(account, password)
            if not sync.fetch_with(fetcher):
                fetcher.close()
                fetcher = None
        except ImapError as exc:
            log.info("no second connection (%s): fetching in turn", exc)
            fetcher = None
    source: Iterator[Batch] = prefetch(sync.batches()) if fetcher else sync.batches()

    def raw_batches() -> Iterator[list[bytes]]:
        for b in source:
            pulled.append(b)
            yield [f.raw for f in b.items]

    done = 0
    prog("triage", 0, total)
    try:
        # Workers parse and decide (with a snapshot of the triager: learning from the user's
        # moves is over by now); this connection stores and moves.
        for pairs in parser.decide_stream(raw_batches(), triager, keep_text=config.keep_bodies):
            batch = pulled.popleft()
            _triage_batch(session, config, store, account_id, folder, lanes, lane_set,
                          batch, pairs, old_rows, sync, report, opts)
            done += len(batch.items)
            prog("triage", done, total)
    finally:
        close_source = getattr(source, "close", None)
        if callable(close_source):
            close_source()  # stops the prefetch thread first
        if fetcher is not None:
            fetcher.close()


def _triage_batch(session: Session, config: Config, store: Store, account_id: int, folder: str,
                  lanes: dict[Lane, str], lane_set: set[str], batch: Batch,
                  pairs: list[tuple[Message, Decision]], old_rows: dict[str, list[RowRef]],
                  sync: FolderSync, report: TriageReport, opts: _Options) -> None:
    dry_run = opts.dry_run
    report.fetched += len(batch.items)
    report.unreadable += len(batch.missing)
    digests = [sha256(f.raw) for f in batch.items]
    known = locate(store, account_id, [m.message_id for m, _d in pairs])
    relocations: list[Relocation] = []
    kept: list[int] = []
    items: list[StoredItem] = []
    moves: list[tuple[int, int, str, str, str, int]] = []  # item index, uid, dest, lane...
    held: list[int] = []  # item indexes of the messages sent to the hold folder
    released: set[int] = set()
    working = opts.working_time
    facts: list[tuple[str, str, Fact | None]] = []
    if opts.hold is not None and not sync.reset:
        # Rows already at these very places may have been released here (a lane that is
        # this folder): they are where they belong, not new mail to hold again.
        here = {location_key(folder, batch.uidvalidity, f.uid) for f in batch.items}
        at_key = [r.id for rows in known.values() for r in rows if r.key in here]
        if at_key:
            released = opts.hold.released_rows(store, account_id, at_key)
    for f, (msg, decision), digest in zip(batch.items, pairs, digests, strict=True):
        if any(flag.lower() == "\\deleted" for flag in f.flags):
            report.skipped_deleted += 1  # the user is deleting it: not ours to file
            continue
        if msg.header("x-accalmie-digest"):
            continue  # our own digest: it stays in the inbox, never held nor sorted
        key = location_key(folder, batch.uidvalidity, f.uid)
        same = [r for r in known.get(msg.message_id, []) if r.raw_sha256 == digest]
        if sync.reset:
            olds = old_rows.get(digest)
            if olds:
                old = olds.pop(0)
                if old.key != key:
                    relocations.append(Relocation(old.id, folder, f.uid, key))
                if old.kept:  # the user wanted it here: it stays
                    continue
        elif any(r.key == key and r.kept for r in same):
            continue  # already seen here, and kept here by the user
        elif any(r.key == key and r.id in released for r in same):
            continue  # released here from the hold folder: in its place already
        elif not any(r.key == key for r in same):
            back = next((r for r in same if r.folder in lane_set), None)
            if back is not None:  # the user put it back in the inbox: leave it there
                report.kept += 1
                relocations.append(Relocation(back.id, folder, f.uid, key))
                kept.append(back.id)
                continue
        lane = Lane(decision.lane)
        report.lanes[lane.value] += 1
        dest = lanes.get(lane, folder)
        if (opts.hold is not None and opts.hold_folder and not dry_run and opts.move
                and opts.hold.should_hold(msg, decision)):
            dest = opts.hold_folder  # even for a lane that is the inbox: no notification
            held.append(len(items))
        items.append(StoredItem(key, folder, f.uid, msg, decision, digest,
                                body=msg.text if config.keep_bodies else None,
                                excerpt_chars=config.excerpt_chars))
        if working is not None:  # when the server received it, else the sender's Date
            facts.append((msg.message_id, digest,
                          after_hours_fact(f.internaldate or msg.date, working, "in")))
        if dry_run:
            if len(report.planned) < MAX_PLANNED:
                report.planned.append(PlannedMove(
                    folder, f.uid, dest, decision, msg.subject,
                    msg.from_.email if msg.from_ else ""))
            continue
        if dest != folder:
            moves.append((len(items) - 1, f.uid, dest, lane.value, msg.message_id,
                          len(f.raw)))
    if dry_run:
        return
    for row_id in kept:  # marked before it is relocated: a kill in between changes nothing
        old = store.get_message(row_id)
        if old is not None and not any(r.code == KEPT_CODE for r in old.decision.reasons):
            store.set_decision(row_id, kept_decision(old.decision, folder))
    relocate(store, relocations)
    ids = store.save_messages(account_id, items)
    if facts:
        record_messages(store, account_id, facts)
    if held and opts.hold is not None:
        # Recorded before the move is journaled: a release always knows what it must bring
        # back, whatever instant a kill comes at.
        opts.hold.record(store, account_id, [ids[i] for i in held])
        report.held += len(held)
    actions = [move_action(folder, batch.uidvalidity, uid, dest, row_id=ids[idx], lane=lane,
                           message_id=mid, sha256=items[idx].raw_sha256, size=size)
               for idx, uid, dest, lane, mid, size in moves]
    if not opts.move:
        sync.commit(batch)
        return
    store.journal_add(account_id, actions)
    sync.commit(batch)
    if actions:
        _run_moves(session, store, account_id, actions, folder, report)


def _run_moves(session: Session, store: Store, account_id: int, actions: Sequence[NewAction],
               folder: str, report: TriageReport) -> None:
    """Carry out journaled moves out of ``folder`` (already recorded as pending)."""
    entries = journal_entries(store, account_id, [a.key for a in actions])
    res = execute_moves(session, store, account_id, entries, selected=folder)
    report.moved += res.moved
    report.gone += res.gone
    report.failed += res.failed
    report.errors.extend(res.errors)


__all__ = ["HoldLike", "PlannedMove", "TriageReport", "TriagerLike", "triage_imap",
           "triage_session"]
