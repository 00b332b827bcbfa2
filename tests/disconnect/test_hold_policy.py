"""Who is held and when (pure), and the held-mail records of the store (SQLite, PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from accalmie.config import Account, Config, parse_config
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.hold import HoldPolicy, hold_folder_name, is_urgent, load_working_time
from accalmie.disconnect.watch import WatchSettings
from accalmie.mail.model import Address, Message
from accalmie.store import Store
from accalmie.store import hold as held_store
from accalmie.triage.decision import Decision, Lane, Reason, Source
from tests.disconnect.test_watch_support import (
    FRIDAY_NIGHT,
    MONDAY_9,
    SATURDAY,
    Broken,
    OfficeHours,
)
from tests.store.helpers import item


def msg(sender: str = "marie@caf.fr") -> Message:
    return Message(message_id="<a@b>", from_=Address("", sender))


def decision(lane: Lane = Lane.INFO, *reasons: Reason) -> Decision:
    return Decision(lane, Source.HEURISTIC, reasons)


def policy(at: datetime, **settings: object) -> HoldPolicy:
    working = OfficeHours(urgent=("*@chu.example",))
    return HoldPolicy(WatchSettings(**settings), working,  # type: ignore[arg-type]
                      clock=ManualClock(at))


def test_held_outside_working_hours_only() -> None:
    assert policy(FRIDAY_NIGHT).should_hold(msg(), decision())
    assert policy(SATURDAY).should_hold(msg(), decision(Lane.BULK))
    assert not policy(MONDAY_9).should_hold(msg(), decision())


def test_urgent_senders_rules_and_lanes_are_never_held() -> None:
    night = policy(FRIDAY_NIGHT, urgent_senders=("maire@ville.example",),
                   urgent_rules=("Astreinte",), hold_lanes=frozenset({Lane.INFO, Lane.BULK}))
    assert not night.should_hold(msg("directrice@CHU.example"), decision())  # [hours] urgent
    assert not night.should_hold(msg("maire@ville.example"), decision())  # [watch] urgent
    rule = Reason("Your rule \u201c{rule}\u201d", {"rule": "astreinte"}, "rule", 10.0)
    assert not night.should_hold(msg(), decision(Lane.INFO, rule))
    flag = Reason("Your rule \u201c{rule}\u201d adds a flag", {"rule": "Astreinte"},
                  "rule_flag", 5.0)
    assert not night.should_hold(msg(), decision(Lane.INFO, flag))
    other = Reason("Your rule \u201c{rule}\u201d", {"rule": "Lettres"}, "rule", 10.0)
    assert night.should_hold(msg(), decision(Lane.INFO, other))
    assert not night.should_hold(msg(), decision(Lane.PRIORITY))  # lane not held
    assert night.should_hold(msg(), decision(Lane.BULK))
    assert not is_urgent(Message(), decision(), urgent_senders=("*",))  # no sender: not urgent


def test_switched_off_missing_or_broken_working_time_holds_nothing() -> None:
    assert not policy(FRIDAY_NIGHT, hold=False).should_hold(msg(), decision())
    assert not HoldPolicy(WatchSettings(), None).should_hold(msg(), decision())
    broken = HoldPolicy(WatchSettings(), Broken(), clock=ManualClock(FRIDAY_NIGHT))
    assert not broken.should_hold(msg(), decision())
    assert broken.next_start() is None
    assert broken.may_release(None)  # and what is held goes out


def test_release_is_level_triggered_and_bounded_by_max_hold() -> None:
    clock = ManualClock(FRIDAY_NIGHT)
    p = HoldPolicy(WatchSettings(max_hold_days=2), OfficeHours(), clock=clock)
    held_since = FRIDAY_NIGHT.astimezone(UTC)
    assert not p.may_release(held_since)
    clock.set(SATURDAY)
    assert not p.may_release(held_since)
    clock.set(FRIDAY_NIGHT + timedelta(days=2, minutes=1))  # Sunday night, two days on
    assert p.may_release(held_since)
    clock.set(MONDAY_9)
    assert p.may_release(None)
    clock.set(FRIDAY_NIGHT - timedelta(days=30))  # a clock far in the past holds, not loses
    assert not p.may_release(held_since)
    assert p.next_start() == datetime(2025, 2, 6, 8, 0, tzinfo=UTC)  # Thursday 9:00


def test_hold_folder_name_follows_the_lanes() -> None:
    config = Config()
    assert hold_folder_name(config, WatchSettings(), ".") == "Accalmie.Plus tard"
    assert hold_folder_name(config, WatchSettings(), "/", "INBOX/") == \
        "INBOX/Accalmie/Plus tard"
    assert hold_folder_name(replace(config, lane_parent=""), WatchSettings(hold_folder="Later"),
                            ".") == "Later"


def test_working_time_only_when_hours_are_written() -> None:
    bare = parse_config({"accounts": [{"name": "a"}]})
    assert load_working_time(bare, bare.accounts[0]) is None
    with_hours = parse_config({"hours": {}, "accounts": [{"name": "a"}]})
    working = load_working_time(with_hours, with_hours.accounts[0])
    assert working is not None and hasattr(working, "is_working")
    own = parse_config({"accounts": [{"name": "a", "hours": {}}]})
    assert load_working_time(own, own.accounts[0]) is not None
    assert load_working_time(own, Account(name="b")) is None


# -- the store ------------------------------------------------------------------------------


def test_held_records_on_both_stores(store: Store) -> None:
    acc = store.account_id("a")
    other = store.account_id("b")
    ids = store.save_messages(acc, [item(i) for i in range(4)])
    store.save_messages(other, [item(9)])
    t0 = datetime(2025, 3, 7, 21, 0, tzinfo=UTC)
    after = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
    held_store.record_held(store, acc, [(r, t0 + timedelta(minutes=k), after)
                                        for k, r in enumerate(ids)])
    held_store.record_held(store, acc, [(ids[0], t0, after)])  # again: idempotent
    assert held_store.held_summary(store, acc) == (4, t0)
    assert held_store.held_summary(store, other) == (0, None)
    rows = held_store.held_rows(store, acc)
    assert sorted(r.message_row_id for r in rows) == sorted(ids)
    assert all(r.release_after == after for r in rows)
    keys = [(r.date or r.held_at) for r in rows]
    assert keys == sorted(keys)

    rel = held_store.start_release(store, acc, after, 3)
    held_store.mark(store, [rows[0].id, rows[1].id], held_store.RELEASED, after, rel)
    held_store.mark(store, [rows[2].id], held_store.LEFT, after, rel)
    held_store.finish_release(store, rel, after + timedelta(seconds=2), 2, 0)
    assert held_store.held_summary(store, acc)[0] == 1
    assert held_store.released_rows(store, acc, ids) == {rows[0].message_row_id,
                                                          rows[1].message_row_id}
    (r,) = held_store.releases(store, acc)
    assert (r.messages, r.moved, r.failed) == (3, 2, 0)
    assert r.finished_at == after + timedelta(seconds=2)
    records = held_store.held_between(store, acc, t0, t0 + timedelta(minutes=2))
    assert [(x.message_row_id, x.state) for x in records] == [
        (rows[0].message_row_id, "released"), (rows[1].message_row_id, "released")]
    assert records[0].release_id == rel and records[0].released_at == after
    # Held again (decided again after a kill): back to held, release forgotten.
    held_store.record_held(store, acc, [(rows[0].message_row_id, t0, after)])
    assert held_store.held_summary(store, acc)[0] == 2
    with pytest.raises(ValueError):
        held_store.mark(store, [1], "gone", after)
    # Forgetting a message forgets that it was held.
    from sqlalchemy import delete

    from accalmie.store.schema import messages

    with store.engine.begin() as conn:
        conn.execute(delete(messages).where(messages.c.id == ids[3]))
    assert len(held_store.held_between(store, acc)) == 3


def test_journal_by_keys_any_state(store: Store) -> None:
    from accalmie.store.records import NewAction

    acc = store.account_id("a")
    store.journal_add(acc, [NewAction("k1", "move", {"uid": 1}),
                            NewAction("k2", "move", {"uid": 2})])
    entry = store.journal_get(acc, "k1")
    assert entry is not None
    store.journal_mark([entry.id], "done")
    found = held_store.journal_by_keys(store, acc, ["k1", "k2", "k3"])
    assert {k: e.state for k, e in found.items()} == {"k1": "done", "k2": "pending"}
