"""After-hours facts: what is recorded per message, and the store's upserts and aggregates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from accalmie.disconnect.after_hours import Fact, after_hours_fact, is_after_hours
from accalmie.disconnect.hours import parse_section
from accalmie.store import Store
from accalmie.store.after_hours import (
    after_hours_totals,
    delete_facts,
    fact_buckets,
    message_ref,
    record_facts,
    record_messages,
)
from accalmie.store.schema import accounts, after_hours_facts

PARIS = ZoneInfo("Europe/Paris")
WT = parse_section({"region": "alsace-moselle",
                    "leave": [{"start": "2026-08-03", "end": "2026-08-21"}]}, None, "hours.")


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=PARIS)


@pytest.mark.parametrize(("when", "late", "kind"), [
    (at(2026, 11, 30, 10), False, "work"),
    (at(2026, 11, 30, 12, 45), False, "work"),  # lunch break: not after hours
    (at(2026, 11, 30, 8, 59), True, "work"),
    (at(2026, 11, 30, 21, 30), True, "work"),
    (at(2026, 12, 5, 11), True, "rest"),  # Saturday
    (at(2026, 12, 26, 11), True, "holiday"),  # a Saturday, and St Stephen's Day: the holiday
    (at(2025, 12, 26, 11), True, "holiday"),  # Friday, Alsace-Moselle
    (at(2026, 4, 3, 10), True, "holiday"),  # Good Friday, Alsace-Moselle
    (at(2026, 8, 5, 10), True, "leave"),
])
def test_facts_of_received_messages(when: datetime, late: bool, kind: str) -> None:
    fact = after_hours_fact(when, WT, "in")
    assert fact is not None
    local = when.astimezone(PARIS)
    assert fact == Fact("in", local.date(), local.hour, late, kind)
    assert is_after_hours(when, WT) is late


def test_facts_use_the_persons_local_date_and_hour() -> None:
    # 23:30 UTC on a Monday is 00:30 on Tuesday in Paris (winter).
    fact = after_hours_fact(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), WT, "out")
    assert fact is not None and fact.day == date(2026, 12, 1) and fact.hour == 0
    assert fact.direction == "out" and fact.after_hours
    # Sent from New York at 11:00 local: 17:00 in Paris, within working time.
    ny = datetime(2026, 11, 30, 11, 0, tzinfo=ZoneInfo("America/New_York"))
    assert not after_hours_fact(ny, WT, "in").after_hours  # type: ignore[union-attr]
    # Autumn change: both passes of 02:xx are hour 2 of the same Sunday.
    for utc_hour in (0, 1):
        f = after_hours_fact(datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC), WT, "in")
        assert f is not None and (f.day, f.hour) == (date(2026, 10, 25), 2)


def test_no_date_no_fact_and_no_flag() -> None:
    assert after_hours_fact(None, WT, "in") is None
    assert is_after_hours(None, WT) is False
    with pytest.raises(ValueError):
        after_hours_fact(at(2026, 11, 30, 10), WT, "sideways")
    # Absurd dates from broken headers: a fact, or none when the local date cannot exist
    # (year 10000 in Paris), never an exception.
    assert after_hours_fact(datetime(1, 1, 1, tzinfo=UTC), WT, "in") is not None
    assert after_hours_fact(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), WT, "in") is None
    assert is_after_hours(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), WT) is False


def test_message_ref_is_stable_and_opaque() -> None:
    assert message_ref("<Abc@Example.org>") == message_ref("abc@example.org")
    assert len(message_ref("x@y")) == 32 and "y" not in message_ref("yyyy@yyyy")
    assert message_ref("", "ab" * 32) != message_ref("", "cd" * 32)
    assert message_ref("", "AB" * 32) == message_ref("", "ab" * 32)
    assert message_ref("", "") == ""  # nothing to go by: no fact (see record_facts)


def _facts(n: int, start: datetime) -> list[tuple[str, Fact | None]]:
    out: list[tuple[str, Fact | None]] = []
    for i in range(n):
        when = start + timedelta(hours=7 * i)
        out.append((message_ref(f"m{i}@x"), after_hours_fact(when, WT, "in" if i % 3 else
                                                              "out")))
    return out


def test_recording_is_idempotent_and_aggregates_add_up(store: Store) -> None:
    acc = store.account_id("me")
    other = store.account_id("other")
    facts = _facts(200, at(2026, 11, 2, 0))
    assert record_facts(store, acc, facts) == 200
    assert record_facts(store, acc, facts) == 200  # again: same rows, no duplicates
    record_facts(store, other, facts[:10])
    with store.engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(after_hours_facts).where(
            after_hours_facts.c.account_id == acc)).scalar_one()
    assert n == 200
    buckets = fact_buckets(store, acc)
    assert sum(b.count for b in buckets) == 200
    expected_late = sum(1 for _r, f in facts if f and f.after_hours)
    totals = after_hours_totals(store, acc)
    assert totals["in"][0] + totals["out"][0] == expected_late
    assert totals["in"][1] + totals["out"][1] == 200
    assert totals["out"][1] == sum(1 for _r, f in facts if f and f.direction == "out")
    # A date range and a direction narrow the counts; buckets are sorted by day and hour.
    week = fact_buckets(store, acc, date(2026, 11, 2), date(2026, 11, 9), direction="in")
    assert week and all(date(2026, 11, 2) <= b.day < date(2026, 11, 9) for b in week)
    assert all(b.direction == "in" for b in week)
    assert [(b.day, b.hour) for b in week] == sorted((b.day, b.hour) for b in week)
    for b in week:
        assert b.day_kind in ("work", "rest", "holiday", "leave", "off")


def test_an_upsert_replaces_the_fact_and_none_is_skipped(store: Store) -> None:
    acc = store.account_id("me")
    ref = message_ref("<same@x>")
    record_facts(store, acc, [(ref, after_hours_fact(at(2026, 11, 30, 22), WT, "in")),
                              ("skipped", None), (message_ref("", ""), after_hours_fact(
                                  at(2026, 11, 30, 3), WT, "in"))])
    record_facts(store, acc, [(ref, after_hours_fact(at(2026, 11, 30, 10), WT, "in"))])
    (only,) = fact_buckets(store, acc)
    assert only.count == 1 and only.hour == 10 and not only.after_hours
    # Same message in both directions (sent to oneself): two facts.
    record_messages(store, acc, [("<same@x>", "", after_hours_fact(at(2026, 11, 30, 10), WT,
                                                                   "out"))])
    assert after_hours_totals(store, acc) == {"in": (0, 1), "out": (0, 1)}
    assert record_facts(store, acc, []) == 0


def test_retention_and_account_removal(store: Store) -> None:
    acc = store.account_id("me")
    record_facts(store, acc, _facts(50, at(2026, 11, 2, 0)))
    cut = date(2026, 11, 10)
    before = sum(b.count for b in fact_buckets(store, acc, end=cut))
    assert delete_facts(store, account_id=acc, before=cut) == before
    assert all(b.day >= cut for b in fact_buckets(store, acc))
    with pytest.raises(ValueError):
        delete_facts(store)
    with store.engine.begin() as conn:  # the account goes: its facts go with it
        conn.execute(delete(accounts).where(accounts.c.id == acc))
    assert fact_buckets(store, acc) == []
