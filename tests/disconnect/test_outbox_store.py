"""The outbox and digest tables on SQLite and PostgreSQL: claims are compare-and-set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accalmie.store import Store
from accalmie.store.outbox import (
    digest_claim,
    digest_last,
    digest_slots,
    digest_update,
    outbox_add,
    outbox_by_key,
    outbox_by_message_id,
    outbox_counts,
    outbox_due,
    outbox_get,
    outbox_list,
    outbox_next_due,
    outbox_update,
)

T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_outbox_rows_round_trip_and_claims_are_exclusive(store: Store) -> None:
    acc = store.account_id("alice")
    raw = b"From: a@b.c\r\nTo: d@e.f\r\n\r\n\x00\xff binary-safe"
    first = outbox_add(store, acc, "imap:Q:1:1", T0, raw=raw, state="pending", due_at=T0,
                       message_id="<1@x>", subject="Sujet\x00 avec NUL",
                       recipients=["d@e.f", "g@h.i"])
    assert first is not None
    assert outbox_add(store, acc, "imap:Q:1:1", T0, raw=b"other") is None  # same key: kept
    item = outbox_get(store, first)
    assert item is not None and item.raw == raw and item.recipients == ("d@e.f", "g@h.i")
    assert "\x00" not in item.subject and item.due_at == T0
    assert outbox_by_key(store, acc, "imap:Q:1:1") == item
    assert [i.id for i in outbox_by_message_id(store, acc, "<1@x>")] == [first]
    # Two processes try to claim: only one wins.
    assert outbox_update(store, first, T0, expect=("pending",), state="sending",
                         claimed_by="h:1")
    assert not outbox_update(store, first, T0, expect=("pending",), state="sending",
                             claimed_by="h:2")
    assert outbox_get(store, first).claimed_by == "h:1"  # type: ignore[union-attr]
    outbox_update(store, first, T0, state="pending", next_try_at=T0 + timedelta(minutes=2))
    assert outbox_due(store, acc, T0 + timedelta(minutes=1)) == []
    assert [i.id for i in outbox_due(store, acc, T0 + timedelta(minutes=2))] == [first]
    later = outbox_add(store, acc, "cli:abc", T0, origin="cli", state="pending",
                       due_at=T0 + timedelta(hours=5))
    assert outbox_next_due(store, acc) == T0 + timedelta(minutes=2)
    outbox_update(store, first, T0, state="filed", raw=None)
    assert outbox_next_due(store, acc) == T0 + timedelta(hours=5)
    assert outbox_counts(store, acc)["filed"] == 1
    assert [i.id for i in outbox_list(store, acc, ("pending",))] == [later]
    assert outbox_get(store, first).raw is None  # type: ignore[union-attr]


def test_digest_slots_are_claimed_once(store: Store) -> None:
    acc = store.account_id("alice")
    slot = T0
    assert digest_claim(store, acc, slot, T0, manual=False, delivery="append",
                        message_id="<d@x>", since=slot - timedelta(days=1), claimed_by="h:1")
    assert not digest_claim(store, acc, slot, T0, manual=False, delivery="append",
                            message_id="<d@x>", since=None)
    assert digest_update(store, acc, slot, T0, expect=("sending",), state="sent")
    assert not digest_update(store, acc, slot, T0, expect=("sending",), state="uncertain")
    digest_claim(store, acc, slot + timedelta(hours=5), T0, manual=True, delivery="smtp",
                 message_id="<n@x>", since=slot)
    assert digest_last(store, acc, manual=False).slot == slot  # type: ignore[union-attr]
    assert digest_last(store, acc).slot == slot + timedelta(hours=5)  # type: ignore[union-attr]
    assert [s.state for s in digest_slots(store, acc)] == ["sent", "sending"]
    assert digest_slots(store, acc)[0].since == slot - timedelta(days=1)
