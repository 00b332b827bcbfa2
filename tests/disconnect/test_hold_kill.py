"""THE KILL TEST of hold and release: SIGKILL at random instants, then run to the end.

A few hundred messages, delivered in shuffled date order, are held on a Friday night by a real
watch process (``python -m tests.disconnect.test_hold_kill CFG DB WHEN``: the product's
WatchService with a ManualClock set to WHEN, office hours and the stand-in triager), which is
SIGKILLed several times while it sorts and holds; the same is then done on Monday morning
while it releases. A fresh IMAP connection then checks that every message sits exactly once in
its lane folder, none lost, none left flagged ``\\Deleted``, and the store agrees.

A server restarted in the middle of a release is tested too: the release breaks off, the
watch reconnects and finishes it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from accalmie.config import Account, load_config
from accalmie.disconnect.clock import ManualClock
from accalmie.imap.connect import ImapError, open_session
from accalmie.store import Store
from accalmie.store import hold as held_store
from tests.disconnect.test_watch_support import (
    FRIDAY_NIGHT,
    HOLD,
    MONDAY_9,
    OfficeHours,
    count,
    make_service,
)
from tests.fixtures_imap import PASSWORD_ENV
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, config_for
from tests.imap.mailgen import StandInTriager, lane_of_raw, make_message, message_id
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def write_config(path: Path, server: DovecotServer) -> Path:
    path.write_text(f"""
[general]
language = "en"

[watch]
tick = 0.2
health_interval = 0.2
backoff_initial = 0.1
backoff_max = 0.5

[[accounts]]
name = "kill"
email = "alice@test.example"
host = "127.0.0.1"
port = {server.port}
security = "plain"
username = "{server.user}"
password_env = "{PASSWORD_ENV}"
batch_size = 40
timeout = 30
""", encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    """The driver: one pass of the watch (sort, hold or release) at the instant WHEN."""
    config = load_config(argv[0])
    account = config.account(None)
    store = Store.open(argv[1])
    clock = ManualClock(datetime.fromisoformat(argv[2]))
    from accalmie.disconnect.watch_service import WatchService

    try:
        svc = WatchService(config, [account], store, passwords={account.name: account.password()},
                           clock=clock, working=lambda _a: OfficeHours(),
                           triager_factory=lambda _a: StandInTriager(),
                           health_file=Path(argv[1]).with_suffix(".health"), once=True,
                           hooks=())
        (status,) = svc.run()
    finally:
        store.close()
    print(status, flush=True)
    return 1 if status["last_error"] else 0


def start(cmd: list[str], server: DovecotServer) -> subprocess.Popen[bytes]:
    env = dict(os.environ, **{PASSWORD_ENV: server.password, "ACCALMIE_LANG": "en"})
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill(proc: subprocess.Popen[bytes]) -> bool:
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    return alive


def run_until(cmd: list[str], server: DovecotServer, folder: str, *, left: int | None = None,
              delay: float | None = None, timeout: float = 300) -> bool:
    """Start; SIGKILL once ``folder`` holds at most ``left`` messages, or after ``delay``
    seconds. True if the process was still running when killed."""
    proc = start(cmd, server)
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < timeout:
        if delay is not None and time.monotonic() - started >= delay:
            break
        if left is not None and count(server, folder) <= left:
            break
        time.sleep(0.01)
    return kill(proc)


def kill_repeatedly(cmd: list[str], server: DovecotServer, folder: str, total: int,
                    rng: random.Random) -> int:
    killed = 0
    for delay in (rng.uniform(0.3, 1.5), rng.uniform(1.5, 3.0)):
        killed += run_until(cmd, server, folder, delay=delay)
    for left in sorted(rng.sample(range(1, total), 3), reverse=True):
        killed += run_until(cmd, server, folder, left=left)
    proc = start(cmd, server)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out.decode(errors="replace")[-3000:]
    return killed


def test_sigkill_while_holding_and_releasing(dovecot: DovecotServer, tmp_path: Path) -> None:
    n = 300
    rng = random.Random(20251130)
    order = list(range(n))
    rng.shuffle(order)  # dates out of order: the release reorders them
    dovecot.deliver_many(None, (make_message(i) for i in order))
    cfg = write_config(tmp_path / "config.toml", dovecot)
    db = tmp_path / "accalmie.db"
    base = [sys.executable, "-m", "tests.disconnect.test_hold_kill", str(cfg), str(db)]

    killed = kill_repeatedly([*base, FRIDAY_NIGHT.isoformat()], dovecot, "INBOX", n, rng)
    assert_exactly_once(dovecot, {message_id(i): HOLD for i in range(n)})
    with Store.open(db) as store:
        acc = store.account_id("kill")
        assert held_store.held_summary(store, acc)[0] == n
        assert store.count_messages(acc) == n

    killed += kill_repeatedly([*base, MONDAY_9.isoformat()], dovecot, HOLD, n, rng)
    assert killed >= 6, "most runs finished before their kill: the test proved little"
    expected = {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))] for i in range(n)}
    assert_exactly_once(dovecot, expected)
    with Store.open(db) as store:
        acc = store.account_id("kill")
        assert store.journal_pending(acc, "move") == []
        assert held_store.held_summary(store, acc) == (0, None)
        records = held_store.held_between(store, acc)
        assert len(records) == n and {r.state for r in records} == {"released"}
        for row in store.find_messages(acc, limit=n + 10):
            assert row.folder == LANE_FOLDERS[row.lane], (row.message_id, row.folder)


def test_server_restart_in_the_middle_of_a_release(dovecot: DovecotServer,
                                                   imap_account: Account, sqlite_store: Store,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from accalmie.disconnect import hold

    n = 240
    rng = random.Random(7)
    order = list(range(n))
    rng.shuffle(order)
    dovecot.deliver_many(None, (make_message(i) for i in order))
    config = config_for(imap_account)
    night = make_service(config, imap_account, sqlite_store, dovecot,
                         clock=ManualClock(FRIDAY_NIGHT), working=OfficeHours(),
                         health=tmp_path / "h.json", once=True)
    night.run()
    assert count(dovecot, HOLD) == n
    monkeypatch.setattr(hold, "RELEASE_CHUNK", 40)
    steps: list[int] = []

    def restart_after_two_steps(stage: str, done: int, total: int | None) -> None:
        steps.append(done)
        if len(steps) == 3:  # the start, then two steps of 40 moved
            dovecot.restart()

    with open_session(imap_account, dovecot.password) as session, \
            pytest.raises(ImapError):
        hold.release_held(session, config, imap_account, sqlite_store,
                          settings=night.settings, clock=ManualClock(MONDAY_9),
                          progress=restart_after_two_steps)
    left = count(dovecot, HOLD)
    assert 0 < left < n, "the restart did not fall in the middle of the release"
    day = make_service(config, imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       health=tmp_path / "h.json", once=True)
    (status,) = day.run()
    assert status["last_error"] is None and status["held"] == 0
    expected = {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))] for i in range(n)}
    assert_exactly_once(dovecot, expected)
    acc = sqlite_store.account_id(imap_account.name)
    assert sqlite_store.journal_pending(acc, "move") == []
    assert {r.state for r in held_store.held_between(sqlite_store, acc)} == {"released"}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
