"""`accalmie evidence` as a user runs it: both spellings, verify, exit codes, help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accalmie.demo import write_maildir
from tests.cli.test_cli import accalmie
from tests.guard.test_evidence_helpers import demo_box, rewrite_zip


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A demo Maildir sorted by the real command into a SQLite store."""
    root = tmp_path_factory.mktemp("evidence-cli")
    box = demo_box()
    write_maildir(box, root / "Maildir")
    env = {"XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data")}
    done = accalmie("triage", str(root / "Maildir"), "--db", str(root / "s.db"), "--no-progress",
                    env=env)
    assert done.returncode == 0, done.stderr
    aggressive = [m.message_id for m in box.messages if m.kind == "aggressive"]
    return {"root": root, "env": env, "ids": aggressive}


def _run(world: dict[str, object], *args: str):  # type: ignore[no-untyped-def]
    root = world["root"]
    return accalmie(*args, env=world["env"], cwd=root)  # type: ignore[arg-type]


def test_pack_then_verify_both_spellings(world: dict[str, object]) -> None:
    ids = world["ids"]
    root: Path = world["root"]  # type: ignore[assignment]
    short = _run(world, "evidence", *ids, "--out", "p.zip", "--db", "s.db",
                 "--source", "Maildir", "--no-progress")
    assert short.returncode == 0, short.stderr
    assert "p.zip" in short.stdout and "SHA-256" in short.stdout
    assert "Traceback" not in short.stderr and "WARNING" not in short.stderr
    long = _run(world, "evidence", "pack", ids[0].strip("<>"), "-o", "q.zip", "--db", "s.db",
                "-s", "Maildir", "--pseudonymise", "--json", "--lang", "en")
    assert long.returncode == 0, long.stderr
    out = json.loads(long.stdout)
    assert out["messages"] == 1 and out["pseudonymised"] is True
    assert Path(out["path"]).resolve() == (root / "q.zip").resolve()

    ok = _run(world, "evidence", "verify", "p.zip")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("OK") >= len(ids) + 4
    report = json.loads(_run(world, "evidence", "verify", "q.zip", "--json").stdout)
    assert report["ok"] is True and report["originals"] == 1

    def corrupt(name: str, data: bytes) -> bytes:
        return data + b"\r\n" if name.startswith("originals/01_") else data

    rewrite_zip(root / "p.zip", root / "bad.zip", corrupt)
    bad = _run(world, "evidence", "verify", "bad.zip")
    assert bad.returncode == 1
    assert "originals/01_" in bad.stdout and "Traceback" not in bad.stderr
    bad_json = json.loads(_run(world, "evidence", "verify", "bad.zip", "--json").stdout)
    assert bad_json["ok"] is False
    (root / "junk.zip").write_bytes(b"not a zip")
    assert _run(world, "evidence", "verify", "junk.zip").returncode == 1


def test_refusals_and_exit_codes(world: dict[str, object]) -> None:
    ids = world["ids"]
    unknown = _run(world, "evidence", ids[0], "<nobody@nowhere.example>", "--out", "u.zip",
                   "--db", "s.db", "-s", "Maildir")
    assert unknown.returncode == 2
    assert "<nobody@nowhere.example>" in unknown.stderr and "Traceback" not in unknown.stderr
    assert not (world["root"] / "u.zip").exists()  # type: ignore[operator]
    # Triage stores where each file was: no --source needed, and a clear error once it moved.
    assert _run(world, "evidence", ids[0], "--out", "n.zip", "--db", "s.db").returncode == 0
    maildir = world["root"] / "Maildir"  # type: ignore[operator]
    maildir.rename(maildir.with_name("Maildir.moved"))
    try:
        gone = _run(world, "evidence", ids[0], "--out", "g.zip", "--db", "s.db")
    finally:
        maildir.with_name("Maildir.moved").rename(maildir)
    assert gone.returncode == 1 and "Traceback" not in gone.stderr
    assert not (world["root"] / "g.zip").exists()  # type: ignore[operator]
    (world["root"] / "taken.zip").write_bytes(b"x")  # type: ignore[operator]
    taken = _run(world, "evidence", ids[0], "--out", "taken.zip", "--db", "s.db",
                 "-s", "Maildir")
    assert taken.returncode == 2 and "--force" in taken.stderr
    assert _run(world, "evidence", ids[0], "--db", "s.db").returncode == 2  # no --out
    assert _run(world, "evidence", "verify", "missing.zip").returncode == 2
    assert _run(world, "evidence", ids[0], "--out", "t.zip", "--db", "s.db", "-s", "Maildir",
                "--tz", "Nowhere/Land").returncode == 2


@pytest.mark.parametrize("cmd", [["evidence"], ["evidence", "pack"], ["evidence", "verify"]],
                         ids=" ".join)
def test_help_in_both_languages(cmd: list[str]) -> None:
    for lang in ("fr", "en"):
        done = accalmie(*cmd, "--help", "--lang", lang)
        assert done.returncode == 0, done.stderr
        assert "verify" in done.stdout or "--out" in done.stdout or "ZIP" in done.stdout
