"""THE KILL TEST: a real triage process, SIGKILLed at random instants, then run to the end.

A 2,000-message mailbox (the demo generator's social worker: ~1,800 in the inbox, the rest in
Sent) is served by a private Dovecot. ``accalmie triage --config CFG --db DB`` is started and
killed with SIGKILL (its whole process group, parse workers included) several times, then run
once more to completion. A fresh IMAP connection then checks that every message is present
exactly once (by Message-ID) across all folders, that none was lost, none is left flagged
``\\Deleted``, and that each sits in the lane folder of its stored decision.

The same is done with the COPY + EXPUNGE fallback (a server without MOVE), with a small driver
process and the deterministic stand-in triager.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from accalmie.config import load_config
from accalmie.imap.actions import lane_folder_names
from accalmie.store import Store
from accalmie.triage.decision import Lane
from tests.fixtures_imap import PASSWORD_ENV
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, locations
from tests.imap.mailgen import lane_of_raw, mailbox, message_id
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def write_config(path: Path, server: DovecotServer, email: str, batch_size: int) -> Path:
    path.write_text(f"""
[general]
language = "en"

[[accounts]]
name = "kill"
email = "{email}"
host = "127.0.0.1"
port = {server.port}
security = "plain"
username = "{server.user}"
password_env = "{PASSWORD_ENV}"
batch_size = {batch_size}
timeout = 30
""", encoding="utf-8")
    return path


def start(cmd: list[str], server: DovecotServer) -> subprocess.Popen[bytes]:
    env = dict(os.environ, **{PASSWORD_ENV: server.password, "ACCALMIE_LANG": "en"})
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the process and its parse workers; True if it was still running."""
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    return alive


def inbox_count(server: DovecotServer) -> int:
    with server.imap() as conn:
        typ, data = conn.status("INBOX", "(MESSAGES)")
    return int(data[0].split(b"MESSAGES", 1)[1].strip(b" ()"))


def run_until(cmd: list[str], server: DovecotServer, *, left: int | None = None,
              delay: float | None = None, timeout: float = 300) -> bool:
    """Start; SIGKILL once the inbox holds at most ``left`` messages, or after ``delay``
    seconds. True if the process was killed while still running."""
    proc = start(cmd, server)
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() - started < timeout:
        if delay is not None and time.monotonic() - started >= delay:
            break
        if left is not None and inbox_count(server) <= left:
            break
        time.sleep(0.02)
    return kill_group(proc)


def kill_repeatedly(cmd: list[str], server: DovecotServer, *, total: int, seed: int) -> int:
    """SIGKILL the run at random instants (while starting, while fetching and deciding, and
    at random points of the moves), then run it to completion; the number of real kills."""
    rng = random.Random(seed)
    killed = 0
    for delay in (rng.uniform(0.2, 1.5), rng.uniform(1.5, 4.0)):
        alive = run_until(cmd, server, delay=delay)
        killed += alive
        print(f"killed after {delay:.1f}s" if alive else "finished before the kill")
    for left in sorted(rng.sample(range(1, total), 4), reverse=True):
        alive = run_until(cmd, server, left=left)
        killed += alive
        print(f"killed with {inbox_count(server)} left (aimed at {left})" if alive
              else "finished before the kill")
    proc = start(cmd, server)
    out, _ = proc.communicate(timeout=900)
    text = out.decode(errors="replace")
    print(text[-1500:])
    assert proc.returncode == 0, text[-3000:]
    return killed


def test_sigkill_cli_triage_of_2000_messages(dovecot: DovecotServer, tmp_path: Path) -> None:
    from accalmie.demo.generator import generate_mailbox

    box = generate_mailbox(size=2000)
    inbox = [m for m in box.messages if m.folder == "INBOX"]
    sent = [m for m in box.messages if m.folder == "Sent"]
    dovecot.deliver_many(None, (m.raw for m in inbox))
    dovecot.deliver_many(None, (m.raw for m in sent), folder="Sent")
    cfg = write_config(tmp_path / "config.toml", dovecot, box.owner.email, batch_size=100)
    db = tmp_path / "accalmie.db"
    cmd = [sys.executable, "-m", "accalmie", "triage", "--config", str(cfg), "--db", str(db),
           "--no-progress"]
    killed = kill_repeatedly(cmd, dovecot, total=len(inbox), seed=20251129)
    assert killed >= 4, "the process finished before most kills: the test proved little"

    config = load_config(cfg)
    lanes = lane_folder_names(config, ".")
    store = Store.open(db)
    try:
        acc_id = store.account_id("kill")
        assert store.journal_pending(acc_id, "move") == []
        expected: dict[str, str] = {}
        for m in inbox:
            rows = store.find_messages(acc_id, message_id=m.message_id)
            assert len(rows) == 1, (m.message_id, rows)
            row = rows[0]
            assert row.folder == lanes[Lane(row.lane)], (m.message_id, row.folder, row.lane)
            expected[m.message_id] = row.folder
        for m in sent:
            expected[m.message_id] = "Sent"
        assert store.count_messages(acc_id) == len(inbox)
    finally:
        store.close()
    assert_exactly_once(dovecot, expected)
    # Lanes really were used (not everything in one folder).
    assert len(Counter(expected.values())) >= 4


def test_sigkill_driver_with_copy_fallback(dovecot_factory, tmp_path: Path) -> None:
    server = dovecot_factory(drop_capabilities=("MOVE",))
    n = 800
    raws = list(mailbox(n, seed=3))
    server.deliver_many(None, raws)
    cfg = write_config(tmp_path / "config.toml", server, "alice@test.example", batch_size=50)
    db = tmp_path / "accalmie.db"
    cmd = [sys.executable, "-m", "tests.imap._driver", str(cfg), str(db)]
    killed = kill_repeatedly(cmd, server, total=n, seed=7)
    assert killed >= 4
    expected = {message_id(i): LANE_FOLDERS[lane_of_raw(raw)] for i, raw in enumerate(raws)}
    assert_exactly_once(server, expected)
    assert sum(len(f) for f in locations(server).values()) == n
