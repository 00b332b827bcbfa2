"""One pass of the send-later outbox (see :mod:`accalmie.disconnect.outbox` for the rules).

Order of a pass: resume what an interrupted pass left (``sending``, ``sent``), read the queue
folder (new messages queued, messages the user took out cancelled), send what is due, file
what was sent. Each transition is a compare-and-set in the store, so a second process running
at the same time never sends a message the first one claimed.
"""

from __future__ import annotations

import imaplib
import json
import logging
import os
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from imapclient.exceptions import IMAPClientError

from accalmie.config import Account, Config
from accalmie.disconnect.outbox import (
    HoursFor,
    OutboxReport,
    SendLaterSettings,
    StepHook,
    backoff,
    describe_problem,
    enqueue,
    queue_folder_name,
    recipient_accounts,
    schedule,
    sha256,
)
from accalmie.disconnect.outbox_mime import footer_text, prepare, strip_bcc
from accalmie.disconnect.smtp import SmtpError, SmtpErrorKind, send, smtp_settings, wire_bytes
from accalmie.imap.connect import ImapError, ImapErrorKind, Session, imap_errors, open_session
from accalmie.store import Store
from accalmie.store.outbox import OutboxItem, outbox_list, outbox_next_due, outbox_update

if TYPE_CHECKING:
    from accalmie.disconnect.clock import Clock

log = logging.getLogger(__name__)

FETCH_CHUNK = 20
LEASE = timedelta(minutes=30)  # a claim older than this is taken over, whoever made it
MAX_FETCH = 60 * 1024 * 1024


def owner_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claimed_elsewhere(claimed_by: str, claimed_at: datetime | None, now: datetime) -> bool:
    """Another live process holds this claim (on this machine: its PID is alive; elsewhere:
    the claim is younger than the lease)."""
    if not claimed_by or (claimed_at is not None and now - claimed_at > LEASE):
        return False
    host, _sep, pid = claimed_by.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        number = int(pid)
    except ValueError:
        return False
    if number == os.getpid():
        return False
    try:
        os.kill(number, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutboxRun:
    def __init__(self, config: Config, account: Account, store: Store, clock: Clock,
                 settings: SendLaterSettings, *, hours: HoursFor,
                 on_step: StepHook | None = None) -> None:
        self.config = config
        self.account = account
        self.store = store
        self.clock = clock
        self.settings = settings
        self.hours = hours
        self.on_step = on_step
        self.smtp = smtp_settings(config, account)
        self.account_id = store.account_id(account.name)
        self.report = OutboxReport()
        self.owner = owner_token()
        self.lang = config.language
        self.session: Session | None = None
        self.folder = ""
        self._sent_folder: str | None = None

    def step(self, name: str, item_id: int) -> None:
        if self.on_step is not None:
            self.on_step(name, item_id)

    # -- the pass ---------------------------------------------------------------------------

    def run(self, *, session: Session | None = None, password: str | None = None
            ) -> OutboxReport:
        own = session is None and bool(self.account.host)
        if own:
            session = open_session(self.account, password if password is not None
                                   else self.account.password())
        self.session = session
        try:
            if session is not None:
                from accalmie.imap.actions import ensure_folders, namespace_prefix

                with imap_errors(self.account):
                    self.folder = queue_folder_name(self.config, self.settings,
                                                    session.separator,
                                                    namespace_prefix(session))
                    ensure_folders(session, [self.folder])
            self.recover()
            if session is not None:
                with imap_errors(self.account):
                    self.scan()
            for item in outbox_list(self.store, self.account_id, ("pending",)):
                self.maybe_send(item)
            for item in outbox_list(self.store, self.account_id, ("sent",)):
                self.file(item)
        finally:
            if own and session is not None:
                session.close()
        self.report.next_due = outbox_next_due(self.store, self.account_id)
        for item in outbox_list(self.store, self.account_id, ("failed", "invalid",
                                                              "uncertain"), limit=20):
            self.report.problems.append(f"{item.subject or item.message_id}: "
                                        f"{describe_problem(item, self.lang)}")
        return self.report

    # -- recovery ---------------------------------------------------------------------------

    def _claimed_elsewhere(self, item: OutboxItem, now: datetime) -> bool:
        return claimed_elsewhere(item.claimed_by, item.claimed_at, now)

    def recover(self) -> None:
        for item in outbox_list(self.store, self.account_id, ("sending",)):
            now = self.clock.now()
            if self._claimed_elsewhere(item, now):
                continue
            if item.phase != "data":
                # Stopped before the content was handed over: nothing left; send again.
                if outbox_update(self.store, item.id, now, expect=("sending",),
                                 state="pending", phase="", claimed_by=""):
                    self.report.recovered += 1
                continue
            if self.session is not None and self._in_sent(item.message_id):
                if outbox_update(self.store, item.id, now, expect=("sending",), state="sent",
                                 phase="", appended=True, sent_at=item.claimed_at or now,
                                 notes=[*item.notes, "found_in_sent"]):
                    self.report.recovered += 1
                continue
            if outbox_update(self.store, item.id, now, expect=("sending",), state="uncertain",
                             phase="", error_code="uncertain", error=""):
                self.report.uncertain += 1

    # -- the queue folder -------------------------------------------------------------------

    def scan(self) -> None:
        from accalmie.imap.sync import select

        session = self.session
        assert session is not None
        info = select(session, self.folder, readonly=True)
        uids = sorted(session.client.search(["ALL"])) if info.exists else []
        present = set(uids)
        items = [i for i in outbox_list(self.store, self.account_id, folder=self.folder)
                 if i.origin == "imap"]
        known = {(i.uidvalidity, i.uid) for i in items}
        orphans = {i.raw_sha256: i for i in items if i.uidvalidity != info.uidvalidity
                   and i.state in ("pending", "failed", "invalid", "uncertain")}
        new = [u for u in uids if (info.uidvalidity, u) not in known]
        attached: set[int] = set()
        for uid, raw in self._fetch(new):
            key = f"imap:{self.folder}:{info.uidvalidity}:{uid}"
            if raw is None:  # too big to fetch: recorded as such, left in the folder
                self._invalid_big(key, info.uidvalidity, uid)
                continue
            orphan = orphans.pop(sha256(raw), None)
            if orphan is not None:  # the server renumbered the folder: same message
                outbox_update(self.store, orphan.id, self.clock.now(), key=key,
                              uidvalidity=info.uidvalidity, uid=uid)
                attached.add(orphan.id)
                continue
            item, problem = enqueue(self.config, self.account, self.store, self.clock, raw,
                                    key=key, origin="imap", folder=self.folder,
                                    uidvalidity=info.uidvalidity, uid=uid, hours=self.hours)
            if item is None:
                continue
            if problem is None:
                self.report.queued += 1
            else:
                self.report.invalid += 1
        now = self.clock.now()
        for item in items:
            if item.id in attached or item.state not in ("pending", "failed", "invalid",
                                                         "uncertain"):
                continue
            if item.uidvalidity == info.uidvalidity and item.uid in present:
                continue
            # The user took it out of the queue folder before it left: cancelled.
            if outbox_update(self.store, item.id, now, expect=(item.state,),
                             state="cancelled", raw=None, prepared=None,
                             error_code="removed", error=""):
                self.report.cancelled += 1

    def _fetch(self, uids: list[int]) -> Iterator[tuple[int, bytes | None]]:
        """(uid, raw bytes or None when too big), a few at a time."""
        session = self.session
        assert session is not None
        for i in range(0, len(uids), FETCH_CHUNK):
            chunk = uids[i:i + FETCH_CHUNK]
            sizes = session.client.fetch(chunk, ["RFC822.SIZE"])
            small = [u for u in chunk if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0))
                     <= MAX_FETCH]
            bodies = session.client.fetch(small, ["BODY.PEEK[]"]) if small else {}
            for uid in chunk:
                if uid not in sizes:
                    continue  # gone meanwhile
                data = bodies.get(uid, {}).get(b"BODY[]") if uid in small else None
                if uid in small and data is None:
                    continue
                yield uid, bytes(data) if data is not None else None

    def _invalid_big(self, key: str, uidvalidity: int, uid: int) -> None:
        from accalmie.store.outbox import outbox_add

        item_id = outbox_add(self.store, self.account_id, key, self.clock.now(), origin="imap",
                             folder=self.folder, uidvalidity=uidvalidity, uid=uid,
                             state="invalid", error_code="too_big",
                             error=json.dumps({"size": str(MAX_FETCH // (1024 * 1024))}))
        if item_id:
            self.report.invalid += 1

    # -- sending ----------------------------------------------------------------------------

    def _when(self, item: OutboxItem, now: datetime) -> tuple[bool, datetime | None]:
        """(send now?, a new time when it must be scheduled again)."""
        due = item.due_at or now
        if due > now or (item.next_try_at is not None and item.next_try_at > now):
            return False, None
        grace = timedelta(minutes=self.settings.late_grace_minutes)
        if now - due <= grace:
            return True, None
        wt = self.hours(self.account)
        if item.next_try_at is not None and wt.is_working(now):
            return True, None  # a retry, while the sender is at work
        # Late (the service was down, or retries ran into the night): never outside working
        # time; the next window, the known recipients' hours included.
        others = [self.hours(a) for a in recipient_accounts(self.config, self.account,
                                                             item.recipients)] \
            if self.settings.recipient_hours else []
        when = schedule(now, wt, others)
        if when - now <= grace:
            return True, None
        return False, when

    def maybe_send(self, item: OutboxItem) -> None:
        now = self.clock.now()
        go, when = self._when(item, now)
        if when is not None:
            outbox_update(self.store, item.id, now, expect=("pending",), due_at=when,
                          next_try_at=None)
            return
        if not go:
            return
        if item.raw is None:  # cannot happen for a pending item; never lose it silently
            outbox_update(self.store, item.id, now, expect=("pending",), state="failed",
                          error_code="", error="the message is no longer stored")
            self.report.failed += 1
            return
        wt = self.hours(self.account)
        footer = ""
        if self.settings.footer:
            footer = footer_text(self.settings.footer_language or self.config.language,
                                 self.settings.footer_text)
        prepared, notes = prepare(item.raw, now.astimezone(wt.tz), footer=footer)
        claimed = outbox_update(
            self.store, item.id, now, expect=("pending",), state="sending", phase="envelope",
            prepared=prepared, claimed_by=self.owner, claimed_at=now,
            first_try_at=item.first_try_at or now, attempts=item.attempts + 1,
            notes=[n for n in item.notes if not n.startswith("footer_")] + notes)
        if not claimed:
            return  # cancelled or taken by another process meanwhile
        self.step("claimed", item.id)

        def on_data() -> None:
            outbox_update(self.store, item.id, self.clock.now(), expect=("sending",),
                          phase="data")
            self.step("data", item.id)

        try:
            answer = send(self.smtp, self.account, self._envelope_sender(item),
                          list(item.recipients), strip_bcc(prepared), on_data=on_data)
        except SmtpError as exc:
            self._failed(item, exc, now)
            return
        self.step("accepted", item.id)
        refused = [f"refused:{addr} {why}" for addr, why in answer.refused.items()]
        done = self.clock.now()
        outbox_update(self.store, item.id, done, expect=("sending",), state="sent", phase="",
                      smtp_answer=answer.line, sent_at=done, error_code="", error="",
                      next_try_at=None,
                      notes=[n for n in item.notes if not n.startswith("footer_")] + notes
                      + refused)
        self.report.sent += 1
        self.step("sent", item.id)

    def _envelope_sender(self, item: OutboxItem) -> str:
        own = self.account.own_addresses
        if item.sender and (not own or item.sender.lower() in own):
            return item.sender
        return self.account.email or item.sender

    def _failed(self, item: OutboxItem, exc: SmtpError, started: datetime) -> None:
        now = self.clock.now()
        if exc.uncertain:
            outbox_update(self.store, item.id, now, expect=("sending",), state="uncertain",
                          phase="", error_code="uncertain", error="")
            self.report.uncertain += 1
            return
        if exc.kind == SmtpErrorKind.PERMANENT:
            outbox_update(self.store, item.id, now, expect=("sending",), state="failed",
                          phase="", error_code="smtp_refused", error=exc.message)
            self.report.failed += 1
            return
        first = item.first_try_at or started
        if now - first >= timedelta(hours=self.settings.give_up_hours):
            outbox_update(self.store, item.id, now, expect=("sending",), state="failed",
                          phase="", error_code="gave_up",
                          error=json.dumps({"hours": f"{self.settings.give_up_hours:g}"}))
            self.report.failed += 1
            return
        outbox_update(self.store, item.id, now, expect=("sending",), state="pending", phase="",
                      claimed_by="", next_try_at=now + backoff(item.attempts + 1),
                      error_code="retrying", error=exc.message)
        self.report.retrying += 1

    # -- filing -----------------------------------------------------------------------------

    def sent_folder(self) -> str:
        if self._sent_folder is None:
            from accalmie.imap.actions import ensure_folders
            from accalmie.imap.sync import find_sent_folder

            session = self.session
            assert session is not None
            found = find_sent_folder(session, self.account.sent_folder)
            if found is None:
                found = self.account.sent_folder or "Sent"
                ensure_folders(session, [found])
            self._sent_folder = found
        return self._sent_folder

    def _in_sent(self, message_id: str) -> bool:
        if not message_id:
            return False
        with imap_errors(self.account):
            return bool(self._find(self.sent_folder(), message_id))

    def _find(self, folder: str, message_id: str) -> list[int]:
        """UIDs of ``folder`` whose Message-ID is exactly ``message_id``."""
        from accalmie.imap.sync import select

        session = self.session
        assert session is not None
        if not message_id or any(ch in message_id for ch in '"\\\r\n'):
            return []
        select(session, folder, readonly=True)
        uids = session.client.search(["HEADER", "Message-ID", message_id])
        if not uids:
            return []
        found = []
        wanted = message_id.strip().lower()
        data = session.client.fetch(list(uids)[:50], ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        for uid, row in data.items():
            block = next((v for k, v in row.items() if k.startswith(b"BODY[HEADER")), b"")
            value = bytes(block or b"").split(b":", 1)[-1]
            if value.decode("utf-8", "replace").strip().lower() == wanted:
                found.append(uid)
        return sorted(found)

    def file(self, item: OutboxItem) -> None:
        """Copy in Sent (once), out of the queue folder, then filed (stored bytes dropped)."""
        now = self.clock.now()
        if self.session is None:
            outbox_update(self.store, item.id, now, expect=("sent",), state="filed",
                          filed_at=now, raw=None, prepared=None,
                          notes=[*item.notes, "no_imap"])
            self.report.filed += 1
            return
        try:
            with imap_errors(self.account):
                if not item.appended:
                    folder = self.sent_folder()
                    if not self._find(folder, item.message_id):
                        data = item.prepared or item.raw or b""
                        self.session.client.append(folder, wire_bytes(data), flags=(b"\\Seen",),
                                                   msg_time=item.sent_at)
                        self.step("appended", item.id)
                    outbox_update(self.store, item.id, self.clock.now(), expect=("sent",),
                                  appended=True)
                if item.origin == "imap" and item.uid is not None:
                    self._remove_from_queue(item)
                    self.step("removed", item.id)
        except ImapError as exc:
            if exc.kind != ImapErrorKind.FOLDER:
                raise
            log.warning("filing of outbox item %s postponed: %s", item.id, exc)
            return
        if outbox_update(self.store, item.id, self.clock.now(), expect=("sent",), state="filed",
                         filed_at=self.clock.now(), raw=None, prepared=None):
            self.report.filed += 1

    def _remove_from_queue(self, item: OutboxItem) -> None:
        """Flag and expunge exactly the queued copy (its sent copy is in Sent now)."""
        from accalmie.imap.sync import select

        session = self.session
        assert session is not None
        info = select(session, item.folder)
        uids: list[int] = []
        if info.uidvalidity == item.uidvalidity and item.uid is not None:
            uids = [u for u in session.client.search(["UID", str(item.uid)]) if u == item.uid]
        else:  # renumbered: find the same bytes
            for uid, raw in self._fetch(sorted(session.client.search(["ALL"]))):
                if raw is not None and sha256(raw) == item.raw_sha256:
                    uids = [uid]
                    break
            select(session, item.folder)
        if not uids:
            return  # the user moved or deleted it already
        client = session.client
        try:
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            if session.has("UIDPLUS"):
                client.uid_expunge(uids)
            elif set(client.search(["DELETED"])) <= set(uids):
                client.expunge()
        except (imaplib.IMAP4.error, IMAPClientError) as exc:
            log.warning("cannot remove outbox item %s from %s: %s", item.id, item.folder, exc)

