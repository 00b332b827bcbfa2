"""``accalmie eval phishing`` as a user runs it: a real process, its output and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

KEYS = {"detect_at_fpr_0_1", "detect_at_fpr_1", "detect_default", "fpr_default", "auc",
        "n_ham", "n_phish", "msgs_per_s"}
LURE = ("<html><body><p>Votre compte sera suspendu sous 24 heures. Veuillez vérifier vos "
        "informations :</p><a href='http://203.0.113.9/caf/login.php'>www.caf.fr</a>"
        "</body></html>")


def accalmie(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCALMIE_LANG": "", "COLUMNS": "200"}
    env.pop("ACCALMIE_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "accalmie", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def _mailboxes(root: Path) -> tuple[Path, Path, Path]:
    ham1, ham2, phish = root / "ham1", root / "ham2", root / "phish"
    for folder in (ham1, ham2, phish):
        folder.mkdir()
    for i in range(4):
        for folder in (ham1, ham2):
            (folder / f"{i}.eml").write_text(
                f"From: Jean <jean@example.org>\nTo: b@example.org\nSubject: Réunion {i}\n\n"
                "Bonjour, la réunion est à 14h.\n", encoding="utf-8")
        (phish / f"{i}.eml").write_text(
            f"From: CAF <c{i}@caf-allocations-en-ligne.com>\nTo: b@example.org\n"
            f"Subject: Action requise\nContent-Type: text/html; charset=utf-8\n\n{LURE}",
            encoding="utf-8")
    return ham1, ham2, phish


def test_json_with_several_paths_after_one_option(tmp_path: Path) -> None:
    ham1, ham2, phish = _mailboxes(tmp_path)
    run = accalmie("eval", "phishing", "--ham", str(ham1), str(ham2), "--phish", str(phish),
                   "--json", "--no-progress")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data) == KEYS
    assert data["n_ham"] == 8 and data["n_phish"] == 4
    assert data["detect_at_fpr_0_1"] == 1.0 and data["fpr_default"] == 0.0


def test_repeated_options_and_a_table_in_english(tmp_path: Path) -> None:
    ham1, ham2, phish = _mailboxes(tmp_path)
    run = accalmie("--lang", "en", "eval", "phishing", "--ham", str(ham1), "--ham", str(ham2),
                   "--phish", str(phish), "--threshold", "0.5", "--no-progress")
    assert run.returncode == 0, run.stderr
    assert "Phishing caught (false positives: 0.1 %)" in run.stdout
    assert "ROC AUC" in run.stdout and "0.50" in run.stdout


def test_missing_mailbox_is_a_usage_error(tmp_path: Path) -> None:
    _ham1, _ham2, phish = _mailboxes(tmp_path)
    run = accalmie("eval", "phishing", "--ham", str(tmp_path / "nowhere"), "--phish",
                   str(phish), "--json")
    assert run.returncode == 2
    assert "nowhere" in run.stderr and "Traceback" not in run.stderr


def test_help_in_both_languages() -> None:
    for lang in ("fr", "en"):
        run = accalmie("--lang", lang, "eval", "phishing", "--help")
        assert run.returncode == 0, run.stderr
        assert "--ham" in run.stdout and "--phish" in run.stdout
