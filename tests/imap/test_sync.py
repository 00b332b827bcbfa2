"""Incremental folder sync against a real Dovecot, with the real store."""

from __future__ import annotations

import pytest

from accalmie.config import Account
from accalmie.imap.connect import ImapError, ImapErrorKind, imap_errors, open_session
from accalmie.imap.sync import FolderSync, find_sent_folder, recipients_of, sync_sent
from accalmie.imap.uids import parse_uid_set, uid_set
from accalmie.store import Store
from tests.imap.helpers import client
from tests.imap.mailgen import mailbox, make_message
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


def _sync_all(account: Account, server: DovecotServer, store: Store, folder: str = "INBOX",
              **kw: object) -> list[int]:
    acc_id = store.account_id(account.name)
    with open_session(account, server.password) as session:
        sync = FolderSync(session, store, acc_id, folder, **kw)  # type: ignore[arg-type]
        sync.open()
        uids = []
        for batch in sync.batches():
            uids.extend(batch.uids)
            assert all(item.raw.startswith(b"Return-Path") for item in batch.items)
            sync.commit(batch)
    return uids


def test_uid_sets() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert parse_uid_set(b"1:3,7,10:9") == [1, 2, 3, 7, 9, 10]
    assert parse_uid_set(uid_set(range(1, 500, 3))) == list(range(1, 500, 3))


def test_incremental_only_new_uids(dovecot: DovecotServer, imap_account: Account,
                                   sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(7))
    first = _sync_all(imap_account, dovecot, sqlite_store, batch_size=3)
    assert first == list(range(1, 8))
    again = _sync_all(imap_account, dovecot, sqlite_store, batch_size=3)
    assert again == []
    dovecot.deliver_many(None, mailbox(4, start=7))
    assert _sync_all(imap_account, dovecot, sqlite_store, batch_size=3) == [8, 9, 10, 11]
    state = sqlite_store.folder_state(sqlite_store.account_id(imap_account.name), "INBOX")
    assert state is not None and state.uidnext == 12 and state.highestmodseq


def test_never_marks_as_read(dovecot: DovecotServer, imap_account: Account,
                             sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(3))
    _sync_all(imap_account, dovecot, sqlite_store)
    with client(dovecot) as c:
        c.select_folder("INBOX", readonly=True)
        flags = c.get_flags([1, 2, 3])
    assert all(b"\\Seen" not in f for f in flags.values())


def test_uncommitted_batch_is_fetched_again(dovecot: DovecotServer, imap_account: Account,
                                            sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(9))
    acc_id = sqlite_store.account_id(imap_account.name)
    with open_session(imap_account, dovecot.password) as session:
        sync = FolderSync(session, sqlite_store, acc_id, "INBOX", batch_size=4)
        sync.open()
        batches = sync.batches()
        b1 = next(batches)
        sync.commit(b1)
        b2 = next(batches)  # fetched, then "killed" before committing it
        assert b2.uids == [5, 6, 7, 8]
        batches.close()
    assert _sync_all(imap_account, dovecot, sqlite_store, batch_size=4) == [5, 6, 7, 8, 9]


def test_batches_cut_by_bytes(dovecot: DovecotServer, imap_account: Account,
                              sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(6))
    acc_id = sqlite_store.account_id(imap_account.name)
    with open_session(imap_account, dovecot.password) as session:
        sync = FolderSync(session, sqlite_store, acc_id, "INBOX", batch_size=100,
                          max_batch_bytes=1)
        sync.open()
        sizes = [len(b.items) for b in sync.batches()]
    assert sizes == [1] * 6


def test_uidvalidity_change_reads_again(dovecot: DovecotServer, imap_account: Account,
                                        sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(5))
    assert len(_sync_all(imap_account, dovecot, sqlite_store)) == 5
    dovecot.set_uidvalidity("INBOX", 4242)
    acc_id = sqlite_store.account_id(imap_account.name)
    with open_session(imap_account, dovecot.password) as session:
        sync = FolderSync(session, sqlite_store, acc_id, "INBOX")
        info = sync.open()
        assert sync.reset and info.uidvalidity == 4242
        assert [u for b in sync.batches() for u in b.uids] == [1, 2, 3, 4, 5]


def test_prefetch_on_a_second_connection(dovecot: DovecotServer, imap_account: Account,
                                         sqlite_store: Store) -> None:
    from accalmie.imap.sync import prefetch

    dovecot.deliver_many(None, mailbox(25))
    acc_id = sqlite_store.account_id(imap_account.name)
    with open_session(imap_account, dovecot.password) as session, \
            open_session(imap_account, dovecot.password) as other:
        sync = FolderSync(session, sqlite_store, acc_id, "INBOX", batch_size=10)
        sync.open()
        assert sync.fetch_with(other)
        got = []
        for batch in prefetch(sync.batches()):
            got.extend(batch.uids)
            sync.commit(batch)
    assert got == list(range(1, 26))


def test_server_stopped_mid_sync(dovecot: DovecotServer, imap_account: Account,
                                 sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(12))
    acc_id = sqlite_store.account_id(imap_account.name)
    with pytest.raises(ImapError) as err:
        with imap_errors(imap_account), open_session(imap_account, dovecot.password) as s:
            sync = FolderSync(s, sqlite_store, acc_id, "INBOX", batch_size=5)
            sync.open()
            for batch in sync.batches():
                sync.commit(batch)
                dovecot.stop()
    assert err.value.kind == ImapErrorKind.SERVER
    state = sqlite_store.folder_state(acc_id, "INBOX")
    assert state is not None and state.uidnext == 6  # the committed batch, and no more
    dovecot.start()
    assert _sync_all(imap_account, dovecot, sqlite_store, batch_size=5) == list(range(6, 13))


def test_recipients_of() -> None:
    head = (b"To: =?utf-8?q?B=C3=A9a?= <Bea@Example.org>, carl@example.org\r\n"
            b"Cc: \"Doe, John\" <john@example.org>\r\nMessage-ID: <x@y>\r\n\r\n")
    addrs, mid = recipients_of(head)
    assert sorted(addrs) == ["bea@example.org", "carl@example.org", "john@example.org"]
    assert mid == "<x@y>"


def _sent(i: int, to: str) -> bytes:
    return make_message(i, to=to, extra_headers={"From": "alice@test.example"})


def test_sent_folder_counts_contacts_incrementally(dovecot: DovecotServer,
                                                   imap_account: Account,
                                                   sqlite_store: Store) -> None:
    dovecot.deliver_many(None, [_sent(1, "bob@x.org"), _sent(3, "bob@x.org, carol@y.org"),
                                _sent(4, "alice@test.example")], folder="Sent")
    acc_id = sqlite_store.account_id(imap_account.name)
    with open_session(imap_account, dovecot.password) as session:
        res = sync_sent(session, sqlite_store, acc_id,
                        own_addresses=imap_account.own_addresses)
        assert res.folder == "Sent" and res.messages == 3
        assert sqlite_store.contacts(acc_id) == {"bob@x.org": 2, "carol@y.org": 1}
        again = sync_sent(session, sqlite_store, acc_id)
        assert again.messages == 0
    dovecot.deliver(None, _sent(7, "carol@y.org"), folder="Sent")
    with open_session(imap_account, dovecot.password) as session:
        assert sync_sent(session, sqlite_store, acc_id).messages == 1
    assert sqlite_store.contacts(acc_id) == {"bob@x.org": 2, "carol@y.org": 2}


def test_sent_folder_found_by_french_name(dovecot_factory) -> None:
    server = dovecot_factory(drop_capabilities=("SPECIAL-USE",))
    server.create_folder("Éléments envoyés")
    acc_account = Account(name="t", host="127.0.0.1", port=server.port, security="plain",
                          username=server.user)
    with open_session(acc_account, server.password) as session:
        assert find_sent_folder(session) == "Éléments envoyés"
        assert find_sent_folder(session, "Nope") is None
