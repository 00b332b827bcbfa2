"""The one canonical message model.

A raw message is parsed once (``accalmie.mail.parse.parse_message``) into a :class:`Message`;
every later stage (features, triage, guard, reports, store) reads this object and never the raw
bytes again. The model is plain, immutable data so that the core stays pure and picklable
(it crosses process boundaries in the parallel triage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: display name as written, address lowercased."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        """Domain part of the address, lowercased ('' when the address has none)."""
        return self.email.rpartition("@")[2] if "@" in self.email else ""

    @property
    def local(self) -> str:
        return self.email.rpartition("@")[0] if "@" in self.email else self.email

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in the body: what the reader sees and where it really goes."""

    url: str
    text: str = ""
    domain: str = ""  # host of ``url``, lowercased, IDNA-decoded to Unicode when possible
    text_domain: str = ""  # a domain that the visible text shows, if it shows one


@dataclass(frozen=True, slots=True)
class Attachment:
    """Metadata of an attached part. Content is hashed and inspected in memory (see
    :mod:`accalmie.guard.attachments`), never written out, opened by an application or run."""

    filename: str
    content_type: str
    size: int
    sha256: str
    inline: bool = False
    findings: tuple[str, ...] = ()  # dangerous traits found by the inspector (finding codes)


@dataclass(frozen=True, slots=True)
class Message:
    """A parsed message: the headers that matter, the text, and what was wrong with it."""

    message_id: str = ""
    subject: str = ""
    from_: Address | None = None
    sender: Address | None = None
    reply_to: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    date: datetime | None = None  # always time-zone aware when present
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    list_id: str = ""  # the id inside <...>, lowercased, e.g. "news.example.org"
    list_unsubscribe: tuple[str, ...] = ()  # URLs (mailto: and https:) in header order
    list_unsubscribe_post: bool = False  # RFC 8058 one-click advertised
    precedence: str = ""  # lowercased: bulk, list, junk, ...
    auto_submitted: str = ""  # lowercased: auto-generated, auto-replied, ...
    authentication_results: tuple[str, ...] = ()  # raw header values, top (newest) first
    headers: tuple[tuple[str, str], ...] = ()  # all headers, names lowercased, values decoded
    text: str = ""  # the readable text (text/plain, or text extracted from HTML)
    new_text: str = ""  # text without quoted replies and signature
    has_html: bool = False
    language: str = ""  # ISO 639-1 code or '' when unknown
    links: tuple[Link, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    size: int = 0  # bytes of the raw message
    defects: tuple[str, ...] = ()  # what was wrong with the input, in plain words (English)
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def header(self, name: str) -> str:
        """First value of a header (case-insensitive name), '' when absent."""
        lname = name.lower()
        for key, value in self.headers:
            if key == lname:
                return value
        return ""

    def header_all(self, name: str) -> list[str]:
        lname = name.lower()
        return [value for key, value in self.headers if key == lname]

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc + self.bcc
