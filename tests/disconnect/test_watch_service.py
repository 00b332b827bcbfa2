"""The live watch against a real Dovecot: IDLE, renewal, reconnection, time travel, hooks.

Each test runs :class:`WatchService` in a thread with fast settings and a ManualClock, and
watches the mailbox from an independent connection. Waits have generous deadlines; nothing
asserts a duration.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accalmie.config import Account
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.watch_service import check_health
from accalmie.store import Store
from accalmie.store import hold as held_store
from tests.disconnect.test_watch_support import (
    FRIDAY_NIGHT,
    HOLD,
    MONDAY_9,
    SATURDAY,
    TUESDAY_9,
    Broken,
    OfficeHours,
    count,
    drop_in_maildir,
    fast,
    idle,
    make_service,
    running,
    status,
    wait_until,
)
from tests.imap.helpers import LANE_FOLDERS, assert_exactly_once, config_for
from tests.imap.mailgen import lane_of_raw, make_message, message_id
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap, pytest.mark.slow]


def places(ids: range | list[int]) -> dict[str, str]:
    return {message_id(i): LANE_FOLDERS[lane_of_raw(make_message(i))] for i in ids}


def sorted_out(server: DovecotServer, n: int) -> bool:
    return count(server, "INBOX") == 0 and \
        sum(count(server, f) for f in LANE_FOLDERS.values()) == n


def test_new_mail_is_sorted_while_idle_and_health_is_written(
        dovecot: DovecotServer, imap_account: Account, sqlite_store: Store,
        tmp_path: Path) -> None:
    dovecot.deliver_many(None, (make_message(i) for i in range(3)))
    health = tmp_path / "run" / "health.json"
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(), health=health,
                       settings=fast(tick=60))  # long ticks: each delivery wakes IDLE
    with running(svc):
        wait_until(lambda: idle(svc), what="IDLE")
        assert sorted_out(dovecot, 3)  # the first full pass sorted what was waiting
        for i in range(3, 6):
            dovecot.deliver(None, make_message(i))
            wait_until(lambda i=i: sorted_out(dovecot, i + 1), what=f"message {i} sorted")
        wait_until(lambda: json.loads(health.read_text())["accounts"][0]["counts"]["triaged"]
                   == 6, what="health updated")
        doc = json.loads(health.read_text())
        assert doc["state"] == "running" and doc["pid"] > 0 and doc["time"]
        (acc,) = doc["accounts"]
        assert acc["name"] == imap_account.name and acc["counts"]["events"] == 3
        assert acc["last_error"] is None
        assert check_health(health, max_age=60).ok
    assert_exactly_once(dovecot, places(range(6)))
    doc = json.loads(health.read_text())
    assert doc["state"] == "stopped" and doc["accounts"][0]["state"] == "stopped"
    assert doc["accounts"][0]["counts"]["triaged"] == 6
    assert not check_health(health, max_age=60).ok
    assert health.stat().st_mode & 0o077 == 0


def test_idle_is_renewed_and_mail_still_arrives(dovecot: DovecotServer, imap_account: Account,
                                                sqlite_store: Store, tmp_path: Path) -> None:
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       settings=fast(idle_renew=1.0, tick=60), health=tmp_path / "h.json")
    with running(svc):
        wait_until(lambda: status(svc)["counts"]["idle_renewals"] >= 3, what="renewals")
        dovecot.deliver(None, make_message(0))
        wait_until(lambda: sorted_out(dovecot, 1), what="sorted after renewals")
        assert status(svc)["counts"]["reconnects"] == 0


def test_server_restart_reconnects_with_backoff(dovecot: DovecotServer,
                                                 imap_account: Account, sqlite_store: Store,
                                                 tmp_path: Path) -> None:
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       health=tmp_path / "h.json")
    with running(svc):
        wait_until(lambda: idle(svc), what="IDLE")
        dovecot.stop()
        wait_until(lambda: status(svc)["state"] in ("reconnecting", "connecting")
                   and status(svc)["last_error"], what="the outage noticed")
        assert status(svc)["error_kind"] in ("server", "unreachable")
        drop_in_maildir(dovecot, make_message(0), "m0")
        dovecot.start()
        wait_until(lambda: sorted_out(dovecot, 1), what="sorted after the restart")
        wait_until(lambda: idle(svc), what="IDLE again")
        dovecot.deliver(None, make_message(1))
        wait_until(lambda: sorted_out(dovecot, 2), what="sorted live again")
        assert status(svc)["counts"]["reconnects"] >= 1
    assert_exactly_once(dovecot, places(range(2)))


def test_server_that_drops_the_idle_connection(dovecot: DovecotServer, imap_account: Account,
                                               sqlite_store: Store, tmp_path: Path) -> None:
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       health=tmp_path / "h.json")
    with running(svc):
        for round_ in range(2):
            wait_until(lambda: idle(svc), what="IDLE")
            dovecot.doveadm("kick", dovecot.user)
            wait_until(lambda r=round_: status(svc)["counts"]["reconnects"] >= r + 1,
                       what="reconnected")
        dovecot.deliver(None, make_message(0))
        wait_until(lambda: sorted_out(dovecot, 1), what="sorted after the drops")


def test_a_refused_password_is_read_again(dovecot: DovecotServer, imap_account: Account,
                                          sqlite_store: Store, tmp_path: Path) -> None:
    """A changed password: the login is refused, shown as such, and the password asked again
    (here from its environment variable) at the next attempt."""
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       health=tmp_path / "h.json", password="an old password")
    with running(svc):
        wait_until(lambda: idle(svc), what="logged in at the second attempt")
        st = status(svc)
        assert st["error_kind"] == "auth" and st["counts"]["errors"] >= 1
        assert dovecot.password not in json.dumps(svc.health())


def test_server_without_idle_is_polled(dovecot_factory, monkeypatch: pytest.MonkeyPatch,
                                       sqlite_store: Store, tmp_path: Path) -> None:
    from tests.fixtures_imap import PASSWORD_ENV, account_for

    server = dovecot_factory(drop_capabilities=("IDLE",))
    monkeypatch.setenv(PASSWORD_ENV, server.password)
    account = account_for(server)
    svc = make_service(config_for(account), account, sqlite_store, server,
                       clock=ManualClock(MONDAY_9), working=OfficeHours(),
                       health=tmp_path / "h.json")
    with running(svc):
        wait_until(lambda: status(svc)["state"] == "polling", what="polling")
        server.deliver(None, make_message(0))
        wait_until(lambda: sorted_out(server, 1), what="sorted by polling")


def test_time_travel_holds_at_night_and_releases_once(dovecot: DovecotServer,
                                                      imap_account: Account,
                                                      sqlite_store: Store,
                                                      tmp_path: Path) -> None:
    clock = ManualClock(FRIDAY_NIGHT)
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=clock, working=OfficeHours(), health=tmp_path / "h.json")
    acc = sqlite_store.account_id(imap_account.name)
    with running(svc):
        wait_until(lambda: idle(svc), what="IDLE")
        dovecot.deliver_many(None, (make_message(i) for i in range(3)))
        wait_until(lambda: count(dovecot, HOLD) == 3 and count(dovecot, "INBOX") == 0,
                   what="held")
        assert status(svc)["held"] == 3 and status(svc)["next_release"]
        # A jump forward that stays off duty (Saturday) releases nothing.
        jumps = status(svc)["counts"]["clock_jumps"]
        clock.set(SATURDAY)
        wait_until(lambda: status(svc)["counts"]["clock_jumps"] > jumps and idle(svc),
                   what="jump noticed")
        assert count(dovecot, HOLD) == 3
        # Monday morning: one release, oldest first, into the lanes.
        clock.set(MONDAY_9)
        wait_until(lambda: sorted_out(dovecot, 3) and count(dovecot, HOLD) == 0,
                   what="released")
        # The clock goes back to Friday night: what was released stays; new mail is held.
        clock.set(FRIDAY_NIGHT)
        wait_until(lambda: status(svc)["counts"]["clock_jumps"] >= jumps + 3 and idle(svc),
                   what="backward jump noticed")
        dovecot.deliver_many(None, (make_message(i) for i in range(3, 5)))
        wait_until(lambda: count(dovecot, HOLD) == 2, what="held again")
        assert sum(count(dovecot, f) for f in LANE_FOLDERS.values()) == 3
        clock.set(TUESDAY_9)
        wait_until(lambda: sorted_out(dovecot, 5) and count(dovecot, HOLD) == 0,
                   what="released again")
        wait_until(lambda: status(svc)["counts"]["released"] == 5, what="counted")
    assert_exactly_once(dovecot, places(range(5)))
    assert len(held_store.releases(sqlite_store, acc)) == 2
    states = [r.state for r in held_store.held_between(sqlite_store, acc)]
    assert states == ["released"] * 5


def test_held_mail_is_released_when_the_service_starts_in_working_hours(
        dovecot: DovecotServer, imap_account: Account, sqlite_store: Store,
        tmp_path: Path) -> None:
    """Stopped over the window start (or a server down at 9:00): released at the next start."""
    dovecot.deliver_many(None, (make_message(i) for i in range(4)))
    night = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                         clock=ManualClock(FRIDAY_NIGHT), working=OfficeHours(),
                         health=tmp_path / "h.json", once=True)
    night.run()
    assert count(dovecot, HOLD) == 4
    later = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                         clock=ManualClock(TUESDAY_9), working=OfficeHours(),
                         health=tmp_path / "h.json", once=True)
    (st,) = later.run()
    assert st["counts"]["released"] == 4 and st["held"] == 0
    assert_exactly_once(dovecot, places(range(4)))


def test_a_broken_working_time_fails_open(dovecot: DovecotServer, imap_account: Account,
                                          sqlite_store: Store, tmp_path: Path) -> None:
    dovecot.deliver_many(None, (make_message(i) for i in range(2)))
    svc = make_service(config_for(imap_account), imap_account, sqlite_store, dovecot,
                       clock=ManualClock(FRIDAY_NIGHT), working=Broken(),
                       health=tmp_path / "h.json", once=True)
    (st,) = svc.run()
    assert st["counts"]["held"] == 0
    assert_exactly_once(dovecot, places(range(2)))


def test_hooks_are_called_each_tick_and_cannot_stop_the_watch(
        dovecot: DovecotServer, imap_account: Account, sqlite_store: Store, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import accalmie.disconnect.digest as digest
    import accalmie.disconnect.outbox as outbox

    calls: list[tuple] = []
    sessions: list[object] = []

    def send_due(config, account, store, clock):  # type: ignore[no-untyped-def]
        calls.append((config, account, store, clock))

    def with_session(config, account, store, clock, *, session=None, password=None):  # type: ignore[no-untyped-def]  # noqa: E501
        sessions.append((session, password))
        session.client.noop()  # the watch's own session, out of IDLE: usable

    def process_due(config, account, store, clock):  # type: ignore[no-untyped-def]
        raise RuntimeError("SMTP refused")

    monkeypatch.setattr(digest, "send_due", send_due, raising=False)
    monkeypatch.setattr(outbox, "process_due", process_due, raising=False)
    clock = ManualClock(MONDAY_9)
    config = config_for(imap_account)
    monkeypatch.setattr(digest, "hook_with_session", with_session, raising=False)
    svc = make_service(config, imap_account, sqlite_store, dovecot, clock=clock,
                       working=OfficeHours(), health=tmp_path / "h.json",
                       hooks=(("accalmie.disconnect.digest", "send_due"),
                              ("accalmie.disconnect.outbox", "process_due"),
                              ("accalmie.disconnect.digest", "hook_with_session"),
                              ("accalmie.disconnect.nowhere", "send_due")))
    with running(svc):
        wait_until(lambda: len(calls) >= 3, what="hook calls")
        assert calls[0] == (config, imap_account, sqlite_store, clock)
        assert sessions and sessions[0][0] is not None and sessions[0][1] == dovecot.password
        wait_until(lambda: "SMTP refused" in (status(svc)["last_error"] or ""),
                   what="the hook's error shown")
        assert status(svc)["error_kind"] == "hook"
        dovecot.deliver(None, make_message(0))
        wait_until(lambda: sorted_out(dovecot, 1), what="still sorting")
