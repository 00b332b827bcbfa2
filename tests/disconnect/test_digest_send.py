"""Scheduled digests delivered to a real Dovecot (APPEND) and a real SMTP server, exactly once
per slot, with a manual clock across nights, a weekend, an outage, clock jumps and DST."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.digest import send_due, send_now
from accalmie.store import Store
from accalmie.store.outbox import digest_slots
from tests.disconnect.test_outbox_support import SmtpSink, folder_messages, load, write_config
from tests.fixtures_imap import PASSWORD_ENV
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap]


def paris(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)


@pytest.fixture
def env(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> DovecotServer:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return dovecot


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


def digests_in_inbox(server: DovecotServer) -> list[email.message.Message]:
    return [email.message_from_bytes(r) for r in folder_messages(server, "INBOX")
            if b"X-Accalmie-Digest" in r]


def setup(tmp_path: Path, server: DovecotServer, port: int, digest: str):  # type: ignore[no-untyped-def]
    html = tmp_path / "html"
    cfg = load(write_config(tmp_path / "config.toml", server, port,
                            digest=f'{digest}\nhtml_dir = "{html}"'))
    return cfg, cfg.account("alice"), html


def test_one_digest_per_slot_across_nights_weekend_outage_and_clock_jumps(
        env: DovecotServer, tmp_path: Path) -> None:
    config, account, html = setup(tmp_path, env, 2525, 'times = ["09:00", "14:00"]')
    db = tmp_path / "db.sqlite"

    def tick(at: datetime) -> bool:
        # A fresh store each time: what a restarted service sees.
        with Store.open(db) as store:
            return send_due(config, account, store, ManualClock(at)).delivered

    # Friday 08:00: the latest slot (Thursday 14:00) was missed, but it is night: nothing.
    assert not tick(paris(2026, 11, 27, 8))
    assert tick(paris(2026, 11, 27, 9))
    assert not tick(paris(2026, 11, 27, 9, 1))
    assert not tick(paris(2026, 11, 27, 13, 59))
    assert tick(paris(2026, 11, 27, 14, 30))
    assert not tick(paris(2026, 11, 27, 10))  # the clock jumped back: nothing again
    # The weekend: no digest at all.
    for day in (28, 29):
        for hour in (9, 14, 20):
            assert not tick(paris(2026, 11, day, hour))
    assert tick(paris(2026, 11, 30, 9))
    # Down from Monday 09:05 to Tuesday 15:00: one digest when it comes back, not three.
    assert tick(paris(2026, 12, 1, 15))
    assert not tick(paris(2026, 12, 1, 15, 10))
    got = digests_in_inbox(env)
    assert len(got) == 4
    assert len({m["Message-ID"] for m in got}) == 4
    first = got[0]
    assert first["From"] == "Accalmie <alice@test.example>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert first.is_multipart() and [p.get_content_type() for p in first.walk()][1:] == \
        ["text/plain", "text/html"]
    assert len(list(html.rglob("digest-*.html"))) == 4
    with Store.open(db) as store:
        slots = digest_slots(store, store.account_id("alice"))
    assert [s.slot for s in slots] == [paris(2026, 11, 27, 9), paris(2026, 11, 27, 14),
                                       paris(2026, 11, 30, 9), paris(2026, 12, 1, 14)]
    # Monday's digest covers the weekend: since Friday 14:00.
    assert slots[2].since == paris(2026, 11, 27, 14)


def test_digest_across_a_daylight_saving_change(env: DovecotServer, tmp_path: Path) -> None:
    config, account, _html = setup(tmp_path, env, 2525, 'times = ["09:00"]')
    with Store.open(tmp_path / "db.sqlite") as store:
        clock = ManualClock(paris(2026, 3, 27, 8))
        delivered = []
        while clock.now() < paris(2026, 3, 31, 12):
            if send_due(config, account, store, clock).delivered:
                delivered.append(clock.now())
            clock.advance(timedelta(minutes=30))
    # Friday 27 March at 09:00 CET, then Monday 30 March at 09:00 CEST (07:00 UTC), Tuesday.
    assert delivered == [datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
                         datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
                         datetime(2026, 3, 31, 7, 0, tzinfo=UTC)]
    assert len(digests_in_inbox(env)) == 3


class Crash(Exception):
    pass


def test_interrupted_append_is_not_appended_twice(env: DovecotServer, tmp_path: Path) -> None:
    config, account, _html = setup(tmp_path, env, 2525, 'times = ["09:00"]')
    at = paris(2026, 11, 30, 9)

    def crash_at(step: str):  # type: ignore[no-untyped-def]
        def hook(name: str, _id: int) -> None:
            if name == step:
                raise Crash(step)
        return hook

    with Store.open(tmp_path / "db.sqlite") as store:
        with pytest.raises(Crash):
            send_due(config, account, store, ManualClock(at), on_step=crash_at("appended"))
        assert len(digests_in_inbox(env)) == 1
        send_due(config, account, store, ManualClock(at + timedelta(minutes=1)))
        assert len(digests_in_inbox(env)) == 1  # found in INBOX: not appended again
        (slot,) = digest_slots(store, store.account_id("alice"))
        assert slot.state == "sent"
        # Tuesday: interrupted after the claim, before the APPEND: appended once, later.
        tuesday = at + timedelta(days=1)
        with pytest.raises(Crash):
            send_due(config, account, store, ManualClock(tuesday),
                     on_step=crash_at("claimed"))
        assert len(digests_in_inbox(env)) == 1
        for minutes in (1, 2):
            send_due(config, account, store, ManualClock(tuesday + timedelta(minutes=minutes)))
        assert len(digests_in_inbox(env)) == 2


def test_digest_by_smtp_once_with_retry(env: DovecotServer, sink: SmtpSink,
                                        tmp_path: Path) -> None:
    config, account, _html = setup(tmp_path, env, sink.port,
                                   'times = ["09:00"]\ndelivery = "smtp"\nlanguage = "en"')
    at = paris(2026, 11, 30, 9)
    sink.data_replies = ["451 4.3.0 Later"]
    with Store.open(tmp_path / "db.sqlite") as store:
        report = send_due(config, account, store, ManualClock(at))
        assert not report.delivered and report.state == "retrying"
        assert not send_due(config, account, store, ManualClock(at + timedelta(minutes=1))
                            ).delivered  # waits for its retry time
        assert send_due(config, account, store, ManualClock(at + timedelta(minutes=6))
                        ).delivered
        for minutes in (7, 30, 120):
            send_due(config, account, store, ManualClock(at + timedelta(minutes=minutes)))
    assert len(sink.received) == 1
    (got,) = sink.received
    assert got.rcpt_tos == ["alice@test.example"]
    assert got.message["Subject"].startswith("Accalmie")
    assert got.message["Content-Language"] == "en"
    assert digests_in_inbox(env) == []


def test_digest_now_and_preview(env: DovecotServer, tmp_path: Path) -> None:
    config, account, _html = setup(tmp_path, env, 2525, "")
    out = tmp_path / "preview.html"
    with Store.open(tmp_path / "db.sqlite") as store:
        clock = ManualClock(paris(2026, 11, 30, 22))
        assert send_due(config, account, store, clock).disabled  # no times: no schedule
        report = send_now(config, account, store, clock, deliver=False, html_path=out)
        assert report.html_path == out and out.read_text().startswith("<!DOCTYPE html>")
        assert digests_in_inbox(env) == []
        assert send_now(config, account, store, clock).delivered
    assert len(digests_in_inbox(env)) == 1
