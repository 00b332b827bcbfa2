"""Writing the demo mailbox to disk: Maildir++, mbox and .eml folders that other tools read."""

from __future__ import annotations

import csv
import email
import mailbox
import os
from dataclasses import replace
from email import policy
from pathlib import Path

from accalmie.demo.generator import (
    Mailbox,
    iter_messages,
    write_eml_dir,
    write_maildir,
    write_mbox,
    write_truth_csv,
)


def _inbox(mb: Mailbox) -> list[bytes]:
    return [m.raw for m in mb.messages if m.folder == "INBOX"]


def test_maildir_is_readable_by_the_stdlib(tmp_path: Path, mailbox600: Mailbox) -> None:
    counts = write_maildir(mailbox600, tmp_path / "Maildir")
    md = mailbox.Maildir(tmp_path / "Maildir", factory=None, create=False)
    assert counts["INBOX"] == len(md) == len(_inbox(mailbox600))
    assert md.list_folders() == ["Sent"]
    sent = md.get_folder("Sent")
    assert counts["Sent"] == len(sent) == len(mailbox600.by_folder("Sent"))
    assert sorted(md.get_bytes(k) for k in md.keys()) == sorted(_inbox(mailbox600))
    assert all("S" in sent.get_message(k).get_flags() for k in sent.keys())
    assert not any(list((tmp_path / "Maildir" / sub).iterdir()) for sub in ("new", "tmp"))
    assert (tmp_path / "Maildir" / ".Sent" / "maildirfolder").exists()


def test_maildir_names_and_times_are_deterministic(tmp_path: Path) -> None:
    a = write_maildir(iter_messages(60, seed=4), tmp_path / "a")
    b = write_maildir(iter_messages(60, seed=4), tmp_path / "b")
    assert a == b
    names_a = sorted(p.name for p in (tmp_path / "a" / "cur").iterdir())
    names_b = sorted(p.name for p in (tmp_path / "b" / "cur").iterdir())
    assert names_a == names_b
    for path in (tmp_path / "a" / "cur").iterdir():
        epoch = int(path.name.split(".", 1)[0])
        assert int(os.stat(path).st_mtime) == epoch
        assert f",S={path.stat().st_size}:2," in path.name


def test_recent_messages_stay_unread(tmp_path: Path, mailbox600: Mailbox) -> None:
    write_maildir(mailbox600, tmp_path / "Maildir", unread_days=3)
    md = mailbox.Maildir(tmp_path / "Maildir", create=False)
    seen = [("S" in md.get_message(k).get_flags()) for k in md.keys()]
    assert any(seen) and not all(seen)
    # the same mailbox streamed, with the same horizon, gets the same files
    write_maildir(iter_messages(600, seed=7), tmp_path / "streamed", unread_days=3,
                  until=mailbox600.messages[-1].date)
    assert sorted(p.name for p in (tmp_path / "Maildir" / "cur").iterdir()) == \
        sorted(p.name for p in (tmp_path / "streamed" / "cur").iterdir())


def test_mbox_is_readable_by_the_stdlib(tmp_path: Path, mailbox600: Mailbox) -> None:
    n = write_mbox(mailbox600, tmp_path / "inbox.mbox")
    box = mailbox.mbox(tmp_path / "inbox.mbox", create=False)
    assert n == len(box) == len(_inbox(mailbox600))
    ids = [box.get_message(k)["Message-ID"] for k in box.keys()]
    assert ids == [m.message_id for m in mailbox600.messages if m.folder == "INBOX"]
    assert write_mbox(mailbox600, tmp_path / "all.mbox", folder=None) == len(mailbox600.messages)


def test_mbox_quotes_from_lines(tmp_path: Path, mailbox600: Mailbox) -> None:
    m = mailbox600.messages[0]
    raw = m.raw.replace(b"\r\n\r\n", b"\r\n\r\nFrom here on, nothing changes.\r\n", 1)
    tricky = replace(m, raw=raw)
    write_mbox([tricky, m], tmp_path / "t.mbox", folder=None)
    data = (tmp_path / "t.mbox").read_bytes()
    assert b"\n>From here on" in data
    assert b"\r\n" not in data
    assert len(mailbox.mbox(tmp_path / "t.mbox")) == 2


def test_eml_dir_and_truth(tmp_path: Path, mailbox600: Mailbox) -> None:
    counts = write_eml_dir(mailbox600, tmp_path / "eml")
    files = sorted((tmp_path / "eml").rglob("*.eml"))
    assert len(files) == len(mailbox600.messages) == sum(counts.values())
    msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert msg["Message-ID"] == mailbox600.messages[0].message_id
    assert write_truth_csv(mailbox600, tmp_path / "truth.csv") == len(mailbox600.messages)
    with (tmp_path / "truth.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0].keys() >= {"message_id", "folder", "kind", "expected_lane", "expected_flags"}
    assert {r["expected_lane"] for r in rows if r["folder"] == "Sent"} == {""}
    assert {r["expected_lane"] for r in rows} - {""} == {"priority", "info", "bulk", "suspect"}


def test_writers_stream(tmp_path: Path) -> None:
    """Large mailboxes go to disk without being held in memory."""
    counts = write_maildir(iter_messages(300, seed=9), tmp_path / "md")
    assert sum(counts.values()) == 300
    assert write_mbox(iter_messages(300, seed=9), tmp_path / "x.mbox") == counts["INBOX"]
