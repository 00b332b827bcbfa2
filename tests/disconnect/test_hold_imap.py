"""Hold and release against a real Dovecot: where messages go, in what order, exactly once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from accalmie.config import Account, Config, Rule
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.hold import HoldPolicy, release_held, scan_hold_folder
from accalmie.disconnect.watch import WatchSettings
from accalmie.imap.connect import open_session
from accalmie.imap.pipeline import triage_imap
from accalmie.store import Store
from accalmie.store import hold as held_store
from accalmie.triage.decision import Decision, Lane, Reason, Source
from tests.disconnect.test_watch_support import (
    FRIDAY_NIGHT,
    HOLD,
    MONDAY_9,
    OfficeHours,
    count,
)
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, client, config_for
from tests.imap.mailgen import StandInTriager, lane_of_raw, make_message, message_id
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


class RuleTriager(StandInTriager):
    """The stand-in, plus what the engine says when the user's rule "Astreinte" matches."""

    def decide(self, msg):  # type: ignore[no-untyped-def]
        d = super().decide(msg)
        if "ASTREINTE" in msg.subject:
            return Decision(d.lane, Source.RULE, (Reason("rule", {"rule": "Astreinte"},
                                                         "rule", 10.0),))
        return d


def places(n: int, start: int = 0) -> dict[str, str]:
    return {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))]
            for i in range(start, start + n)}


def hold_run(account: Account, store: Store, server: DovecotServer, clock: ManualClock, *,
             config: Config | None = None, settings: WatchSettings | None = None,
             working: object = None, triager: object = None):  # type: ignore[no-untyped-def]
    policy = HoldPolicy(settings or WatchSettings(), working or OfficeHours(), clock=clock)
    return triage_imap(config or config_for(account), account, store,
                       triager or StandInTriager(), password=server.password, hold=policy)


def release(account: Account, store: Store, server: DovecotServer, clock: ManualClock, *,
            config: Config | None = None):  # type: ignore[no-untyped-def]
    with open_session(account, server.password) as session:
        return release_held(session, config or config_for(account), account, store,
                            settings=WatchSettings(), clock=clock)


def test_night_mail_is_held_then_released_into_its_lanes(dovecot: DovecotServer,
                                                         imap_account: Account,
                                                         store: Store) -> None:
    # Delivered out of date order: the release must still go oldest first.
    order = [5, 2, 9, 0, 7, 1, 8, 3, 6, 4, 11, 10]
    dovecot.deliver_many(None, (make_message(i) for i in order))
    clock = ManualClock(FRIDAY_NIGHT)
    report = hold_run(imap_account, store, dovecot, clock)
    assert report.ok, report.errors
    assert report.held == 12 and report.moved == 12 and report.hold_folder == HOLD
    assert "12" in report.render("en")
    assert count(dovecot, HOLD) == 12 and count(dovecot, "INBOX") == 0
    acc = store.account_id(imap_account.name)
    rows = held_store.held_rows(store, acc)
    assert len(rows) == 12 and all(r.folder == HOLD for r in rows)
    # The decision was computed and stored all the same.
    assert {r.lane for r in rows} == {lane_of_raw(make_message(i)).value for i in order}
    assert [r.message_id for r in rows] == [message_id(i) for i in sorted(order)]

    clock.set(MONDAY_9)
    out = release(imap_account, store, dovecot, clock)
    assert out.ok and out.moved == 12 and out.held == 12
    assert_exactly_once(dovecot, places(12))
    assert held_store.held_summary(store, acc) == (0, None)
    (rel,) = held_store.releases(store, acc)
    assert rel.moved == 12 and rel.finished_at is not None
    # Oldest first: in each lane folder, UID order is date order.
    with client(dovecot) as c:
        for folder in LANE_FOLDERS.values():
            c.select_folder(folder, readonly=True)
            uids = sorted(c.search("ALL"))
            heads = c.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
            mids = [next(v for k, v in heads[u].items() if k.startswith(b"BODY[HEADER"))
                    .decode().split(":", 1)[1].strip() for u in uids]
            assert mids == sorted(mids), folder
    # Stored locations follow the messages; a second release has nothing to do.
    for r in held_store.held_between(store, acc):
        assert r.state == "released" and r.release_id == rel.id
        row = store.get_message(r.message_row_id)
        assert row is not None and row.folder == LANE_FOLDERS[row.lane]
    again = release(imap_account, store, dovecot, clock)
    assert again.held == 0 and again.moved == 0


def test_working_hours_urgent_senders_and_rules_are_not_held(dovecot: DovecotServer,
                                                              imap_account: Account,
                                                              store: Store) -> None:
    urgent_mail = make_message(1, extra_headers={"From": "directrice@chu.example"})
    ruled = make_message(2, extra_headers={"Subject": "ASTREINTE ce soir"})
    plain = make_message(3)
    dovecot.deliver_many(None, [urgent_mail, ruled, plain])

    config = replace(config_for(imap_account), rules=(
        Rule("Astreinte", {"subject": ("astreinte",)}, Lane.PRIORITY),))
    settings = WatchSettings(urgent_rules=("astreinte",))
    report = hold_run(imap_account, store, dovecot, ManualClock(FRIDAY_NIGHT), config=config,
                      settings=settings, working=OfficeHours(urgent=("*@chu.example",)),
                      triager=RuleTriager())
    assert report.held == 1 and report.moved == 3
    where = {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))] for i in (1, 2)}
    where[message_id(3)] = HOLD
    assert_exactly_once(dovecot, where)
    # During working hours nothing is held.
    dovecot.deliver(None, make_message(4))
    day = hold_run(imap_account, store, dovecot, ManualClock(MONDAY_9))
    assert day.held == 0 and day.moved == 1


def test_a_lane_that_is_the_inbox_is_held_too(dovecot: DovecotServer, imap_account: Account,
                                              store: Store) -> None:
    """The case that matters most: mail that would stay in the inbox (and ring the phone)."""
    config = replace(config_for(imap_account), lane_folders={
        **config_for(imap_account).lane_folders, Lane.PRIORITY: "INBOX"})
    raws = [make_message(i, lane=Lane.PRIORITY) for i in range(4)]
    dovecot.deliver_many(None, raws)
    clock = ManualClock(FRIDAY_NIGHT)
    report = hold_run(imap_account, store, dovecot, clock, config=config)
    assert report.held == 4 and count(dovecot, "INBOX") == 0 and count(dovecot, HOLD) == 4
    clock.set(MONDAY_9)
    out = release(imap_account, store, dovecot, clock, config=config)
    assert out.moved == 4
    assert_exactly_once(dovecot, {message_id(i): "INBOX" for i in range(4)})
    # Released into the inbox, it is not held again by the next run.
    clock.set(FRIDAY_NIGHT)
    again = hold_run(imap_account, store, dovecot, clock, config=config)
    assert again.held == 0 and again.moved == 0
    assert count(dovecot, "INBOX") == 4 and count(dovecot, HOLD) == 0


def test_messages_the_user_took_out_are_left_where_they_are(dovecot: DovecotServer,
                                                            imap_account: Account,
                                                            store: Store) -> None:
    dovecot.deliver_many(None, (make_message(i) for i in range(6)))
    clock = ManualClock(FRIDAY_NIGHT)
    hold_run(imap_account, store, dovecot, clock)
    with client(dovecot) as c:
        c.select_folder(HOLD)
        uids = sorted(c.search("ALL"))
        c.move(uids[:1], "INBOX")  # read one at night after all
        c.delete_messages(uids[1:2])  # and deleted another
        c.expunge()
    # The next run leaves the one put back in the inbox there (not held again).
    again = hold_run(imap_account, store, dovecot, clock)
    assert again.kept == 1 and again.held == 0
    clock.set(MONDAY_9)
    out = release(imap_account, store, dovecot, clock)
    assert out.moved == 4 and out.left == 2 and out.failed == 0
    expected = places(6)
    expected[message_id(0)] = "INBOX"
    del expected[message_id(1)]
    assert_exactly_once(dovecot, expected)
    acc = store.account_id(imap_account.name)
    states = sorted(r.state for r in held_store.held_between(store, acc))
    assert states == ["left", "left", "released", "released", "released", "released"]


def test_hold_folder_scan_finds_what_a_killed_run_moved(dovecot: DovecotServer,
                                                        imap_account: Account,
                                                        store: Store) -> None:
    """A kill between MOVE and its bookkeeping: the row still says INBOX; the scan fixes it."""
    dovecot.deliver_many(None, (make_message(i) for i in range(3)))
    clock = ManualClock(FRIDAY_NIGHT)
    hold_run(imap_account, store, dovecot, clock)
    acc = store.account_id(imap_account.name)
    rows = held_store.held_rows(store, acc)
    # Pretend the bookkeeping of the move was lost: the rows point at the inbox again.
    for r in rows:
        assert store.set_location(r.message_row_id, "INBOX", 100 + r.uid,
                                  f"imap:INBOX:1:{100 + r.uid}")
    store.set_folder_state(acc, HOLD, 0, 1)  # and the hold folder was never scanned
    with open_session(imap_account, dovecot.password) as session:
        assert scan_hold_folder(session, store, acc, HOLD) == 3
    assert all(r.folder == HOLD for r in held_store.held_rows(store, acc))
    clock.set(MONDAY_9)
    assert release(imap_account, store, dovecot, clock).moved == 3
    assert_exactly_once(dovecot, places(3))
