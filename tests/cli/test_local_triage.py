"""Local triage through the real command: sort a Maildir, explain, correct, learn."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from accalmie.config import Account, Config
from accalmie.demo import generate_mailbox, write_maildir
from accalmie.service import triage_files
from accalmie.store import Store

from .test_cli import accalmie


@pytest.fixture(scope="module")
def maildir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    box = generate_mailbox(size=200, seed=3)
    path = tmp_path_factory.mktemp("demo") / "Maildir"
    write_maildir(box, path)
    return path, box


def test_triage_explain_correct_round_trip(maildir: tuple[Path, object], tmp_path: Path) -> None:
    path, box = maildir
    db = tmp_path / "s.db"
    done = accalmie("triage", "--maildir", str(path), "--db", str(db), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "Prioritaire" in done.stdout and "Infolettres" in done.stdout
    inbox = [m for m in box.messages if m.expected_lane is not None]
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from messages").fetchone()[0] == len(inbox)
    newsletter = next(m for m in inbox if m.kind == "newsletter")
    con.close()

    why = accalmie("explain", newsletter.message_id, "--db", str(db), "--lang", "en")
    assert why.returncode == 0, why.stderr
    assert "Newsletters & notifications" in why.stdout

    fixed = accalmie("correct", newsletter.message_id, "priority", "--always", "sender",
                     "--db", str(db))
    assert fixed.returncode == 0, fixed.stderr
    assert "Prioritaire" in fixed.stdout
    why = accalmie("explain", newsletter.message_id, "--db", str(db), "--lang", "en")
    assert "Priority" in why.stdout

    # The pinned sender wins on the next run, with the user's authority.
    again = accalmie("triage", "--maildir", str(path), "--db", str(db), "--no-progress")
    assert again.returncode == 0, again.stderr
    store = Store.open(db)
    try:
        acc = store.account_id("local")
        sender = newsletter.raw.split(b"\r\nFrom: ", 1)[1].split(b"\r\n", 1)[0]
        rows = [r for r in store.find_messages(acc, limit=1000)
                if r.from_email and r.from_email.encode() in sender]
        assert rows and all(r.lane.value == "priority" for r in rows)
        assert store.overrides(acc)
    finally:
        store.close()


def test_rerun_is_idempotent(maildir: tuple[Path, object], tmp_path: Path) -> None:
    path, _box = maildir
    db = tmp_path / "s.db"
    for _ in range(2):
        done = accalmie("triage", str(path), "--db", str(db), "--no-progress")
        assert done.returncode == 0, done.stderr
    con = sqlite3.connect(db)
    keys = con.execute("select count(*), count(distinct key) from messages").fetchone()
    assert keys[0] == keys[1] > 0


def test_logs_never_hold_bodies(maildir: tuple[Path, object], tmp_path: Path,
                                caplog: pytest.LogCaptureFixture) -> None:
    path, box = maildir
    caplog.set_level(logging.DEBUG)
    store = Store.open(tmp_path / "s.db")
    try:
        account = Account(name="t", email=box.owner.email)
        triage_files(path, store, Config(accounts=(account,)), account, workers=1)
    finally:
        store.close()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for m in box.messages[:50]:
        body = m.raw.split(b"\r\n\r\n", 1)[1].decode("utf-8", "replace")
        for line in body.splitlines():
            if len(line) > 40 and not line.startswith(("--", "Content-")):
                assert line not in logged


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    done = accalmie("triage", str(tmp_path / "nothing"), "--db", str(tmp_path / "s.db"),
                    "--lang", "en")
    assert done.returncode == 2 and "Not found" in done.stderr


def test_demo_command(tmp_path: Path) -> None:
    done = accalmie("demo", "--size", "120", "--out", str(tmp_path), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "Suspect" in done.stdout and "apercu.html" in done.stdout
    page = (tmp_path / "apercu.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in page and "Prioritaire" in page
