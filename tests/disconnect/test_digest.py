"""Digests: settings, slots across nights, weekends, holidays and DST, content and rendering."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from accalmie.config import ConfigError, parse_config
from accalmie.disconnect.digest import (
    DigestSettings,
    digest_settings,
    latest_slot,
    next_slot,
    parse_section,
)
from accalmie.disconnect.digest_build import (
    as_message,
    build,
    render_html,
    render_text,
    unsubscribe_link,
)
from accalmie.disconnect.hours import working_time
from accalmie.disconnect.outbox import describe_problem, state_label
from accalmie.mail.model import Address
from accalmie.store import Store
from accalmie.store.outbox import outbox_add, outbox_list
from accalmie.triage.decision import Decision, Flag, Lane, Reason, Source, lane_label
from tests.store.helpers import item, message

CONFIG = {
    "hours": {"timezone": "Europe/Paris", "days": "lun-ven", "ranges": ["09:00-18:00"]},
    "digest": {"times": ["09:00", "14:00"]},
    "accounts": [{"name": "alice", "email": "alice@test.example"}],
}


def wt_and_settings(**digest: object):  # type: ignore[no-untyped-def]
    config = parse_config({**CONFIG, "digest": {**CONFIG["digest"], **digest}})
    account = config.accounts[0]
    return working_time(config, account), digest_settings(config, account)


def paris(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


def test_settings_are_validated() -> None:
    assert parse_section({}, None, "digest.") == DigestSettings()
    s = parse_section({"times": ["14:00", "9h30"], "delivery": "smtp", "language": "en"},
                      None, "digest.")
    assert s.times == (time(9, 30), time(14, 0)) and s.delivery == "smtp"
    for bad in ({"times": ["25:00"]}, {"times": ["09:00", "09:00"]}, {"times": 9},
                {"delivery": "pigeon"}, {"language": "de"}, {"to": "nobody"},
                {"colour": "blue"}):
        with pytest.raises(ConfigError):
            parse_section(bad, None, "digest.")
    with pytest.raises(ConfigError) as exc:
        parse_config({"digest": {"times": ["9:75"]}})
    assert "digest.times" in str(exc.value)


def test_slots_across_nights_weekends_and_holidays() -> None:
    wt, s = wt_and_settings()
    # Friday 27 November 2026.
    assert latest_slot(s, wt, paris(2026, 11, 27, 8, 59)) == paris(2026, 11, 26, 14)
    assert latest_slot(s, wt, paris(2026, 11, 27, 9)) == paris(2026, 11, 27, 9)
    assert latest_slot(s, wt, paris(2026, 11, 27, 23)) == paris(2026, 11, 27, 14)
    # The weekend has no slot: Sunday evening still points at Friday 14:00.
    assert latest_slot(s, wt, paris(2026, 11, 29, 20)) == paris(2026, 11, 27, 14)
    assert next_slot(s, wt, paris(2026, 11, 27, 15)) == paris(2026, 11, 30, 9)
    # Christmas (Friday 25 December 2026) is a public holiday: no digest.
    assert next_slot(s, wt, paris(2026, 12, 24, 15)) == paris(2026, 12, 28, 9)
    # Weekends included when asked.
    wt2, s2 = wt_and_settings(working_days_only=False)
    assert latest_slot(s2, wt2, paris(2026, 11, 29, 20)) == paris(2026, 11, 29, 14)


def test_slots_across_daylight_saving_changes() -> None:
    wt, s = wt_and_settings(working_days_only=False, times=["02:30", "09:00"])
    # Spring forward (Sunday 29 March 2026): 09:00 is 07:00 UTC, the day before 08:00 UTC.
    assert latest_slot(s, wt, datetime(2026, 3, 29, 7, 0, tzinfo=UTC)) == \
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert latest_slot(s, wt, datetime(2026, 3, 28, 8, 0, tzinfo=UTC)) == \
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    # 02:30 does not exist that night: the slot happens once, just after the change.
    slots = set()
    at = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)
    while at < datetime(2026, 3, 29, 6, 0, tzinfo=UTC):
        slots.add(latest_slot(s, wt, at))
        at += timedelta(minutes=5)
    night = {x for x in slots if x.date() == datetime(2026, 3, 29).date()}
    assert night == {datetime(2026, 3, 29, 1, 30, tzinfo=UTC)}  # 03:30 CEST
    # Fall back (Sunday 25 October 2026): 02:30 happens twice; one slot, the first pass.
    slots = set()
    at = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    while at < datetime(2026, 10, 25, 5, 0, tzinfo=UTC):
        slots.add(latest_slot(s, wt, at))
        at += timedelta(minutes=5)
    assert {x for x in slots if x.date() == datetime(2026, 10, 25).date()} == \
        {datetime(2026, 10, 25, 0, 30, tzinfo=UTC)}


def _fill(store: Store) -> int:
    acc = store.account_id("alice")
    since = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    rows = [item(i) for i in range(7)]  # priority, reply expected
    rows.append(item(20, lane=Lane.INFO, msg=message(20, subject="Note de service")))
    for i in range(30, 34):
        rows.append(item(i, lane=Lane.BULK, msg=message(
            i, subject=f"Lettre {i}", list_id="news.caf.fr",
            from_=Address("Lettre CAF", "news@caf.fr"),
            list_unsubscribe=("<javascript:alert(1)>", "mailto:unsub@caf.fr",
                              "https://caf.fr/unsub?u=1&x=2"))))
    rows.append(item(40, lane=Lane.BULK, msg=message(40, from_=Address("Promo", "p@shop.fr"),
                                                     list_unsubscribe=("javascript:x",))))
    evil = "<script>alert('x')</script> Votre compte"
    rows.append(item(50, lane=Lane.SUSPECT, msg=message(50, subject=evil)))
    rows.append(item(60, lane=Lane.INFO, msg=message(60, subject="Vous allez voir")))
    store.save_messages(acc, rows)
    # The hostile message: aggressive flag on a normal lane.
    aggressive = store.find_messages(acc, message_id="<m60@example.org>")[0]
    store.set_decision(aggressive.id, Decision(
        Lane.INFO, Source.HEURISTIC, (Reason("Threat detected", {}, "threat", 0.9),),
        frozenset({Flag.AGGRESSIVE})))
    # Two messages held overnight (the hold capability's records).
    from accalmie.store.hold import record_held

    held = [store.find_messages(acc, message_id=f"<m{i}@example.org>")[0].id for i in (0, 1)]
    record_held(store, acc, [(rid, since + timedelta(hours=12), None) for rid in held])
    outbox_add(store, acc, "imap:q:1:1", since, state="uncertain", subject="Réponse au juge",
               recipients=["greffe@justice.fr"], error_code="uncertain")
    outbox_add(store, acc, "imap:q:1:2", since, state="invalid", subject="Brouillon",
               error_code="no_recipient", error="{}")
    return acc


def test_content_and_rendering(store: Store) -> None:
    acc = _fill(store)
    since = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
    until = datetime(2024, 3, 2, 8, 0, tzinfo=UTC)
    d = build(store, acc, since=since, until=until, lang="fr", when_text="vendredi 1er mars",
              since_text="hier", describe=describe_problem)
    assert dict(d.summary) == {lane_label(Lane.PRIORITY, "fr"): 7,
                               lane_label(Lane.INFO, "fr"): 2,
                               lane_label(Lane.BULK, "fr"): 5,
                               lane_label(Lane.SUSPECT, "fr"): 1}
    prio = d.lanes[0]
    assert prio.count == 7 and len(prio.items) == 5 and prio.more == 2
    assert prio.items[0].why  # the strongest reason, in words
    news = {n.name: n for n in d.newsletters}
    assert news["Lettre CAF"].count == 4
    assert news["Lettre CAF"].link == "https://caf.fr/unsub?u=1&x=2"
    assert news["Promo"].link == ""  # javascript: is never offered
    assert len(d.warnings) == 2
    assert [o.subject for o in d.outbox] == ["Réponse au juge", "Brouillon"]
    assert d.outbox[0].state == state_label("uncertain", "fr")
    assert d.outbox[1].problem == describe_problem(outbox_list(store, acc)[1], "fr")
    assert {w.subject[:8] for w in d.warnings} == {"<script>", "Vous all"}
    assert d.held_count == 2 and {h.subject for h in d.held} == {"Dossier n°0", "Dossier n°1"}
    page = render_html(d)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'href="https://caf.fr/unsub?u=1&amp;x=2"' in page
    assert "javascript:" not in page
    assert '<html lang="fr">' in page and "<h1>" in page
    text = render_text(d)
    assert "Réponse au juge" in text and "https://caf.fr/unsub?u=1&x=2" in text
    # English on request.
    d_en = build(store, acc, since=since, until=until, lang="en", when_text="Friday",
                 since_text="yesterday", describe=describe_problem)
    assert '<html lang="en">' in render_html(d_en)
    assert "Priority" in render_text(d_en)
    raw = as_message(d, address="alice@test.example", to="", when=until,
                     message_id="<d1@test.example>", slot=until)
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert re.search(r"^From: Accalmie <alice@test\.example>", head, re.M)
    assert "multipart/alternative" in head and "Auto-Submitted: auto-generated" in head


def test_empty_digest_says_so(store: Store) -> None:
    acc = store.account_id("nobody")
    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    d = build(store, acc, since=now - timedelta(days=1), until=now, lang="en",
              when_text="Monday", since_text="Sunday 9:00")
    assert d.empty and "Nothing new since Sunday 9:00" in render_text(d)
    assert "Nothing new" in render_html(d)


def test_unsubscribe_link_choice() -> None:
    assert unsubscribe_link(["<mailto:a@b.c>", "<https://x.org/u>"]) == "https://x.org/u"
    assert unsubscribe_link(["<mailto:a@b.c>"]) == "mailto:a@b.c"
    assert unsubscribe_link(["<https://x.org/u\"onmouseover=1>", "data:x"]) == ""
