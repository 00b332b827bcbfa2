"""Evidence packs of messages triaged on a real Dovecot: fetched again by UID, found again
after the user moved them, refused when they are gone or their content changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from accalmie.config import Account, Config
from accalmie.guard.evidence import EvidenceError, verify_pack
from accalmie.guard.evidence.service import create_pack
from accalmie.imap.connect import ImapError
from accalmie.imap.pipeline import triage_imap
from accalmie.pipeline import Parser
from accalmie.service import load_triager, save_learner
from accalmie.store import Store
from tests.guard.test_evidence_helpers import demo_box, members
from tests.imap.helpers import client
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


def _triaged(dovecot: DovecotServer, account: Account, store: Store):  # type: ignore[no-untyped-def]
    box = demo_box()
    inbox = [m for m in box.messages if m.folder == "INBOX"]
    picks = ([m for m in inbox if m.kind == "aggressive"][:2]
             + [m for m in inbox if m.kind == "complaint"][:1]
             + [m for m in inbox if m.kind == "newsletter"][:1])
    others = [m for m in inbox if m not in picks][:10]
    dovecot.deliver_many(None, [m.raw for m in picks + others])
    account = replace(account, addresses=(box.owner.email,))
    config = Config(accounts=(account,))
    triager, account_id = load_triager(config, account, store)
    parser = Parser(workers=1)
    try:
        report = triage_imap(config, account, store, triager, password=dovecot.password,
                             parser=parser)
    finally:
        parser.close()
    save_learner(store, account_id, triager)
    assert report.ok, report.errors
    return config, account, picks


def _options(account: Account, out: Path, **kw: object):  # type: ignore[no-untyped-def]
    from accalmie.guard.evidence import PackOptions
    from tests.guard.test_evidence_helpers import NOW, PARIS

    return PackOptions(out=out, account=account.email, lang="fr", tz=PARIS,
                       tz_name="Europe/Paris", own_addresses=account.own_addresses, now=NOW,
                       **kw)  # type: ignore[arg-type]


def test_pack_from_the_server_byte_for_byte(dovecot: DovecotServer, imap_account: Account,
                                            store: Store, tmp_path: Path) -> None:
    config, account, picks = _triaged(dovecot, imap_account, store)
    acc_id = store.account_id(account.name)
    rows = [store.find_messages(acc_id, message_id=m.message_id, limit=1)[0] for m in picks]
    assert all(r.key.startswith("imap:") for r in rows)
    assert any(r.folder != "INBOX" for r in rows), "triage moved them to lane folders"
    refs = [m.message_id for m in picks[:3]] + [str(rows[3].id)]
    result = create_pack(store, config, account, refs, _options(account, tmp_path / "p.zip"))
    files = members(result.path)
    originals = sorted(v for k, v in files.items() if k.startswith("originals/"))
    assert originals == sorted(m.raw for m in picks)
    # And exactly what the server gives to anyone who asks.
    with client(dovecot) as c:
        for row in rows:
            c.select_folder(row.folder, readonly=True)
            served = c.fetch([row.uid], ["BODY.PEEK[]"])[row.uid][b"BODY[]"]
            assert bytes(served) in originals
            assert b"\\Seen" not in c.fetch([row.uid], ["FLAGS"])[row.uid][b"FLAGS"]
    assert {e.location.split(" UID ")[0] for e in result.entries} == {
        f"IMAP {r.folder}" for r in rows}
    assert verify_pack(result.path).ok


def test_moved_gone_and_changed_on_the_server(dovecot: DovecotServer, imap_account: Account,
                                              sqlite_store: Store, tmp_path: Path) -> None:
    store = sqlite_store
    config, account, picks = _triaged(dovecot, imap_account, store)
    acc_id = store.account_id(account.name)
    first, second = (store.find_messages(acc_id, message_id=m.message_id, limit=1)[0]
                     for m in picks[:2])
    # The user files the first one in a folder of their own: it is looked for and found.
    with client(dovecot) as c:
        c.create_folder("Plainte")
        c.select_folder(first.folder)
        c.move([first.uid], "Plainte")
    result = create_pack(store, config, account, [first.message_id],
                         _options(account, tmp_path / "moved.zip"))
    assert result.entries[0].location.startswith("IMAP Plainte UID ")
    assert members(result.path)[result.entries[0].filename] == picks[0].raw
    # Then deletes it: it is gone, and the pack is refused with the reason.
    with client(dovecot) as c:
        c.select_folder("Plainte")
        c.delete_messages(c.search(["HEADER", "Message-ID", first.message_id]))
        c.expunge()
    with pytest.raises(EvidenceError) as caught:
        create_pack(store, config, account, [first.message_id, second.message_id],
                    _options(account, tmp_path / "gone.zip"))
    assert len(caught.value.problems) == 1 and first.message_id in caught.value.problems[0]
    assert not (tmp_path / "gone.zip").exists()
    # A message with the same Message-ID but other content is never packed in its place.
    forged = picks[1].raw.replace(b"\r\n\r\n", b"\r\n\r\nAjout. ", 1)
    with client(dovecot) as c:
        c.select_folder(second.folder)
        c.delete_messages([second.uid])
        c.expunge()
        c.append("INBOX", forged)
    with pytest.raises(EvidenceError) as caught:
        create_pack(store, config, account, [second.message_id],
                    _options(account, tmp_path / "forged.zip"))
    assert "INBOX" in caught.value.problems[0]
    assert not (tmp_path / "forged.zip").exists()


def test_server_refusing_the_login_is_an_imap_error(dovecot: DovecotServer,
                                                    imap_account: Account,
                                                    sqlite_store: Store, tmp_path: Path) -> None:
    config, account, picks = _triaged(dovecot, imap_account, sqlite_store)
    with pytest.raises(ImapError):
        create_pack(sqlite_store, config, account, [picks[0].message_id],
                    _options(account, tmp_path / "p.zip"), password=lambda: "wrong")
    assert not (tmp_path / "p.zip").exists()
