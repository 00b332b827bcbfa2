"""`accalmie watch` and `accalmie release` as a user runs them: real processes, real signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from accalmie.config import load_config
from accalmie.disconnect.clock import ManualClock
from accalmie.store import Store
from tests.disconnect.test_watch_support import (
    FRIDAY_NIGHT,
    HOLD,
    OfficeHours,
    count,
    make_service,
    wait_until,
)
from tests.fixtures_imap import PASSWORD_ENV
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, locations
from tests.imap.mailgen import lane_of_raw, make_message, message_id
from tests.support.dovecot import DovecotServer, free_port

pytestmark = [pytest.mark.imap, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]


def write_config(path: Path, port: int, extra: str = "") -> Path:
    path.write_text(f"""
[general]
language = "en"

[watch]
tick = 0.5
health_interval = 0.2
backoff_initial = 0.2
backoff_max = 1
{extra}
[[accounts]]
name = "cli"
email = "alice@test.example"
host = "127.0.0.1"
port = {port}
security = "plain"
username = "alice"
password_env = "{PASSWORD_ENV}"
timeout = 10
""", encoding="utf-8")
    return path


def env(server: DovecotServer | None = None) -> dict[str, str]:
    out = dict(os.environ, ACCALMIE_LANG="en", PYTHONPATH=str(REPO))
    out[PASSWORD_ENV] = server.password if server else "nothing"
    out.pop("NOTIFY_SOCKET", None)
    return out


def accalmie(*args: str, server: DovecotServer | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accalmie", *args], cwd=REPO, env=env(server),
                          capture_output=True, text=True, timeout=timeout)


def health(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def test_sigterm_stops_the_watch_cleanly(dovecot: DovecotServer, tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.toml", dovecot.port)
    db, hf = tmp_path / "accalmie.db", tmp_path / "health.json"
    secret = "Zanzibar-unique-body-word"
    dovecot.deliver(None, make_message(0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "accalmie", "watch", "--config", str(cfg), "--db", str(db),
         "--health-file", str(hf)], cwd=REPO, env=env(dovecot), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        wait_until(lambda: (health(hf).get("accounts") or [{}])[0].get("state") == "idle",
                   what="the watch in IDLE")
        raw = make_message(1, extra_headers={"Subject": f"[1] {secret}"})
        dovecot.deliver(None, raw.replace(b"dossier", secret.encode()))
        wait_until(lambda: count(dovecot, "INBOX") == 0 and
                   health(hf)["accounts"][0]["counts"]["triaged"] == 2, what="sorted")
        check = accalmie("watch", "--check", "--health-file", str(hf), "--config", str(cfg))
        assert check.returncode == 0, check.stdout + check.stderr
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert "Stopped cleanly" in out
    assert secret not in out  # logs never carry message text
    doc = health(hf)
    assert doc["state"] == "stopped" and doc["accounts"][0]["state"] == "stopped"
    # The real triager decided: each message once, in a lane folder.
    where = locations(dovecot)
    assert sorted(where) == sorted(message_id(i) for i in range(2))
    assert all(len(f) == 1 and f[0] in LANE_FOLDERS.values() for f in where.values()), where
    stopped = accalmie("watch", "--check", "--json", "--health-file", str(hf),
                       "--config", str(cfg))
    assert stopped.returncode == 1 and json.loads(stopped.stdout)["ok"] is False


def test_once_against_a_server_that_is_not_there(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.toml", free_port())
    hf = tmp_path / "health.json"
    out = accalmie("watch", "--once", "--config", str(cfg), "--db", str(tmp_path / "a.db"),
                   "--health-file", str(hf))
    assert out.returncode == 3, out.stdout + out.stderr
    assert "refused the connection" in out.stdout + out.stderr
    doc = health(hf)
    assert doc["accounts"][0]["error_kind"] == "unreachable"
    missing = accalmie("watch", "--check", "--health-file", str(tmp_path / "none.json"),
                       "--config", str(cfg))
    assert missing.returncode == 1 and "No health file" in missing.stderr


def test_bad_watch_settings_are_a_clear_configuration_error(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.toml", 143, extra="idle_renew = 3600\n")
    out = accalmie("watch", "--once", "--config", str(cfg), "--db", str(tmp_path / "a.db"))
    assert out.returncode == 2
    assert "watch.idle_renew" in out.stderr and "Traceback" not in out.stderr


def test_release_command(dovecot: DovecotServer, tmp_path: Path) -> None:
    n = 5
    dovecot.deliver_many(None, (make_message(i) for i in range(n)))
    today = date.today()
    # On leave for a year around today: "now" is off duty whatever the real time.
    leave = (f'[hours]\nleave = [{{ start = {today - timedelta(days=2)}, '
             f'end = {today + timedelta(days=365)} }}]\n')
    cfg = write_config(tmp_path / "config.toml", dovecot.port, extra="\n" + leave)
    db = tmp_path / "accalmie.db"
    config = load_config(cfg)
    account = config.account("cli")
    with Store.open(db) as store:
        svc = make_service(config, account, store, dovecot, clock=ManualClock(FRIDAY_NIGHT),
                           working=OfficeHours(), health=tmp_path / "h.json", once=True)
        svc.run()
    assert count(dovecot, HOLD) == n
    waiting = accalmie("release", "--config", str(cfg), "--db", str(db), server=dovecot)
    assert waiting.returncode == 0, waiting.stderr
    assert "5 held messages wait" in waiting.stdout and count(dovecot, HOLD) == n
    now = accalmie("release", "--now", "--json", "--config", str(cfg), "--db", str(db),
                   server=dovecot)
    assert now.returncode == 0, now.stderr
    report = json.loads(now.stdout)
    assert report["moved"] == n and report["held"] == n and report["failed"] == 0
    expected = {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))] for i in range(n)}
    assert_exactly_once(dovecot, expected)
    again = accalmie("release", "--config", str(cfg), "--db", str(db), server=dovecot)
    assert again.returncode == 0 and "nothing is held" in again.stdout
