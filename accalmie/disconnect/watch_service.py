"""The live watch: one process, one thread per account, a health file, a clean stop.

:class:`WatchService` starts an :class:`~accalmie.disconnect.watch_account.AccountWatcher`
thread per account (imapclient is synchronous: a thread per IDLE connection is the simple,
robust choice), then its own thread writes the health file every ``health_interval`` seconds
until :meth:`WatchService.stop` is called (the command line calls it on SIGTERM and SIGINT).
Stopping lets each account finish its current step (what is done is journaled), leaves IDLE
and logs out; after ``stop_grace`` seconds a thread still blocked on the network has its
socket shut down (the journal makes that safe too).

The health file is one JSON object on one line, replaced atomically, that a supervisor (or
``accalmie watch --check``) can read: time, process state, and per account its state, last
event, last error and counts. Under systemd (``NOTIFY_SOCKET``), the service also says READY,
STATUS and STOPPING, and pings the watchdog only while every account thread shows signs of
life, so a hung process is restarted.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import os
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from accalmie.config import Account, Config
from accalmie.disconnect.clock import Clock, SystemClock
from accalmie.disconnect.hold import WorkingTimeLike
from accalmie.disconnect.watch import WatchSettings
from accalmie.disconnect.watch_account import AccountStatus, AccountWatcher
from accalmie.i18n import _
from accalmie.store import Store

log = logging.getLogger("accalmie.disconnect.watch")

HOOKS = (("accalmie.disconnect.digest", "send_due"),
         ("accalmie.disconnect.outbox", "process_due"))
HEALTH_VERSION = 1


def sd_notify(message: str) -> bool:
    """Tell systemd (``Type=notify``) something; False when not run by systemd."""
    address = os.environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
        return True
    except OSError:
        return False


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Ask glibc for few malloc arenas (as ``MALLOC_ARENA_MAX`` would).

    By default glibc gives threads up to eight arenas per core; with a thread per account the
    heap fragments across them and the resident set of a long-running watch drifts upwards
    (about 40 MB more with 20 accounts, measured). Call before the account threads start;
    False where the C library is not glibc.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.mallopt(-8, int(arenas)))  # M_ARENA_MAX
    except (OSError, AttributeError):
        return False


def write_health(path: Path, data: Mapping[str, Any]) -> None:
    """Replace the health file atomically (a reader never sees half a line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".health-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(line)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _keywords(func: Callable[..., Any]) -> frozenset[str]:
    """Keyword arguments a hook accepts (all of ours when it takes ``**kwargs``)."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return frozenset()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return frozenset({"session", "password"})
    return frozenset(p.name for p in params
                     if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))


@dataclass(frozen=True, slots=True)
class HealthCheck:
    ok: bool
    message: str
    data: dict[str, Any] | None = None


def check_health(path: Path, max_age: float, now: datetime | None = None) -> HealthCheck:
    """Read a health file: healthy when recent, running, and no account stuck in error."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        when = datetime.fromisoformat(str(data["time"]))
    except FileNotFoundError:
        return HealthCheck(False, _("No health file at {path}: is the watch running?").format(
            path=path))
    except (OSError, ValueError, KeyError, TypeError):
        return HealthCheck(False, _("The health file {path} cannot be read.").format(path=path))
    age = ((now or SystemClock().now()) - when).total_seconds()
    if data.get("state") != "running":
        return HealthCheck(False, _("The watch is not running (state: {state}).").format(
            state=data.get("state")), data)
    if age > max_age:
        return HealthCheck(False, _("The health file is {age:.0f} s old: the watch seems "
                                    "stuck.").format(age=age), data)
    # An account that cannot log in (password, certificate) needs the user, not time.
    broken = [a["name"] for a in data.get("accounts", []) if a.get("state") == "error"
              or (a.get("state") == "reconnecting"
                  and a.get("error_kind") in ("auth", "tls", "config"))]
    if broken:
        return HealthCheck(False, _("Accounts in error: {names}.").format(
            names=", ".join(broken)), data)
    return HealthCheck(True, _("The watch is running ({n} accounts).").format(
        n=len(data.get("accounts", []))), data)


class WatchService:
    """Watch several accounts until stopped (or once, with ``once=True``)."""

    def __init__(self, config: Config, accounts: Sequence[Account], store: Store, *,
                 passwords: Mapping[str, str], settings: WatchSettings | None = None,
                 clock: Clock | None = None,
                 working: Callable[[Account], WorkingTimeLike | None] | None = None,
                 triager_factory: Callable[[Account], Any] | None = None,
                 health_file: Path | None = None, once: bool = False,
                 seed: int | None = None,
                 hooks: Sequence[tuple[str, str]] = HOOKS) -> None:
        self.config = config
        self.accounts = list(accounts)
        self.store = store
        self.settings = settings if settings is not None else config.section("watch")
        self.clock = clock or SystemClock()
        self.real_clock = SystemClock()
        self.working = working
        self.triager_factory = triager_factory
        self.health_file = health_file if health_file is not None else \
            self.settings.health_path()
        self.once = once
        self.stop_event = threading.Event()
        self.state = "starting"
        self.started = self.real_now()
        self.hook_names = tuple(hooks)
        self._hooks: list[tuple[str, Callable[..., Any], frozenset[str]]] | None = None
        self._hooks_lock = threading.Lock()
        self._stop_requests = 0
        rng = random.Random(seed)
        self.watchers = [AccountWatcher(self, acc, passwords.get(acc.name, ""),
                                        random.Random(rng.random()))
                         for acc in self.accounts]

    def real_now(self) -> datetime:
        """Wall time for the health file (a supervisor compares it with its own clock)."""
        return self.real_clock.now()

    # -- hooks ------------------------------------------------------------------------------

    def _load_hooks(self) -> list[tuple[str, Callable[..., Any], frozenset[str]]]:
        with self._hooks_lock:
            if self._hooks is None:
                found = []
                for module, name in self.hook_names:
                    try:
                        func = getattr(importlib.import_module(module), name, None)
                    except Exception as exc:  # noqa: BLE001 - a broken helper must not stop us
                        log.warning("%s cannot be loaded (%s): skipped", module,
                                    exc.__class__.__name__)
                        func = None
                    if callable(func):
                        found.append((f"{module.rsplit('.', 1)[-1]}.{name}", func,
                                      _keywords(func)))
                self._hooks = found
            return self._hooks

    def call_hooks(self, account: Account, status: AccountStatus | None = None, *,
                   session: Any = None, password: str | None = None) -> None:
        """The digest and outbox hooks of one account; their failures are logged, not raised.

        A hook that accepts ``session``/``password`` gets the account's open session (out of
        IDLE; it may select another folder) instead of logging in again at every tick.
        """
        for label, func, keywords in self._load_hooks():
            if self.stop_event.is_set():
                return
            extra = {k: v for k, v in (("session", session), ("password", password))
                     if v is not None and k in keywords}
            try:
                func(self.config, account, self.store, self.clock, **extra)
            except Exception as exc:  # noqa: BLE001 - never let a hook stop the watch
                log.warning("account %s: %s failed (%s: %s)", account.name, label,
                            exc.__class__.__name__, str(exc)[:200])
                if status is not None:
                    status.error(_("{hook} failed: {error}").format(
                        hook=label, error=str(exc)[:200] or exc.__class__.__name__), "hook")

    # -- health -----------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return {"version": HEALTH_VERSION, "time": self.real_now().isoformat(),
                "clock": self.clock.now().isoformat(), "pid": os.getpid(),
                "state": self.state, "started": self.started.isoformat(timespec="seconds"),
                "accounts": [w.status.snapshot() for w in self.watchers]}

    def write_health(self) -> None:
        try:
            write_health(self.health_file, self.health())
        except OSError as exc:
            log.warning("cannot write the health file %s: %s", self.health_file,
                        exc.strerror or exc)

    def _alive(self) -> bool:
        return not any(w.stalled() for w in self.watchers)

    def _status_line(self) -> str:
        states: dict[str, int] = {}
        for w in self.watchers:
            states[w.status.state] = states.get(w.status.state, 0) + 1
        return ", ".join(f"{n} {s}" for s, n in sorted(states.items()))

    # -- lifecycle --------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask every account to stop after its current step; a second call cuts short."""
        self._stop_requests += 1
        self.stop_event.set()
        if self._stop_requests > 1:
            for w in self.watchers:
                w.abort()

    def run(self) -> list[dict[str, Any]]:
        """Run until stopped (or, with ``once``, until every account did one pass).

        Returns the final status of each account.
        """
        self.state = "running"
        for w in self.watchers:
            w.thread.start()
        sd_notify("READY=1")
        log.info("watching %d accounts", len(self.watchers))
        try:
            while True:
                self.write_health()
                if self._alive():
                    sd_notify(f"WATCHDOG=1\nSTATUS={self._status_line()}")
                if self.stop_event.is_set():
                    break
                if self.once and not any(w.thread.is_alive() for w in self.watchers):
                    break
                if not self.once and self.watchers and \
                        all(w.failed_permanently for w in self.watchers):
                    log.error("every account failed to start: stopping")
                    break
                self.stop_event.wait(self.settings.health_interval if not self.once
                                     else min(0.2, self.settings.health_interval))
        finally:
            self._shutdown()
        return [w.status.snapshot() for w in self.watchers]

    def _shutdown(self) -> None:
        self.state = "stopping"
        self.stop_event.set()
        sd_notify("STOPPING=1")
        self.write_health()
        deadline = time.monotonic() + self.settings.stop_grace
        for w in self.watchers:
            w.thread.join(timeout=max(0.0, deadline - time.monotonic()))
        late = [w for w in self.watchers if w.thread.is_alive()]
        for w in late:
            log.warning("account %s: still busy after %.0f s: closing its connection",
                        w.account.name, self.settings.stop_grace)
            w.abort()
        for w in late:
            w.thread.join(timeout=5)
        self.state = "stopped"
        self.write_health()
        log.info("stopped")


__all__ = ["HealthCheck", "WatchService", "check_health", "limit_malloc_arenas", "sd_notify",
           "write_health"]
