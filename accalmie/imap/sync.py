"""Incremental IMAP sync of one folder, resumable at any point.

A folder is known by its UIDVALIDITY; while it holds, every UID below the stored UIDNEXT has
already been handled, so a run fetches only the UIDs from there on, in batches (by count and by
bytes), with ``BODY.PEEK[]`` so nothing is marked as read. The stored state advances only when
the caller says a batch is committed (:meth:`FolderSync.commit`), after it has stored what it
needs: a run killed at any instant resumes exactly where its last committed batch ended. A new
UIDVALIDITY means the server renumbered the folder: the folder is read again from the start
(the caller recognises messages it already has by Message-ID and content hash).

The Sent folder is read the same way, headers only, to count the people the user writes to.
"""

from __future__ import annotations

import imaplib
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.header import decode_header, make_header
from email.utils import getaddresses

from imapclient.datetime_util import parse_to_datetime
from imapclient.exceptions import IMAPClientError

from accalmie.i18n import _
from accalmie.imap.connect import ImapError, ImapErrorKind, Session
from accalmie.imap.uids import uid_set
from accalmie.store import Store
from accalmie.store.records import FolderState

log = logging.getLogger(__name__)

MAX_BATCH_BYTES = 32 * 1024 * 1024  # a batch of huge messages is cut short
SIZE_WINDOW = 2000  # UIDs whose sizes are asked in one FETCH
SENT_NAMES = ("sent", "sent messages", "sent items", "sent mail", "éléments envoyés",
              "envoyés", "messages envoyés", "elements envoyes", "envoyes")

Progress = Callable[[str, int, int | None], None]
FULL_ITEMS = ("BODY.PEEK[]", "FLAGS", "INTERNALDATE")
_UID = re.compile(rb"\bUID (\d+)", re.IGNORECASE)
_FLAGS = re.compile(rb"\bFLAGS \(([^)]*)\)", re.IGNORECASE)
_DATE = re.compile(rb'\bINTERNALDATE "([^"]+)"', re.IGNORECASE)
_BODY = re.compile(rb"\bBODY\[\] \{\d+\}\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Fetched:
    """One message as the server holds it: raw bytes untouched."""

    uid: int
    raw: bytes
    flags: tuple[str, ...] = ()
    internaldate: datetime | None = None


@dataclass(frozen=True, slots=True)
class FolderInfo:
    """What SELECT/EXAMINE said about a folder."""

    name: str
    uidvalidity: int
    uidnext: int
    exists: int
    highestmodseq: int | None = None


@dataclass
class Batch:
    """Fetched messages of one folder; commit it to advance the folder's stored state."""

    folder: str
    uidvalidity: int
    items: list[Fetched]
    next_uid: int  # the stored UIDNEXT once this batch is committed
    last: bool = False
    highestmodseq: int | None = None  # given on the last batch only
    missing: list[int] = field(default_factory=list)  # UIDs the server could not give

    @property
    def uids(self) -> list[int]:
        return [f.uid for f in self.items]


def _flag_text(flag: object) -> str:
    return flag.decode("utf-8", "replace") if isinstance(flag, bytes) else str(flag)


def select(session: Session, folder: str, *, readonly: bool = False) -> FolderInfo:
    """SELECT (or EXAMINE) a folder and read its UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ."""
    try:
        resp = session.client.select_folder(folder, readonly=readonly)
    except imaplib.IMAP4.abort:
        raise
    except (imaplib.IMAP4.error, IMAPClientError) as exc:
        raise ImapError(_("The folder {folder} cannot be opened on the server ({error}).")
                        .format(folder=folder, error=str(exc)[:200]),
                        ImapErrorKind.FOLDER) from None
    uidvalidity = int(resp.get(b"UIDVALIDITY", 0) or 0)
    uidnext = int(resp.get(b"UIDNEXT", 0) or 0)
    exists = int(resp.get(b"EXISTS", 0) or 0)
    modseq = resp.get(b"HIGHESTMODSEQ")
    if not uidnext:  # a server that omits UIDNEXT: ask STATUS, else derive it
        try:
            status = session.client.folder_status(folder, [b"UIDNEXT"])
            uidnext = int(status.get(b"UIDNEXT", 0) or 0)
        except (imaplib.IMAP4.error, IMAPClientError):
            uidnext = 0
    return FolderInfo(folder, uidvalidity, uidnext, exists,
                      int(modseq) if modseq is not None else None)


def search_uids(session: Session, start: int) -> list[int]:
    """Existing UIDs >= start, ascending (``start:*`` always names the last one too)."""
    uids = session.client.search(["UID", f"{max(start, 1)}:*"])
    return sorted(u for u in uids if u >= start)


class FolderSync:
    """Plan and run the incremental sync of one folder.

    Usage::

        sync = FolderSync(session, store, account_id, "INBOX")
        info = sync.open()
        for batch in sync.batches():
            ...store what the batch means...
            sync.commit(batch)
    """

    def __init__(self, session: Session, store: Store | None, account_id: int, folder: str, *,
                 batch_size: int = 200, readonly: bool = False,
                 max_batch_bytes: int = MAX_BATCH_BYTES,
                 items: Sequence[str] = ("BODY.PEEK[]", "FLAGS", "INTERNALDATE"),
                 state: FolderState | None = None, state_name: str | None = None) -> None:
        self.session = session
        self.store = store
        self.account_id = account_id
        self.folder = folder
        self.state_name = state_name or folder
        self.batch_size = max(1, int(batch_size))
        self.readonly = readonly
        self.max_batch_bytes = max_batch_bytes
        self.items = list(items)
        self._given_state = state
        self.previous: FolderState | None = None
        self.info: FolderInfo | None = None
        self.reset = False  # UIDVALIDITY changed since the stored state
        self._fetcher: Session | None = None
        self.start = 1
        self.pending: list[int] = []

    def open(self) -> FolderInfo:
        """Select the folder and work out which UIDs are new."""
        if self._given_state is not None:
            self.previous = self._given_state
        elif self.store is not None:
            self.previous = self.store.folder_state(self.account_id, self.state_name)
        self.info = info = select(self.session, self.folder, readonly=self.readonly)
        prev = self.previous
        if prev is not None and prev.uidvalidity == info.uidvalidity:
            self.start = max(1, prev.uidnext)
        else:
            self.reset = prev is not None
            self.start = 1
            if self.reset:
                log.info("UIDVALIDITY of %s changed (%s -> %s): reading it again",
                         self.folder, prev.uidvalidity if prev else None, info.uidvalidity)
        if info.exists == 0 or (info.uidnext and self.start >= info.uidnext):
            self.pending = []
        else:
            self.pending = search_uids(self.session, self.start)
        return info

    def fetch_with(self, other: Session) -> bool:
        """Fetch through a second connection (so fetching overlaps the rest of the work).

        The folder is EXAMINEd there; False (and nothing changes) if it shows another
        UIDVALIDITY than the main connection saw.
        """
        assert self.info is not None
        info = select(other, self.folder, readonly=True)
        if info.uidvalidity != self.info.uidvalidity:
            return False
        self._fetcher = other
        return True

    @property
    def _client(self):  # type: ignore[no-untyped-def]
        return (self._fetcher or self.session).client

    @property
    def unchanged(self) -> bool:
        """Nothing new and nothing to record: the stored state already says it all."""
        prev, info = self.previous, self.info
        return (prev is not None and info is not None and not self.reset
                and prev.uidvalidity == info.uidvalidity and prev.uidnext == info.uidnext
                and not self.pending
                and (info.highestmodseq is None or prev.highestmodseq == info.highestmodseq))

    def _final_uidnext(self) -> int:
        assert self.info is not None
        highest = self.pending[-1] + 1 if self.pending else self.start
        return max(self.info.uidnext, highest, self.start)

    def _sizes(self, uids: Sequence[int]) -> dict[int, int]:
        resp = self._client.fetch(list(uids), ["RFC822.SIZE"])
        return {uid: int(data.get(b"RFC822.SIZE", 0) or 0) for uid, data in resp.items()}

    def _plan(self) -> Iterator[list[int]]:
        """Groups of UIDs: at most batch_size messages and about max_batch_bytes each."""
        for w in range(0, len(self.pending), SIZE_WINDOW):
            window = self.pending[w:w + SIZE_WINDOW]
            sizes = self._sizes(window) if len(window) > 1 else {}
            group: list[int] = []
            total = 0
            for uid in window:
                size = sizes.get(uid, 0)
                if group and (len(group) >= self.batch_size
                              or total + size > self.max_batch_bytes):
                    yield group
                    group, total = [], 0
                group.append(uid)
                total += size
            if group:
                yield group

    def _fetch(self, uids: list[int]) -> tuple[list[Fetched], list[int]]:
        try:
            if tuple(self.items) == FULL_ITEMS:
                got = self._fetch_full(uids)
                rest = [u for u in uids if u not in got]
                if rest:  # anything the fast reader did not understand: the careful one
                    more, missing = self._fetch_items(rest)
                    got.update({f.uid: f for f in more})
                    return [got[u] for u in uids if u in got], missing
                return [got[u] for u in uids], []
            return self._fetch_items(uids)
        except imaplib.IMAP4.abort:
            raise
        except (imaplib.IMAP4.error, IMAPClientError) as exc:
            if len(uids) == 1:
                log.warning("cannot fetch UID %s of %s: %s", uids[0], self.folder, exc)
                return [], uids
            # One unreadable message must not block the others: fetch them one by one.
            out: list[Fetched] = []
            bad: list[int] = []
            for uid in uids:
                got_one, missing_one = self._fetch([uid])
                out.extend(got_one)
                bad.extend(missing_one)
            return out, bad

    def _fetch_full(self, uids: list[int]) -> dict[int, Fetched]:
        """Whole messages through imaplib directly: the literal is taken as read, and only
        the short prefix is parsed (imapclient's generic parser costs more than the IMAP
        exchange itself)."""
        imap = self._client._imap  # noqa: SLF001
        typ, data = imap.uid("FETCH", uid_set(uids), "(UID FLAGS INTERNALDATE BODY.PEEK[])")
        if typ != "OK":
            raise IMAPClientError(f"FETCH failed: {data!r}"[:300])
        wanted = set(uids)
        out: dict[int, Fetched] = {}
        i = 0
        while i < len(data):
            item = data[i]
            i += 1
            if not isinstance(item, tuple) or len(item) != 2:
                continue
            head, literal = item
            if not _BODY.search(head):
                continue
            tail = b""
            if i < len(data) and isinstance(data[i], bytes):
                tail = data[i]
                i += 1
            meta = head + b" " + tail
            m = _UID.search(meta)
            if m is None:
                continue
            uid = int(m.group(1))
            if uid not in wanted:
                continue
            fm = _FLAGS.search(meta)
            flags = tuple(f.decode("utf-8", "replace") for f in fm.group(1).split()) if fm \
                else ()
            dm = _DATE.search(meta)
            when = None
            if dm:
                try:
                    when = parse_to_datetime(dm.group(1))
                except (ValueError, TypeError):
                    when = None
            out[uid] = Fetched(uid, bytes(literal), flags, when)
        return out

    def _fetch_items(self, uids: list[int]) -> tuple[list[Fetched], list[int]]:
        resp = self._client.fetch(uids, self.items)
        out = []
        missing = []
        for uid in uids:
            data = resp.get(uid)
            if data is None:
                continue  # expunged meanwhile: nothing to do
            raw = data.get(b"BODY[]")
            if raw is None and b"RFC822" in data:
                raw = data[b"RFC822"]
            if raw is None:
                heads = [v for k, v in data.items() if k.startswith(b"BODY[HEADER")]
                if not heads:
                    missing.append(uid)
                    continue
                raw = heads[0]
            if isinstance(raw, str):
                raw = raw.encode("utf-8", "surrogateescape")
            flags = tuple(_flag_text(f) for f in data.get(b"FLAGS", ()))
            when = data.get(b"INTERNALDATE")
            out.append(Fetched(uid, bytes(raw), flags, when if isinstance(when, datetime)
                               else None))
        return out, missing

    def batches(self) -> Iterator[Batch]:
        """Fetch the new messages batch by batch; the last batch may be empty.

        Yields at least one batch (possibly empty) whenever the state has something to record,
        so that committing the last batch stores the final UIDNEXT and HIGHESTMODSEQ.
        """
        if self.info is None:
            self.open()
        assert self.info is not None
        final = self._final_uidnext()
        groups = self._plan()  # lazy: sizes are asked window by window
        group = next(groups, None)
        if group is None:
            if not self.unchanged:
                yield Batch(self.folder, self.info.uidvalidity, [], final, True,
                            self.info.highestmodseq)
            return
        while group is not None:
            following = next(groups, None)
            items, missing = self._fetch(group)
            last = following is None
            yield Batch(self.folder, self.info.uidvalidity, items,
                        final if last else group[-1] + 1, last,
                        self.info.highestmodseq if last else None, missing)
            group = following

    def commit(self, batch: Batch) -> None:
        """Record that everything up to this batch is handled (call after storing it)."""
        if self.store is None:
            return
        self.store.set_folder_state(self.account_id, self.state_name, batch.uidvalidity,
                                    batch.next_uid, batch.highestmodseq if batch.last else None)


def prefetch(items: Iterable[Batch], depth: int = 2) -> Iterator[Batch]:
    """Run ``items`` (a batch generator on its own connection) in a thread, ``depth`` ahead.

    Errors in the thread are raised here, in order; stopping early stops the thread at its
    next batch.
    """
    q: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(kind: str, value: object) -> bool:
        while not stop.is_set():
            try:
                q.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put("item", item):
                    return
            put("end", None)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            put("error", exc)

    thread = threading.Thread(target=run, name="imap-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "item":
                yield value  # type: ignore[misc]
            elif kind == "end":
                return
            else:
                raise value  # type: ignore[misc]
    finally:
        stop.set()
        thread.join(timeout=30)


# -- Sent folder -----------------------------------------------------------------------------


def find_sent_folder(session: Session, configured: str = "") -> str | None:
    """The Sent folder: as configured, else SPECIAL-USE \\Sent, else a usual name."""
    rows = session.client.list_folders()
    names = {name for _f, _d, name in rows}
    if configured:
        return configured if configured in names else None
    for flags, _delim, name in rows:
        if any(_flag_text(f).lower() == "\\sent" for f in flags):
            return name
    sep = session.separator
    by_leaf: dict[str, str] = {}
    for _flags, _delim, name in rows:
        leaf = name.rsplit(sep, 1)[-1].strip().lower() if sep else name.lower()
        by_leaf.setdefault(leaf, name)
    for candidate in SENT_NAMES:
        if candidate in by_leaf:
            return by_leaf[candidate]
    return None


def _decode(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - a broken encoded word: keep the raw text
        return value


def recipients_of(header_block: bytes) -> tuple[list[str], str]:
    """Lowercased recipient addresses (To, Cc, Bcc) and the Message-ID of a header block."""
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    msg = BytesHeaderParser(policy=compat32).parsebytes(header_block)
    values: list[str] = []
    for name in ("to", "cc", "bcc"):
        for v in msg.get_all(name) or []:
            values.append(_decode(str(v)))
    addrs = []
    for _name, addr in getaddresses(values):
        addr = addr.strip().lower()
        if "@" in addr and len(addr) <= 320:
            addrs.append(addr)
    mid = str(msg.get("message-id", "") or "").strip()
    return addrs, mid


@dataclass
class SentResult:
    folder: str | None = None
    messages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    message_ids: list[str] = field(default_factory=list)


def sync_sent(session: Session, store: Store | None, account_id: int, *,
              own_addresses: frozenset[str] = frozenset(), configured: str = "",
              batch_size: int = 500, progress: Progress | None = None,
              on_counts: Callable[[dict[str, int]], None] | None = None,
              on_sent: Callable[[list[tuple[str, datetime | None]]], None] | None = None,
              commit: bool = True) -> SentResult:
    """Count, incrementally, the people the user writes to; store them as contacts.

    Only the address headers (and the date the server filed each message) are fetched. Counts
    go to ``Store.bump_contacts`` batch by batch, each followed by the folder state (a crash
    between the two can count one batch twice, never lose one); ``on_sent`` gets each batch's
    (Message-ID, date) pairs before that commit (the after-hours facts of sent mail).
    """
    result = SentResult()
    folder = find_sent_folder(session, configured)
    result.folder = folder
    if folder is None:
        return result
    sync = FolderSync(session, store, account_id, folder, batch_size=batch_size, readonly=True,
                      items=("BODY.PEEK[HEADER.FIELDS (TO CC BCC MESSAGE-ID)]", "INTERNALDATE"))
    sync.open()
    total = len(sync.pending)
    done = 0
    for batch in sync.batches():
        counts: dict[str, int] = {}
        sent_at: list[tuple[str, datetime | None]] = []
        for item in batch.items:
            addrs, mid = recipients_of(item.raw)
            for a in set(addrs):
                if a not in own_addresses:
                    counts[a] = counts.get(a, 0) + 1
            if mid:
                result.message_ids.append(mid)
            sent_at.append((mid, item.internaldate))
        result.messages += len(batch.items)
        for k, v in counts.items():
            result.counts[k] = result.counts.get(k, 0) + v
        if commit and store is not None:
            store.bump_contacts(account_id, counts)
            if on_sent is not None:  # before the commit: a rerun sees the batch again
                on_sent(sent_at)
            sync.commit(batch)
        if on_counts is not None and counts:
            on_counts(counts)
        done += len(batch.items)
        if progress is not None:
            progress("sent", done, total)
    return result
