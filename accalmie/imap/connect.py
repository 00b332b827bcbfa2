"""Open an IMAP connection safely, and say clearly what went wrong when it fails.

Security: implicit TLS by default, STARTTLS on request, both verifying the server certificate
(``Account.ca_file`` adds a private CA). Clear-text ``plain`` is refused unless every address of
the host is a loopback one: a password never crosses a network unencrypted.

Every failure (refused or unreachable server, TLS problem, wrong password, a server that drops
or misbehaves) becomes one :class:`ImapError` whose message is in the user's language and
whose ``kind`` lets the command line pick an exit code.
"""

from __future__ import annotations

import errno
import imaplib
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from accalmie.config import Account, ConfigError
from accalmie.i18n import _

CAPABILITIES = ("MOVE", "UIDPLUS", "CONDSTORE", "IDLE", "SPECIAL-USE")


class ImapErrorKind(StrEnum):
    CONFIG = "config"  # the account settings cannot work (e.g. plain to a remote host)
    UNREACHABLE = "unreachable"  # name unknown, connection refused, host unreachable, timeout
    TLS = "tls"  # handshake failed, certificate not trusted, STARTTLS not offered
    AUTH = "auth"  # wrong user name or password
    SERVER = "server"  # the server dropped the connection or answered nonsense
    FOLDER = "folder"  # a folder cannot be selected or created


class ImapError(Exception):
    """An IMAP problem already phrased for the user; ``kind`` says which one."""

    def __init__(self, message: str, kind: ImapErrorKind | str = ImapErrorKind.SERVER) -> None:
        super().__init__(message)
        self.message = message
        self.kind = ImapErrorKind(kind)

    def __str__(self) -> str:
        return self.message


class ImapConfigError(ImapError, ConfigError):
    """Settings that cannot be used safely (caught as a ConfigError too)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ImapErrorKind.CONFIG)


def resolve(host: str, port: int) -> list[str]:
    """Every IP address ``host`` resolves to (empty when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def is_loopback(host: str, port: int = 143) -> bool:
    """True only when the host resolves, and only to loopback addresses."""
    addrs = resolve(host, port)
    if not addrs:
        return False
    try:
        return all(ipaddress.ip_address(a.split("%", 1)[0]).is_loopback for a in addrs)
    except ValueError:
        return False


def verified_context(ca_file: str = "") -> ssl.SSLContext:
    """System CAs plus an optional CA file; TLS 1.2 or later, certificates and host names
    verified (IMAP and SMTP alike). Raises OSError or ssl.SSLError for an unreadable file."""
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)
    return ctx


def ssl_context(account: Account) -> ssl.SSLContext:
    """System CAs, plus the account's own CA file; certificates and host names verified."""
    if account.ca_file:
        try:
            return verified_context(account.ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ImapConfigError(
                _("Account {name}: cannot read the CA file {path} ({error}).").format(
                    name=account.name, path=account.ca_file,
                    error=getattr(exc, "strerror", None) or exc.__class__.__name__)) from None
    return verified_context()


def _where(account: Account) -> str:
    return f"{account.host}:{account.port}"


def _connect_error(account: Account, exc: BaseException) -> ImapError:
    """Turn a failure before login into a message the user can act on."""
    where = _where(account)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ImapError(_(
            "The certificate of {where} is not trusted ({reason}). If the server uses a "
            "private certificate, set ca_file for account {name}.").format(
                where=where, reason=exc.verify_message or exc.reason or "?", name=account.name),
            ImapErrorKind.TLS)
    if isinstance(exc, ssl.SSLError):
        return ImapError(_("The secure connection with {where} failed ({reason}). Check the "
                           "port and the security setting (tls or starttls).").format(
                               where=where, reason=exc.reason or exc.__class__.__name__),
                         ImapErrorKind.TLS)
    if isinstance(exc, TimeoutError | socket.timeout):
        return ImapError(_("The mail server {where} did not answer in time.").format(
            where=where), ImapErrorKind.UNREACHABLE)
    if isinstance(exc, ConnectionRefusedError):
        return ImapError(_("The mail server {where} refused the connection (is it running, "
                           "and is the port right?).").format(where=where),
                         ImapErrorKind.UNREACHABLE)
    if isinstance(exc, socket.gaierror):
        return ImapError(_("The mail server name {host} cannot be found.").format(
            host=account.host), ImapErrorKind.UNREACHABLE)
    if isinstance(exc, OSError) and exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH,
                                                   errno.ECONNRESET, errno.EADDRNOTAVAIL):
        return ImapError(_("The mail server {where} cannot be reached ({error}).").format(
            where=where, error=exc.strerror or exc.__class__.__name__),
            ImapErrorKind.UNREACHABLE)
    return _server_error(account, exc)


def _server_error(account: Account, exc: BaseException) -> ImapError:
    detail = _short(exc)
    return ImapError(_("The mail server {where} stopped answering properly ({error}). Nothing "
                       "was lost: run the command again to finish.").format(
                           where=_where(account), error=detail), ImapErrorKind.SERVER)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    detail = text[0] if text else exc.__class__.__name__
    return detail[:200]


def connect(account: Account, password: str, *, timeout: float | None = None) -> IMAPClient:
    """A logged-in IMAPClient for the account (TLS, STARTTLS, or plain on loopback only)."""
    if not account.host:
        raise ImapConfigError(_("Account {name}: no IMAP host is set.").format(
            name=account.name))
    security = (account.security or "tls").lower()
    if security not in ("tls", "starttls", "plain"):
        raise ImapConfigError(_("Account {name}: security must be tls, starttls or plain.")
                              .format(name=account.name))
    if security == "plain" and not is_loopback(account.host, account.port):
        raise ImapConfigError(_(
            "Account {name}: security = \"plain\" would send the password unencrypted; it is "
            "only allowed to a server on this machine (127.0.0.1 or ::1), and {host} is not. "
            "Use tls or starttls.").format(name=account.name, host=account.host))
    ctx = ssl_context(account) if security != "plain" else None
    limit = timeout if timeout is not None else account.timeout
    try:
        client = IMAPClient(account.host, port=account.port, ssl=security == "tls",
                            ssl_context=ctx, timeout=limit)
    except (OSError, imaplib.IMAP4.error, IMAPClientError) as exc:
        raise _connect_error(account, exc) from None
    try:
        if security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise ImapError(_("The mail server {where} does not offer STARTTLS; use "
                                  "security = \"tls\" (usually port 993).").format(
                                      where=_where(account)), ImapErrorKind.TLS)
            try:
                client.starttls(ctx)
            except (ssl.SSLError, OSError) as exc:
                raise _connect_error(account, exc) from None
        try:
            client.login(account.username or account.email, password)
        except LoginError:
            raise ImapError(_("The mail server {where} refused the user name or the password "
                              "of account {name}.").format(where=_where(account),
                                                           name=account.name),
                            ImapErrorKind.AUTH) from None
    except ImapError:
        _close_quietly(client)
        raise
    except (OSError, imaplib.IMAP4.error, IMAPClientError) as exc:
        _close_quietly(client)
        raise _connect_error(account, exc) from None
    return client


def _close_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # noqa: BLE001 - the connection is already broken
        pass


def close(client: IMAPClient) -> None:
    """Log out, or just drop the connection when the server is gone."""
    try:
        client.logout()
    except Exception:  # noqa: BLE001
        _close_quietly(client)


@contextmanager
def imap_errors(account: Account) -> Iterator[None]:
    """Turn any failure of an established connection into an :class:`ImapError`."""
    try:
        yield
    except ImapError:
        raise
    except (imaplib.IMAP4.abort, OSError, EOFError) as exc:
        raise _server_error(account, exc) from None
    except (imaplib.IMAP4.error, IMAPClientError) as exc:
        raise _server_error(account, exc) from None


@dataclass
class Session:
    """A logged-in connection with what the server offers, read once."""

    client: IMAPClient
    account: Account
    capabilities: frozenset[str]
    separator: str
    condstore: bool = False

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    def close(self) -> None:
        close(self.client)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_session(account: Account, password: str, *, timeout: float | None = None) -> Session:
    """Connect, read capabilities and the separator, and enable CONDSTORE when offered."""
    client = connect(account, password, timeout=timeout)
    try:
        with imap_errors(account):
            caps = capabilities(client)
            condstore = False
            if "CONDSTORE" in caps and "ENABLE" in caps:
                try:
                    enabled = client.enable("CONDSTORE")
                    condstore = any(e.upper() == b"CONDSTORE" for e in enabled)
                except (imaplib.IMAP4.error, IMAPClientError):
                    condstore = False
            sep = separator(client)
    except BaseException:
        _close_quietly(client)
        raise
    return Session(client, account, caps, sep, condstore)


def capabilities(client: IMAPClient) -> frozenset[str]:
    """The post-login capabilities, upper-cased, as text."""
    return frozenset(c.decode("ascii", "replace").upper() if isinstance(c, bytes) else str(c)
                     for c in client.capabilities())


def separator(client: IMAPClient) -> str:
    """The hierarchy separator, from ``LIST "" ""`` (Dovecot's Maildir++ uses '.')."""
    try:
        rows = client.list_folders("", "")
    except (imaplib.IMAP4.error, IMAPClientError):
        rows = []
    for _flags, delim, _name in rows:
        if delim:
            return delim.decode() if isinstance(delim, bytes) else str(delim)
    for _flags, delim, _name in client.list_folders("", "%"):
        if delim:
            return delim.decode() if isinstance(delim, bytes) else str(delim)
    return "/"
