"""Raw bytes to the canonical :class:`~accalmie.mail.model.Message`, once, whatever the bytes.

Why it is built this way:

* Speed. Triage parses every message of a mailbox, so the parser uses the stdlib ``compat32``
  policy (the ``default`` policy's header registry is about four times slower) and decodes only
  what triage needs: the headers are decoded by hand (RFC 2047, raw 8-bit), text parts are
  decoded up to a cap, attachments are hashed but never interpreted, HTML goes through one
  lexbor parse for both text and links.
* Robustness. Mail in the wild has every defect: unknown charsets, bad base64, missing
  boundaries, giant headers, hostile nesting. :func:`parse_message` never raises: each problem
  is recorded as a plain-English defect on the returned Message, and when the full parse fails
  the headers alone are parsed, and failing that an empty Message records why.
* Bounded work. Header values, recipients, references, parts, attachments, text and HTML are
  capped; nesting deeper than :data:`MAX_DEPTH` is not walked (the stdlib parser's cost grows
  with depth times lines, and it overflows the stack beyond about 900 levels).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from email.message import Message as _EmailMessage
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses

try:  # the stdlib's own parser; unlike the public wrapper it tells a missing zone from UTC
    from email._parseaddr import _parsedate_tz as parsedate_tz
except ImportError:  # pragma: no cover - every CPython since 3.3 has it
    from email.utils import parsedate_tz

from accalmie.guard.attachments import inspect_payload, message_budget, needs_content
from accalmie.mail.decode import (
    decode_bytes,
    decode_transfer,
    decode_words,
    find_charset,
    guess_decode,
    hash_transfer,
    normalize_charset,
    payload_bytes,
    surrogates_to_text,
)
from accalmie.mail.html import MAX_HTML_CHARS, html_to_text, text_links
from accalmie.mail.lang import detect_language
from accalmie.mail.model import Address, Attachment, Link, Message
from accalmie.mail.quotes import strip_quotes

__all__ = ["parse_message", "MAX_DEPTH", "MAX_HEADER_CHARS"]

MAX_DEPTH = 20  # MIME nesting levels walked; real mail rarely goes past 6
MAX_PARTS = 500
MAX_ATTACHMENTS = 200
MAX_HEADERS = 1000
MAX_HEADER_CHARS = 8192  # per stored header value
MAX_ADDRESS_CHARS = 100_000
MAX_RECIPIENTS = 1000
MAX_REFERENCES = 100
MAX_DEFECTS = 50
_MAX_BOUNDARY_DECLS = 400
MAX_INSPECT_CHARS = 64 << 20  # encoded attachment characters decoded whole for inspection
_SNIFF_CHARS = 96 << 10  # of a larger one, the start is decoded for its magic bytes
_SNIFF_BYTES = 64 << 10

_PARSER = BytesParser(policy=compat32)

_MSGID = re.compile(r"<([^<>]{1,998})>")
_ANGLE = re.compile(r"<([^<>]{1,2000})>")
_ADDR_SPEC = re.compile(r"[^\s<>()\"',;:\[\]]{1,128}@[^\s<>()\"',;:\[\]@]{1,255}")
_SPACES = re.compile(r"\s+")
_ATOM = r"[^\s<>()\[\]\\,;:@\"]+"
_SIMPLE_ADDR = re.compile(
    rf"(?:({_ATOM}(?:[ \t]+{_ATOM})*)?[ \t]*|\"([^\"\\]*)\"[ \t]*)<({_ATOM}@{_ATOM})>"
    rf"|({_ATOM}@{_ATOM})")
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*(?:"([^"]*)"|([^\s;"]+))""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})",
                           re.IGNORECASE)
_QUOTED_SPLIT = re.compile(r'(?:"[^"]*"|[^",])+')
_HEADER_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOUNDARY_DECL = re.compile(rb"boundary\s*=\s*(?:\"([^\"\r\n]{1,200})\"|([^\s;\"]{1,200}))",
                            re.IGNORECASE)
_CLOSE_DELIM = re.compile(rb"(?m)^--([^\r\n]{1,200}?)--[ \t]*\r?$")

# Zone names the stdlib does not know but European mail writes (offsets in seconds).
_ZONES = {"CET": 3600, "MET": 3600, "CEST": 7200, "MEST": 7200, "MESZ": 7200, "MEZ": 3600,
          "BST": 3600, "WET": 0, "WEST": 3600, "EET": 7200, "EEST": 10800, "UTC": 0,
          "Z": 0, "JST": 32400, "HKT": 28800, "SGT": 28800, "AEST": 36000, "AEDT": 39600}
_ZONE_WORD = re.compile(r"(?<=\d\d )[A-Za-z]{1,5}\b")

_ADDRESS_HEADERS = ("from", "sender", "reply-to", "to", "cc", "bcc")

# The stdlib's defect classes, in words a person can read (and a report can show).
_EMAIL_DEFECTS = {
    "NoBoundaryInMultipartDefect": "multipart part without a boundary",
    "StartBoundaryNotFoundDefect": "MIME boundary never found in the body",
    "CloseBoundaryNotFoundDefect": "closing MIME boundary missing (truncated message?)",
    "FirstHeaderLineIsContinuationDefect": "first header line is a continuation line",
    "MisplacedEnvelopeHeaderDefect": "mbox 'From ' line inside the headers",
    "MissingHeaderBodySeparatorDefect": "line that is not a header inside the headers",
    "MultipartInvariantViolationDefect": "multipart type with a single body",
    "InvalidMultipartContentTransferEncodingDefect": "invalid transfer encoding on a multipart",
    "UndecodableBytesDefect": "undecodable bytes",
    "InvalidBase64PaddingDefect": "bad base64 padding",
    "InvalidBase64CharactersDefect": "invalid characters in base64",
    "InvalidBase64LengthDefect": "bad base64 length",
    "InvalidHeaderDefect": "invalid header",
    "HeaderMissingRequiredValue": "header missing a required value",
    "NonPrintableDefect": "non-printable characters in a header",
    "ObsoleteHeaderDefect": "obsolete header syntax",
    "NonASCIILocalPartDefect": "non-ASCII characters in an address",
    "InvalidDateDefect": "invalid date",
}


class _Defects:
    """Ordered, de-duplicated, capped list of what was wrong."""

    __slots__ = ("items", "_seen")

    def __init__(self) -> None:
        self.items: list[str] = []
        self._seen: set[str] = set()

    def add(self, text: str | None) -> None:
        if text and text not in self._seen and len(self.items) < MAX_DEFECTS:
            self._seen.add(text)
            self.items.append(text)

    def extend(self, texts: list[str]) -> None:
        for text in texts:
            self.add(text)


def parse_message(raw: bytes, *, max_text_chars: int = 200_000) -> Message:
    """Parse raw RFC 5322 bytes into a Message. Never raises; problems become ``defects``."""
    try:
        data = _as_bytes(raw)
    except Exception:  # not bytes-like at all
        data = b""
    max_text_chars = max(0, int(max_text_chars)) if isinstance(max_text_chars, int) else 200_000
    try:
        return _build(data, max_text_chars, headers_only=False, first_error=None)
    except Exception as exc:  # the stdlib parser or a helper failed on hostile input
        first = f"message could not be fully parsed ({type(exc).__name__})"
    try:
        return _build(data, max_text_chars, headers_only=True, first_error=first)
    except Exception as exc:
        return Message(size=len(data), defects=(
            first, f"message headers could not be parsed ({type(exc).__name__})"))


def _as_bytes(raw: object) -> bytes:
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    if raw is None:
        return b""
    return bytes(raw)  # bytearray, memoryview


# --- the build --------------------------------------------------------------------------------

def _build(data: bytes, max_text_chars: int, *, headers_only: bool,
           first_error: str | None) -> Message:
    defects = _Defects()
    defects.add(first_error)
    if not data.strip():
        defects.add("empty message")
        return Message(size=len(data), defects=tuple(defects.items))
    body_data = data.lstrip(b"\r\n")
    if body_data.startswith(b"\xef\xbb\xbf"):
        body_data = body_data[3:]
    if not headers_only:
        depth, declared = _nesting_estimate(body_data)
        if declared > _MAX_BOUNDARY_DECLS:
            defects.add(f"more than {_MAX_BOUNDARY_DECLS} MIME boundaries; parts not analysed")
            headers_only = True
        elif depth > MAX_DEPTH:
            defects.add(f"MIME nesting too deep ({depth} levels); parts not analysed")
            headers_only = True
    msg = _PARSER.parsebytes(body_data, headersonly=headers_only)

    headers, by_name = _headers(msg, defects)
    fields = _header_fields(by_name, defects)
    body = _Body(max_text_chars, defects)
    if headers_only:
        body.raw_fallback(msg)
    else:
        body.walk(msg)
    text, links, has_html = body.finish()
    new_text = strip_quotes(text) if text else ""
    language = detect_language(new_text if len(new_text) >= 40 else
                               f"{fields['subject']}\n{new_text or text[:2000]}")
    return Message(
        headers=headers,
        text=text,
        new_text=new_text,
        has_html=has_html,
        language=language,
        links=links,
        attachments=tuple(body.attachments),
        size=len(data),
        defects=tuple(defects.items),
        **fields,
    )


def _nesting_estimate(data: bytes) -> tuple[int, int]:
    """How deep the MIME structure may go, and how many boundaries it declares, found without
    parsing: each declared boundary is open from its declaration to its closing delimiter, and
    the most boundaries open at once bound the depth. (0, 0) when obviously shallow."""
    if data.count(b"oundary") + data.count(b"OUNDARY") <= MAX_DEPTH:
        return 0, 0
    decls: list[tuple[int, bytes]] = []
    for match in _BOUNDARY_DECL.finditer(data):
        decls.append((match.end(), (match.group(1) or match.group(2)).strip()))
        if len(decls) > _MAX_BOUNDARY_DECLS:
            return 0, len(decls)
    if len(decls) <= MAX_DEPTH:
        return len(decls), len(decls)
    closes: dict[bytes, list[int]] = {}
    for match in _CLOSE_DELIM.finditer(data):
        closes.setdefault(match.group(1), []).append(match.start())
    events: list[tuple[int, int]] = []
    for start, boundary in decls:
        positions = closes.get(boundary, [])
        at = bisect_right(positions, start)
        events.append((start, 1))
        events.append((positions[at] if at < len(positions) else len(data), -1))
    events.sort()
    depth = best = 0
    for _, step in events:
        depth += step
        best = max(best, depth)
    return best, len(decls)


# --- headers ----------------------------------------------------------------------------------

def _unfold(value: str) -> str:
    if "\n" in value or "\r" in value:
        return " ".join(value.split())  # unfold, and tidy the folding whitespace
    return value.strip()


def _headers(msg: _EmailMessage, defects: _Defects
             ) -> tuple[tuple[tuple[str, str], ...], dict[str, list[tuple[str, str]]]]:
    """All headers (name lowercased, value decoded and capped), and the raw ones by name."""
    raw_headers = getattr(msg, "_headers", None) or []
    if len(raw_headers) > MAX_HEADERS:
        defects.add(f"too many header fields ({len(raw_headers)}); only {MAX_HEADERS} kept")
        raw_headers = raw_headers[:MAX_HEADERS]
    out: list[tuple[str, str]] = []
    by_name: dict[str, list[tuple[str, str]]] = {}
    for name, value in raw_headers:
        if not isinstance(name, str):
            continue
        if not isinstance(value, str):
            value = str(value)
        lname = name.strip().lower()
        if not lname.isascii():
            lname, _ = surrogates_to_text(lname)
            defects.add("8-bit bytes in a header name")
        if len(value) > MAX_HEADER_CHARS:
            limit = MAX_ADDRESS_CHARS if lname in _ADDRESS_HEADERS else MAX_HEADER_CHARS * 2
            if len(value) > limit:
                defects.add(f"header {lname[:40]!r} too long ({len(value)} characters); "
                            "truncated")
            value = value[:limit]
        raw = _unfold(value)
        decoded, problems = decode_words(raw)
        defects.extend(problems)
        if not decoded.isprintable():  # control characters (from encoded words or raw bytes)
            decoded = _HEADER_CONTROL.sub(" ", decoded)
        if len(decoded) > MAX_HEADER_CHARS:
            decoded = decoded[:MAX_HEADER_CHARS]
        out.append((lname, decoded))
        by_name.setdefault(lname, []).append((raw, decoded))
    return tuple(out), by_name


def _first(by_name: dict[str, list[tuple[str, str]]], name: str) -> str:
    values = by_name.get(name)
    return values[0][1] if values else ""


def _token(value: str) -> str:
    """First token of a structured header, lowercased: 'auto-generated; x=y' -> 'auto-generated'."""
    return value.split(";", 1)[0].strip().lower()[:64]


def _header_fields(by_name: dict[str, list[tuple[str, str]]], defects: _Defects) -> dict:
    subject = _first(by_name, "subject").strip()
    froms = _addresses(by_name, "from", defects, name_only_ok=True)
    if "from" not in by_name:
        defects.add("no From header")
    senders = _addresses(by_name, "sender", defects)
    message_id = _msgid(_first(by_name, "message-id"))
    refs = list(dict.fromkeys(
        f"<{ref.strip()}>" for _, value in by_name.get("references", ())
        for ref in _MSGID.findall(value) if ref.strip()))
    if len(refs) > MAX_REFERENCES:
        refs = refs[-MAX_REFERENCES:]
    unsubscribe: list[str] = []
    for _, value in by_name.get("list-unsubscribe", ()):
        for url in _ANGLE.findall(value):
            url = _SPACES.sub("", url)
            if url[:7].lower() in ("mailto:", "http://", "https:/") and len(unsubscribe) < 10:
                unsubscribe.append(url)
    post = _first(by_name, "list-unsubscribe-post").lower().replace(" ", "")
    one_click = ("list-unsubscribe=one-click" in post
                 and any(u[:5].lower() in ("https", "http:") for u in unsubscribe))
    return {
        "message_id": message_id,
        "subject": subject,
        "from_": froms[0] if froms else None,
        "sender": senders[0] if senders else None,
        "reply_to": _addresses(by_name, "reply-to", defects),
        "to": _addresses(by_name, "to", defects),
        "cc": _addresses(by_name, "cc", defects),
        "bcc": _addresses(by_name, "bcc", defects),
        "date": _date(by_name, defects),
        "in_reply_to": _msgid(_first(by_name, "in-reply-to")),
        "references": tuple(refs),
        "list_id": _list_id(_first(by_name, "list-id")),
        "list_unsubscribe": tuple(unsubscribe),
        "list_unsubscribe_post": one_click,
        "precedence": _token(_first(by_name, "precedence")),
        "auto_submitted": _token(_first(by_name, "auto-submitted")),
        "authentication_results": tuple(
            decoded for _, decoded in by_name.get("authentication-results", ())[:20]),
    }


def _msgid(value: str) -> str:
    if not value:
        return ""
    match = _MSGID.search(value)
    if match and match.group(1).strip():
        return f"<{match.group(1).strip()}>"
    return value.strip()[:998]


def _list_id(value: str) -> str:
    if not value:
        return ""
    match = _ANGLE.search(value)
    found = match.group(1) if match else value
    return found.strip().lower()[:255]


def _date(by_name: dict[str, list[tuple[str, str]]], defects: _Defects) -> datetime | None:
    values = by_name.get("date")
    if not values:
        defects.add("no Date header")
        return None
    value = values[0][1].strip()
    try:
        parts = parsedate_tz(value[:200])
    except Exception:
        parts = None
    if parts is None:
        defects.add("unreadable Date header")
        return None
    offset = parts[9]
    if offset is None:
        zone = _ZONE_WORD.search(value)
        if zone and zone.group(0).upper() in _ZONES:
            offset = _ZONES[zone.group(0).upper()]
        elif "-0000" in value:
            offset = 0  # RFC 5322: -0000 is UTC, the sender's zone unknown
        else:
            defects.add("Date header without a time zone")
            return None
    try:
        if abs(offset) >= 86400:
            raise ValueError(offset)
        return datetime(*parts[:6], tzinfo=timezone(timedelta(seconds=offset)))
    except (ValueError, OverflowError, TypeError):
        defects.add("impossible date in Date header")
        return None


# --- addresses --------------------------------------------------------------------------------

def _addresses(by_name: dict[str, list[tuple[str, str]]], name: str, defects: _Defects,
               *, name_only_ok: bool = False) -> tuple[Address, ...]:
    values = by_name.get(name)
    if not values:
        return ()
    raw = ", ".join(raw for raw, _ in values) if len(values) > 1 else values[0][0]
    if len(raw) > MAX_ADDRESS_CHARS:
        raw = raw[:MAX_ADDRESS_CHARS]
    if not raw.strip():
        return ()
    out: list[Address] = []
    seen: set[str] = set()
    if "@" not in raw:
        text, _ = decode_words(raw)
        text = _SPACES.sub(" ", text).strip().strip("\"'<>").strip()
        if text and " " not in text and ":" not in text and ";" not in text:
            return (Address("", text.lower()[:255]),)  # local address, e.g. MAILER-DAEMON
        if name_only_ok and text:
            defects.add(f"{name.capitalize()} header has no e-mail address")
            return (Address(text[:200], ""),)
        return ()
    pairs = _simple_addresses(raw)
    if pairs is None:
        try:
            pairs = [(n, e) for n, e in getaddresses([raw]) if n or e]
        except Exception:
            pairs = []
    if not pairs or any(not e or "@" not in e or _bad_addr(e) for _, e in pairs):
        defects.add(f"malformed address in {name.capitalize()} header")
        pairs = _fallback_addresses(raw)
        if name_only_ok and len(pairs) == 1 and raw.count("<") == 1:
            # 'Microsoft account team ,_<x@evil.example>': what a reader sees as the name
            shown = raw.split("<", 1)[0].strip(" \t\"'(),_;:")
            pairs = [(shown or pairs[0][0], pairs[0][1])]
    for display, email in pairs:
        email = email.strip().strip("<>").rstrip(".").lower()
        if not (email.startswith('"') and '"@' in email):
            email = email.strip("\"'")
        if not email.isascii():
            email, _ = surrogates_to_text(email)
        if email in seen or not email:
            continue
        seen.add(email)
        out.append(Address(_display_name(display), email[:320]))
        if len(out) >= MAX_RECIPIENTS:
            defects.add(f"too many addresses in {name.capitalize()}; first {MAX_RECIPIENTS} kept")
            break
    return tuple(out)


def _simple_addresses(raw: str) -> list[tuple[str, str]] | None:
    """The common forms ('a@b.fr', 'Name <a@b.fr>', '"Name" <a@b.fr>', lists of them) without
    the stdlib's character-by-character parser; None when the value needs the full parser."""
    if "(" in raw or "\\" in raw or ";" in raw or ":" in raw:
        return None
    chunks = raw.split(",") if '"' not in raw else _QUOTED_SPLIT.findall(raw)
    out: list[tuple[str, str]] = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        match = _SIMPLE_ADDR.fullmatch(chunk)
        if match is None:
            return None
        name, quoted, email = match.group(1), match.group(2), match.group(3) or match.group(4)
        out.append(((quoted if quoted is not None else name or "").strip(), email))
    return out


def _split_list(raw: str) -> list[str]:
    """Split an address list on the commas outside quotes and angle brackets."""
    chunks: list[str] = []
    buf: list[str] = []
    quoted = False
    angle = False
    escaped = False
    for ch in raw:
        if escaped:
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"' and not angle:
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        elif ch in ",;" and not quoted and not angle:
            chunks.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    chunks.append("".join(buf))
    return chunks


def _fallback_addresses(raw: str) -> list[tuple[str, str]]:
    """What a reader would take for name and address when the header is not valid syntax."""
    out: list[tuple[str, str]] = []
    for chunk in _split_list(raw):
        angle = _ANGLE.search(chunk)
        if angle:
            inside = angle.group(1)
            spec = _ADDR_SPEC.search(inside)
            email = spec.group(0) if spec else _SPACES.sub("", inside)
            shown = chunk[: angle.start()]
        else:
            spec = _ADDR_SPEC.search(chunk)
            if spec is None:
                continue
            email = spec.group(0)
            comment = re.search(r"\(([^()]*)\)", chunk)
            shown = comment.group(1) if comment else ""
        email = email.strip("\"'")
        if "@" not in email or email.endswith("@"):
            continue
        out.append((shown.strip(" \t\"'(),_;:"), email))
    return out


def _bad_addr(email: str) -> bool:
    if email.startswith('"') and '"@' in email:  # quoted local part: '"john doe"@x.fr'
        email = "q@" + email.rpartition('"@')[2]
    return (" " in email or "<" in email or ">" in email or email.startswith("@")
            or email.endswith("@"))


def _display_name(name: str) -> str:
    if not name:
        return ""
    if "=?" in name or not name.isascii():
        name, _ = decode_words(name)
    return _SPACES.sub(" ", _HEADER_CONTROL.sub(" ", name)).strip().strip("\"'").strip()[:200]


# --- body -------------------------------------------------------------------------------------

class _Body:
    """Walks the MIME tree once, iteratively, collecting text, HTML and attachments."""

    def __init__(self, max_text_chars: int, defects: _Defects) -> None:
        self.max_text = max_text_chars
        self.defects = defects
        self.plain: list[str] = []
        self.html: list[str] = []
        self.plain_chars = 0
        self.html_chars = 0
        self.attachments: list[Attachment] = []
        self.parts = 0
        self.budget = None  # the attachments' shared inspection budget, made on first use

    def walk(self, root: _EmailMessage) -> None:
        stack: list[tuple[_EmailMessage, int, bool]] = [(root, 0, False)]
        while stack:
            part, depth, inner = stack.pop()
            self.parts += 1
            if self.parts > MAX_PARTS:
                self.defects.add(f"more than {MAX_PARTS} MIME parts; the rest not analysed")
                return
            for defect in getattr(part, "defects", ()):
                cls = type(defect).__name__
                self.defects.add(_EMAIL_DEFECTS.get(cls, f"malformed MIME ({cls})"))
            ctype = _content_type(part, self.defects)
            payload = part._payload  # get_payload() would copy and re-check it
            if isinstance(payload, list):
                if depth >= MAX_DEPTH:
                    self.defects.add(f"MIME nesting deeper than {MAX_DEPTH} levels; "
                                     "inner parts not analysed")
                    continue
                if ctype.startswith("message/"):
                    if ctype in ("message/rfc822", "message/global"):
                        self._attach_message(part, payload)
                        inner = True  # a forwarded message: its attachments, not its text
                    else:
                        continue  # delivery reports and the like: header blocks only
                stack.extend((child, depth + 1, inner) for child in reversed(payload)
                             if isinstance(child, _EmailMessage))
                continue
            if not isinstance(payload, str):
                payload = "" if payload is None else str(payload)
            self._leaf(part, ctype, payload, inner, is_root=depth == 0)

    def raw_fallback(self, msg: _EmailMessage) -> None:
        """Headers-only mode: the body is read as one undecoded text, within the cap."""
        payload = msg._payload
        if isinstance(payload, str) and payload:
            text, used = guess_decode(payload_bytes(payload[: self.max_text * 4]))
            if used:
                self.defects.add(f"body decoded as {used} without analysing its parts")
            self._add_text(self.plain, text[: self.max_text])

    def _leaf(self, part: _EmailMessage, ctype: str, payload: str, inner: bool,
              *, is_root: bool) -> None:
        raw_disposition = str(part.get("content-disposition", "") or "")
        disposition = _token(raw_disposition)
        filename = ""
        # parameters are parsed (slowly) only when a file name may be there
        if "name" in raw_disposition.lower() or "name" in str(part.get("content-type", "")).lower():
            try:
                filename = part.get_filename() or ""
            except Exception:
                self.defects.add("unreadable attachment file name")
        if not isinstance(filename, str):
            filename = str(filename)
        is_text = ctype in ("text/plain", "text/html") or ctype.startswith("multipart/")
        if is_text and not inner and disposition != "attachment" and not filename:
            cte = _token(str(part.get("content-transfer-encoding", "") or ""))
            if ctype == "text/html" or (
                    is_root and "content-type" not in part and _looks_html(payload)):
                self._text_part(part, payload, cte, self.html, MAX_HTML_CHARS)
            else:
                if ctype.startswith("multipart/"):
                    self.defects.add("multipart body could not be split; read as text")
                self._text_part(part, payload, cte, self.plain, self.max_text)
            return
        if len(self.attachments) >= MAX_ATTACHMENTS:
            self.defects.add(f"more than {MAX_ATTACHMENTS} attachments; the rest not recorded")
            return
        cte = _token(str(part.get("content-transfer-encoding", "") or ""))
        name = _filename(filename)
        size, digest, findings = self._inspect(payload, cte, name, ctype)
        inline = disposition == "inline" or (not disposition and "content-id" in part)
        self.attachments.append(Attachment(
            filename=name, content_type=ctype, size=size, sha256=digest, inline=inline,
            findings=findings))

    def _inspect(self, payload: str, cte: str, name: str, ctype: str
                 ) -> tuple[int, str, tuple[str, ...]]:
        """Size, SHA-256 and dangerous-content findings of an attachment, decoded once.

        Payloads beyond :data:`MAX_INSPECT_CHARS` are hashed in chunks and only their start is
        looked at (magic bytes); pictures declared as such are sniffed, not parsed.
        """
        if self.budget is None:
            self.budget = message_budget()
        if len(payload) > MAX_INSPECT_CHARS:
            size, digest, problems = hash_transfer(payload, cte)
            self.defects.extend(problems)
            head, _ = decode_transfer(payload[:_SNIFF_CHARS], cte)
            found = inspect_payload(name, ctype, head, budget=self.budget)
            return size, digest, tuple(dict.fromkeys((*found, "inspection_limit")))
        data, problems = decode_transfer(payload, cte)
        self.defects.extend(d.replace("body part", "attachment") for d in problems)
        head = data if needs_content(name, ctype) else data[:_SNIFF_BYTES]
        findings = inspect_payload(name, ctype, head, budget=self.budget)
        return len(data), hashlib.sha256(data).hexdigest(), findings

    def _attach_message(self, part: _EmailMessage, payload: list) -> None:
        if len(self.attachments) >= MAX_ATTACHMENTS:
            return
        try:
            data = payload[0].as_bytes() if payload else b""
        except Exception:
            data = b""
            self.defects.add("attached message could not be re-serialised")
        try:
            filename = part.get_filename() or ""
        except Exception:
            filename = ""
        if not filename and payload:
            subject, _ = decode_words(_unfold(str(payload[0].get("subject", "") or "")))
            filename = f"{subject[:100].strip() or 'message'}.eml"
        self.attachments.append(Attachment(
            filename=_filename(filename), content_type=_content_type(part, self.defects),
            size=len(data), sha256=hashlib.sha256(data).hexdigest(),
            inline=_token(str(part.get("content-disposition", "") or "")) == "inline"))

    def _text_part(self, part: _EmailMessage, payload: str, cte: str, into: list[str],
                   cap: int) -> None:
        used = self.plain_chars if into is self.plain else self.html_chars
        room = cap - used
        if room <= 0:
            self.defects.add("text beyond the size limit not read")
            return
        limit = (room * 4 // 3 + 8) * 4 if cte == "base64" else room * 6 + 16
        if len(payload) > limit:
            self.defects.add("text part truncated (too long)")
        data, problems = decode_transfer(payload, cte, limit)
        self.defects.extend(problems)
        raw_type = str(part.get("content-type", "") or "")
        found = _CHARSET_PARAM.findall(raw_type) if "charset*" not in raw_type.lower() else None
        if found:
            charset: str | None = found[-1][0] or found[-1][1]  # 'charset=charset="x"': last
        else:
            try:
                charset = part.get_content_charset()
            except Exception:
                charset = None
                self.defects.add("unreadable charset parameter")
        if charset and normalize_charset(charset) is None:
            charset = find_charset(raw_type) or charset
        if not charset and into is self.html:
            meta = _META_CHARSET.search(data[:4096])
            if meta is not None:  # the HTML says what the MIME part does not
                charset = meta.group(1).decode("ascii")
        text, problem = decode_bytes(data, charset)
        self.defects.add(problem)
        self._add_text(into, text[:room])

    def _add_text(self, into: list[str], text: str) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL.sub("", text)
        into.append(text)
        if into is self.plain:
            self.plain_chars += len(text)
        else:
            self.html_chars += len(text)

    def finish(self) -> tuple[str, tuple[Link, ...], bool]:
        """Pick the readable text, and the links: from HTML when there is HTML."""
        plain = "\n\n".join(t for t in self.plain if t.strip())
        links: list[Link] = []
        html_text: list[str] = []
        use_html = bool(self.html) and len(plain.strip()) < 40
        for doc in self.html:
            try:
                text, found, truncated = html_to_text(doc)
            except Exception as exc:
                self.defects.add(f"HTML part could not be read ({type(exc).__name__})")
                continue
            if truncated:
                self.defects.add("HTML part too large or too deeply nested; only its start read")
            html_text.append(text)
            links.extend(found)
        text = "\n\n".join(t for t in html_text if t) if use_html else plain
        if not self.html:
            links.extend(text_links(text))
        if len(text) > self.max_text:
            text = text[: self.max_text]
            self.defects.add(f"text truncated to {self.max_text} characters")
        return text.strip("\n"), tuple(dict.fromkeys(links))[:300], bool(self.html)


def _content_type(part: _EmailMessage, defects: _Defects) -> str:
    try:
        ctype = part.get_content_type()
    except Exception:
        defects.add("unreadable Content-Type header")
        return "application/octet-stream"
    if not ctype.isascii() or len(ctype) > 127:
        defects.add("garbled Content-Type header")
        return "application/octet-stream"
    return ctype


def _looks_html(payload: str) -> bool:
    head = payload[:512].lstrip().lower()
    return head.startswith(("<html", "<!doctype html", "<head", "<body")) or (
        "<html" in head and "<body" in payload[:4096].lower())


def _filename(name: str) -> str:
    if not name:
        return ""
    if "=?" in name or not name.isascii():
        name, _ = decode_words(name)
    return _CONTROL.sub("", name.replace("\r", "").replace("\n", "")).strip()[:255]
