"""`accalmie send-later`, `accalmie outbox …` and `accalmie digest` as a user runs them: real
processes, a real Dovecot and SMTP server, the clock fixed with ACCALMIE_NOW."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.disconnect.test_outbox_support import SmtpSink, folder_messages, message, write_config
from tests.fixtures_imap import PASSWORD_ENV
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap]
FRIDAY_NIGHT = "2026-11-27T22:00:00+01:00"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


def run(server: DovecotServer, *args: str, now: str = FRIDAY_NIGHT,
        lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, PASSWORD_ENV: server.password, "ACCALMIE_LANG": lang,
           "ACCALMIE_NOW": now, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "accalmie", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_send_later_list_run_cancel_and_digest_preview(dovecot: DovecotServer, sink: SmtpSink,
                                                       tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "config.toml", dovecot, sink.port)
    common = ["--config", str(cfg), "--db", str(tmp_path / "db.sqlite")]
    bad = tmp_path / "bad.eml"
    bad.write_bytes(message(1, to="", bcc=""))
    done = run(dovecot, "send-later", str(bad), *common, lang="fr")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "recipient" in done.stderr or "destinataire" in done.stderr
    good = tmp_path / "good.eml"
    good.write_bytes(message(2))
    done = run(dovecot, "send-later", str(good), "--at", "2026-12-01 09:00", *common)
    assert done.returncode == 0, done.stderr
    assert "number 1" in done.stdout
    done = run(dovecot, "outbox", "list", "--json", *common)
    (item,) = json.loads(done.stdout)["items"]
    assert item["due_at"] == "2026-12-01T08:00:00+00:00" and item["state"] == "pending"
    done = run(dovecot, "outbox", "run", *common, now="2026-12-01T09:00:00+01:00")
    assert done.returncode == 0, done.stderr + done.stdout
    assert len(sink.received) == 1 and len(folder_messages(dovecot, "Sent")) == 1
    done = run(dovecot, "outbox", "cancel", "1", *common)
    assert done.returncode == 2 and "no longer be cancelled" in done.stderr
    page = tmp_path / "digest.html"
    done = run(dovecot, "digest", "--html", str(page), *common)
    assert done.returncode == 0, done.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
