"""The benchmark harness runs end to end in --quick mode, so it cannot rot unnoticed.

A tiny generated mailbox stands in for the corpora; the figures mean nothing at that size and
nothing here looks at a time. What must hold: every benchmark ran or said loudly what is
missing, no tool failed (Accalmie's command lines still match its CLI), the JSON is complete.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import ERROR, FAILED, INFO, MISS, MISSING, PASS, load_all
from benchmarks.corpus import MaildirWriter, count_maildir

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("benchmarks")]


def _tiny_mailbox(path: Path, size: int = 40) -> int:
    """A small French mailbox from the demo generator, written as a flat Maildir."""
    from accalmie.demo.generator import iter_messages

    writer = MaildirWriter(path)
    for msg in iter_messages(size=size, seed=3):
        if msg.folder == "INBOX":
            writer.add(msg.raw)
    return writer.count


def test_quick_run_of_the_whole_suite(tmp_path: Path) -> None:
    mailbox = tmp_path / "mailbox"
    n = _tiny_mailbox(mailbox)
    assert n > 0 and count_maildir(mailbox) == n
    out = tmp_path / "bench.json"
    env = dict(os.environ, ACCALMIE_BENCH_DIR=str(tmp_path / "scratch"),
               PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--mailbox", str(mailbox),
         "--json", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1200)
    assert out.exists(), proc.stdout[-4000:] + proc.stderr[-4000:]
    doc = json.loads(out.read_text())
    names = {b.name for b in load_all()}
    assert {b["name"] for b in doc["benchmarks"]} == names
    assert {"maildir", "imap", "memory"} <= names
    bad = [c for c in doc["summary"] if c["status"] in (ERROR, FAILED)]
    assert not bad, json.dumps(bad, indent=1) + proc.stdout[-6000:]
    for check in doc["summary"]:
        assert check["status"] in (PASS, MISS, INFO, MISSING)
        if check["status"] in (PASS, MISS):
            assert check["ours"] is not None
    by_name = {b["name"]: b for b in doc["benchmarks"]}
    maildir = by_name["maildir"]["data"]
    if maildir:
        assert maildir["messages"] == n
    assert proc.returncode in (0, 3), proc.stdout[-4000:]
    # The scratch folder is removed after the run.
    assert not any((tmp_path / "scratch").iterdir())


def test_only_and_list(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    listed = subprocess.run([sys.executable, "-m", "benchmarks", "--list"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0
    for bench in load_all():
        assert bench.name in listed.stdout
    wrong = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "nonsense"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2
    assert "nonsense" in wrong.stdout
