"""THE SEND-LATER KILL TEST: a real process SIGKILLed at each step, never a message sent twice.

A process runs one outbox pass against a private Dovecot and a real SMTP server (aiosmtpd in
this test process, counting what it accepts). It is SIGKILLed (its whole process group) at an
exact step: after the claim (before SMTP), when the data phase is recorded (before the
content leaves), right after the server's acceptance (before it is recorded), after the sent
state is recorded, after the APPEND to Sent (before the queue copy is removed), after the
removal. Another process then runs the outbox to the end. Whatever the step, the server
received the message at most once, Sent holds at most one copy, and a message that may have
been delivered is marked uncertain instead of being sent again.

Then the product's own command, ``accalmie outbox run``, is killed at instants chosen from
what the server has received, over a dozen messages, and run to completion.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from accalmie.config import load_config
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.outbox import retry_item
from accalmie.store import Store
from accalmie.store.outbox import outbox_list
from tests.disconnect.test_outbox_support import (
    MONDAY_9,
    QUEUE,
    SmtpSink,
    folder_messages,
    message,
    wait_for,
    write_config,
)
from tests.fixtures_imap import PASSWORD_ENV
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


def start(cmd: list[str], server: DovecotServer, **env: str) -> subprocess.Popen[bytes]:
    full = {**os.environ, PASSWORD_ENV: server.password, "ACCALMIE_LANG": "en", **env}
    full["PYTHONPATH"] = str(REPO) + os.pathsep + full.get("PYTHONPATH", "")
    return subprocess.Popen(cmd, cwd=REPO, env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)


def driver(cfg: Path, db: Path, now: datetime, step: str = "") -> list[str]:
    return [sys.executable, "-m", "tests.disconnect.test_outbox_driver", str(cfg), str(db),
            now.isoformat(), *([step] if step else [])]


def kill_at(cfg: Path, db: Path, server: DovecotServer, step: str) -> str:
    """Run a pass, SIGKILL it when it reports ``step``; the line it printed there."""
    proc = start(driver(cfg, db, MONDAY_9, step), server)
    assert proc.stdout is not None
    output = []
    while True:
        line = proc.stdout.readline().decode(errors="replace")
        if not line:
            break
        output.append(line)
        if line.startswith("STOPPED"):
            kill_group(proc)
            return line
    proc.wait(timeout=60)
    raise AssertionError(f"the pass never reached {step!r}:\n{''.join(output)}")


def run_to_end(cmd: list[str], server: DovecotServer, **env: str) -> str:
    proc = start(cmd, server, **env)
    out, _ = proc.communicate(timeout=300)
    text = out.decode(errors="replace")
    assert proc.returncode in (0, 1), text[-3000:]
    return text


def states(db: Path) -> list[str]:
    with Store.open(db) as store:
        return [i.state for i in outbox_list(store, store.account_id("alice"))]


# step -> (deliveries right after the kill, final state, deliveries at the end, Sent copies)
STEPS = {
    "claimed": (0, "filed", 1, 1),
    "data": (0, "uncertain", 0, 0),
    "accepted": (1, "uncertain", 1, 0),
    "sent": (1, "filed", 1, 1),
    "appended": (1, "filed", 1, 1),
    "removed": (1, "filed", 1, 1),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_sigkill_at_each_step_never_sends_twice(step: str, dovecot: DovecotServer,
                                                sink: SmtpSink, tmp_path: Path) -> None:
    after_kill, final, delivered, copies = STEPS[step]
    cfg = write_config(tmp_path / "config.toml", dovecot, sink.port)
    db = tmp_path / "db.sqlite"
    dovecot.deliver(None, message(1), folder=QUEUE)
    line = kill_at(cfg, db, dovecot, step)
    assert line.startswith(f"STOPPED {step}")
    assert len(sink.received) == after_kill
    # Another process takes over, twice (the second must find nothing to do).
    for _ in range(2):
        run_to_end(driver(cfg, db, MONDAY_9), dovecot)
    assert states(db) == [final]
    assert sink.count("<later-1@test.example>") == delivered
    assert len(folder_messages(dovecot, "Sent")) == copies
    queue = folder_messages(dovecot, QUEUE)
    assert len(queue) == (0 if final == "filed" else 1)  # never lost
    if final == "uncertain":
        # Shown to the user, who decides; after a check (not received), --force sends it.
        out = run_to_end([sys.executable, "-m", "accalmie", "outbox", "list", "--config",
                          str(cfg), "--db", str(db)], dovecot)
        assert "uncertain" in out
        if step == "data":  # the content never left: the user is right to retry
            config = load_config(cfg)
            with Store.open(db) as store:
                (item,) = outbox_list(store, store.account_id("alice"))
                retry_item(config, config.account("alice"), store, ManualClock(MONDAY_9),
                           item.id, force=True)
            run_to_end(driver(cfg, db, MONDAY_9), dovecot)
            assert sink.count("<later-1@test.example>") == 1
            assert states(db) == ["filed"]
            assert len(folder_messages(dovecot, "Sent")) == 1


def test_sigkill_of_the_cli_at_random_points_of_a_dozen_messages(
        dovecot: DovecotServer, sink: SmtpSink, tmp_path: Path) -> None:
    n = 12
    cfg = write_config(tmp_path / "config.toml", dovecot, sink.port)
    db = tmp_path / "db.sqlite"
    dovecot.deliver_many(None, [message(i) for i in range(n)], folder=QUEUE)
    cmd = [sys.executable, "-m", "accalmie", "outbox", "run", "--config", str(cfg), "--db",
           str(db)]
    now = {"ACCALMIE_NOW": MONDAY_9.isoformat()}
    kills = 0
    for target in (1, 4, 7, 10):
        if len(sink.received) >= target:
            continue
        proc = start(cmd, dovecot, **now)
        wait_for(lambda t=target, p=proc: len(sink.received) >= t or p.poll() is not None,
                 timeout=120)
        kills += proc.poll() is None
        kill_group(proc)
    assert kills >= 2, "the command finished before the kills: the test proved little"
    run_to_end(cmd, dovecot, **now)
    run_to_end(cmd, dovecot, **now)
    with Store.open(db) as store:
        items = outbox_list(store, store.account_id("alice"))
    assert len(items) == n
    counts = Counter((r.message["Message-ID"] or "").strip() for r in sink.received)
    assert max(counts.values()) == 1, counts  # never twice
    sent_ids = Counter(m.split(b"Message-ID: ", 1)[1].split(b"\r\n", 1)[0].decode()
                       for m in folder_messages(dovecot, "Sent"))
    assert not sent_ids or max(sent_ids.values()) == 1
    print(f"kills={kills} states={Counter(i.state for i in items)} "
          f"deliveries={len(sink.received)}")
    for item in items:
        assert item.state in ("filed", "uncertain"), item
        if item.state == "filed":
            assert counts[item.message_id] == 1 and sent_ids[item.message_id] == 1
    assert sum(i.state == "filed" for i in items) >= n - 4
    assert len(folder_messages(dovecot, QUEUE)) == sum(i.state == "uncertain" for i in items)
