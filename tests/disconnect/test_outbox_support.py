"""Shared pieces of the send-later and digest tests (no tests here).

- :class:`SmtpSink`: a real SMTP server (aiosmtpd, in this process, on loopback) that counts
  what it accepts, and can refuse, defer or hang on command;
- :func:`write_config`: a configuration for one or two accounts on a test Dovecot and sink;
- message builders and IMAP helpers to look into folders.
"""

from __future__ import annotations

import email
import imaplib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller

from accalmie.config import Config, load_config
from tests.fixtures_imap import PASSWORD_ENV
from tests.support.dovecot import DovecotServer, free_port

# Friday 27 November 2026, 22:00 in Paris (UTC+1): after hours, before a weekend.
FRIDAY_NIGHT = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
MONDAY_9 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Paris
QUEUE = "Accalmie.À envoyer"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> Message:
        return email.message_from_bytes(self.data)


class SmtpSink:
    """aiosmtpd on 127.0.0.1: ``received`` holds every accepted message, in order.

    ``data_replies``: answers to give to the next DATA commands, in order ("554 5.7.1 No",
    "451 4.3.0 Later"); then "250". ``refuse``: address -> RCPT answer. ``hang``: seconds to
    wait before answering DATA (to make a client time out after transmitting).
    """

    def __init__(self, *, tls_cert: tuple[Path, Path] | None = None, starttls: bool = False,
                 auth: tuple[str, str] | None = None) -> None:
        self.received: list[Received] = []
        self.data_replies: list[str] = []
        self.refuse: dict[str, str] = {}
        self.hang = 0.0
        self.attempts = 0
        self.port = free_port()
        self._lock = threading.Lock()
        kwargs: dict[str, object] = {}
        if tls_cert is not None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(str(tls_cert[0]), str(tls_cert[1]))
            if starttls:
                kwargs.update(tls_context=ctx, require_starttls=True)
            else:
                kwargs["ssl_context"] = ctx
        if auth is not None:
            def check(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
                from aiosmtpd.smtp import AuthResult, LoginPassword

                ok = isinstance(auth_data, LoginPassword) and \
                    (auth_data.login.decode(), auth_data.password.decode()) == auth
                return AuthResult(success=ok, handled=False)

            kwargs.update(authenticator=check, auth_require_tls=tls_cert is not None)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        import asyncio

        with self._lock:
            self.attempts += 1
            reply = self.data_replies.pop(0) if self.data_replies else "250"
        if self.hang:
            await asyncio.sleep(self.hang)
        if not reply.startswith("250"):
            return reply
        data = envelope.original_content or envelope.content
        with self._lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                          bytes(data)))
            n = len(self.received)
        return f"250 2.0.0 Ok: queued as Q{n}"

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        try:
            self.controller.stop()
        except Exception:  # noqa: BLE001 - already stopped
            pass

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def count(self, message_id: str) -> int:
        """How many times a message with this Message-ID was accepted."""
        with self._lock:
            return sum(1 for r in self.received
                       if (r.message.get("Message-ID") or "").strip() == message_id)


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on loopback that accepts connections and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    conns: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = sock.accept()
                conns.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for c in conns:
            c.close()
        sock.close()


def write_config(path: Path, server: DovecotServer, smtp_port: int, *, extra: str = "",
                 send_later: str = "", digest: str = "", language: str = "fr",
                 second_account: str = "", smtp_timeout: float = 5) -> Path:
    """Account ``alice`` on the Dovecot, SMTP to the sink, hours 09:00-18:00 Monday-Friday."""
    path.write_text(f"""
[general]
language = "{language}"

[hours]
timezone = "Europe/Paris"
days = "lun-ven"
ranges = ["09:00-18:00"]

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "plain"
timeout = {smtp_timeout}

[send_later]
{send_later}

[digest]
{digest}

[[accounts]]
name = "alice"
email = "alice@test.example"
host = "127.0.0.1"
port = {server.port}
security = "plain"
username = "{server.user}"
password_env = "{PASSWORD_ENV}"
timeout = 10
{extra}
{second_account}
""", encoding="utf-8")
    return path


def load(path: Path) -> Config:
    return load_config(path)


def message(n: int = 1, *, to: str = "bob@partner.example", cc: str = "",
            bcc: str = "carol@partner.example", subject: str = "",
            body: str = "Bonjour,\nvoici le compte rendu.\n", extra: str = "",
            message_id: str | None = None) -> bytes:
    """A finished message as a mail client leaves it in the queue folder (CRLF)."""
    mid = message_id if message_id is not None else f"<later-{n}@test.example>"
    lines = [
        "From: Alice Martin <alice@test.example>",
        f"To: {to}" if to else "",
        f"Cc: {cc}" if cc else "",
        f"Bcc: {bcc}" if bcc else "",
        f"Subject: {subject or f'Compte rendu {n}'}",
        "Date: Fri, 27 Nov 2026 22:00:00 +0100",
        f"Message-ID: {mid}" if mid else "",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        extra,
    ]
    head = "\r\n".join(x for x in lines if x)
    return (head + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def folder_messages(server: DovecotServer, folder: str) -> list[bytes]:
    """Every message of a folder (raw), in UID order."""
    with server.imap() as conn:
        typ, _ = conn.select(server.imap_folder(folder), readonly=True)
        if typ != "OK":
            return []
        typ, data = conn.uid("SEARCH", None, "ALL")
        uids = data[0].split() if data and data[0] else []
        out = []
        for uid in uids:
            typ, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            for part in parts:
                if isinstance(part, tuple):
                    out.append(bytes(part[1]))
        return out


def delete_all(server: DovecotServer, folder: str) -> None:
    """What a user does in a mail client: delete the messages of a folder."""
    with server.imap() as conn:
        conn.select(server.imap_folder(folder))
        conn.store("1:*", "+FLAGS", "(\\Deleted)")
        conn.expunge()


def wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll until ``predicate()`` holds (never a timing assertion: a bound on waiting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


__all__ = ["FRIDAY_NIGHT", "MONDAY_9", "QUEUE", "SmtpSink", "delete_all", "folder_messages",
           "imaplib", "message", "silent_server", "wait_for", "write_config"]
