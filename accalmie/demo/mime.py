"""Write RFC 5322 / MIME messages by hand, the way real mail clients lay them out.

The stdlib ``email`` generator is correct but slow (a few thousand messages per second at
best) and always writes the same layout. The demo needs both speed (benchmarks at 100k
messages) and the variety of real clients: Outlook's iso-8859-1 quoted-printable headers,
Gmail's base64 encoded words, 8-bit Thunderbird bodies, base64 newsletters. Messages are built
with LF line ends and turned into CRLF once at the end, as on the wire.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

# Characters that may stay literal inside a Q-encoded word in any header position (RFC 2047 §5).
_Q_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")
_Q_TABLE = {b: (chr(b) if b in _Q_SAFE else f"={b:02X}") for b in range(256)}
_Q_TABLE[0x20] = "_"
# RFC 5322 atext plus space: a display name made only of these needs no quotes.
_ATEXT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                   "!#$%&'*+-/=?^_`{|}~ ")
MAX_LINE = 78


def is_ascii(text: str) -> bool:
    return text.isascii()


def _chunks(text: str, charset: str, limit: int) -> list[bytes]:
    """Split ``text`` into encoded byte chunks of at most ``limit`` bytes, never inside a
    character (an encoded word must hold whole characters, RFC 2047 §5)."""
    out: list[bytes] = []
    cur = bytearray()
    for ch in text:
        b = ch.encode(charset)
        if len(cur) + len(b) > limit and cur:
            out.append(bytes(cur))
            cur = bytearray()
        cur += b
    if cur:
        out.append(bytes(cur))
    return out


@lru_cache(maxsize=8192)
def encode_words(text: str, charset: str = "utf-8", mode: str = "B") -> str:
    """RFC 2047 encoded words for ``text``, separated by spaces so that folding can split
    between them. ``mode`` is "B" (base64, as Gmail writes) or "Q" (as Outlook writes).
    Cached: display names and subjects repeat across a mailbox."""
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    label = charset.upper() if mode == "B" else charset
    if mode == "B":
        return " ".join(f"=?{label}?B?{base64.b64encode(c).decode()}?="
                        for c in _chunks(text, charset, 45))
    table = _q_chars(charset)
    overhead = len(label) + 7
    words = []
    cur: list[str] = []
    size = overhead
    for ch in text:
        enc = table.get(ch)
        if enc is None:
            enc = table[ch] = "".join(_Q_TABLE[b] for b in ch.encode(charset))
        if size + len(enc) > 75 and cur:
            words.append(f"=?{label}?Q?{''.join(cur)}?=")
            cur, size = [], overhead
        cur.append(enc)
        size += len(enc)
    if cur:
        words.append(f"=?{label}?Q?{''.join(cur)}?=")
    return " ".join(words)


@lru_cache(maxsize=8)
def _q_chars(charset: str) -> dict[str, str]:
    """Per-charset memo of each character's Q encoding (filled as characters are met)."""
    return {chr(b): _Q_TABLE[b] for b in range(128)}


@dataclass(frozen=True, slots=True)
class HeaderStyle:
    """How a client encodes non-ASCII header text."""

    charset: str = "utf-8"
    mode: str = "B"


UTF8_B = HeaderStyle("utf-8", "B")
UTF8_Q = HeaderStyle("utf-8", "Q")
LATIN1_Q = HeaderStyle("iso-8859-1", "Q")


def unstructured(text: str, style: HeaderStyle = UTF8_B) -> str:
    """A Subject-like value: ASCII stays readable, anything else becomes encoded words."""
    text = " ".join(text.split())
    if text.isascii():
        return text
    return encode_words(text, style.charset, style.mode)


def address(name: str, email: str, style: HeaderStyle = UTF8_B) -> str:
    """``Name <email>`` with the name quoted or encoded as a real client would."""
    if not name:
        return f"<{email}>" if style.mode == "B" else email
    name = " ".join(name.split())
    if not name.isascii():
        return f"{phrase(name, style)} <{email}>"
    if all(c in _ATEXT for c in name):
        return f"{name} <{email}>"
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}" <{email}>'


def phrase(name: str, style: HeaderStyle = UTF8_B) -> str:
    """A display name with non-ASCII words encoded word by word, as Thunderbird writes it.

    Encoding the whole name into several encoded words would be valid, but parsers disagree on
    the space between two encoded words of a phrase (Python's keeps it, RFC 2047 drops it), so
    plain words stay plain and only runs of words that need it are encoded, in one word when
    they fit."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append(encode_words(" ".join(run), style.charset, style.mode))
            run.clear()

    for word in name.split(" "):
        if word.isascii() and all(c in _ATEXT for c in word):
            flush()
            out.append(word)
        else:
            run.append(word)
    flush()
    return " ".join(out)


def fold(name: str, value: str) -> str:
    """``Name: value`` folded at spaces so that lines stay under 78 characters when possible."""
    if len(name) + len(value) <= MAX_LINE - 2:
        return f"{name}: {value}"
    words = value.split(" ")
    lines: list[str] = []
    cur = f"{name}:"
    for w in words:
        if not w:
            continue
        if len(cur) + 1 + len(w) > MAX_LINE and cur.strip() and cur != f"{name}:":
            lines.append(cur)
            cur = " " + w
        else:
            cur = f"{cur} {w}"
    lines.append(cur)
    return "\n".join(lines)


def param(key: str, value: str) -> str:
    """A MIME parameter, RFC 2231-encoded when it is not ASCII (Thunderbird, Gmail)."""
    if value.isascii():
        return f'{key}="{value}"'
    return f"{key}*=utf-8''{quote(value, safe='')}"


@dataclass(slots=True)
class Part:
    """One MIME entity: its own headers and its already-encoded body."""

    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""


def wrap(text: str, width: int = 76, flowed: bool = False) -> str:
    """Hard-wrap paragraphs as 8-bit plain-text clients do (format=flowed keeps a trailing
    space on wrapped lines so that the reader can reflow them, RFC 3676)."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width or line.startswith(">"):
            out.append(line)
            continue
        cur = ""
        for w in line.split(" "):
            if cur and len(cur) + 1 + len(w) > width:
                out.append(cur + (" " if flowed else ""))
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        out.append(cur)
    return "\n".join(out)


def text_part(text: str, subtype: str = "plain", charset: str = "utf-8",
              cte: str = "quoted-printable", flowed: bool = False) -> Part:
    """A text entity. Falls back to UTF-8 when the charset cannot hold the text, as clients
    do; 8-bit is only used with UTF-8 so that the whole message stays one encoding."""
    if charset != "utf-8":
        try:
            data = text.encode(charset)
        except UnicodeEncodeError:
            charset = "utf-8"
    if charset == "utf-8":
        data = text.encode("utf-8")
        if cte == "7bit" and not text.isascii():
            cte = "quoted-printable"
    elif cte == "8bit":
        cte = "quoted-printable"
    ctype = f"text/{subtype}; charset={'UTF-8' if charset == 'utf-8' else charset}"
    if flowed and subtype == "plain":
        ctype += "; format=flowed"
    if cte == "quoted-printable":
        body = binascii.b2a_qp(data, istext=True).decode("ascii")
    elif cte == "base64":
        body = base64.encodebytes(data).decode("ascii")
    elif cte == "8bit":
        body = wrap(text, flowed=flowed)
    else:
        body = text
    return Part([("Content-Type", ctype), ("Content-Transfer-Encoding", cte)], body)


def attachment(data: bytes, ctype: str, filename: str, inline: bool = False,
               content_id: str = "") -> Part:
    headers = [("Content-Type", f"{ctype}; {param('name', filename)}"),
               ("Content-Disposition",
                f"{'inline' if inline else 'attachment'}; {param('filename', filename)}"),
               ("Content-Transfer-Encoding", "base64")]
    if content_id:
        headers.append(("Content-ID", f"<{content_id}>"))
    return Part(headers, base64.encodebytes(data).decode("ascii"))


def multipart(subtype: str, parts: list[Part], boundary: str, extra: str = "",
              preamble: str = "") -> Part:
    chunks = [preamble + "\n"] if preamble else []
    for p in parts:
        chunks.append(f"--{boundary}\n")
        chunks.append("\n".join([f"{n}: {v}" if len(n) + len(v) <= MAX_LINE - 2
                                 else fold(n, v) for n, v in p.headers]))
        chunks.append("\n\n")
        chunks.append(p.body if p.body.endswith("\n") else p.body + "\n")
    chunks.append(f"--{boundary}--\n")
    ctype = f'multipart/{subtype}; boundary="{boundary}"'
    if extra:
        ctype += f"; {extra}"
    return Part([("Content-Type", ctype)], "".join(chunks))


def serialize(headers: list[tuple[str, str]], root: Part) -> bytes:
    """The whole message as wire bytes (CRLF line ends)."""
    head = "\n".join([f"{n}: {v}" if len(n) + len(v) <= MAX_LINE - 2 else fold(n, v)
                      for n, v in [*headers, ("MIME-Version", "1.0"), *root.headers]])
    body = root.body if root.body.endswith("\n") else root.body + "\n"
    return f"{head}\n\n{body}".replace("\n", "\r\n").encode("utf-8")
