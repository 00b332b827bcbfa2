"""Sending mail over SMTP: the ``[smtp]`` section and a thin adapter over :mod:`smtplib`.

Why it is not just ``smtplib.sendmail``: send-later must know *where* a failure happened. A
failure before the message data is transmitted means nothing left (safe to try again); a
failure after the data was transmitted but before the server's answer means the message may
have been accepted (never try again blindly). :func:`send` therefore speaks the protocol step
by step, calls ``on_data`` just before transmitting the content (the caller records that
phase durably), and returns the server's final answer (``250 2.0.0 queued as …``) so that the
acceptance can be recorded too.

Security is the IMAP side's: implicit TLS by default, STARTTLS on request, certificates
verified (``ca_file`` adds a private CA); clear text only to a loopback address. Passwords come
from an environment variable, a command or the keyring, as for accounts; without any, the
account's own IMAP password is used when the server asks for a login.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from accalmie.config import Account, ConfigError, config_error
from accalmie.i18n import _
from accalmie.imap.connect import verified_context

SECURITIES = ("tls", "starttls", "plain")
DEFAULT_PORTS = {"tls": 465, "starttls": 587, "plain": 25}
_KEYS = ("host", "port", "security", "username", "password_env", "password_command",
         "password_keyring", "timeout", "ca_file", "helo")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send. ``host`` empty: sending is not configured."""

    host: str = ""
    port: int = 465
    security: str = "tls"
    username: str = ""
    password_env: str = ""
    password_command: str = ""
    password_keyring: bool = False
    timeout: float = 30.0
    ca_file: str = ""
    helo: str = ""  # the name given in EHLO ('' = this machine's name)

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def has_password_source(self) -> bool:
        return bool(self.password_env or self.password_command or self.password_keyring)

    def credentials(self, account: Account) -> tuple[str, str] | None:
        """(user, password) for AUTH: this section's source, else the account's; None if none."""
        user = self.username or account.username or account.email
        if self.has_password_source:
            holder = Account(name=f"{account.name} (SMTP)", email=account.email,
                             username=user, password_env=self.password_env,
                             password_command=self.password_command,
                             password_keyring=self.password_keyring)
            return user, holder.password()
        if account.password_env or account.password_command or account.password_keyring:
            return user, account.password()
        return None


def parse_section(raw: Any, path: Path | None, where: str) -> SmtpSettings:
    """Validate ``[smtp]`` (or ``[accounts.smtp]``); ``{}`` gives the defaults (not configured)."""
    if not isinstance(raw, dict):
        raise config_error(path, where.rstrip("."), _("expected a table"))
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise config_error(path, where + unknown[0], _("unknown key"))
    if "password" in raw:  # pragma: no cover - caught as unknown above; kept for the message
        raise config_error(path, where + "password", _("passwords are not kept in the file"))

    def get(key: str, kind: type, default: Any) -> Any:
        if key not in raw:
            return default
        value = raw[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise config_error(path, where + key, _("wrong type ({found})").format(
                found=type(value).__name__))
        return value

    security = get("security", str, "tls").strip().lower()
    if security not in SECURITIES:
        raise config_error(path, where + "security", _("expected tls, starttls or plain"))
    port = get("port", int, DEFAULT_PORTS[security])
    if not 0 < port < 65536:
        raise config_error(path, where + "port", _("not a valid port"))
    timeout = get("timeout", float, 30.0)
    if not 0 < timeout <= 600:
        raise config_error(path, where + "timeout",
                           _("expected a number of seconds between 0 and 600"))
    host = get("host", str, "").strip()
    if any(ch.isspace() for ch in host):
        raise config_error(path, where + "host", _("not a valid host name"))
    return SmtpSettings(
        host=host, port=port, security=security, username=get("username", str, ""),
        password_env=get("password_env", str, ""),
        password_command=get("password_command", str, ""),
        password_keyring=get("password_keyring", bool, False), timeout=timeout,
        ca_file=get("ca_file", str, ""), helo=get("helo", str, "").strip())


def smtp_settings(config: Any, account: Account) -> SmtpSettings:
    """The account's ``[accounts.smtp]``, else the top-level ``[smtp]``, else not configured."""
    settings = account.section("smtp", config)
    return settings if isinstance(settings, SmtpSettings) else SmtpSettings()


# -- errors and answers ----------------------------------------------------------------------


class SmtpErrorKind(StrEnum):
    CONFIG = "config"  # the settings cannot work (no host, plain to a remote host, bad CA)
    UNREACHABLE = "unreachable"  # name unknown, refused, timeout before anything was sent
    TLS = "tls"  # handshake or certificate problem, STARTTLS not offered
    AUTH = "auth"  # login refused
    TEMPORARY = "temporary"  # a 4xx answer: try again later
    PERMANENT = "permanent"  # a 5xx answer: this message will not go as it is


class SmtpError(Exception):
    """A sending failure, phrased for the user.

    ``uncertain`` is True when the message data had been transmitted and no answer came: the
    server may have accepted it. ``code`` and ``reply`` are the server's words, when it said
    something.
    """

    def __init__(self, message: str, kind: SmtpErrorKind | str, *, code: int | None = None,
                 reply: str = "", uncertain: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.kind = SmtpErrorKind(kind)
        self.code = code
        self.reply = reply
        self.uncertain = uncertain

    @property
    def retry(self) -> bool:
        """Worth trying again later (the message itself is not what the server refused)."""
        return self.kind != SmtpErrorKind.PERMANENT and not self.uncertain

    def __str__(self) -> str:
        return self.message


class SmtpConfigError(SmtpError, ConfigError):
    def __init__(self, message: str) -> None:
        super().__init__(message, SmtpErrorKind.CONFIG)


@dataclass(frozen=True, slots=True)
class SmtpAnswer:
    """The server accepted the message: its final answer, and recipients it refused."""

    code: int
    text: str
    refused: dict[str, str] = field(default_factory=dict)  # address -> "550 5.1.1 ..."

    @property
    def line(self) -> str:
        return f"{self.code} {self.text}".strip()


def _reply(resp: bytes | str | None) -> str:
    if resp is None:
        return ""
    text = resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)
    return " ".join(text.split())[:300]


def _answer_error(code: int, resp: bytes | str, where: str) -> SmtpError:
    reply = _reply(resp)
    if 400 <= code < 500:
        return SmtpError(_("The mail server {where} asked to try again later ({code} {reply}).")
                         .format(where=where, code=code, reply=reply),
                         SmtpErrorKind.TEMPORARY, code=code, reply=reply)
    return SmtpError(_("The mail server {where} refused the message ({code} {reply}).")
                     .format(where=where, code=code, reply=reply),
                     SmtpErrorKind.PERMANENT, code=code, reply=reply)


def _connect_error(settings: SmtpSettings, exc: BaseException) -> SmtpError:
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SmtpError(_("The certificate of {where} is not trusted ({reason}). If the server "
                           "uses a private certificate, set ca_file in [smtp].").format(
            where=where, reason=exc.verify_message or exc.reason or "?"), SmtpErrorKind.TLS)
    if isinstance(exc, ssl.SSLError):
        return SmtpError(_("The secure connection with {where} failed ({reason}). Check the port "
                           "and the security setting (tls or starttls).").format(
            where=where, reason=exc.reason or exc.__class__.__name__), SmtpErrorKind.TLS)
    if isinstance(exc, smtplib.SMTPConnectError):
        return _answer_error(exc.smtp_code, exc.smtp_error, where)
    if isinstance(exc, TimeoutError | socket.timeout):
        return SmtpError(_("The mail server {where} did not answer in time.").format(
            where=where), SmtpErrorKind.UNREACHABLE)
    if isinstance(exc, socket.gaierror):
        return SmtpError(_("The mail server name {host} cannot be found.").format(
            host=settings.host), SmtpErrorKind.UNREACHABLE)
    if isinstance(exc, ConnectionRefusedError):
        return SmtpError(_("The mail server {where} refused the connection (is it running, and "
                           "is the port right?).").format(where=where), SmtpErrorKind.UNREACHABLE)
    return SmtpError(_("The mail server {where} cannot be reached ({error}).").format(
        where=where, error=getattr(exc, "strerror", None) or exc.__class__.__name__),
        SmtpErrorKind.UNREACHABLE)


def _context(settings: SmtpSettings) -> ssl.SSLContext:
    try:
        return verified_context(settings.ca_file)
    except (OSError, ssl.SSLError) as exc:
        raise SmtpConfigError(_("[smtp]: cannot read the CA file {path} ({error}).").format(
            path=settings.ca_file,
            error=getattr(exc, "strerror", None) or exc.__class__.__name__)) from None


def check(settings: SmtpSettings) -> None:
    """Refuse settings that cannot work safely, before any connection."""
    if not settings.host:
        raise SmtpConfigError(_("Sending is not configured: add an [smtp] section with the "
                                "server's host."))
    if settings.security == "plain":
        from accalmie.imap.connect import is_loopback

        if not is_loopback(settings.host, settings.port):
            raise SmtpConfigError(_(
                "[smtp]: security = \"plain\" would send the password and the mail unencrypted; "
                "it is only allowed to a server on this machine (127.0.0.1 or ::1), and {host} "
                "is not. Use tls or starttls.").format(host=settings.host))


_DOT_LINE = re.compile(rb"(?m)^\.")
_EOL = re.compile(rb"\r?\n|\r(?!\n)")


def wire_bytes(data: bytes) -> bytes:
    """CRLF line ends everywhere (bare LF is refused by hardened servers)."""
    out = _EOL.sub(b"\r\n", data)
    return out if out.endswith(b"\r\n") else out + b"\r\n"


def _needs_utf8(addresses: Sequence[str]) -> bool:
    return any(not a.isascii() for a in addresses)


def send(settings: SmtpSettings, account: Account, sender: str, recipients: Sequence[str],
         data: bytes, *, on_data: Callable[[], None] | None = None) -> SmtpAnswer:
    """Send ``data`` to ``recipients``; the server's answer, or :class:`SmtpError`.

    ``on_data`` runs after the server said 354 and before the content leaves: from that
    instant until the answer is read, an interruption leaves the outcome unknown.
    Recipients refused one by one while others are accepted are listed in the answer.
    """
    check(settings)
    if not recipients:
        raise SmtpError(_("The message has no recipient."), SmtpErrorKind.PERMANENT)
    where = f"{settings.host}:{settings.port}"
    ctx = _context(settings) if settings.security != "plain" else None
    helo = settings.helo or None
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    local_hostname=helo,
                                                    timeout=settings.timeout, context=ctx)
        else:
            client = smtplib.SMTP(settings.host, settings.port, local_hostname=helo,
                                  timeout=settings.timeout)
    except (OSError, smtplib.SMTPException) as exc:
        raise _connect_error(settings, exc) from None
    transmitting = False
    try:
        try:
            client.ehlo_or_helo_if_needed()
            if settings.security == "starttls":
                if not client.has_extn("starttls"):
                    raise SmtpError(_("The mail server {where} does not offer STARTTLS; use "
                                      "security = \"tls\" (usually port 465).").format(
                        where=where), SmtpErrorKind.TLS)
                client.starttls(context=ctx)
                client.ehlo()
            _login(client, settings, account, where)
            options: list[str] = []
            if _needs_utf8([sender, *recipients]):
                if not client.has_extn("smtputf8"):
                    raise SmtpError(_("The mail server {where} cannot take addresses with "
                                      "accented letters (no SMTPUTF8).").format(where=where),
                                    SmtpErrorKind.PERMANENT)
                options.append("SMTPUTF8")
            if not data.isascii() and client.has_extn("8bitmime"):
                options.append("BODY=8BITMIME")
            code, resp = client.mail(sender, options)
            if code != 250:
                client.rset()
                raise _answer_error(code, resp, where)
            refused: dict[str, str] = {}
            codes: list[int] = []
            for rcpt in recipients:
                code, resp = client.rcpt(rcpt)
                if code not in (250, 251):
                    refused[rcpt] = f"{code} {_reply(resp)}".strip()
                    codes.append(code)
            if len(refused) == len(recipients):
                client.rset()
                temporary = all(400 <= c < 500 for c in codes)
                detail = "; ".join(f"{a}: {r}" for a, r in list(refused.items())[:5])
                raise SmtpError(
                    (_("The mail server {where} refused every recipient for now ({detail}).")
                     if temporary else
                     _("The mail server {where} refused every recipient ({detail}).")).format(
                        where=where, detail=detail),
                    SmtpErrorKind.TEMPORARY if temporary else SmtpErrorKind.PERMANENT,
                    code=codes[0], reply=detail)
            client.putcmd("data")
            code, resp = client.getreply()
            if code != 354:
                client.rset()
                raise _answer_error(code, resp, where)
            if on_data is not None:
                on_data()
            transmitting = True
            payload = _DOT_LINE.sub(b"..", wire_bytes(data))
            client.send(payload + b".\r\n")
            code, resp = client.getreply()
            transmitting = False
            if code != 250:
                raise _answer_error(code, resp, where)
            answer = SmtpAnswer(code, _reply(resp), refused)
        except smtplib.SMTPAuthenticationError:
            raise SmtpError(_("The mail server {where} refused the user name or the password "
                              "for sending.").format(where=where), SmtpErrorKind.AUTH) from None
        except (OSError, smtplib.SMTPException) as exc:
            if transmitting:
                raise SmtpError(_("The connection with {where} broke while the message was "
                                  "being handed over ({error}): it may or may not have been "
                                  "accepted.").format(where=where,
                                                      error=exc.__class__.__name__),
                                SmtpErrorKind.TEMPORARY, uncertain=True) from None
            if isinstance(exc, smtplib.SMTPResponseException):
                raise _answer_error(exc.smtp_code, exc.smtp_error, where) from None
            if isinstance(exc, ssl.SSLError | smtplib.SMTPNotSupportedError):
                raise _connect_error(settings, exc) from None
            raise SmtpError(_("The mail server {where} stopped answering ({error}); nothing was "
                              "sent.").format(where=where, error=exc.__class__.__name__),
                            SmtpErrorKind.UNREACHABLE) from None
    except BaseException:
        _close(client)
        raise
    _quit(client)
    return answer


def _login(client: smtplib.SMTP, settings: SmtpSettings, account: Account, where: str) -> None:
    try:
        creds = settings.credentials(account)
    except ConfigError as exc:  # no password where it should come from: fix, then retry
        raise SmtpError(str(exc), SmtpErrorKind.CONFIG) from None
    if creds is None:
        return
    if not client.has_extn("auth"):
        if settings.has_password_source:
            raise SmtpError(_("The mail server {where} does not offer a login (AUTH); check the "
                              "security setting (a login usually needs tls or starttls).").format(
                where=where), SmtpErrorKind.AUTH)
        return  # a relay that needs no login (the account's password was only a guess)
    # One mechanism, the plainest offered (the connection is encrypted or on loopback): a
    # refused password then fails at once instead of being tried again another way.
    offered = (client.esmtp_features.get("auth") or "").upper().split()
    client.user, client.password = creds
    for mechanism, method in (("PLAIN", client.auth_plain), ("LOGIN", client.auth_login)):
        if mechanism in offered:
            client.auth(mechanism, method)
            return
    client.login(*creds)


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        _close(client)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.close()
    except OSError:
        pass


__all__ = ["SmtpAnswer", "SmtpConfigError", "SmtpError", "SmtpErrorKind", "SmtpSettings",
           "check", "parse_section", "send", "smtp_settings", "wire_bytes"]
