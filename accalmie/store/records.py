"""Plain records that go in and out of the store (no SQLAlchemy objects leak out)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accalmie.mail.model import Address, Message
from accalmie.triage.decision import Decision, Lane

JOURNAL_STATES = ("pending", "done", "failed")
OVERRIDE_KINDS = ("sender", "domain", "list")
CORRECTION_ORIGINS = ("cli", "imap-move", "dashboard")


@dataclass(frozen=True, slots=True)
class FolderState:
    """What the last IMAP sync of a folder saw: resume from ``uidnext`` while UIDVALIDITY holds."""

    uidvalidity: int
    uidnext: int
    highestmodseq: int | None = None


@dataclass(frozen=True, slots=True)
class StoredItem:
    """One message at one location, with its decision, ready to be saved.

    ``key`` names the location (``imap:INBOX:<uidvalidity>:<uid>``, or a file key) and is the
    upsert key within an account. ``body`` is kept only when given (the ``keep_bodies`` setting);
    otherwise only an excerpt of the new text, ``excerpt_chars`` long, is stored.
    ``features`` is an optional small JSON-able mapping kept alongside (for explanations and
    reports), never message text.
    """

    key: str
    folder: str
    uid: int | None
    message: Message
    decision: Decision
    raw_sha256: str
    body: str | None = None
    excerpt_chars: int = 280
    features: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A message row as read back: the minimised headers, the decision, the excerpt."""

    id: int
    account_id: int
    key: str
    folder: str
    uid: int | None
    raw_sha256: str
    message_id: str
    from_email: str
    from_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    date: datetime | None  # aware, UTC
    list_id: str
    list_unsubscribe: tuple[str, ...]
    list_unsubscribe_post: bool
    in_reply_to: str
    precedence: str
    auto_submitted: str
    language: str
    size: int
    has_html: bool
    n_links: int
    n_attachments: int
    attachments: tuple[dict[str, Any], ...]
    n_defects: int
    features: dict[str, Any]
    decision: Decision
    excerpt: str
    body: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def lane(self) -> Lane:
        return self.decision.lane

    @property
    def has_links(self) -> bool:
        return self.n_links > 0

    def as_message(self) -> Message:
        """The message as far as the store knows it (minimised): enough to learn from."""
        text = self.body if self.body is not None else self.excerpt
        return Message(
            message_id=self.message_id, subject=self.subject,
            from_=Address(self.from_name, self.from_email) if self.from_email else None,
            to=tuple(Address("", a) for a in self.to), cc=tuple(Address("", a) for a in self.cc),
            date=self.date, in_reply_to=self.in_reply_to, list_id=self.list_id,
            list_unsubscribe=self.list_unsubscribe,
            list_unsubscribe_post=self.list_unsubscribe_post, precedence=self.precedence,
            auto_submitted=self.auto_submitted, text=text, new_text=self.excerpt,
            has_html=self.has_html, language=self.language, size=self.size)


@dataclass(frozen=True, slots=True)
class NewAction:
    """A mailbox action to journal before doing it; ``key`` makes adding it idempotent."""

    key: str
    kind: str  # "move", "flag", "create_folder", ...
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: int
    account_id: int
    key: str
    kind: str
    payload: dict[str, Any]
    state: str  # "pending" | "done" | "failed"
    attempts: int
    error: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Correction:
    id: int
    account_id: int
    message_row_id: int | None
    message_id: str
    old_lane: str
    new_lane: str
    origin: str  # "cli" | "imap-move" | "dashboard"
    created_at: datetime
