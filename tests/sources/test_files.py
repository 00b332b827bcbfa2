"""File sources: Maildir (+ Maildir++ and nested folders), mbox, .eml, folders of files."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from accalmie.mail.parse import parse_message
from accalmie.sources.files import (
    SourceError,
    count_messages,
    detect_kind,
    open_source,
    read_mbox,
    split_mbox,
)


def msg(n: int, body: str = "Bonjour") -> bytes:
    return (f"From: a{n}@example.fr\nTo: b@example.fr\nSubject: message {n}\n"
            f"Date: Mon, 3 Jun 2024 10:{n % 60:02d}:00 +0200\n\n{body} {n}\n").encode()


def make_maildir(root: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    (root / "cur" / "1700000001.M1P1.host:2,S").write_bytes(msg(1))
    (root / "new" / "1700000002.M2P1.host").write_bytes(msg(2))
    (root / "tmp" / "1700000003.M3P1.host").write_bytes(msg(3))  # being delivered: not yet
    (root / "dovecot-uidlist").write_text("3 V1 N4\n")
    (root / "dovecot.index.log").write_bytes(b"\x00\x01")
    sent = root / ".Sent"
    for sub in ("cur", "new", "tmp"):
        (sent / sub).mkdir(parents=True)
    (sent / "maildirfolder").write_text("")
    (sent / "cur" / "1700000004.M4P1.host:2,S").write_bytes(msg(4))
    sub = root / ".Lanes.Prioritaire"
    (sub / "cur").mkdir(parents=True)
    (sub / "cur" / "1700000005.M5P1.host:2,").write_bytes(msg(5))
    return root


def test_maildir_with_maildirplusplus_folders(tmp_path: Path) -> None:
    root = make_maildir(tmp_path / "Maildir")
    assert detect_kind(root) == "maildir"
    items = list(open_source(root))
    keys = [key for key, _ in items]
    assert keys == ["cur/1700000001.M1P1.host:2,S", "new/1700000002.M2P1.host",
                    ".Lanes.Prioritaire/cur/1700000005.M5P1.host:2,",
                    ".Sent/cur/1700000004.M4P1.host:2,S"]
    assert dict(items)["new/1700000002.M2P1.host"] == msg(2)
    assert count_messages(root) == 4
    assert (root / keys[3]).read_bytes() == msg(4)  # the key is the relative path


def test_nested_maildir_folders(tmp_path: Path) -> None:
    root = make_maildir(tmp_path / "mail")
    nested = root / "Archives" / "2023"
    (nested / "cur").mkdir(parents=True)
    (nested / "cur" / "1.M1.h:2,").write_bytes(msg(9))
    keys = [key for key, _ in open_source(root)]
    assert "Archives/2023/cur/1.M1.h:2," in keys
    assert count_messages(root) == 5


def test_maildir_streams_lazily(tmp_path: Path) -> None:
    root = make_maildir(tmp_path / "Maildir")
    stream = open_source(root)
    first_key, _ = next(stream)
    (root / "new" / "1700000002.M2P1.host").unlink()  # gone between listing and reading
    rest = [key for key, _ in stream]
    assert first_key.startswith("cur/") and "new/1700000002.M2P1.host" not in rest


MBOX = (
    b"From alice@example.fr Mon Jun  3 10:00:00 2024\n"
    b"From: alice@example.fr\nSubject: un\n\nPremier message.\n"
    b"From here on, this line is body text (unescaped, no date).\n"
    b">From the archives: escaped once (mboxrd)\n"
    b">>From twice\n"
    b"\n"
    b"From bob@example.fr Mon Jun  3 11:00:00 2024\n"
    b"From: bob@example.fr\nSubject: deux\n\nDeuxieme.\n\n\n"
    b"From MAILER-DAEMON Tue Jun  4 08:00:00 2024\n"
    b"From: mailer-daemon@example.fr\nSubject: trois\n\nTroisieme.\n"
)


def test_mbox_split_escaping_and_offsets(tmp_path: Path) -> None:
    path = tmp_path / "boite.mbox"
    path.write_bytes(MBOX)
    assert detect_kind(path) == "mbox"
    items = list(open_source(path))
    assert [key for key, _ in items] == [
        "mbox:0", f"mbox:{MBOX.index(b'From bob')}", f"mbox:{MBOX.index(b'From MAILER')}"]
    first = items[0][1]
    assert first.startswith(b"From: alice@example.fr\n")
    assert b"From here on, this line is body text" in first
    assert b"\nFrom the archives: escaped once" in first
    assert b"\n>From twice\n" in first
    assert first.endswith(b"twice\n")  # the blank separator line is not part of the message
    assert items[1][1].endswith(b"Deuxieme.\n\n")
    assert [parse_message(raw).subject for _, raw in items] == ["un", "deux", "trois"]
    assert count_messages(path) == 3
    offset = int(items[2][0].split(":")[1])
    assert MBOX[offset:].startswith(b"From MAILER-DAEMON")


def test_mbox_with_crlf_and_preamble(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf"
    crlf.write_bytes(MBOX.replace(b"\n", b"\r\n"))
    assert detect_kind(crlf) == "mbox"  # several envelope lines, whatever the name
    assert [parse_message(raw).subject for _, raw in open_source(crlf)] == ["un", "deux",
                                                                           "trois"]
    data = (b"garbage line before any separator\r\n\r\n"
            + MBOX.replace(b"\n", b"\r\n"))
    path = tmp_path / "crlf.mbox"
    path.write_bytes(data)
    items = list(open_source(path))
    assert len(items) == 4  # the preamble is kept: never lose data
    assert items[0] == ("mbox:0", b"garbage line before any separator\r\n")
    assert parse_message(items[1][1]).subject == "un"
    assert items[1][1].endswith(b">From twice\r\n")


def test_split_mbox_edge_cases() -> None:
    assert list(split_mbox([])) == []
    assert list(split_mbox([b"\n", b"\n"])) == []
    one = list(split_mbox([b"From x Mon Jan  1 00:00:00 2024\n"]))
    assert one == [(0, b"")] or one == []


def test_single_eml_and_from_line_file(tmp_path: Path) -> None:
    eml = tmp_path / "lettre.eml"
    eml.write_bytes(msg(7))
    assert detect_kind(eml) == "eml"
    assert list(open_source(eml)) == [("lettre.eml", msg(7))]
    assert count_messages(eml) == 1
    # one message that starts with an mbox envelope line is a message, not an mbox
    single = tmp_path / "00001.txt"
    single.write_bytes(b"From x@y Mon Jan  1 00:00:00 2024\n" + msg(8))
    assert detect_kind(single) == "eml"
    assert parse_message(next(open_source(single))[1]).subject == "message 8"


def test_folder_recursive_skips_non_messages(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "ham" / "deep").mkdir(parents=True)
    (root / "ham" / "1.txt").write_bytes(msg(1))
    (root / "ham" / "deep" / "2.eml").write_bytes(msg(2))
    (root / "ham" / "3").write_bytes(b"From x@y Mon Jan  1 00:00:00 2024\n" + msg(3))
    (root / "PROVENANCE.md").write_text("# Provenance\n")
    (root / "README").write_text("Read me\n")
    (root / "LICENSE").write_text("MIT License\n")
    (root / "labels.csv").write_text("path,label\n")
    (root / "archive.tar.gz").write_bytes(b"\x1f\x8b\x08\x00")
    (root / "notes.txt").write_text("just some notes, not a message\n")
    (root / ".hidden").write_bytes(msg(4))
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_bytes(msg(5))
    (root / "boxes").mkdir()
    (root / "boxes" / "phish.mbox").write_bytes(MBOX)
    make_maildir(root / "user1")
    assert detect_kind(root) == "folder"
    keys = [key for key, _ in open_source(root)]
    assert keys == [
        "boxes/phish.mbox#mbox:0", f"boxes/phish.mbox#mbox:{MBOX.index(b'From bob')}",
        f"boxes/phish.mbox#mbox:{MBOX.index(b'From MAILER')}",
        "ham/1.txt", "ham/3", "ham/deep/2.eml",
        "user1/cur/1700000001.M1P1.host:2,S", "user1/new/1700000002.M2P1.host",
        "user1/.Lanes.Prioritaire/cur/1700000005.M5P1.host:2,",
        "user1/.Sent/cur/1700000004.M4P1.host:2,S",
    ]
    assert count_messages(root) == len(keys)


def test_unreadable_files_are_skipped_with_a_warning(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    root = make_maildir(tmp_path / "Maildir")
    os.symlink(tmp_path / "nowhere", root / "cur" / "1700000009.dangling:2,S")
    (root / "cur" / "1700000010.adir").mkdir()  # a folder where a file should be
    with caplog.at_level(logging.WARNING, logger="accalmie.sources"):
        keys = [key for key, _ in open_source(root)]
    assert len(keys) == 4
    assert any("dangling" in record.getMessage() for record in caplog.records)
    for record in caplog.records:
        assert "Bonjour" not in record.getMessage()  # never a body in the log


def test_unreadable_mbox_and_missing_source(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        open_source(tmp_path / "absent")
    with pytest.raises(SourceError):
        count_messages(tmp_path / "absent")
    assert list(read_mbox(tmp_path / "absent.mbox")) == []


def test_big_mbox_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.mbox"
    with path.open("wb") as handle:
        for n in range(3000):
            handle.write(f"From u{n}@x.fr Mon Jun  3 10:00:00 2024\n".encode())
            handle.write(msg(n, "corps " * 50))
            handle.write(b"\n")
    stream = open_source(path)
    key, raw = next(stream)  # available before the whole file is read
    assert key == "mbox:0" and parse_message(raw).subject == "message 0"
    assert sum(1 for _ in stream) == 2999
    assert count_messages(path) == 3000
