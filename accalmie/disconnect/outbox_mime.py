"""The message itself, for send-later: is it sendable, and the exact bytes that leave.

Why byte surgery on the header block instead of re-serialising the whole message: a finished
message may be signed (S/MIME, PGP, an early DKIM signature) or carefully encoded by its
client; re-generating it through :mod:`email` would re-fold headers and re-encode parts. Only
what must change is changed: ``Date`` (set at sending), ``Bcc`` (never transmitted; kept in the
copy filed in Sent, as mail clients do), ``Message-ID`` (added once at queueing when missing).
The optional footer is the one change to a body; it is skipped, and the user told, for signed
or encrypted messages, where it would break the signature.

Every function is pure and bounded: hostile input gives a :class:`Problem`, never an exception.
"""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email import charset as _charset
from email.generator import BytesGenerator
from email.message import Message as EmailMessage
from email.parser import BytesParser
from email.policy import compat32
from email.utils import format_datetime, getaddresses
from io import BytesIO

from accalmie.i18n import N_

MAX_SIZE = 50 * 1024 * 1024  # bigger than any server takes; refused before any work
MAX_HEADER_BYTES = 256 * 1024
MAX_RECIPIENTS = 500
FOOTERS = {
    "fr": "Ce message ne nécessite pas de réponse en dehors de vos horaires de travail.",
    "en": "This message does not require a reply outside your working hours.",
}

# Problem codes -> message templates (English msgids, rendered in the user's language).
PROBLEMS = {
    "empty": N_("The message is empty or has no header."),
    "too_big": N_("The message is too big to be sent ({size} MB)."),
    "broken_header": N_("A header line of the message is broken: {detail}."),
    "undecodable": N_("The headers of the message are not readable text (neither ASCII nor "
                      "UTF-8)."),
    "no_recipient": N_("The message has no recipient (To, Cc and Bcc are empty)."),
    "bad_address": N_("A recipient address is not valid: {detail}."),
    "no_sender": N_("The message has no valid sender (From): {detail}."),
    "too_many_recipients": N_("The message has too many recipients ({n})."),
    "duplicate": N_("The same message (same Message-ID) is already queued or was already "
                    "sent; this copy is not sent."),
}

_ADDR = re.compile(r"^[^\s@<>()\[\],;:\"\\]{1,64}@[^\s@<>()\[\],;:\"\\]{1,255}$")
_EMPTY_GROUP = re.compile(r'^\s*[^:<>@",]*:\s*;?\s*$')
_FIELD = re.compile(rb"^[\x21-\x39\x3b-\x7e]{1,200}:")
_EOL = re.compile(rb"\r?\n")
_SIGNED_TYPES = ("multipart/signed", "multipart/encrypted", "application/pkcs7-mime",
                 "application/x-pkcs7-mime", "application/pgp-encrypted",
                 "application/pkcs7-signature", "application/pgp-signature")
_INLINE_PGP = ("-----BEGIN PGP SIGNED MESSAGE-----", "-----BEGIN PGP MESSAGE-----")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a message cannot be sent as it is: a code and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    def render(self, lang: str | None = None) -> str:
        from accalmie.i18n import gettext_for

        text = gettext_for(lang, PROBLEMS.get(self.code, self.code))
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text


@dataclass(frozen=True, slots=True)
class Header:
    """One header field as written: its name (lowercased) and its raw lines."""

    name: str
    raw: bytes  # the whole field, continuation lines and line ends included


@dataclass(frozen=True, slots=True)
class Split:
    headers: tuple[Header, ...]
    body: bytes  # everything after the blank line (the blank line itself included)


@dataclass(frozen=True, slots=True)
class Inspection:
    """What send-later needs to know of a message, or the problem that stops it."""

    problem: Problem | None = None
    message_id: str = ""
    sender: str = ""  # the From address ('' when missing)
    recipients: tuple[str, ...] = ()  # To, Cc, Bcc: unique, in order
    subject: str = ""
    signed: bool = False  # signed or encrypted: the footer would break it

    @property
    def ok(self) -> bool:
        return self.problem is None


def split(raw: bytes) -> Split | None:
    """Header fields and body, or None when the header block is broken.

    A leading mbox ``From `` line is dropped. Lines that are neither a field nor a continuation
    make the block broken.
    """
    if raw.startswith(b"From "):
        raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    headers: list[Header] = []
    pos = 0
    n = len(raw)
    current: list[bytes] = []
    name = ""
    while pos < n:
        end = raw.find(b"\n", pos)
        end = n if end < 0 else end + 1
        line = raw[pos:end]
        if line in (b"\r\n", b"\n") or line == b"\r":
            break
        if line[:1] in (b" ", b"\t"):
            if not current:
                return None
            current.append(line)
        else:
            if not _FIELD.match(line):
                return None
            if current:
                headers.append(Header(name, b"".join(current)))
            name = line.split(b":", 1)[0].strip().decode("ascii").lower()
            current = [line]
        pos = end
        if pos > MAX_HEADER_BYTES:
            return None
    if current:
        headers.append(Header(name, b"".join(current)))
    if not headers:
        return None
    return Split(tuple(headers), raw[pos:])


def join(parts: Split) -> bytes:
    return b"".join(h.raw for h in parts.headers) + parts.body


def _value(h: Header) -> str:
    text = h.raw.split(b":", 1)[1].decode("utf-8", "surrogateescape")
    return " ".join(text.split())


def _decoded(value: str) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - a broken encoded word: keep the raw text
        return value


def _addresses(values: list[str]) -> tuple[list[str], list[str]]:
    """Valid addresses and the invalid pieces found in address header values."""
    good: list[str] = []
    bad: list[str] = []
    for value in values:
        if not value.strip() or _EMPTY_GROUP.match(value):
            continue  # an empty group ("undisclosed-recipients:;") names nobody
        for name, addr in getaddresses([value]):
            addr = addr.strip()
            if not addr:
                bad.append((name.strip() or value.strip())[:80])
                continue
            if _ADDR.match(addr) and not addr.startswith(".") and ".." not in addr \
                    and not addr.endswith("."):
                good.append(addr)
            else:
                bad.append(addr[:80])
    return good, bad


def inspect(raw: bytes) -> Inspection:
    """Check that a message can be sent as it is; never raises."""
    if len(raw) > MAX_SIZE:
        return Inspection(Problem("too_big", {"size": str(len(raw) // (1024 * 1024))}))
    parts = split(raw)
    if parts is None:
        first = raw.lstrip()[:1]
        if not raw.strip() or first in (b"", b"\x00"):
            return Inspection(Problem("empty"))
        line = raw.split(b"\n", 1)[0][:60].decode("utf-8", "replace").strip()
        return Inspection(Problem("broken_header", {"detail": repr(line)}))
    try:
        b"".join(h.raw for h in parts.headers).decode("utf-8")
    except UnicodeDecodeError:
        return Inspection(Problem("undecodable"))
    fields: dict[str, list[str]] = {}
    for h in parts.headers:
        fields.setdefault(h.name, []).append(_value(h))
    recipients: list[str] = []
    invalid: list[str] = []
    for name in ("to", "cc", "bcc"):
        good, bad = _addresses(fields.get(name, []))
        recipients.extend(good)
        invalid.extend(bad)
    senders, bad_from = _addresses(fields.get("from", []))
    message_id = _first_msgid(fields.get("message-id", []))
    subject = _decoded(fields.get("subject", [""])[0])[:1000]
    signed = _is_signed(parts, fields)
    base = {"message_id": message_id, "subject": subject, "signed": signed}
    if invalid:
        return Inspection(Problem("bad_address", {"detail": ", ".join(invalid[:5])}), **base)
    if bad_from or len(senders) > 1:
        return Inspection(Problem("no_sender", {"detail": ", ".join(
            (bad_from or senders)[:3])}), **base)
    seen: set[str] = set()
    unique = []
    for addr in recipients:
        if addr.lower() not in seen:
            seen.add(addr.lower())
            unique.append(addr)
    if not unique:
        return Inspection(Problem("no_recipient"), sender=senders[0] if senders else "", **base)
    if len(unique) > MAX_RECIPIENTS:
        return Inspection(Problem("too_many_recipients", {"n": str(len(unique))}), **base)
    return Inspection(None, sender=senders[0] if senders else "", recipients=tuple(unique),
                      **base)


def _first_msgid(values: list[str]) -> str:
    for v in values:
        m = re.search(r"<[^<>\s]{1,500}>", v)
        if m:
            return m.group(0)
    return ""


def _is_signed(parts: Split, fields: dict[str, list[str]]) -> bool:
    if "dkim-signature" in fields:
        return True
    ctype = " ".join(fields.get("content-type", [""])).lower()
    if any(t in ctype for t in _SIGNED_TYPES):
        return True
    head = parts.body[:2_000_000]
    low = head.lower()
    if any(t.encode() in low for t in _SIGNED_TYPES):
        return True
    return any(marker.encode() in head for marker in _INLINE_PGP)


# -- changes ---------------------------------------------------------------------------------


def _eol(parts: Split) -> bytes:
    first = parts.headers[0].raw
    return b"\r\n" if first.endswith(b"\r\n") else b"\n"


def _field(name: str, value: str, eol: bytes) -> Header:
    return Header(name.lower(), f"{name}: {value}".encode() + eol)


def new_message_id(sender: str) -> str:
    domain = sender.rsplit("@", 1)[1] if "@" in sender else "accalmie.invalid"
    if not re.fullmatch(r"[A-Za-z0-9.-]{1,200}", domain):
        domain = "accalmie.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


def complete(raw: bytes, *, message_id: str = "", sender: str = "") -> bytes:
    """Add a Message-ID (and a From, when missing) at the top, once, when the message is queued.

    Adding a header does not break an S/MIME or PGP/MIME signature (it covers the body part).
    """
    parts = split(raw)
    if parts is None:
        return raw
    eol = _eol(parts)
    names = {h.name for h in parts.headers}
    added: list[Header] = []
    if "message-id" not in names and message_id:
        added.append(_field("Message-ID", message_id, eol))
    if "from" not in names and sender:
        added.append(_field("From", sender, eol))
    if not added:
        return raw
    return join(Split(tuple(added) + parts.headers, parts.body))


def set_date(raw: bytes, when: datetime) -> bytes:
    """The Date header set to ``when`` (replacing any other), where the old one was."""
    parts = split(raw)
    if parts is None:
        return raw
    eol = _eol(parts)
    date = _field("Date", format_datetime(when), eol)
    out: list[Header] = []
    placed = False
    for h in parts.headers:
        if h.name == "date":
            if not placed:
                out.append(date)
                placed = True
            continue
        out.append(h)
    if not placed:
        out.insert(0, date)
    return join(Split(tuple(out), parts.body))


def strip_bcc(raw: bytes) -> bytes:
    """The bytes to transmit: no Bcc (nor Resent-Bcc) field."""
    parts = split(raw)
    if parts is None:
        return raw
    kept = tuple(h for h in parts.headers if h.name not in ("bcc", "resent-bcc"))
    return join(Split(kept, parts.body)) if len(kept) != len(parts.headers) else raw


# -- footer ----------------------------------------------------------------------------------


def footer_text(lang: str | None, custom: str = "") -> str:
    if custom:
        return custom
    return FOOTERS.get((lang or "fr")[:2], FOOTERS["fr"])


def _body_parts(msg: EmailMessage) -> list[EmailMessage]:
    """The main text/plain and text/html parts (not attachments), at most one of each."""
    found: dict[str, EmailMessage] = {}

    def walk(part: EmailMessage, depth: int) -> None:
        if depth > 8 or len(found) == 2:
            return
        ctype = part.get_content_type()
        disp = (part.get("Content-Disposition") or "").lower()
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list) or not children:
                return
            if ctype == "multipart/alternative":
                for child in children:
                    walk(child, depth + 1)
            else:  # mixed, related, ...: the body is the first part
                walk(children[0], depth + 1)
            return
        if disp.startswith("attachment"):
            return
        if ctype in ("text/plain", "text/html") and ctype not in found:
            found[ctype] = part

    walk(msg, 0)
    return list(found.values())


_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def _footed(text: str, footer: str, html_part: bool) -> str:
    if html_part:
        block = (f'<p style="color:#555555;font-size:small;margin-top:2em">'
                 f"{html.escape(footer)}</p>")
        matches = list(_BODY_END.finditer(text))
        if matches:
            at = matches[-1].start()
            return text[:at] + block + "\n" + text[at:]
        return text.rstrip("\n") + "\n" + block + "\n"
    nl = "\r\n" if "\r\n" in text else "\n"
    return text.rstrip("\r\n") + nl + nl + footer + nl


def add_footer(raw: bytes, footer: str) -> tuple[bytes, str]:
    """The message with the footer in its text and HTML parts, and a note ('' when added).

    Signed or encrypted messages are left untouched (the note says so), as are bodies that
    cannot be decoded or have no text part.
    """
    parts = split(raw)
    if parts is None:
        return raw, "footer_unreadable"
    fields: dict[str, list[str]] = {}
    for h in parts.headers:
        fields.setdefault(h.name, []).append(_value(h))
    if _is_signed(parts, fields):
        return raw, "footer_signed"
    try:
        msg = BytesParser(policy=compat32).parsebytes(raw)
    except Exception:  # noqa: BLE001 - the stdlib parser on hostile input
        return raw, "footer_unreadable"
    targets = _body_parts(msg)
    if not targets:
        return raw, "footer_no_text"
    for part in targets:
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return raw, "footer_unreadable"
        label = part.get_content_charset() or "us-ascii"
        try:
            text = payload.decode(label)
        except (LookupError, UnicodeDecodeError):
            return raw, "footer_unreadable"
        new = _footed(text, footer, part.get_content_type() == "text/html")
        try:
            new.encode(label)
            out_label = label
        except (LookupError, UnicodeEncodeError):
            out_label = "utf-8"
        cs = _charset.Charset(out_label)
        if cs.body_encoding == _charset.BASE64 or cs.body_encoding is None and \
                not new.isascii():
            cs.body_encoding = _charset.QP
        had_version = part is msg or "MIME-Version" in part
        del part["Content-Transfer-Encoding"]
        part.set_payload(new, cs)
        if not had_version:
            del part["MIME-Version"]
    buf = BytesIO()
    try:
        BytesGenerator(buf, mangle_from_=False, maxheaderlen=0).flatten(msg)
    except Exception:  # noqa: BLE001 - a part the generator cannot write back
        return raw, "footer_unreadable"
    out = buf.getvalue()
    if b"\r\n" in raw[:2000]:
        out = _EOL.sub(b"\r\n", out)
    return out, ""


FOOTER_NOTES = {
    "footer_signed": N_("Footer not added: the message is signed or encrypted, and adding it "
                        "would break the signature."),
    "footer_unreadable": N_("Footer not added: the text of the message could not be read "
                            "safely."),
    "footer_no_text": N_("Footer not added: the message has no text part."),
}


def prepare(raw: bytes, when: datetime, *, footer: str = "") -> tuple[bytes, list[str]]:
    """The copy to file in Sent (Date = ``when``, footer when asked) and notes on what was not
    done. Transmit :func:`strip_bcc` of it."""
    notes: list[str] = []
    out = raw
    if footer:
        out, note = add_footer(raw, footer)
        if note:
            notes.append(note)
    return set_date(out, when), notes


__all__ = ["FOOTERS", "FOOTER_NOTES", "PROBLEMS", "Inspection", "Problem", "add_footer",
           "complete", "footer_text", "inspect", "new_message_id", "prepare", "set_date",
           "split", "strip_bcc"]
