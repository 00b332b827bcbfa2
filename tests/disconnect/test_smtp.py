"""The SMTP adapter against a real server (aiosmtpd on loopback): plain, TLS, STARTTLS, AUTH,
refusals, timeouts, and the moment after which a failure leaves the outcome unknown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accalmie.config import Account, ConfigError, parse_config
from accalmie.disconnect.smtp import (
    SmtpConfigError,
    SmtpError,
    SmtpErrorKind,
    SmtpSettings,
    parse_section,
    send,
    smtp_settings,
)
from tests.disconnect.test_outbox_support import SmtpSink, silent_server
from tests.support.dovecot import make_self_signed_cert

ACCOUNT = Account(name="alice", email="alice@test.example")
RAW = (b"From: alice@test.example\nTo: bob@partner.example\nSubject: t\n\n"
       b"Line one\n.starts with a dot\n..two dots\n")


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as s:
        yield s


def plain(port: int, **kw: object) -> SmtpSettings:
    values: dict[str, object] = {"host": "127.0.0.1", "port": port, "security": "plain",
                                 "timeout": 5.0, **kw}
    return SmtpSettings(**values)  # type: ignore[arg-type]


def test_section_defaults_and_validation() -> None:
    assert parse_section({}, None, "smtp.") == SmtpSettings()
    assert not SmtpSettings().configured
    s = parse_section({"host": "smtp.example.org", "security": "starttls"}, None, "smtp.")
    assert s.port == 587 and s.configured
    assert parse_section({"host": "h", "security": "tls"}, None, "smtp.").port == 465
    for bad in ({"security": "ssl3"}, {"port": 0}, {"port": "25"}, {"timeout": -1},
                {"password": "x"}, {"host": "two words"}, {"colour": 1}):
        with pytest.raises(ConfigError):
            parse_section(bad, None, "smtp.")
    config = parse_config({"smtp": {"host": "top.example"},
                           "accounts": [{"name": "a"},
                                        {"name": "b", "smtp": {"host": "own.example"}}]})
    assert smtp_settings(config, config.accounts[0]).host == "top.example"
    assert smtp_settings(config, config.accounts[1]).host == "own.example"


def test_send_plain_returns_the_answer_and_stuffs_dots(sink: SmtpSink) -> None:
    answer = send(plain(sink.port), ACCOUNT, "alice@test.example", ["bob@partner.example"], RAW)
    assert answer.code == 250 and "queued as Q1" in answer.text and not answer.refused
    (got,) = sink.received
    assert got.mail_from == "alice@test.example" and got.rcpt_tos == ["bob@partner.example"]
    assert b"\r\n.starts with a dot\r\n..two dots\r\n" in got.data  # unstuffed by the server
    assert b"\n" not in got.data.replace(b"\r\n", b"")  # no bare line feed left


def test_refusals_are_classified(sink: SmtpSink) -> None:
    sink.refuse = {"nobody@partner.example": "550 5.1.1 No such user"}
    answer = send(plain(sink.port), ACCOUNT, "alice@test.example",
                  ["bob@partner.example", "nobody@partner.example"], RAW)
    assert answer.refused == {"nobody@partner.example": "550 5.1.1 No such user"}
    with pytest.raises(SmtpError) as exc:
        send(plain(sink.port), ACCOUNT, "alice@test.example", ["nobody@partner.example"], RAW)
    assert exc.value.kind == SmtpErrorKind.PERMANENT and not exc.value.retry
    sink.refuse = {"busy@partner.example": "452 4.2.2 Mailbox full"}
    with pytest.raises(SmtpError) as exc:
        send(plain(sink.port), ACCOUNT, "alice@test.example", ["busy@partner.example"], RAW)
    assert exc.value.kind == SmtpErrorKind.TEMPORARY and exc.value.retry
    sink.data_replies = ["554 5.7.1 Spam"]
    with pytest.raises(SmtpError) as exc:
        send(plain(sink.port), ACCOUNT, "alice@test.example", ["bob@partner.example"], RAW)
    assert exc.value.code == 554 and "554 5.7.1 Spam" in exc.value.message
    assert not exc.value.uncertain
    assert len(sink.received) == 1


def test_plain_only_to_loopback_and_not_configured() -> None:
    with pytest.raises(SmtpConfigError) as exc:
        send(SmtpSettings(host="10.1.2.3", port=25, security="plain"), ACCOUNT, "a@b.c",
             ["d@e.f"], RAW)
    assert "plain" in str(exc.value)
    with pytest.raises(SmtpConfigError):
        send(SmtpSettings(), ACCOUNT, "a@b.c", ["d@e.f"], RAW)


def test_silent_server_times_out_before_anything_is_sent() -> None:
    with silent_server() as port:
        with pytest.raises(SmtpError) as exc:
            send(plain(port, timeout=0.5), ACCOUNT, "a@b.c", ["d@e.f"], RAW)
    assert exc.value.kind == SmtpErrorKind.UNREACHABLE and exc.value.retry
    assert not exc.value.uncertain


def test_no_answer_after_the_data_is_uncertain(sink: SmtpSink) -> None:
    sink.hang = 3.0
    seen = []
    with pytest.raises(SmtpError) as exc:
        send(plain(sink.port, timeout=0.5), ACCOUNT, "a@b.c", ["d@e.f"], RAW,
             on_data=lambda: seen.append("data"))
    assert seen == ["data"] and exc.value.uncertain and not exc.value.retry


def test_failing_on_data_sends_nothing(sink: SmtpSink) -> None:
    def boom() -> None:
        raise RuntimeError("the store is gone")

    with pytest.raises(RuntimeError):
        send(plain(sink.port), ACCOUNT, "a@b.c", ["d@e.f"], RAW, on_data=boom)
    assert sink.received == [] and sink.attempts == 0


def test_implicit_tls_with_a_private_ca(tmp_path: Path) -> None:
    cert, key = make_self_signed_cert(tmp_path / "tls", ("localhost",))
    with SmtpSink(tls_cert=(cert, key)) as tls:
        settings = SmtpSettings(host="localhost", port=tls.port, security="tls",
                                ca_file=str(cert), timeout=5.0)
        assert send(settings, ACCOUNT, "a@b.c", ["d@e.f"], RAW).code == 250
        with pytest.raises(SmtpError) as exc:
            send(SmtpSettings(host="localhost", port=tls.port, security="tls", timeout=5.0),
                 ACCOUNT, "a@b.c", ["d@e.f"], RAW)
        assert exc.value.kind == SmtpErrorKind.TLS
        assert len(tls.received) == 1


def test_starttls_and_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = make_self_signed_cert(tmp_path / "tls", ("localhost",))
    monkeypatch.setenv("TEST_SMTP_PW", "s3cret")
    with SmtpSink(tls_cert=(cert, key), starttls=True, auth=("alice", "s3cret")) as server:
        settings = SmtpSettings(host="localhost", port=server.port, security="starttls",
                                ca_file=str(cert), username="alice",
                                password_env="TEST_SMTP_PW", timeout=5.0)
        assert send(settings, ACCOUNT, "a@b.c", ["d@e.f"], RAW).code == 250
        monkeypatch.setenv("TEST_SMTP_PW", "wrong")
        with pytest.raises(SmtpError) as exc:
            send(settings, ACCOUNT, "a@b.c", ["d@e.f"], RAW)
        assert exc.value.kind == SmtpErrorKind.AUTH
        monkeypatch.delenv("TEST_SMTP_PW")
        with pytest.raises(SmtpError) as exc:
            send(settings, ACCOUNT, "a@b.c", ["d@e.f"], RAW)
        assert exc.value.kind == SmtpErrorKind.CONFIG and "TEST_SMTP_PW" in exc.value.message
        assert exc.value.retry  # the message is fine: it waits until the setting is fixed
        assert len(server.received) == 1


def test_starttls_asked_but_not_offered(sink: SmtpSink) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=sink.port, security="starttls", timeout=5.0)
    with pytest.raises(SmtpError) as exc:
        send(settings, ACCOUNT, "a@b.c", ["d@e.f"], RAW)
    assert exc.value.kind == SmtpErrorKind.TLS and sink.received == []
