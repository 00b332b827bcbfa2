"""Every public method of the store, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from accalmie.mail.model import Address, Message
from accalmie.store import FolderState, NewAction, Store, StoreError
from accalmie.store.repository import MAX_KEY, make_excerpt, norm_key
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source
from tests.store.helpers import BODY, decision, item, message


def test_account_id_get_or_create(store: Store) -> None:
    a = store.account_id("perso")
    b = store.account_id("travail")
    assert a != b
    assert store.account_id("perso") == a
    assert Store(store.engine).account_id("perso") == a  # not only the cache
    assert store.accounts() == {"perso": a, "travail": b}


def test_folder_state(store: Store) -> None:
    acc = store.account_id("a")
    assert store.folder_state(acc, "INBOX") is None
    store.set_folder_state(acc, "INBOX", 1700000000, 42)
    assert store.folder_state(acc, "INBOX") == FolderState(1700000000, 42, None)
    big = 2**63 - 1  # CONDSTORE mod-sequences are 63-bit
    store.set_folder_state(acc, "INBOX", 4294967295, 4294967295, big)
    assert store.folder_state(acc, "INBOX") == FolderState(4294967295, 4294967295, big)
    store.set_folder_state(acc, "Envoyés", 5, 6)
    assert store.folder_state(store.account_id("other"), "INBOX") is None
    assert set(store.folder_states(acc)) == {"INBOX", "Envoyés"}


def test_save_and_read_back(store: Store) -> None:
    acc = store.account_id("a")
    [rid] = store.save_messages(acc, [item(0, excerpt_chars=30, features={"n_words": 14})])
    got = store.get_message(rid)
    assert got is not None
    m = message(0)
    assert (got.id, got.account_id, got.key, got.folder, got.uid) == (
        rid, acc, "imap:INBOX:1:1", "INBOX", 1)
    assert got.message_id == m.message_id
    assert (got.from_email, got.from_name) == ("zoe0@example.org", "Zoé Martin")
    assert got.to == ("moi@ccas.fr",)
    assert got.cc == ("collegue@ccas.fr", "chef@ccas.fr")
    assert got.subject == "Dossier n°0"
    assert got.date == m.date and got.date.tzinfo is not None
    assert got.in_reply_to == "<parent@example.org>"
    assert got.language == "fr" and got.size == 4321
    assert got.n_links == 1 and got.has_links and got.n_attachments == 1
    assert got.attachments[0]["filename"] == "piece.pdf"
    assert got.features == {"n_words": 14}
    assert got.decision == decision()
    assert got.lane is Lane.PRIORITY
    assert got.excerpt.endswith("…") and len(got.excerpt) <= 30
    assert got.excerpt.startswith("Bonjour, pouvez-vous")
    assert got.body is None
    assert got.raw_sha256 == f"{0:064x}"
    assert got.created_at.tzinfo is not None
    assert store.get_message(rid + 1000) is None


def test_dates_are_utc(store: Store) -> None:
    acc = store.account_id("a")
    paris = timezone(timedelta(hours=2))
    ids = store.save_messages(acc, [
        item(0, msg=message(0, date=datetime(2024, 6, 1, 23, 30, tzinfo=paris))),
        item(1, msg=message(1, date=None)),
    ])
    got = store.get_message(ids[0])
    assert got is not None and got.date == datetime(2024, 6, 1, 21, 30, tzinfo=UTC)
    assert got.date.utcoffset() == timedelta(0)
    none = store.get_message(ids[1])
    assert none is not None and none.date is None


def test_upsert_is_idempotent(store: Store) -> None:
    acc = store.account_id("a")
    items = [item(i) for i in range(50)]
    first = store.save_messages(acc, items)
    assert len(set(first)) == 50
    again = store.save_messages(acc, items)
    assert again == first
    assert store.count_messages(acc) == 50
    # A new decision for the same location updates the row in place.
    changed = [item(i, lane=Lane.BULK) for i in range(10)]
    assert store.save_messages(acc, changed) == first[:10]
    assert store.lane_counts(acc) == {"priority": 40, "info": 0, "bulk": 10, "suspect": 0}
    # Same key twice in one call: one row, the last item wins; ids follow the input order.
    dup = [item(100, lane=Lane.INFO), item(101), item(100, lane=Lane.SUSPECT)]
    ids = store.save_messages(acc, dup)
    assert ids[0] == ids[2] != ids[1]
    got = store.get_message(ids[0])
    assert got is not None and got.lane is Lane.SUSPECT
    assert store.count_messages(acc) == 52
    assert store.save_messages(acc, []) == []


def test_same_key_in_two_accounts(store: Store) -> None:
    a, b = store.account_id("a"), store.account_id("b")
    [ra] = store.save_messages(a, [item(0)])
    [rb] = store.save_messages(b, [item(0)])
    assert ra != rb
    assert store.count_messages() == 2


def test_bulk_many_rows(store: Store) -> None:
    acc = store.account_id("a")
    items = [item(i) for i in range(2500)]
    ids = store.save_messages(acc, items)
    assert len(ids) == len(set(ids)) == 2500
    assert store.count_messages(acc) == 2500
    assert store.get_message(ids[1234]).uid == 1235  # type: ignore[union-attr]


def test_find_messages(store: Store) -> None:
    acc = store.account_id("a")
    other = store.account_id("b")
    items = [item(i, lane=Lane.BULK if i % 3 == 0 else Lane.PRIORITY) for i in range(12)]
    items.append(item(50, msg=message(50, date=None)))
    store.save_messages(acc, items)
    store.save_messages(other, [item(0)])
    everything = store.find_messages(acc)
    assert len(everything) == 13
    dates = [m.date for m in everything]
    assert dates[-1] is None  # undated last
    assert dates[:-1] == sorted(dates[:-1], reverse=True)  # type: ignore[type-var]
    bulk = store.find_messages(acc, lane="bulk")
    assert {m.uid for m in bulk} == {1, 4, 7, 10}
    assert store.find_messages(acc, lane=Lane.BULK) == bulk
    page = store.find_messages(acc, limit=5, offset=5)
    assert [m.id for m in page] == [m.id for m in everything[5:10]]
    by_id = store.find_messages(acc, message_id="<m3@example.org>")
    assert [m.uid for m in by_id] == [4]
    assert store.find_messages(acc, message_id="<nope@x>") == []
    assert len(store.find_messages(acc, folder="INBOX")) == 13
    assert store.find_messages(acc, folder="Archives") == []
    assert store.message_by_key(acc, "imap:INBOX:1:4").uid == 4  # type: ignore[union-attr]
    assert store.message_by_key(acc, "imap:INBOX:1:999") is None


def test_set_location_and_decision(store: Store) -> None:
    acc = store.account_id("a")
    ids = store.save_messages(acc, [item(0), item(1)])
    assert store.set_location(ids[0], "Accalmie/Infolettres", 77)
    got = store.get_message(ids[0])
    assert got is not None and (got.folder, got.uid) == ("Accalmie/Infolettres", 77)
    assert got.key == "imap:INBOX:1:1"  # unchanged unless given
    assert store.uids_in_folder(acc, "Accalmie/Infolettres") == {77: ids[0]}
    assert store.uids_in_folder(acc, "INBOX") == {2: ids[1]}
    # With the new location's key; a row a sync already made for that place is superseded.
    [seen] = store.save_messages(acc, [item(5, folder="Suspect")])
    seen_key = store.get_message(seen).key  # type: ignore[union-attr]
    assert store.set_location(ids[1], "Suspect", 6, key=seen_key)
    assert store.get_message(seen) is None
    moved = store.get_message(ids[1])
    assert moved is not None and moved.key == seen_key and moved.uid == 6
    assert store.save_messages(acc, [item(5, folder="Suspect")]) == [ids[1]]
    assert not store.set_location(999_999, "X", 1)
    assert not store.set_location(999_999, "X", 1, key="k")

    new = Decision(Lane.SUSPECT, Source.RULE, (Reason("Rule {name}", {"name": "caf"}, "rule"),),
                   frozenset({Flag.AGGRESSIVE, Flag.AFTER_HOURS}), 1.0, "Archives/CAF")
    assert store.set_decision(ids[0], new)
    assert store.get_message(ids[0]).decision == new  # type: ignore[union-attr]
    assert not store.set_decision(999_999, new)


def test_lane_counts(store: Store) -> None:
    assert store.lane_counts() == {"priority": 0, "info": 0, "bulk": 0, "suspect": 0}
    a, b = store.account_id("a"), store.account_id("b")
    store.save_messages(a, [item(0), item(1, lane=Lane.INFO)])
    store.save_messages(b, [item(0, lane=Lane.SUSPECT)])
    assert store.lane_counts(a) == {"priority": 1, "info": 1, "bulk": 0, "suspect": 0}
    assert store.lane_counts() == {"priority": 1, "info": 1, "bulk": 0, "suspect": 1}


def test_journal(store: Store) -> None:
    acc = store.account_id("a")
    actions = [NewAction(f"move:{i}", "move", {"uid": i, "to": "Accalmie/Prioritaire"})
               for i in range(5)]
    actions.append(NewAction("mkdir:Accalmie", "create_folder", {"name": "Accalmie"}))
    store.journal_add(acc, actions)
    store.journal_add(acc, actions)  # idempotent
    store.journal_add(acc, [NewAction("move:0", "move", {"uid": 0, "to": "elsewhere"})])
    pending = store.journal_pending(acc)
    assert len(pending) == 6
    assert all(e.state == "pending" and e.attempts == 0 and e.error == "" for e in pending)
    move0 = store.journal_get(acc, "move:0")
    assert move0 is not None and move0.payload == {"uid": 0, "to": "Accalmie/Prioritaire"}
    assert [e.kind for e in store.journal_pending(acc, "create_folder")] == ["create_folder"]
    assert len(store.journal_pending(acc, kind="move")) == 5
    assert store.journal_has(acc, "move:3")
    assert not store.journal_has(acc, "move:99")
    assert not store.journal_has(store.account_id("b"), "move:3")
    assert store.journal_pending(acc, limit=2) == pending[:2]

    moves = store.journal_pending(acc, "move")
    store.journal_mark([moves[0].id, moves[1].id], "done")
    store.journal_mark([moves[2].id], "failed", "NO [TRYCREATE] Mailbox doesn't exist")
    left = {e.key: e for e in store.journal_pending(acc, "move")}
    assert set(left) == {moves[2].key, moves[3].key, moves[4].key}
    failed = left[moves[2].key]
    assert failed.state == "failed" and failed.attempts == 1 and "TRYCREATE" in failed.error
    assert moves[2].key not in {e.key for e in store.journal_pending(acc, include_failed=False)}
    for _ in range(4):
        store.journal_mark([moves[2].id], "failed", "again")
    assert moves[2].key not in {e.key for e in store.journal_pending(acc)}  # 5 attempts spent
    assert moves[2].key in {e.key for e in store.journal_pending(acc, max_attempts=10)}
    store.journal_mark([moves[2].id], "pending")  # a manual retry keeps the attempt count
    assert store.journal_get(acc, moves[2].key).attempts == 5  # type: ignore[union-attr]
    done = store.journal_get(acc, moves[0].key)
    assert done is not None and done.state == "done" and done.attempts == 1
    # Re-adding a done key does not resurrect it.
    store.journal_add(acc, [NewAction(moves[0].key, "move", {})])
    assert store.journal_get(acc, moves[0].key).state == "done"  # type: ignore[union-attr]
    assert store.journal_counts(acc) == {"pending": 4, "done": 2, "failed": 0}
    with pytest.raises(ValueError):
        store.journal_mark([moves[0].id], "finished")
    store.journal_mark([], "done")
    store.journal_add(acc, [])


def test_journal_same_key_twice_in_one_call(store: Store) -> None:
    acc = store.account_id("a")
    store.journal_add(acc, [NewAction("k", "flag", {"n": 1}), NewAction("k", "flag", {"n": 2})])
    [entry] = store.journal_pending(acc)
    assert entry.payload == {"n": 1}


def test_journal_keeps_the_order_given(store: Store) -> None:
    acc = store.account_id("a")
    store.journal_add(acc, [NewAction(k, "move", {}) for k in ("z", "a", "m")])
    store.journal_add(acc, [NewAction(k, "move", {}) for k in ("b", "a")])
    assert [e.key for e in store.journal_pending(acc)] == ["z", "a", "m", "b"]


def test_journal_long_keys(store: Store) -> None:
    acc = store.account_id("a")
    long1, long2 = "move:" + "x" * 5000, "move:" + "x" * 4999 + "y"
    store.journal_add(acc, [NewAction(long1, "move", {}), NewAction(long2, "move", {})])
    assert store.journal_has(acc, long1) and store.journal_has(acc, long2)
    assert len(store.journal_pending(acc)) == 2
    assert len(norm_key(long1)) <= MAX_KEY and norm_key(long1) != norm_key(long2)


def test_corrections(store: Store) -> None:
    acc = store.account_id("a")
    [rid] = store.save_messages(acc, [item(0)])
    store.add_correction(acc, rid, "<m0@example.org>", "priority", "bulk", "cli")
    store.add_correction(acc, None, "<gone@x>", "bulk", "info", "imap-move")
    got = store.corrections(acc)
    assert [(c.message_row_id, c.message_id, c.old_lane, c.new_lane, c.origin) for c in got] == [
        (rid, "<m0@example.org>", "priority", "bulk", "cli"),
        (None, "<gone@x>", "bulk", "info", "imap-move")]
    assert got[0].created_at.tzinfo is not None
    assert store.corrections(store.account_id("b")) == []


def test_models(store: Store) -> None:
    acc = store.account_id("a")
    assert store.load_model(acc, "lanes") is None
    blob = bytes(range(256)) * 1000
    store.save_model(acc, "lanes", blob)
    assert store.load_model(acc, "lanes") == blob
    store.save_model(acc, "lanes", b"v2")
    assert store.load_model(acc, "lanes") == b"v2"
    assert store.load_model(store.account_id("b"), "lanes") is None


def test_contacts(store: Store) -> None:
    acc = store.account_id("a")
    assert store.contacts(acc) == {}
    store.bump_contacts(acc, {"Zoe@Example.org": 2, "chef@ccas.fr": 1})
    store.bump_contacts(acc, {"zoe@example.org": 3, "": 4, "nul@x": 0})
    assert store.contacts(acc) == {"zoe@example.org": 5, "chef@ccas.fr": 1}
    store.bump_contacts(acc, {})


def test_overrides(store: Store) -> None:
    acc = store.account_id("a")
    store.set_override(acc, "sender", "News@Example.org", "bulk")
    store.set_override(acc, "domain", "caf.fr", Lane.PRIORITY)
    store.set_override(acc, "list", "info.ccas.fr", "info")
    store.set_override(acc, "domain", "caf.fr", "info")  # replaces
    assert store.overrides(acc) == {("sender", "news@example.org"): "bulk",
                                    ("domain", "caf.fr"): "info",
                                    ("list", "info.ccas.fr"): "info"}
    assert store.remove_override(acc, "list", "info.ccas.fr")
    assert not store.remove_override(acc, "list", "info.ccas.fr")
    assert ("list", "info.ccas.fr") not in store.overrides(acc)
    with pytest.raises(ValueError):
        store.set_override(acc, "subject", "x", "bulk")
    with pytest.raises(ValueError):
        store.set_override(acc, "sender", "x@y", "nowhere")


def test_hostile_text_is_stored_safely(store: Store) -> None:
    acc = store.account_id("a")
    nasty = "a\x00b\udcff" + "é" * 3000
    msg = message(0, subject=nasty, message_id="<" + "x" * 5000 + ">",
                  from_=Address(nasty, "z\x00@x"), new_text=nasty, list_id=nasty)
    dec = decision(reasons=(Reason("From {x}", {"x": nasty, "when": datetime(2024, 1, 1)}),))
    [rid] = store.save_messages(acc, [item(0, msg=msg, body=nasty)])
    store.set_decision(rid, dec)
    got = store.get_message(rid)
    assert got is not None
    assert "\x00" not in got.subject and got.subject.startswith("a\ufffdb\ufffd")
    assert len(got.message_id) == 512
    assert got.body is not None and got.body.startswith("a\ufffdb\ufffd")
    assert got.decision.reasons[0].params["x"].startswith("a\x00b\ufffd")  # JSON keeps NUL
    store.add_correction(acc, rid, nasty, "priority", "bulk", "cli")
    store.bump_contacts(acc, {nasty: 1})
    store.journal_add(acc, [NewAction(nasty, nasty, {"x": nasty})])
    assert store.journal_has(acc, nasty)


def test_unknown_account_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError) as err:
        store.save_messages(987_654, [item(0, body="SECRET BODY TEXT")])
    assert "SECRET" not in str(err.value)
    assert "SECRET" not in repr(err.value.__cause__)


def test_body_is_kept_only_when_given(store: Store) -> None:
    acc = store.account_id("a")
    secret = "Numéro de sécurité sociale 1 84 12 75 123 456 78, à ne pas garder."
    msg = message(0, text=BODY + " " + secret, new_text=BODY + " " + secret)
    [without] = store.save_messages(acc, [item(0, msg=msg, excerpt_chars=40)])
    got = store.get_message(without)
    assert got is not None and got.body is None and secret not in got.excerpt
    assert len(got.excerpt) <= 40
    # Nothing in the row carries the text beyond the excerpt.
    with store.engine.connect() as conn:
        row = conn.exec_driver_sql(f"SELECT * FROM messages WHERE id = {without}").one()
    assert not any(isinstance(v, str) and "sécurité sociale" in v for v in row)
    [kept] = store.save_messages(acc, [item(1, msg=msg, body=msg.text)])
    assert store.get_message(kept).body == msg.text  # type: ignore[union-attr]
    # Saving again without a body (keep_bodies turned off) forgets it.
    store.save_messages(acc, [item(1, msg=msg)])
    assert store.get_message(kept).body is None  # type: ignore[union-attr]
    # Retention: drop kept bodies.
    [k2] = store.save_messages(acc, [item(2, msg=msg, body="x")])
    assert store.drop_bodies(acc, before=datetime(2000, 1, 1, tzinfo=UTC)) == 0
    assert store.drop_bodies(acc) == 1
    assert store.get_message(k2).body is None  # type: ignore[union-attr]
    assert store.get_message(k2).excerpt  # type: ignore[union-attr]


def test_no_excerpt_when_zero_chars(store: Store) -> None:
    acc = store.account_id("a")
    [rid] = store.save_messages(acc, [item(0, excerpt_chars=0)])
    assert store.get_message(rid).excerpt == ""  # type: ignore[union-attr]


def test_excerpt_falls_back_to_text() -> None:
    assert make_excerpt("", 10) == ""
    assert make_excerpt("court", 10) == "court"
    assert make_excerpt("un  deux\n\ntrois quatre cinq six", 16) == "un deux trois…"
    assert len(make_excerpt("x" * 100, 10)) == 10


def test_unknown_flags_are_ignored_on_read(store: Store) -> None:
    acc = store.account_id("a")
    [rid] = store.save_messages(acc, [item(0)])
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            f"""UPDATE messages SET flags = '["reply_expected", "from_the_future"]'
            WHERE id = {rid}""")
    got = store.get_message(rid)
    assert got is not None and got.decision.flags == frozenset({Flag.REPLY_EXPECTED})


def test_empty_message(store: Store) -> None:
    acc = store.account_id("a")
    [rid] = store.save_messages(acc, [item(0, msg=Message())])
    got = store.get_message(rid)
    assert got is not None and got.message_id == "" and got.from_email == "" and got.to == ()
