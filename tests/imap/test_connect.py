"""Connecting to a real Dovecot: TLS, STARTTLS, plain on loopback only, and clear errors."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from accalmie.config import ConfigError
from accalmie.i18n import set_language
from accalmie.imap.connect import (
    ImapConfigError,
    ImapError,
    ImapErrorKind,
    connect,
    is_loopback,
    open_session,
)
from tests.fixtures_imap import account_for
from tests.support.dovecot import DovecotServer

pytestmark = pytest.mark.imap


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(None)


def test_tls_verifies_with_the_private_ca(dovecot_tls: DovecotServer) -> None:
    acc = account_for(dovecot_tls, security="tls", host="localhost")
    client = connect(acc, dovecot_tls.password)
    try:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
    finally:
        client.logout()


def test_tls_refuses_an_untrusted_certificate(dovecot_tls: DovecotServer) -> None:
    acc = account_for(dovecot_tls, security="tls", host="localhost", ca_file="")
    with pytest.raises(ImapError) as err:
        connect(acc, dovecot_tls.password)
    assert err.value.kind == ImapErrorKind.TLS
    assert "ca_file" in err.value.message


def test_tls_checks_the_host_name(dovecot_tls: DovecotServer, tmp_path) -> None:
    # The certificate names localhost and 127.0.0.1, not 127.0.0.2.
    acc = account_for(dovecot_tls, security="tls", host="127.0.0.2")
    with pytest.raises(ImapError) as err:
        connect(acc, dovecot_tls.password)
    assert err.value.kind in (ImapErrorKind.TLS, ImapErrorKind.UNREACHABLE)


def test_starttls(dovecot_tls: DovecotServer) -> None:
    acc = account_for(dovecot_tls, security="starttls", host="localhost")
    with open_session(acc, dovecot_tls.password) as session:
        assert session.client._starttls_done  # noqa: SLF001
        assert session.has("IDLE")


def test_starttls_not_offered(dovecot: DovecotServer) -> None:
    acc = account_for(dovecot, security="starttls")
    with pytest.raises(ImapError) as err:
        connect(acc, dovecot.password)
    assert err.value.kind == ImapErrorKind.TLS
    assert "STARTTLS" in err.value.message


def test_tls_against_a_plain_port(dovecot: DovecotServer) -> None:
    acc = account_for(dovecot, security="tls", port=dovecot.port)
    with pytest.raises(ImapError) as err:
        connect(acc, dovecot.password)
    assert err.value.kind in (ImapErrorKind.TLS, ImapErrorKind.SERVER)


def test_plain_on_loopback(dovecot: DovecotServer) -> None:
    for host in ("127.0.0.1", "localhost"):
        acc = account_for(dovecot, host=host)
        with open_session(acc, dovecot.password) as session:
            assert session.separator == "."
            for cap in ("MOVE", "UIDPLUS", "CONDSTORE", "IDLE", "SPECIAL-USE"):
                assert session.has(cap), cap
            assert session.condstore


@pytest.mark.parametrize("host", ["192.0.2.10", "203.0.113.5", "mail.example.invalid"])
def test_plain_refused_to_a_remote_host(dovecot: DovecotServer, host: str) -> None:
    acc = account_for(dovecot, host=host)
    with pytest.raises(ImapConfigError) as err:
        connect(acc, dovecot.password)
    assert isinstance(err.value, ConfigError)
    assert err.value.kind == ImapErrorKind.CONFIG
    assert host in err.value.message and "tls" in err.value.message


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("192.0.2.1")
    assert not is_loopback("no-such-host.invalid")


def test_wrong_password(dovecot: DovecotServer) -> None:
    with pytest.raises(ImapError) as err:
        connect(account_for(dovecot), "not-the-password")
    assert err.value.kind == ImapErrorKind.AUTH
    assert "password" in err.value.message


def test_wrong_password_message_in_french(dovecot: DovecotServer) -> None:
    set_language("fr")
    with pytest.raises(ImapError) as err:
        connect(account_for(dovecot), "nope")
    assert err.value.kind == ImapErrorKind.AUTH
    assert err.value.message  # translated when the catalog has it; never empty


def test_connection_refused(dovecot: DovecotServer) -> None:
    acc = account_for(dovecot)
    dovecot.stop()
    with pytest.raises(ImapError) as err:
        connect(acc, dovecot.password)
    assert err.value.kind == ImapErrorKind.UNREACHABLE
    assert str(dovecot.port) in err.value.message


def test_server_that_never_greets(dovecot: DovecotServer) -> None:
    """A server that accepts and then says nothing: a timeout, not a hang."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True).start()
    acc = replace(account_for(dovecot), port=port, timeout=1.0)
    try:
        with pytest.raises(ImapError) as err:
            connect(acc, "x")
        assert err.value.kind in (ImapErrorKind.UNREACHABLE, ImapErrorKind.SERVER)
    finally:
        for s in accepted:
            s.close()
        listener.close()


def test_server_that_speaks_nonsense(dovecot: DovecotServer) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    acc = replace(account_for(dovecot), port=port, timeout=2.0)
    try:
        with pytest.raises(ImapError) as err:
            connect(acc, "x")
        assert err.value.kind == ImapErrorKind.SERVER
    finally:
        listener.close()


def test_no_host_is_a_config_error(dovecot: DovecotServer) -> None:
    with pytest.raises(ImapConfigError):
        connect(replace(account_for(dovecot), host=""), "x")


def test_slash_separator(dovecot_factory) -> None:
    server = dovecot_factory(separator="/")
    with open_session(account_for(server), server.password) as session:
        assert session.separator == "/"
