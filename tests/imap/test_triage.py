"""IMAP triage runs against a real Dovecot: folders, moves, fallbacks, learning, dry run."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accalmie.config import Account, Config
from accalmie.imap.actions import ensure_folders, lane_folder_names, move_uids
from accalmie.imap.connect import ImapError, ImapErrorKind, open_session
from accalmie.imap.pipeline import TriageReport, triage_imap
from accalmie.imap.sync import select
from accalmie.store import Store
from accalmie.triage.decision import Lane
from tests.fixtures_imap import account_for
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, client, config_for, locations
from tests.imap.mailgen import StandInTriager, mailbox, make_message, message_id
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


def expected_places(n: int, start: int = 0, folders: dict[Lane, str] = LANE_FOLDERS,
                    seed: int = 0) -> dict[str, str]:
    from tests.imap.mailgen import lane_of_raw

    return {message_id(i): folders[lane_of_raw(make_message(i, seed=seed))]
            for i in range(start, start + n)}


def run(account: Account, store: Store, server: DovecotServer, triager=None,
        config: Config | None = None, **kw: object) -> TriageReport:
    return triage_imap(config or config_for(account), account, store,
                       triager or StandInTriager(), password=server.password,
                       **kw)  # type: ignore[arg-type]


def test_triage_moves_every_message_to_its_lane(dovecot: DovecotServer, imap_account: Account,
                                                store: Store) -> None:
    dovecot.deliver_many(None, mailbox(40))
    account = replace(imap_account, batch_size=7)
    progress: list[tuple[str, int, int | None]] = []
    report = run(account, store, dovecot, progress=lambda *a: progress.append(a))
    assert report.ok, report.errors
    assert report.fetched == 40 and report.moved == 40
    assert sum(report.lanes.values()) == 40
    assert sorted(report.folders_created) == sorted(["Accalmie", *LANE_FOLDERS.values()])
    assert_exactly_once(dovecot, expected_places(40))
    acc_id = store.account_id(account.name)
    assert store.count_messages(acc_id) == 40
    assert store.journal_pending(acc_id, "move") == []
    # Stored locations are the real ones (new UIDs from COPYUID).
    for folder in LANE_FOLDERS.values():
        stored = store.uids_in_folder(acc_id, folder)
        with client(dovecot) as c:
            c.select_folder(folder, readonly=True)
            assert set(stored) == set(c.search("ALL"))
    assert ("triage", 40, 40) in progress
    # A second run has nothing to do.
    again = run(account, store, dovecot)
    assert again.fetched == 0 and again.moved == 0 and again.corrections == 0
    assert "40" in report.render("en") and report.render("fr")


def test_subscribed_folders_with_slash_separator(dovecot_factory, monkeypatch,
                                                 sqlite_store: Store) -> None:
    server = dovecot_factory(separator="/")
    monkeypatch.setenv("ACCALMIE_TEST_IMAP_PASSWORD", server.password)
    account = account_for(server)
    cfg = Config(accounts=(account,), lane_parent="Tri")
    server.deliver_many(None, mailbox(8))
    report = run(account, sqlite_store, server, config=cfg)
    folders = {lane: f"Tri/{name}" for lane, name in cfg.lane_folders.items()}
    assert report.lane_folders == {lane.value: f for lane, f in folders.items()}
    assert_exactly_once(server, expected_places(8, folders=folders))
    with client(server) as c:
        subscribed = {name for _f, _d, name in c.list_sub_folders()}
    assert set(folders.values()) <= subscribed
    # The Maildir on disk uses Dovecot's own layout; the IMAP names are what we asked.
    assert server.maildir().is_dir()


def test_lane_folder_names() -> None:
    cfg = Config(lane_parent="Accalmie")
    names = lane_folder_names(cfg, ".")
    assert names[Lane.INFO] == "Accalmie.Pour info"
    flat = lane_folder_names(Config(lane_parent=""), "/")
    assert flat[Lane.BULK] == "Infolettres"
    inbox = lane_folder_names(Config(lane_folders={**cfg.lane_folders,
                                                   Lane.PRIORITY: "INBOX"}), "/")
    assert inbox[Lane.PRIORITY] == "INBOX"
    assert lane_folder_names(cfg, ".", "INBOX.")[Lane.SUSPECT] == "INBOX.Accalmie.Suspect"


def test_copy_fallback_without_move(dovecot_factory, monkeypatch, sqlite_store: Store) -> None:
    server = dovecot_factory(drop_capabilities=("MOVE",))
    monkeypatch.setenv("ACCALMIE_TEST_IMAP_PASSWORD", server.password)
    account = account_for(server)
    server.deliver_many(None, mailbox(15))
    with open_session(account, server.password) as session:
        assert not session.has("MOVE") and session.has("UIDPLUS")
    report = run(account, sqlite_store, server)
    assert report.ok and report.moved == 15
    assert_exactly_once(server, expected_places(15))


def test_copy_fallback_called_directly(dovecot: DovecotServer, imap_account: Account) -> None:
    dovecot.deliver_many(None, mailbox(5))
    dovecot.create_folder("Archive")
    with open_session(imap_account, dovecot.password) as session:
        select(session, "INBOX")
        res = move_uids(session, [1, 2, 3, 99], "Archive", use_move=False)
    assert sorted(res.moved) == [1, 2, 3] and res.gone == [99]
    assert sorted(res.moved.values()) == [1, 2, 3] and res.dest_uidvalidity
    where = locations(dovecot)
    assert sorted(f for fs in where.values() for f in fs) == ["Archive"] * 3 + ["INBOX"] * 2


def test_no_move_no_uidplus_never_expunges_the_users_deleted_mail(
        dovecot_factory, monkeypatch, sqlite_store: Store) -> None:
    server = dovecot_factory(drop_capabilities=("MOVE", "UIDPLUS"))
    monkeypatch.setenv("ACCALMIE_TEST_IMAP_PASSWORD", server.password)
    account = account_for(server)
    server.deliver_many(None, mailbox(6))
    # The user flagged one message \Deleted in another client; it must survive.
    victim = make_message(100, lane=Lane.INFO)
    server.deliver(None, victim, flags="\\Deleted")
    report = run(account, sqlite_store, server)
    where = locations(server)
    assert where[message_id(100)] == ["INBOX"]  # not expunged, not triaged: the user's choice
    assert report.failed == 6  # our originals were copied but left flagged, to retry
    # Once the user's client expunges, the next run finishes cleanly, no duplicate.
    with client(server) as c:
        c.select_folder("INBOX")
        c.expunge()
    assert message_id(100) not in locations(server)
    again = run(account, sqlite_store, server)
    assert again.failed == 0, again
    assert_exactly_once(server, expected_places(6))


def test_dry_run_moves_and_records_nothing(dovecot: DovecotServer, imap_account: Account,
                                           sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(12))
    report = run(imap_account, sqlite_store, dovecot, dry_run=True)
    assert report.dry_run and report.fetched == 12 and report.moved == 0
    assert len(report.planned) == 12 and sum(report.lanes.values()) == 12
    assert {p.dest for p in report.planned} <= set(LANE_FOLDERS.values())
    assert report.folders_created == []
    where = locations(dovecot)
    assert set(where) == set(expected_places(12)) and all(f == ["INBOX"] for f in where.values())
    with client(dovecot) as c:
        assert {n for _f, _d, n in c.list_folders()} == {"INBOX"}
    acc_id = sqlite_store.account_id(imap_account.name)
    assert sqlite_store.count_messages(acc_id) == 0
    assert sqlite_store.journal_counts(acc_id) == {"pending": 0, "done": 0, "failed": 0}
    assert sqlite_store.folder_state(acc_id, "INBOX") is None
    assert "12" in report.render("en")
    # And the real run afterwards does everything.
    assert run(imap_account, sqlite_store, dovecot).moved == 12


def test_sync_mode_stores_then_triage_moves(dovecot: DovecotServer, imap_account: Account,
                                            sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(9))
    synced = run(imap_account, sqlite_store, dovecot, move=False)
    assert synced.fetched == 9 and synced.moved == 0
    assert all(f == ["INBOX"] for f in locations(dovecot).values())
    acc_id = sqlite_store.account_id(imap_account.name)
    assert sqlite_store.count_messages(acc_id) == 9
    moved = run(imap_account, sqlite_store, dovecot)
    assert moved.fetched == 0 and moved.moved == 9
    assert_exactly_once(dovecot, expected_places(9))
    assert sqlite_store.count_messages(acc_id) == 9


def test_user_moves_between_lane_folders_are_learned(dovecot: DovecotServer,
                                                     imap_account: Account,
                                                     sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(20))
    triager = StandInTriager()
    run(imap_account, sqlite_store, dovecot, triager)
    places = expected_places(20)
    bulk = [m for m, f in places.items() if f == LANE_FOLDERS[Lane.BULK]]
    prio = [m for m, f in places.items() if f == LANE_FOLDERS[Lane.PRIORITY]]
    moved_by_user, back_to_inbox = bulk[0], prio[0]
    with client(dovecot) as c:  # another mail client
        c.select_folder(LANE_FOLDERS[Lane.BULK])
        c.move(c.search(["HEADER", "Message-ID", moved_by_user]), LANE_FOLDERS[Lane.PRIORITY])
        c.select_folder(LANE_FOLDERS[Lane.PRIORITY])
        c.move(c.search(["HEADER", "Message-ID", back_to_inbox]), "INBOX")
    saved: list[int] = []
    report = run(imap_account, sqlite_store, dovecot, triager,
                 after_learning=lambda: saved.append(1))
    assert report.corrections == 1 and report.kept == 1, report
    assert saved == [1]
    assert triager.learned == [(moved_by_user, Lane.PRIORITY)]
    acc_id = sqlite_store.account_id(imap_account.name)
    corr = sqlite_store.corrections(acc_id)
    assert [(c.message_id, c.old_lane, c.new_lane, c.origin) for c in corr] == [
        (moved_by_user, "bulk", "priority", "imap-move")]
    row = sqlite_store.find_messages(acc_id, message_id=moved_by_user)
    assert len(row) == 1 and row[0].lane == "priority"
    assert row[0].folder == LANE_FOLDERS[Lane.PRIORITY]
    assert row[0].decision.reasons[0].code == "user_move"
    places[moved_by_user] = LANE_FOLDERS[Lane.PRIORITY]
    places[back_to_inbox] = "INBOX"
    assert_exactly_once(dovecot, places)
    # Nothing more on the next run: the correction is not counted twice, the kept message
    # stays in the inbox.
    third = run(imap_account, sqlite_store, dovecot, triager)
    assert third.corrections == 0 and third.moved == 0
    assert len(sqlite_store.corrections(acc_id)) == 1
    assert_exactly_once(dovecot, places)
    assert sqlite_store.count_messages(acc_id) == 20
    # Even when the server renumbers the inbox, the kept message is not filed again.
    dovecot.set_uidvalidity("INBOX", 999)
    fourth = run(imap_account, sqlite_store, dovecot, triager)
    assert fourth.moved == 0 and fourth.ok
    assert_exactly_once(dovecot, places)
    assert sqlite_store.count_messages(acc_id) == 20


def test_unknown_message_filed_by_the_user_teaches_the_lane(
        dovecot: DovecotServer, imap_account: Account, sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(3))
    triager = StandInTriager()
    run(imap_account, sqlite_store, dovecot, triager)
    old = make_message(500, lane=Lane.PRIORITY)
    dovecot.deliver(None, old, folder=LANE_FOLDERS[Lane.BULK])
    report = run(imap_account, sqlite_store, dovecot, triager)
    assert report.learned_new == 1 and triager.learned == [(message_id(500), Lane.BULK)]


def test_uidvalidity_change_does_not_duplicate(dovecot: DovecotServer, imap_account: Account,
                                               sqlite_store: Store) -> None:
    # Priority mail stays in the inbox here, so the inbox keeps stored messages.
    cfg = Config(accounts=(imap_account,),
                 lane_folders={**Config().lane_folders, Lane.PRIORITY: "INBOX"})
    dovecot.deliver_many(None, mailbox(16))
    first = run(imap_account, sqlite_store, dovecot, config=cfg)
    kept_in_inbox = 16 - first.moved
    assert kept_in_inbox > 0
    acc_id = sqlite_store.account_id(imap_account.name)
    assert sqlite_store.count_messages(acc_id) == 16
    dovecot.set_uidvalidity("INBOX", 777)
    dovecot.deliver_many(None, mailbox(2, start=16))
    second = run(imap_account, sqlite_store, dovecot, config=cfg)
    assert second.fetched == kept_in_inbox + 2 and second.ok
    assert sqlite_store.count_messages(acc_id) == 18
    folders = {**LANE_FOLDERS, Lane.PRIORITY: "INBOX"}
    assert_exactly_once(dovecot, expected_places(18, folders=folders))
    keys = {r.key for r in sqlite_store.find_messages(acc_id, folder="INBOX", limit=100)}
    assert all(k.startswith("imap:INBOX:777:") for k in keys)


@pytest.mark.parametrize("n,batch", [(30, 5), (450, 40)])  # the second fetches ahead
def test_server_stopped_mid_triage_then_resumed(dovecot: DovecotServer, imap_account: Account,
                                                sqlite_store: Store, n: int,
                                                batch: int) -> None:
    dovecot.deliver_many(None, mailbox(n))
    account = replace(imap_account, batch_size=batch)

    def stop_after_first_batch(stage: str, done: int, total: int | None) -> None:
        if stage == "triage" and done >= batch:
            dovecot.stop()

    with pytest.raises(ImapError) as err:
        run(account, sqlite_store, dovecot, progress=stop_after_first_batch)
    assert err.value.kind in (ImapErrorKind.SERVER, ImapErrorKind.UNREACHABLE)
    assert err.value.message
    dovecot.start()
    report = run(account, sqlite_store, dovecot)
    assert report.ok, report.errors
    assert_exactly_once(dovecot, expected_places(n))
    assert sqlite_store.count_messages(sqlite_store.account_id(account.name)) == n


def test_wrong_password_is_an_error(dovecot: DovecotServer, imap_account: Account,
                                    sqlite_store: Store) -> None:
    with pytest.raises(ImapError) as err:
        triage_imap(config_for(imap_account), imap_account, sqlite_store, StandInTriager(),
                    password="wrong")
    assert err.value.kind == ImapErrorKind.AUTH


def test_sent_contacts_feed_the_triager(dovecot: DovecotServer, imap_account: Account,
                                        sqlite_store: Store) -> None:
    dovecot.deliver(None, make_message(3, to="usager@example.org",
                                       extra_headers={"From": "alice@test.example"}),
                    folder="Sent")
    triager = StandInTriager()
    report = run(imap_account, sqlite_store, dovecot, triager)
    assert report.sent_read == 1
    assert triager.contacts == {"usager@example.org": 1}
    assert sqlite_store.contacts(sqlite_store.account_id(imap_account.name)) == {
        "usager@example.org": 1}


def test_broken_messages_are_triaged_not_lost(dovecot: DovecotServer, imap_account: Account,
                                              sqlite_store: Store) -> None:
    broken = [
        b"Subject: =?x-unknown?q?caf=E9?=\r\nMessage-ID: <b1@x>\r\n"
        b"Content-Type: text/plain; charset=x-nonsense\r\n\r\n\xff\xfe body\r\n",
        b"Message-ID: <b2@x>\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n"
        b"Content-Type: text/html\r\n\r\n<p>unterminated\r\n",
        b"X-Header: " + b"a" * 20000 + b"\r\nMessage-ID: <b3@x>\r\n\r\nbody\r\n",
        b"not a mail at all\r\n",
    ]
    dovecot.deliver_many(None, broken)
    report = run(imap_account, sqlite_store, dovecot)
    assert report.fetched == 4 and report.moved == 4 and report.ok
    where = locations(dovecot)
    assert all(len(f) == 1 and f[0] != "INBOX" for f in where.values())


def test_ensure_folders_is_idempotent(dovecot: DovecotServer, imap_account: Account) -> None:
    with open_session(imap_account, dovecot.password) as session:
        first = ensure_folders(session, ["A.B.C", "A.D"])
        assert first == ["A", "A.B", "A.B.C", "A.D"]
        assert ensure_folders(session, ["A.B.C", "A.D"]) == []


def test_moved_folder_deleted_by_user_is_recreated(dovecot: DovecotServer,
                                                   imap_account: Account,
                                                   sqlite_store: Store) -> None:
    dovecot.deliver_many(None, mailbox(4))
    run(imap_account, sqlite_store, dovecot)
    dovecot.deliver_many(None, mailbox(4, start=4))
    with client(dovecot) as c:  # the user archives everything and deletes the lane folders
        c.create_folder("Archive")
        for f in LANE_FOLDERS.values():
            c.select_folder(f)
            uids = c.search("ALL")
            if uids:
                c.move(uids, "Archive")
            c.unselect_folder()
            c.delete_folder(f)
    report = run(imap_account, sqlite_store, dovecot)
    assert report.moved == 4 and report.ok, report
