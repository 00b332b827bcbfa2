"""One account of the live watch: a thread that keeps one IMAP session in IDLE.

The loop: connect, run a full pass (pending moves, your moves between lane folders, Sent, the
inbox), then wait in IDLE on the first watched folder. Each ``EXISTS`` triggers a quick pass
(new messages only: incremental by UIDNEXT, with the session, the triager and the store kept
open). IDLE is left and re-issued before ``idle_renew`` (RFC 2177: under 29 minutes), and at
each housekeeping tick: release of held mail when working time has come, the digest and outbox
hooks, and now and then a full pass again. A dead connection (EOF, BYE, a timeout when IDLE is
renewed) ends the session; the thread reconnects after an exponential backoff with jitter.

Everything that can fail is caught here and shown in the health file; nothing stops the thread
but the service's stop event. Logs carry counts and UIDs, never message text or addresses.
"""

from __future__ import annotations

import imaplib
import logging
import os
import random
import select
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from imapclient.imapclient import _parse_untagged_response

from accalmie.config import Account, ConfigError
from accalmie.disconnect.hold import HoldPolicy, load_working_time, release_held
from accalmie.i18n import _
from accalmie.imap.connect import ImapError, ImapErrorKind, Session, imap_errors, open_session
from accalmie.imap.pipeline import TriageReport, triage_session
from accalmie.imap.sync import select as select_folder
from accalmie.store import StoreError
from accalmie.store import hold as held_store

if TYPE_CHECKING:
    from accalmie.disconnect.watch_service import WatchService

log = logging.getLogger("accalmie.disconnect.watch")

WARM_UP = (b"From: Accalmie <warm-up@accalmie.invalid>\r\nTo: you@accalmie.invalid\r\n"
           b"Subject: warm-up\r\nMessage-ID: <warm-up@accalmie.invalid>\r\n"
           b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
           b"Bonjour, pouvez-vous confirmer le rendez-vous de demain ? Merci.\r\n")
CLOCK_JUMP = 5.0  # seconds of difference between the clock and elapsed time that count as a jump
SLICE = 1.0  # longest wait without looking at the stop event


class Backoff:
    """Exponential backoff with "equal jitter": half the delay fixed, half random.

    The jitter spreads the reconnections of many accounts (and many users) after a server
    restart instead of having them all knock at once.
    """

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        self.initial = max(0.001, float(initial))
        self.maximum = max(self.initial, float(maximum))
        self.rng = rng or random.Random()
        self.attempt = 0

    def reset(self) -> None:
        self.attempt = 0

    def next(self) -> float:
        cap = min(self.maximum, self.initial * (2 ** min(self.attempt, 32)))
        self.attempt += 1
        return cap / 2 + self.rng.uniform(0, cap / 2)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat(timespec="seconds") if when is not None else None


class AccountStatus:
    """What the health file says about one account (updated by its thread, read by the
    service's; a lock keeps each snapshot consistent)."""

    COUNTS = ("triaged", "moved", "held", "released", "events", "idle_renewals", "reconnects",
              "errors", "clock_jumps", "full_passes")

    def __init__(self, name: str, now: Callable[[], datetime]) -> None:
        self.name = name
        self._now = now
        self._lock = threading.Lock()
        self.state = "starting"
        self.since = now()
        self.last_event = ""
        self.last_event_at: datetime | None = None
        self.last_error = ""
        self.last_error_at: datetime | None = None
        self.error_kind = ""
        self.held = 0
        self.next_release: datetime | None = None
        self.next_retry: datetime | None = None
        self.counts = dict.fromkeys(self.COUNTS, 0)

    def set_state(self, state: str) -> None:
        with self._lock:
            if state != self.state:
                self.state = state
                self.since = self._now()

    def event(self, what: str) -> None:
        with self._lock:
            self.last_event = what
            self.last_event_at = self._now()

    def error(self, message: str, kind: str = "") -> None:
        with self._lock:
            self.last_error = message[:500]
            self.last_error_at = self._now()
            self.error_kind = kind
            self.counts["errors"] += 1

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, n in counts.items():
                self.counts[key] = self.counts.get(key, 0) + int(n)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"name": self.name, "state": self.state, "since": _iso(self.since),
                    "last_event": self.last_event or None,
                    "last_event_at": _iso(self.last_event_at),
                    "last_error": self.last_error or None,
                    "last_error_at": _iso(self.last_error_at),
                    "error_kind": self.error_kind or None,
                    "held": self.held, "next_release": _iso(self.next_release),
                    "next_retry": _iso(self.next_retry), "counts": dict(self.counts)}


def peer_closed(sock: socket.socket) -> bool:
    """True when the server closed the connection (a peek at the TCP stream reads EOF).

    Peeks at a duplicate of the descriptor with MSG_DONTWAIT, which works under TLS too and
    leaves the socket's own blocking mode alone.
    """
    try:
        fd = os.dup(sock.fileno())
    except OSError:
        return True
    raw = socket.socket(fileno=fd)
    try:
        data = raw.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True
    finally:
        raw.close()
    return data == b""


def read_pending(client: Any) -> list[Any]:
    """Untagged responses already received, without waiting (buffered lines first).

    imapclient's ``idle_check`` polls the socket before reading, so a line that arrived in the
    same packet as an earlier one (``+ idling`` then ``* 5 EXISTS``) waits in imaplib's read
    buffer until the next packet: seconds, or the next renewal. Reading the buffer first
    closes that gap. An empty list may also mean EOF (see :func:`peer_closed`).
    """
    imap = client._imap  # noqa: SLF001 - imapclient keeps the imaplib connection here
    sock = client.socket()
    sock.setblocking(False)
    out: list[Any] = []
    try:
        while True:
            try:
                line = imap._get_line()  # noqa: SLF001
            except OSError:  # nothing more for now (EAGAIN, SSL want-read, timeout)
                break
            except imaplib.IMAP4.abort as exc:
                if "EOF" in str(exc):
                    break
                raise
            out.append(_parse_untagged_response(line))
    finally:
        sock.setblocking(True)
        client._set_read_timeout()  # noqa: SLF001 - back to the account's timeout
    return out


def idle_responses(client: Any, timeout: float) -> tuple[list[Any], bool]:
    """What the server said during IDLE within ``timeout`` seconds; and whether the socket
    became readable (readable with nothing to read is how EOF looks)."""
    got = read_pending(client)
    if got:
        return got, True
    poller = select.poll()
    poller.register(client.socket().fileno(), select.POLLIN)
    if not poller.poll(max(0.0, timeout) * 1000):
        return [], False
    return read_pending(client), True


def _kinds(responses: list[Any]) -> set[bytes]:
    out: set[bytes] = set()
    for r in responses:
        if isinstance(r, tuple) and len(r) >= 2:
            for part in r[:2]:
                if isinstance(part, bytes):
                    out.add(part.upper())
    return out


class AccountWatcher:
    """The thread of one account (see the module doc)."""

    def __init__(self, service: WatchService, account: Account, password: str,
                 rng: random.Random | None = None) -> None:
        self.svc = service
        self.account = account
        self.password = password
        self.settings = service.settings
        self.clock = service.clock
        self.status = AccountStatus(account.name, service.real_now)
        self.backoff = Backoff(self.settings.backoff_initial, self.settings.backoff_max, rng)
        self.session: Session | None = None
        self.triager: Any = None
        self.policy: HoldPolicy | None = None
        self.account_id = 0
        self.failed_permanently = False
        self._parser: Any = None
        self._held = 0
        self._next_tick = 0.0
        self._next_rescan = 0.0
        self._clock_ref = (time.monotonic(), self.clock.now())
        self._beat = time.monotonic()
        self.thread = threading.Thread(target=self.run, name=f"watch-{account.name}",
                                       daemon=True)

    # -- liveness ---------------------------------------------------------------------------

    def beat(self, *_args: object) -> None:
        self._beat = time.monotonic()

    def stalled(self) -> bool:
        """No sign of life for longer than any single network wait may take."""
        limit = 2 * float(self.account.timeout or 60) + self.settings.tick + 60
        return self.thread.is_alive() and time.monotonic() - self._beat > limit

    @property
    def stopping(self) -> bool:
        return self.svc.stop_event.is_set()

    def abort(self) -> None:
        """Unblock a thread stuck on the network (stop grace over): shut its socket down."""
        session = self.session
        if session is None:
            return
        try:
            session.client.socket().shutdown(socket.SHUT_RDWR)
        except (OSError, AttributeError):
            pass

    # -- the thread -------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self._prepare()
        except (ConfigError, StoreError, ImapError) as exc:
            self._fail(str(exc), "config", permanent=True)
            return
        except Exception as exc:  # noqa: BLE001 - never let a thread die silently
            log.error("account %s: cannot start (%s)", self.account.name,
                      exc.__class__.__name__, exc_info=log.isEnabledFor(logging.DEBUG))
            self._fail(_("Unexpected error: {error}").format(error=exc.__class__.__name__),
                       "internal", permanent=True)
            return
        while not self.stopping:
            try:
                self._connect_and_watch()
                if self.svc.once:
                    break
            except ImapError as exc:
                self._fail(exc.message, exc.kind.value,
                           permanent=exc.kind in (ImapErrorKind.CONFIG,))
                if exc.kind == ImapErrorKind.AUTH:
                    self._refresh_password()
            except (StoreError, ConfigError) as exc:
                self._fail(str(exc), "store" if isinstance(exc, StoreError) else "config")
            except Exception as exc:  # noqa: BLE001 - logged without message content
                log.error("account %s: unexpected %s", self.account.name,
                          exc.__class__.__name__, exc_info=log.isEnabledFor(logging.DEBUG))
                self._fail(_("Unexpected error: {error}").format(
                    error=exc.__class__.__name__), "internal")
            finally:
                self._close()
            if self.svc.once or self.stopping or self.failed_permanently:
                break
            delay = self.backoff.next()
            self.status.next_retry = self.svc.real_now() + timedelta(seconds=delay)
            self.status.set_state("reconnecting")
            log.info("account %s: reconnecting in %.1f s", self.account.name, delay)
            self._sleep(delay)
        if self.status.state not in ("error",):
            self.status.set_state("stopped")

    def _fail(self, message: str, kind: str, permanent: bool = False) -> None:
        log.warning("account %s: %s", self.account.name, message)
        self.status.error(message, kind)
        if permanent:
            self.failed_permanently = True
            self.status.set_state("error")

    def _refresh_password(self) -> None:
        """After a refused login, ask again (a password command or the keyring may have a
        new one); the backoff keeps the attempts rare."""
        try:
            self.password = self.account.password()
        except ConfigError:
            pass

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + max(0.0, seconds)
        while not self.stopping:
            left = end - time.monotonic()
            if left <= 0:
                return
            self.beat()
            self.svc.stop_event.wait(min(SLICE, left))

    def _prepare(self) -> None:
        from accalmie.pipeline import Parser

        store = self.svc.store
        self.account_id = store.account_id(self.account.name)
        if self.svc.triager_factory is not None:
            self.triager = self.svc.triager_factory(self.account)
        else:
            from accalmie.service import load_triager

            self.triager, _id = load_triager(self.svc.config, self.account, store)
        working = (self.svc.working(self.account) if self.svc.working is not None
                   else load_working_time(self.svc.config, self.account))
        self.policy = HoldPolicy(self.settings, working, clock=self.clock)
        # In-process parsing: one message at a time needs no process pool (and no memory).
        self._parser = Parser(workers=1)
        self._warm_up()
        self._held = held_store.held_summary(store, self.account_id)[0]
        self.status.held = self._held

    def _warm_up(self) -> None:
        """Decide one made-up message now, so that models the triager loads on first use
        (seconds) are loaded before the first real message arrives, not after."""
        from accalmie.mail.parse import parse_message

        try:
            self.triager.decide(parse_message(WARM_UP))
        except Exception as exc:  # noqa: BLE001 - a warm-up failure is not an error
            log.debug("account %s: warm-up failed (%s)", self.account.name,
                      exc.__class__.__name__)

    def _close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.close()

    def _connect_and_watch(self) -> None:
        self.status.set_state("connecting")
        self.session = session = open_session(self.account, self.password)
        if self.status.counts["full_passes"]:
            self.status.add(reconnects=1)
        self.status.event("connected")
        log.info("account %s: connected", self.account.name)
        with imap_errors(self.account):
            self._full_pass()
            self.backoff.reset()
            self._tick(force=True)
            if self.svc.once:
                return
            folder = self.account.folders[0] if self.account.folders else "INBOX"
            idle = session.has("IDLE")
            while not self.stopping:
                if self._tick_due():
                    self._tick()
                if time.monotonic() >= self._next_rescan:
                    self._full_pass()
                if self.stopping:
                    break
                if self._wait(folder, idle):
                    self._quick_pass()

    # -- passes -----------------------------------------------------------------------------

    def _hold(self) -> HoldPolicy | None:
        return self.policy if self.policy is not None and self.policy.enabled else None

    def _save_learner(self) -> None:
        if getattr(self.triager, "learner", None) is not None:
            from accalmie.service import save_learner

            save_learner(self.svc.store, self.account_id, self.triager)

    def _full_pass(self) -> None:
        assert self.session is not None
        self.status.set_state("syncing")
        report = triage_session(self.session, self.svc.config, self.account, self.svc.store,
                                self.triager, self._parser, password=self.password,
                                full=True, hold=self._hold(), progress=self.beat,
                                after_learning=self._save_learner)
        self.status.add(full_passes=1)
        self._account(report)
        self._next_rescan = time.monotonic() + self.settings.rescan

    def _quick_pass(self) -> None:
        assert self.session is not None
        self.status.set_state("sorting")
        report = triage_session(self.session, self.svc.config, self.account, self.svc.store,
                                self.triager, self._parser, password=self.password,
                                full=False, hold=self._hold(), progress=self.beat)
        self._account(report)

    def _account(self, report: TriageReport) -> None:
        self.status.add(triaged=report.fetched, moved=report.moved, held=report.held)
        self._held += report.held
        self.status.held = self._held
        if report.held and self.policy is not None:
            self.status.next_release = self.policy.next_start()
        if report.fetched:
            self.status.event("sorted")
            log.info("account %s: %d new, %d moved, %d held (%.0f ms)", self.account.name,
                     report.fetched, report.moved, report.held, report.elapsed * 1000)
        if report.errors:
            self.status.error(report.errors[0], "folder")

    # -- waiting ----------------------------------------------------------------------------

    def _secs_to_tick(self) -> float:
        return max(0.0, self._next_tick - time.monotonic())

    def _tick_due(self) -> bool:
        mono, wall = time.monotonic(), self.clock.now()
        m0, w0 = self._clock_ref
        self._clock_ref = (mono, wall)
        drift = (wall - w0).total_seconds() - (mono - m0)
        if abs(drift) > CLOCK_JUMP:
            log.info("account %s: the clock jumped by %+.0f s", self.account.name, drift)
            self.status.add(clock_jumps=1)
            return True
        return mono >= self._next_tick

    def _wait(self, folder: str, idle: bool) -> bool:
        """Wait for new mail (True) or for the next tick, renewal or stop (False)."""
        assert self.session is not None
        if not idle:
            self.status.set_state("polling")
            self._sleep(min(self.settings.poll, self._secs_to_tick() or self.settings.poll))
            return not self.stopping
        info = select_folder(self.session, folder)
        state = self.svc.store.folder_state(self.account_id, folder)
        if state is None or state.uidvalidity != info.uidvalidity or \
                info.uidnext > state.uidnext:
            return True  # arrived while we were busy: no need to wait
        client = self.session.client
        client.idle()
        self.status.set_state("idle")
        renew_at = time.monotonic() + self.settings.idle_renew
        new = False
        while not self.stopping:
            span = max(0.05, min(SLICE, renew_at - time.monotonic(), self._secs_to_tick()))
            responses, readable = idle_responses(client, span)
            self.beat()
            kinds = _kinds(responses)
            if b"BYE" in kinds or (readable and not responses
                                   and peer_closed(client.socket())):
                # The server went away: the session ends here (no DONE to send).
                raise ImapError(_("The mail server {where} closed the connection.").format(
                    where=f"{self.account.host}:{self.account.port}"), ImapErrorKind.SERVER)
            if kinds & {b"EXISTS", b"RECENT"}:
                new = True
                self.status.add(events=1)
                break
            if time.monotonic() >= renew_at:
                self.status.add(idle_renewals=1)
                break
            if self._tick_due():
                self._next_tick = 0.0  # noticed here, done by the loop
                break
        _text, rest = client.idle_done()
        if _kinds(rest) & {b"EXISTS", b"RECENT"}:
            new = True
        return new

    # -- housekeeping -----------------------------------------------------------------------

    def _tick(self, force: bool = False) -> None:
        self._next_tick = time.monotonic() + self.settings.tick
        store = self.svc.store
        if force:
            self._held = held_store.held_summary(store, self.account_id)[0]
        if self._held and self.policy is not None and self.session is not None and \
                self.policy.release_due(store, self.account_id):
            self.status.set_state("releasing")
            self.status.event("release")
            report = release_held(self.session, self.svc.config, self.account, store,
                                  settings=self.settings, clock=self.clock,
                                  progress=self.beat)
            self.status.add(released=report.moved + report.already)
            if report.errors:
                self.status.error(report.errors[0], "folder")
            self._held = held_store.held_summary(store, self.account_id)[0]
        self.status.held = self._held
        self.status.next_release = (self.policy.next_start() if self._held and self.policy
                                    else None)
        if len(self.account.folders) > 1 and not force:
            self._quick_pass()  # IDLE watches the first folder only: the others are polled
        self.svc.call_hooks(self.account, self.status, session=self.session,
                            password=self.password)
