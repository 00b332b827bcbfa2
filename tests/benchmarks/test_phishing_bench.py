"""The phishing benchmark's reference tools really run, offline, and its figures add up.

SpamAssassin and rspamd are the Debian packages (scripts/system-deps.sh installs them); a test
that needs one is skipped with the tool's own "missing" message when it is absent.
"""

from __future__ import annotations

import math
import socket
import struct
from pathlib import Path

import pytest

from benchmarks import FAILED, MISSING, PASS, Context, Missing
from benchmarks.bench_phishing import Labelled, _spread, _versus, figures
from benchmarks.spamtools import (
    NullDNS,
    ToolScores,
    rspamd_version,
    run_rspamd,
    run_spamassassin,
    spamassassin_version,
)

GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
HAM = (b"From: Marie Durand <marie.durand@example.org>\r\nTo: accueil@example.org\r\n"
       b"Subject: Dossier de Mme Martin\r\nMessage-ID: <1@example.org>\r\n"
       b"Date: Mon, 3 Jun 2024 10:12:00 +0200\r\n\r\n"
       b"Bonjour,\r\nJe vous transmets le dossier pour la commission de jeudi.\r\n"
       b"Bien cordialement,\r\nMarie\r\n")
SPAM = (b"From: Security <security@example.net>\r\nTo: you@example.org\r\n"
        b"Subject: Test\r\nMessage-ID: <2@example.net>\r\n\r\n" + GTUBE.encode() + b"\r\n")


def _need(check) -> str:
    try:
        return check()
    except Missing as exc:
        pytest.skip(str(exc))


def test_null_dns_answers_at_once() -> None:
    dns = NullDNS()
    dns.start()
    try:
        query = (struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
                 + b"\x04maps\x06rspamd\x03com\x00" + struct.pack(">HH", 1, 1))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            sock.sendto(query, ("127.0.0.1", dns.port))
            reply = sock.recv(512)
    finally:
        dns.stop()
    ident, flags, qd = struct.unpack(">HHH", reply[:6])
    assert ident == 0x1234 and flags & 0x8000 and flags & 0x000F == 3 and qd == 1
    assert reply[12:] == query[12:]  # the question, echoed


@pytest.mark.slow
def test_spamassassin_scores_offline(tmp_path: Path) -> None:
    assert _need(spamassassin_version).startswith("SpamAssassin")
    out = run_spamassassin([HAM, SPAM, b"\xff\xfe not mail at all"], tmp_path)
    assert len(out.scores) == 3 and out.errors == 0
    assert out.scores[1] >= 1000 > out.scores[0]  # GTUBE
    assert out.cpu_seconds > 0
    assert not (tmp_path / "spamassassin").exists()  # its private folders are removed


@pytest.mark.slow
def test_rspamd_scores_offline_on_loopback(tmp_path: Path) -> None:
    assert _need(rspamd_version).startswith("rspamd")
    out = run_rspamd([HAM, SPAM, HAM], tmp_path, workers=1)
    assert len(out.scores) == 3 and out.errors == 0
    assert all(math.isfinite(s) for s in out.scores)
    assert out.scores[0] == out.scores[2]
    assert list(tmp_path.iterdir()) == []  # config, pid, database and logs were private


def test_figures_use_each_tool_threshold() -> None:
    data = Labelled(messages=[b""] * 6, is_phish=[False, False, False, True, True, True],
                    source=["h", "h", "h", "p", "p", "p"])
    fig = figures(data, [0.1, 0.2, 0.3, 0.9, 0.25, 0.35])
    assert fig.detect_0_1 == pytest.approx(2 / 3)
    assert fig.per_source == {"h": 0.0, "p": pytest.approx(2 / 3)}
    assert 0.5 < fig.auc <= 1


def test_spread_is_even_and_stable() -> None:
    items = [bytes([i]) for i in range(100)]
    assert _spread(items, 4) == [b"\x00", b"\x19", b"\x32", b"\x4b"]
    assert _spread(items, 500) == items


def test_versus_the_best_reference() -> None:
    def run(detect: float):
        fig = figures(Labelled([b""] * 2, [False, True], ["h", "p"]),
                      [0.0, 1.0 if detect else 0.0])
        return ToolScores("x", "x", [0.0, 1.0], 0, 1.0, 1.0), fig

    check = _versus(0.5, {"SpamAssassin": run(1.0), "rspamd": run(0.0)},
                    {"SpamAssassin": None, "rspamd": None})
    assert check.reference == "SpamAssassin" and check.ratio == pytest.approx(0.5)
    nothing = _versus(0.5, {"rspamd": run(0.0)}, {"rspamd": None})
    assert nothing.status == PASS and nothing.ratio is None
    missing = _versus(0.5, {}, {"SpamAssassin": f"{MISSING}: not installed"})
    assert missing.status == MISSING
    failed = _versus(0.5, {}, {"rspamd": f"{FAILED}: exit 1"})
    assert failed.status == FAILED


def test_context_quick_is_honoured() -> None:
    assert Context(workdir=Path("."), cache=Path("."), quick=True).quick
