"""`accalmie eval hostility` and the label files it reads (CSV, TSV, invalid bytes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accalmie.config import ConfigError
from accalmie.eval.hostility import labelled_texts, read_table, scores


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "accalmie", "eval", "hostility", *args],
                          capture_output=True, text=True, timeout=300,
                          env={"ACCALMIE_LANG": "fr", "PATH": "/usr/bin:/bin",
                               "HOME": str(Path.home())})


def test_scores_macro_f1() -> None:
    s = scores([True, True, False, False], [True, False, False, False])
    assert (s.tp, s.fn, s.tn, s.fp) == (1, 1, 2, 0)
    assert s.precision == 1.0 and s.recall == 0.5
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2, abs=1e-4)
    assert scores([], []).macro_f1 == 0.0


def test_cli_json_on_csv_with_invalid_utf8(tmp_path: Path) -> None:
    data = (b"id,message,lab\n"
            b"1,Vous allez le payer,hostile\n"
            b"2,Merci \xff\xfe pour votre aide,ok\n"
            b'3,"Espece de connasse, rendez-moi mes enfants",insulte\n'
            b"4,Bonjour je voudrais un rendez-vous,ok\n")
    path = tmp_path / "labels.csv"
    path.write_bytes(data)
    res = _run("--csv", str(path), "--text-col", "message", "--label-col", "lab",
               "--positive", "hostile,insulte", "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert {"macro_f1", "precision", "recall", "n", "n_positive"} <= out.keys()
    assert out["n"] == 4 and out["n_positive"] == 2
    assert out["macro_f1"] == 1.0 and out["precision"] == 1.0 and out["recall"] == 1.0


def test_cli_table_on_tsv(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv"
    path.write_text("label\ttext\n1\tJe sais où vous habitez.\n0\tMerci beaucoup.\n",
                    encoding="utf-8")
    res = _run("--csv", str(path), "--text-col", "text", "--label-col", "label",
               "--positive", "1")
    assert res.returncode == 0, res.stderr
    assert "1.000" in res.stdout


def test_cli_unknown_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("a,b\nx,y\n", encoding="utf-8")
    res = _run("--csv", str(path), "--text-col", "text", "--label-col", "b", "--positive", "y")
    assert res.returncode == 2
    assert "text" in res.stderr


def test_semicolon_and_garbage_files(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"txt;lab\nbonjour;0\n\xc3\x28 ferme ta gueule;1\n")
    texts, truth = labelled_texts(path, "txt", "lab", ["1"])
    assert truth == [False, True] and "\ufffd" in texts[1]
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 40)
    columns, rows = read_table(junk)
    assert isinstance(rows, list)
    with pytest.raises(ConfigError):
        labelled_texts(junk, "text", "label", ["1"])
    with pytest.raises(ConfigError):
        labelled_texts(path, "txt", "lab", [" "])
