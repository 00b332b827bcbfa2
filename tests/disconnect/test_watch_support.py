"""Helpers shared by the watch and hold tests (no tests here).

``OfficeHours`` is a tiny stand-in for ``accalmie.disconnect.hours.WorkingTime``: Monday to
Friday, 9:00 to 18:00, Europe/Paris, with urgent sender patterns. The real one is tested by
its own module; these tests only need something they fully control.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from accalmie.config import Account, Config
from accalmie.disconnect.watch import WatchSettings
from accalmie.disconnect.watch_service import WatchService
from accalmie.store import Store
from tests.imap.helpers import client
from tests.imap.mailgen import StandInTriager
from tests.support.dovecot import DovecotServer

PARIS = ZoneInfo("Europe/Paris")
FRIDAY_NIGHT = datetime(2025, 3, 7, 22, 0, tzinfo=PARIS)
SATURDAY = datetime(2025, 3, 8, 11, 0, tzinfo=PARIS)
MONDAY_9 = datetime(2025, 3, 10, 9, 0, 30, tzinfo=PARIS)
MONDAY_NIGHT = datetime(2025, 3, 10, 23, 0, tzinfo=PARIS)
TUESDAY_9 = datetime(2025, 3, 11, 9, 5, tzinfo=PARIS)
HOLD = "Accalmie.Plus tard"

# Fast settings for tests: short waits everywhere, so nothing waits on a real schedule.
FAST = WatchSettings(idle_renew=60, poll=0.2, tick=0.2, rescan=3600, backoff_initial=0.1,
                     backoff_max=0.5, health_interval=0.1, stop_grace=5)


@dataclass(frozen=True)
class OfficeHours:
    """Monday-Friday 9:00-18:00 in Paris."""

    urgent: tuple[str, ...] = ()
    tz: ZoneInfo = PARIS
    start: int = 9
    end: int = 18

    def is_working(self, at: datetime) -> bool:
        local = at.astimezone(self.tz)
        return local.weekday() < 5 and self.start <= local.hour < self.end

    def next_start(self, at: datetime) -> datetime:
        if self.is_working(at):
            return at.astimezone(UTC)
        local = at.astimezone(self.tz)
        day = local.date()
        if local.hour >= self.start:
            day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return datetime(day.year, day.month, day.day, self.start, tzinfo=self.tz).astimezone(UTC)


class Broken:
    """A working time that cannot answer: holding must fail open."""

    urgent: tuple[str, ...] = ()

    def is_working(self, at: datetime) -> bool:
        raise RuntimeError("no schedule")

    def next_start(self, at: datetime) -> datetime:
        raise RuntimeError("no schedule")


def wait_until(predicate: Callable[[], object], timeout: float = 60.0,
               what: str = "condition") -> object:
    """Poll until ``predicate()`` is truthy (a generous deadline, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def drop_in_maildir(server: DovecotServer, raw: bytes, name: str) -> None:
    """Deliver straight into the Maildir (the server is down: no APPEND, no doveadm)."""
    new = server.maildir() / "new"
    new.mkdir(parents=True, exist_ok=True)
    path = new / f"{int(time.time())}.{name}.test"
    path.write_bytes(raw)
    if os.geteuid() == 0:
        os.chown(path, server.mail_uid, server.mail_gid)


def count(server: DovecotServer, folder: str) -> int:
    with client(server) as c:
        try:
            return int(c.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])
        except Exception:  # noqa: BLE001 - not created yet
            return 0


def make_service(config: Config, account: Account, store: Store, server: DovecotServer, *,
                 clock: object, working: object = None, settings: WatchSettings = FAST,
                 health: Path, once: bool = False, triager: object = None,
                 hooks: tuple[tuple[str, str], ...] = (), password: str | None = None,
                 **kw: object) -> WatchService:
    """A service for one test account; the digest and outbox hooks only when asked for (they
    belong to other parts of the product and would add their own mail)."""
    tri = triager or StandInTriager()
    pw = server.password if password is None else password
    return WatchService(config, [account], store, passwords={account.name: pw},
                        settings=settings, clock=clock,  # type: ignore[arg-type]
                        working=lambda _acc: working,  # type: ignore[arg-type,return-value]
                        triager_factory=lambda _acc: tri, health_file=health, once=once,
                        seed=1, hooks=hooks, **kw)  # type: ignore[arg-type]


@contextmanager
def running(svc: WatchService) -> Iterator[WatchService]:
    """Run the service in a thread for the duration of the block, then stop it."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["statuses"] = svc.run()
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        yield svc
    finally:
        svc.stop()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the service did not stop"
        if "error" in result:
            raise result["error"]  # type: ignore[misc]


def status(svc: WatchService) -> dict:
    return svc.watchers[0].status.snapshot()


def idle(svc: WatchService) -> bool:
    return status(svc)["state"] == "idle"


def fast(**kw: object) -> WatchSettings:
    return replace(FAST, **kw)  # type: ignore[arg-type]
