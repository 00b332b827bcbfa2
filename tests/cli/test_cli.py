"""The command line as a user runs it: a real process, its output and its exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [[], ["demo"], ["init"], ["sync"], ["triage"], ["correct"], ["explain"], ["eval"],
            ["eval", "foldering"], ["eval", "phishing"], ["eval", "hostility"],
            ["eval", "intent"], ["evidence"], ["evidence", "verify"], ["hours"], ["watch"],
            ["release"], ["send-later"], ["digest"], ["outbox"]]


def accalmie(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "ACCALMIE_LANG": "", "COLUMNS": "200", **(env or {})}
    full_env.pop("ACCALMIE_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "accalmie", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=timeout)


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_help_everywhere_in_both_languages(cmd: list[str]) -> None:
    fr = accalmie(*cmd, "--help")
    assert fr.returncode == 0, fr.stderr
    en = accalmie(*cmd, "--help", "--lang", "en")
    assert en.returncode == 0, en.stderr
    if not cmd:
        assert "Codes de sortie" in fr.stdout
        assert "Exit codes" in en.stdout


def test_init_writes_a_valid_commented_config(tmp_path: Path) -> None:
    target = tmp_path / "config.toml"
    done = accalmie("init", "--path", str(target))
    assert done.returncode == 0, done.stderr
    text = target.read_text(encoding="utf-8")
    assert "# " in text and "password_env" in text and "mot de passe" in text
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = accalmie("init", "--path", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    en = accalmie("init", "--path", str(tmp_path / "en.toml"), "--lang", "en")
    assert en.returncode == 0 and "password" in (tmp_path / "en.toml").read_text()


def test_broken_config_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[accounts]]\nname = "a"\npassword = "secret"\n', encoding="utf-8")
    done = accalmie("sync", "--config", str(bad), "--db", str(tmp_path / "s.db"))
    assert done.returncode == 2
    assert "mot de passe" in done.stderr.lower()
    assert "Traceback" not in done.stderr


def test_missing_password_and_unreachable_server(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[accounts]]\nname = "a"\nhost = "127.0.0.1"\nport = 1\n'
                   'security = "plain"\nusername = "u"\npassword_env = "ACCALMIE_NO_SUCH"\n',
                   encoding="utf-8")
    done = accalmie("triage", "--config", str(cfg), "--db", str(tmp_path / "s.db"),
                    "--lang", "en")
    assert done.returncode == 2 and "ACCALMIE_NO_SUCH" in done.stderr
    done = accalmie("triage", "--config", str(cfg), "--db", str(tmp_path / "s.db"),
                    "--lang", "en", env={"ACCALMIE_NO_SUCH": "pw"})
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_lane_and_missing_message(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    done = accalmie("correct", "<x@y>", "urgentissime", "--db", db, "--lang", "en")
    assert done.returncode == 2 and "Unknown lane" in done.stderr
    done = accalmie("correct", "<x@y>", "info", "--db", db, "--lang", "en")
    assert done.returncode == 2 and "No stored message" in done.stderr
