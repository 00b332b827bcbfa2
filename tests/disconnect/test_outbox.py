"""Send later against a real Dovecot and a real SMTP server (aiosmtpd), with a manual clock."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accalmie.config import Account, ConfigError
from accalmie.disconnect.clock import ManualClock
from accalmie.disconnect.outbox import (
    cancel_item,
    describe_problem,
    enqueue_file,
    process_due,
    retry_item,
)
from accalmie.store import Store
from accalmie.store.outbox import outbox_list
from tests.disconnect.test_outbox_support import (
    FRIDAY_NIGHT,
    MONDAY_9,
    QUEUE,
    SmtpSink,
    delete_all,
    folder_messages,
    load,
    message,
    silent_server,
    write_config,
)
from tests.fixtures_imap import PASSWORD_ENV
from tests.support.dovecot import DovecotServer

pytestmark = [pytest.mark.imap]


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


@pytest.fixture
def env(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return dovecot


def setup(tmp_path: Path, server: DovecotServer, port: int, *, url: str | None = None,
          **kw: object):  # type: ignore[no-untyped-def]
    cfg = load(write_config(tmp_path / "config.toml", server, port, **kw))  # type: ignore[arg-type]
    return cfg, cfg.account("alice"), Store.open(url or tmp_path / "db.sqlite")


def items(store: Store, account: Account) -> list:  # type: ignore[type-arg]
    return outbox_list(store, store.account_id(account.name))


def test_night_message_leaves_at_the_next_window_once(env: DovecotServer, sink: SmtpSink,
                                                      tmp_path: Path, store_url: str) -> None:
    config, account, store = setup(tmp_path, env, sink.port, url=store_url)
    clock = ManualClock(FRIDAY_NIGHT)
    env.deliver(None, message(1), folder=QUEUE)
    report = process_due(config, account, store, clock)
    assert (report.queued, report.sent) == (1, 0)
    (item,) = items(store, account)
    assert item.state == "pending" and item.due_at == MONDAY_9  # Monday 09:00 in Paris
    assert report.next_due == MONDAY_9
    # Saturday: nothing leaves.
    clock.set(FRIDAY_NIGHT + timedelta(hours=13))
    assert process_due(config, account, store, clock).sent == 0
    assert sink.received == []
    # Monday 09:00: sent, filed in Sent, out of the queue.
    clock.set(MONDAY_9)
    report = process_due(config, account, store, clock)
    assert (report.sent, report.filed) == (1, 1)
    (got,) = sink.received
    assert sorted(got.rcpt_tos) == ["bob@partner.example", "carol@partner.example"]
    msg = got.message
    assert msg["Bcc"] is None and "carol@" not in got.data.decode()
    assert msg["Message-ID"] == "<later-1@test.example>"
    assert email.utils.parsedate_to_datetime(msg["Date"]) == MONDAY_9
    assert msg["Date"].endswith("+0100")
    sent = folder_messages(env, "Sent")
    assert len(sent) == 1
    filed = email.message_from_bytes(sent[0])
    assert filed["Message-ID"] == "<later-1@test.example>"
    assert filed["Bcc"] == "carol@partner.example"  # kept in your own copy, as clients do
    assert folder_messages(env, QUEUE) == []
    (item,) = items(store, account)
    assert item.state == "filed" and item.raw is None and item.prepared is None
    assert item.smtp_answer.startswith("250")
    # Again and again: never a second sending.
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        process_due(config, account, store, clock)
    assert len(sink.received) == 1 and len(folder_messages(env, "Sent")) == 1
    store.close()


def test_footer_in_text_and_html_parts_but_not_in_signed_mail(env: DovecotServer,
                                                              sink: SmtpSink,
                                                              tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port, send_later="footer = true")
    clock = ManualClock(MONDAY_9)
    alt = (b"From: alice@test.example\r\nTo: bob@partner.example\r\nSubject: alt\r\n"
           b"Message-ID: <alt@test.example>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\n"
           b"Content-Type: text/plain; charset=iso-8859-1\r\n"
           b"Content-Transfer-Encoding: quoted-printable\r\n\r\nVoil=E0.\r\n--b1\r\n"
           b"Content-Type: text/html; charset=utf-8\r\n\r\n"
           b"<html><body><p>Voil\xc3\xa0.</p></body></html>\r\n--b1--\r\n")
    signed = (b"From: alice@test.example\r\nTo: bob@partner.example\r\nSubject: signed\r\n"
              b"Message-ID: <signed@test.example>\r\nMIME-Version: 1.0\r\n"
              b"Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; "
              b"micalg=sha-256; boundary=\"s1\"\r\n\r\n--s1\r\nContent-Type: text/plain\r\n\r\n"
              b"Signed text.\r\n--s1\r\nContent-Type: application/pkcs7-signature\r\n\r\n"
              b"MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAA==\r\n"
              b"--s1--\r\n")
    env.deliver(None, alt, folder=QUEUE)
    env.deliver(None, signed, folder=QUEUE)
    report = process_due(config, account, store, clock)
    assert report.sent == 2
    by_id = {r.message["Message-ID"]: r for r in sink.received}
    footer = "Ce message ne nécessite pas de réponse en dehors de vos horaires de travail."
    texts = {}
    for part in by_id["<alt@test.example>"].message.walk():
        if not part.is_multipart():
            texts[part.get_content_type()] = part.get_payload(decode=True).decode(
                part.get_content_charset())
    assert texts["text/plain"].rstrip().endswith(footer)
    assert "Voilà." in texts["text/plain"]
    assert footer in texts["text/html"] and texts["text/html"].index(footer) < \
        texts["text/html"].index("</body>")
    # The signed message went out byte for byte (Date aside), with a note saying why.
    body = by_id["<signed@test.example>"].data.split(b"\r\n\r\n", 1)[1]
    assert body == signed.split(b"\r\n\r\n", 1)[1]
    notes = {i.message_id: i.notes for i in items(store, account)}
    assert "footer_signed" in notes["<signed@test.example>"]
    store.close()


def test_bad_messages_stay_in_the_folder_with_a_reason(env: DovecotServer, sink: SmtpSink,
                                                       tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port, language="en")
    clock = ManualClock(MONDAY_9)
    bad = [
        message(1, to="", bcc=""),  # no recipient
        b"From: alice@test.example\r\nTo bob@partner.example\r\nSubject: x\r\n\r\nbody\r\n",
        b"From: alice@test.example\r\nTo: \xe9ric@partner.example\r\nSubject: \xe9t\xe9\r\n\r\n"
        b"x\r\n",  # Latin-1 bytes in the headers: undecodable
        message(4, to="jean@"),  # an address that is not one
    ]
    for raw in bad:
        env.deliver(None, raw, folder=QUEUE)
    for _ in range(2):
        report = process_due(config, account, store, clock)
        clock.advance(timedelta(minutes=2))
    assert sink.received == []
    states = sorted((i.error_code, i.state) for i in items(store, account))
    assert states == [("bad_address", "invalid"), ("broken_header", "invalid"),
                      ("no_recipient", "invalid"), ("undecodable", "invalid")]
    assert len(folder_messages(env, QUEUE)) == 4  # kept where they were
    texts = [describe_problem(i, "en") for i in items(store, account)]
    assert any("no recipient" in t for t in texts)
    assert any("jean@" in t for t in texts)
    assert len(report.problems) == 4
    store.close()


def test_refusal_is_kept_with_the_reason_then_retried(env: DovecotServer, sink: SmtpSink,
                                                      tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port, language="en")
    clock = ManualClock(MONDAY_9)
    sink.data_replies = ["554 5.7.1 Message refused by policy"]
    env.deliver(None, message(1), folder=QUEUE)
    report = process_due(config, account, store, clock)
    assert report.failed == 1 and sink.received == []
    (item,) = items(store, account)
    assert item.state == "failed" and "554 5.7.1 Message refused by policy" in item.error
    assert len(folder_messages(env, QUEUE)) == 1
    # A later pass does not try again by itself.
    clock.advance(timedelta(hours=1))
    process_due(config, account, store, clock)
    assert sink.attempts == 1
    # The user asks for a retry: it leaves once.
    retry_item(config, account, store, clock, item.id)
    process_due(config, account, store, clock)
    assert len(sink.received) == 1 and items(store, account)[0].state == "filed"
    store.close()


def test_temporary_failures_retry_with_backoff_and_send_once(env: DovecotServer,
                                                             sink: SmtpSink,
                                                             tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port)
    clock = ManualClock(MONDAY_9)
    sink.data_replies = ["451 4.3.0 Try again later", "421 4.7.0 Busy"]
    env.deliver(None, message(1), folder=QUEUE)
    process_due(config, account, store, clock)
    (item,) = items(store, account)
    assert item.state == "pending" and item.error_code == "retrying"
    assert item.next_try_at == MONDAY_9 + timedelta(minutes=1)
    process_due(config, account, store, clock)  # too early: nothing
    assert sink.attempts == 1
    clock.advance(timedelta(minutes=1))
    process_due(config, account, store, clock)
    (item,) = items(store, account)
    assert sink.attempts == 2 and item.next_try_at == clock.now() + timedelta(minutes=2)
    clock.advance(timedelta(minutes=2))
    report = process_due(config, account, store, clock)
    assert report.sent == 1 and len(sink.received) == 1
    store.close()


def test_unanswering_server_is_retried_later(env: DovecotServer, tmp_path: Path) -> None:
    with silent_server() as port:
        config, account, store = setup(tmp_path, env, port, smtp_timeout=0.5)
        clock = ManualClock(MONDAY_9)
        env.deliver(None, message(1), folder=QUEUE)
        process_due(config, account, store, clock)
        (item,) = items(store, account)
        assert item.state == "pending" and item.error_code == "retrying" and item.error
        assert item.next_try_at == MONDAY_9 + timedelta(minutes=1)
        store.close()


def test_recipient_hours_known_later_start(env: DovecotServer, sink: SmtpSink,
                                           tmp_path: Path) -> None:
    colleague = f"""
[[accounts]]
name = "bob"
email = "bob@partner.example"
host = "127.0.0.1"
port = {env.port}
security = "plain"
username = "bob"
password_env = "{PASSWORD_ENV}"
[accounts.hours]
ranges = ["14:00-18:00"]
"""
    config, account, store = setup(tmp_path, env, sink.port, second_account=colleague)
    clock = ManualClock(FRIDAY_NIGHT)
    env.deliver(None, message(1), folder=QUEUE)
    process_due(config, account, store, clock)
    (item,) = items(store, account)
    assert item.due_at == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Bob starts at 14:00
    clock.set(MONDAY_9)
    process_due(config, account, store, clock)
    assert sink.received == []
    clock.set(datetime(2026, 11, 30, 13, 0, tzinfo=UTC))
    process_due(config, account, store, clock)
    assert len(sink.received) == 1
    store.close()


def test_taken_out_of_the_folder_is_cancelled_and_duplicates_not_sent(
        env: DovecotServer, sink: SmtpSink, tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port)
    clock = ManualClock(FRIDAY_NIGHT)
    env.deliver(None, message(1), folder=QUEUE)
    process_due(config, account, store, clock)
    delete_all(env, QUEUE)  # the user changes their mind
    env.deliver(None, message(2), folder=QUEUE)
    env.deliver(None, message(2), folder=QUEUE)  # dropped twice
    report = process_due(config, account, store, clock)
    assert report.cancelled == 1
    clock.set(MONDAY_9)
    process_due(config, account, store, clock)
    assert [r.message["Message-ID"] for r in sink.received] == ["<later-2@test.example>"]
    states = sorted(i.state for i in items(store, account))
    assert states == ["cancelled", "filed", "invalid"]
    store.close()


def test_late_after_a_long_outage_waits_for_the_next_window(env: DovecotServer,
                                                            sink: SmtpSink,
                                                            tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port)
    clock = ManualClock(FRIDAY_NIGHT)
    env.deliver(None, message(1), folder=QUEUE)
    process_due(config, account, store, clock)
    # The service was down all Monday; it comes back at 21:00: not tonight.
    clock.set(datetime(2026, 11, 30, 20, 0, tzinfo=UTC))
    process_due(config, account, store, clock)
    assert sink.received == []
    (item,) = items(store, account)
    assert item.due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    clock.set(item.due_at)
    process_due(config, account, store, clock)
    assert len(sink.received) == 1
    store.close()


def test_send_later_file_with_a_time_and_cancel(env: DovecotServer, sink: SmtpSink,
                                                tmp_path: Path) -> None:
    config, account, store = setup(tmp_path, env, sink.port)
    clock = ManualClock(FRIDAY_NIGHT)
    at = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)  # a Saturday: the user's explicit choice
    item, new = enqueue_file(config, account, store, clock, message(7, message_id=""), at=at)
    assert new and item.due_at == at and item.requested and item.message_id.endswith(
        "@test.example>")
    again, new = enqueue_file(config, account, store, clock, message(7, message_id=""))
    assert not new and again.id == item.id
    with pytest.raises(ConfigError):
        enqueue_file(config, account, store, clock, message(8, to="", bcc=""))
    with pytest.raises(ConfigError):
        enqueue_file(config, account, store, clock, message(9), at=FRIDAY_NIGHT)
    clock.set(at)
    process_due(config, account, store, clock)
    (got,) = sink.received
    assert got.message["Message-ID"] == item.message_id
    assert len(folder_messages(env, "Sent")) == 1
    other, _new = enqueue_file(config, account, store, clock, message(10))
    cancel_item(account, store, clock, other.id)
    clock.set(MONDAY_9)
    process_due(config, account, store, clock)
    assert len(sink.received) == 1
    with pytest.raises(ConfigError):
        cancel_item(account, store, clock, item.id)  # already sent
    store.close()


def test_schedule_across_weekend_holiday_and_dst() -> None:
    from zoneinfo import ZoneInfo

    from accalmie.config import parse_config
    from accalmie.disconnect.hours import working_time
    from accalmie.disconnect.outbox import backoff, schedule

    config = parse_config({
        "hours": {"timezone": "Europe/Paris", "days": "lun-ven", "ranges": ["09:00-18:00"]},
        "accounts": [{"name": "alice"}, {"name": "bob", "hours": {"ranges": ["14:00-18:00"]}},
                     {"name": "yann", "hours": {"timezone": "America/Montreal"}}]})
    alice, bob, yann = (working_time(config, a) for a in config.accounts)

    def paris(*args: int) -> datetime:
        return datetime(*args, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)

    # Saturday night before the spring change: Monday 09:00 CEST, 07:00 UTC.
    assert schedule(paris(2026, 3, 28, 22), alice) == datetime(2026, 3, 30, 7, tzinfo=UTC)
    # Christmas Eve evening: Friday 25 is a public holiday, then the weekend.
    assert schedule(paris(2026, 12, 24, 20), alice) == paris(2026, 12, 28, 9)
    # During work: now.
    assert schedule(paris(2026, 12, 1, 10), alice) == paris(2026, 12, 1, 10)
    # A colleague who starts later: their start; one in Montréal: 09:00 there (15:00 here).
    assert schedule(paris(2026, 12, 1, 7), alice, [bob]) == paris(2026, 12, 1, 14)
    assert schedule(paris(2026, 12, 1, 7), alice, [yann]) == paris(2026, 12, 1, 15)
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 20)] == \
        [60, 120, 240, 3600, 3600, 3600]


def test_renumbered_queue_folder_and_a_server_without_uidplus(
        dovecot_factory, sink: SmtpSink, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = dovecot_factory(drop_capabilities=("UIDPLUS", "MOVE"))
    monkeypatch.setenv(PASSWORD_ENV, server.password)
    config, account, store = setup(tmp_path, server, sink.port)
    clock = ManualClock(FRIDAY_NIGHT)
    server.deliver(None, message(1), folder=QUEUE)
    server.deliver(None, message(2), folder=QUEUE)
    process_due(config, account, store, clock)
    server.set_uidvalidity(QUEUE, 777)  # a server restore renumbers the folder
    clock.set(MONDAY_9)
    report = process_due(config, account, store, clock)
    assert report.sent == 2 and report.cancelled == 0 and report.queued == 0
    assert sorted(r.message["Message-ID"] for r in sink.received) == \
        ["<later-1@test.example>", "<later-2@test.example>"]
    assert folder_messages(server, QUEUE) == []  # removed without UID EXPUNGE
    assert len(folder_messages(server, "Sent")) == 2
    assert {i.state for i in items(store, account)} == {"filed"}
    assert {i.uidvalidity for i in items(store, account)} == {777}  # found again, not re-queued
    store.close()
