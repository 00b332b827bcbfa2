"""Every message of the shared corpora parses, without an exception, into a sane Message."""

from __future__ import annotations

import csv
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from accalmie.mail.model import Message
from accalmie.mail.parse import parse_message
from accalmie.sources.files import open_source

pytestmark = pytest.mark.corpus


def _tar(path: Path) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(path, "r:gz") as tar:
        for member in tar:
            if member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def _parse_all(items: Iterator[tuple[str, bytes]]) -> dict[str, Message]:
    out: dict[str, Message] = {}
    for key, raw in items:
        try:
            msg = parse_message(raw)
        except Exception as exc:  # pragma: no cover - the point of the test
            pytest.fail(f"{key}: parse_message raised {exc!r}")
        assert isinstance(msg, Message), key
        assert msg.size == len(raw), key
        assert msg.date is None or msg.date.tzinfo is not None, key
        out[key] = msg
    return out


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not in this copy of the corpora")
    return path


def test_spamassassin(corpora: Path) -> None:
    msgs = _parse_all(open_source(_need(corpora / "spamassassin_public_corpus")))
    assert len(msgs) == 6046
    ham = [m for key, m in msgs.items() if "ham" in key]
    # real 2002 mail: nearly all have a sender, a date, a subject and some text
    assert sum(m.from_ is not None for m in ham) / len(ham) > 0.99
    assert sum(m.date is not None for m in ham) / len(ham) > 0.97
    assert sum(bool(m.text.strip()) for m in ham) / len(ham) > 0.99
    assert sum(m.language == "en" for m in ham) / len(ham) > 0.9
    spam = [m for key, m in msgs.items() if "spam" in key]
    assert sum(bool(m.links) for m in spam) / len(spam) > 0.7


def test_nazario_mbox(corpora: Path) -> None:
    msgs = _parse_all(open_source(_need(corpora / "nazario_phishing_2004_2005")))
    assert len(msgs) == 1308
    assert sum(bool(m.links) for m in msgs.values()) / len(msgs) > 0.8


def test_phishing_pot(corpora: Path) -> None:
    msgs = _parse_all(open_source(_need(corpora / "phishing_pot" / "email")))
    assert len(msgs) == 1444
    assert sum(m.from_ is not None and "@" in m.from_.email for m in msgs.values()) > 1400


def test_enron_folders_match_the_index(corpora: Path) -> None:
    base = _need(corpora / "enron_folders")
    index = {}
    with (base / "index.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            index[row["tar_member"]] = row
    total = 0
    for tar in sorted(base.glob("*.tar.gz")):
        msgs = _parse_all(_tar(tar))
        total += len(msgs)
        for key, msg in msgs.items():
            row = index.get(key)
            if row is None:
                continue
            assert msg.message_id == row["message_id"], key
            if row["from"]:
                assert msg.from_ is not None and msg.from_.email == row["from"].lower(), key
            assert msg.header("x-folder") == row["x_folder"], key
            assert msg.date is not None, key
    assert total == len(index)


def test_enron_spam_metsis(corpora: Path) -> None:
    msgs = _parse_all(_tar(_need(corpora / "enron_spam_metsis_enron1" / "enron1.tar.gz")))
    assert "enron1/Summary.txt" in msgs  # not a message, parsed all the same
    msgs = {key: m for key, m in msgs.items() if "/ham/" in key or "/spam/" in key}
    assert len(msgs) == 5172
    # subject + body only: a Message all the same, with the missing headers recorded
    assert sum(bool(m.subject or m.text) for m in msgs.values()) / len(msgs) > 0.99
    assert all("no From header" in m.defects for m in msgs.values())
