"""``evaluate_phishing``: trace headers removed, sources of every shape read, figures right."""

from __future__ import annotations

import io
import json
import mailbox
import tarfile
from pathlib import Path

import pytest

from accalmie.eval.phishing import (
    PhishingEvalError,
    count,
    detection_at_fpr,
    evaluate_phishing,
    figures,
    iter_messages,
    roc_auc,
    strip_trace_headers,
    threshold_at_fpr,
)
from accalmie.mail.parse import parse_message

KEYS = {"detect_at_fpr_0_1", "detect_at_fpr_1", "detect_default", "fpr_default", "auc",
        "n_ham", "n_phish", "msgs_per_s"}

RAW = (b"From MAILER-DAEMON Fri Jul  8 12:08:34 2005\n"
       b"Return-Path: <bounce@relay.example>\n"
       b"Received: from relay.example (relay.example [192.0.2.1])\n"
       b"\tby mx.example.org with ESMTP; Fri, 8 Jul 2005 12:08:34 +0000\n"
       b"X-MS-Exchange-Organization-SCL: 9\n"
       b"X-Microsoft-Antispam: BCL:0;\n"
       b"ARC-Seal: i=1; a=rsa-sha256; d=example.org\n"
       b"X-Spam-Status: Yes, score=12.1\n"
       b"X-Originating-IP: [192.0.2.9]\n"
       b"DKIM-Signature: v=1; a=rsa-sha256; d=example.org;\n"
       b"  b=abcdef\n"
       b"Authentication-Results: mx.example.org; spf=fail\n"
       b"From: Service <service@example.net>\n"
       b"To: someone@example.org\n"
       b"Subject: Hello\n"
       b"Date: Fri, 8 Jul 2005 12:08:34 +0000\n"
       b"\n"
       b"Received: this line is in the body and stays\n")


def test_trace_headers_are_removed_and_the_rest_kept() -> None:
    out = strip_trace_headers(RAW)
    head, _, body = out.partition(b"\n\n")
    names = [line.split(b":")[0].lower() for line in head.splitlines()
             if line[:1] not in (b" ", b"\t")]
    assert names == [b"from", b"to", b"subject", b"date"]
    assert b"abcdef" not in head  # continuation lines go with their field
    assert body == b"Received: this line is in the body and stays\n"
    msg = parse_message(out)
    assert msg.subject == "Hello" and msg.from_ is not None
    assert msg.authentication_results == ()


def test_crlf_and_headerless_input() -> None:
    crlf = RAW.replace(b"\n", b"\r\n")
    out = strip_trace_headers(crlf)
    assert b"Received: from" not in out.partition(b"\r\n\r\n")[0]
    assert b"Subject: Hello" in out
    assert strip_trace_headers(b"") == b""
    assert strip_trace_headers(b"just text, no header") == b"just text, no header"


def test_metrics_on_known_scores() -> None:
    ham = [i / 1000 for i in range(1000)]  # 0.000 .. 0.999
    phish = [0.9995, 0.995, 0.5, 0.1]
    assert threshold_at_fpr(ham, 0.001) == 0.998  # one ham (0.999) may be above it...
    assert detection_at_fpr(ham, phish, 0.001) == 0.25  # ...and phishing must be too
    assert detection_at_fpr(ham, phish, 0.01) == 0.5
    assert roc_auc([0.1, 0.2], [0.3, 0.4]) == 1.0
    assert roc_auc([0.3, 0.4], [0.1, 0.2]) == 0.0
    assert roc_auc([0.5, 0.5], [0.5, 0.5]) == 0.5  # ties count half
    result = figures(ham, phish, threshold=0.5)
    assert result.detect_default == 0.75 and result.fpr_default == 0.5
    data = json.loads(result.to_json())
    assert set(data) == KEYS
    assert all(0.0 <= data[k] <= 1.0 for k in KEYS - {"n_ham", "n_phish", "msgs_per_s"})


def test_auc_matches_a_reference_implementation() -> None:
    sklearn = pytest.importorskip("sklearn.metrics")
    ham = [0.1, 0.4, 0.35, 0.8, 0.2, 0.2]
    phish = [0.9, 0.35, 0.6, 0.2]
    ref = sklearn.roc_auc_score([0] * len(ham) + [1] * len(phish), ham + phish)
    assert roc_auc(ham, phish) == pytest.approx(ref)


def _eml(subject: str, body: str = "Bonjour,\nà demain.\n", frm: str = "a@example.org") -> bytes:
    return (f"From: {frm}\nTo: b@example.org\nSubject: {subject}\n\n{body}").encode()


def test_sources_of_every_shape(tmp_path: Path) -> None:
    folder = tmp_path / "pot" / "email"  # phishing_pot's layout: messages one level down
    folder.mkdir(parents=True)
    (tmp_path / "pot" / "README.md").write_text("not a message")
    (tmp_path / "pot" / "LICENSE").write_text("not a message")
    for i in range(3):
        (folder / f"sample-{i}.eml").write_bytes(_eml(f"m{i}"))
    sa = tmp_path / "easy-ham-1"  # SpamAssassin's layout: .txt files starting with "From "
    sa.mkdir()
    (sa / "00001.abc.txt").write_bytes(b"From x@y Fri Jul  8 12:08:34 2005\n" + _eml("sa"))
    box = mailbox.mbox(str(tmp_path / "phish.mbox"))
    for i in range(2):
        box.add(_eml(f"mbox {i}"))
    box.flush()
    tar_path = tmp_path / "user.tar.gz"  # the Enron mailboxes' layout
    with tarfile.open(tar_path, "w:gz") as tar:
        for i in range(2):
            data = _eml(f"tar {i}")
            info = tarfile.TarInfo(f"user/folder/{i + 1}.")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    assert len(list(iter_messages(tmp_path / "pot"))) == 3
    assert len(list(iter_messages(sa))) == 1
    assert len(list(iter_messages(tmp_path / "phish.mbox"))) == 2
    assert len(list(iter_messages(tar_path))) == 2
    # A folder holding archives reads them too.
    whole = list(iter_messages(tmp_path))
    assert len(whole) == 3 + 1 + 2 + 2
    assert count([tmp_path]) == len(whole)


def test_evaluate_on_small_mailboxes(tmp_path: Path) -> None:
    ham, phish = tmp_path / "ham", tmp_path / "phish"
    ham.mkdir()
    phish.mkdir()
    for i in range(20):
        (ham / f"{i}.eml").write_bytes(_eml(f"Réunion {i}", "Bonjour, la réunion est à 14h."))
    lure = ("<html><body><p>Votre compte sera suspendu sous 24 heures. Veuillez vérifier vos "
            "informations :</p><a href='http://203.0.113.9/caf/login.php'>www.caf.fr</a>"
            "</body></html>")
    for i in range(5):
        raw = (f"From: CAF <contact{i}@caf-allocations-en-ligne.com>\nTo: b@example.org\n"
               f"Subject: Action requise\nContent-Type: text/html; charset=utf-8\n\n{lure}")
        (phish / f"{i}.eml").write_bytes(raw.encode())
    seen: list[tuple[int, int]] = []
    result = evaluate_phishing([ham], [phish], progress=lambda d, t: seen.append((d, t)))
    assert result.n_ham == 20 and result.n_phish == 5
    assert result.detect_at_fpr_0_1 == 1.0 and result.auc == 1.0
    assert result.detect_default == 1.0 and result.fpr_default == 0.0
    assert result.msgs_per_s > 0
    assert seen and seen[-1] == (25, 25)


def test_bad_sources_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(PhishingEvalError):
        evaluate_phishing([tmp_path / "missing"], [tmp_path])
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "one.eml").write_bytes(_eml("x"))
    with pytest.raises(PhishingEvalError):
        evaluate_phishing([empty], [tmp_path / "one.eml"])
    with pytest.raises(PhishingEvalError):
        evaluate_phishing([], [tmp_path / "one.eml"])


@pytest.mark.corpus
def test_on_a_slice_of_the_corpora(corpora: Path, tmp_path: Path) -> None:
    """A few hundred real messages: the figures are sane (the full run is `make bench`)."""
    ham_dir, phish_dir = tmp_path / "ham", tmp_path / "phish"
    ham_dir.mkdir()
    phish_dir.mkdir()
    for f in sorted((corpora / "spamassassin_public_corpus" / "hard-ham-1").glob("*.txt"))[:150]:
        (ham_dir / f.name).symlink_to(f)
    for f in sorted((corpora / "phishing_pot" / "email").glob("*.eml"))[:60]:
        (phish_dir / f.name).symlink_to(f)
    nazario = corpora / "nazario_phishing_2004_2005" / "phishing0.mbox"
    result = evaluate_phishing([ham_dir], [phish_dir, nazario])
    assert result.n_ham == 150 and result.n_phish > 400
    assert result.auc > 0.9
    assert result.detect_at_fpr_1 > 0.5
