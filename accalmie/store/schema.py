"""Tables of the store, as SQLAlchemy Core metadata (the source of truth for migrations).

Core rather than the ORM because the hot path is bulk upserts of thousands of rows. The same
metadata serves SQLite and PostgreSQL; Alembic migrations in ``migrations/versions`` must
produce exactly this schema (a test runs autogenerate and expects no difference).

Data minimisation: a message row holds the headers that matter, a few features, the decision
and a short excerpt. The full body column is filled only when the user configured it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# 64-bit ids on PostgreSQL; on SQLite an INTEGER primary key is the rowid (and autoincrements).
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on both dialects.

    SQLite has no time zones: values are stored as naive UTC. PostgreSQL stores ``timestamptz``.
    A naive value given to the store is taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        else:
            try:
                value = value.astimezone(UTC)
            except (OverflowError, ValueError):  # year 1 with a positive offset, and the like
                return None
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC)


accounts = Table(
    "accounts", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
)

folder_state = Table(
    "folder_state", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("folder", Text, primary_key=True),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("uidnext", BigInteger, nullable=False),
    Column("highestmodseq", BigInteger, nullable=True),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
)

messages = Table(
    "messages", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    # Where the message is: one row per location (an IMAP folder + UID, or a file).
    Column("key", String(600), nullable=False),
    Column("folder", Text, nullable=False),
    Column("uid", BigInteger, nullable=True),
    Column("raw_sha256", String(64), nullable=False),
    # Headers that matter.
    Column("message_id", String(512), nullable=False),
    Column("from_email", String(320), nullable=False),
    Column("from_name", String(256), nullable=False),
    Column("to_addrs", JSON(none_as_null=True), nullable=True),
    Column("cc_addrs", JSON(none_as_null=True), nullable=True),
    Column("subject", Text, nullable=False),
    Column("date", UTCDateTime(), nullable=True),
    Column("list_id", String(256), nullable=False),
    Column("list_unsubscribe", JSON(none_as_null=True), nullable=True),
    Column("list_unsubscribe_post", Boolean, nullable=False),
    Column("in_reply_to", String(512), nullable=False),
    Column("precedence", String(32), nullable=False),
    Column("auto_submitted", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("has_html", Boolean, nullable=False),
    Column("n_links", Integer, nullable=False),
    Column("n_attachments", Integer, nullable=False),
    Column("attachments", JSON(none_as_null=True), nullable=True),
    Column("n_defects", Integer, nullable=False),
    Column("features", JSON(none_as_null=True), nullable=True),
    # The decision.
    Column("lane", String(16), nullable=False),
    Column("source", String(16), nullable=False),
    Column("flags", JSON(none_as_null=True), nullable=True),
    Column("score", Float, nullable=False),
    Column("reasons", JSON(none_as_null=True), nullable=True),
    Column("predicted_folder", Text, nullable=False),
    # Text: a short excerpt always; the full body only when configured.
    Column("excerpt", Text, nullable=False),
    Column("body", Text, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
    UniqueConstraint("account_id", "key"),
    Index(None, "account_id", "lane", "date"),
    Index(None, "account_id", "date"),
    Index(None, "account_id", "folder", "uid"),
    Index(None, "message_id"),
)

journal = Table(
    "journal", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(600), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
    UniqueConstraint("account_id", "key"),
    Index(None, "account_id", "state", "kind"),
)

corrections = Table(
    "corrections", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("message_row_id", Id, ForeignKey("messages.id", ondelete="SET NULL"), nullable=True),
    Column("message_id", String(512), nullable=False),
    Column("old_lane", String(16), nullable=False),
    Column("new_lane", String(16), nullable=False),
    Column("origin", String(32), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
    Index(None, "account_id", "created_at"),
    Index(None, "message_row_id"),
)

models = Table(
    "models", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("blob", LargeBinary, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
)

contacts = Table(
    "contacts", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("email", String(320), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
)

overrides = Table(
    "overrides", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("value", String(320), primary_key=True),
    Column("lane", String(16), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
)

# --- after-hours facts (accalmie.disconnect.hours; migration 0002) ---

# One row per message and direction: only what the reports aggregate (local date and hour,
# after hours or not, what kind of day). ``ref`` is a 128-bit hash of the Message-ID (else of
# the raw bytes): stable when the message moves between folders, so recording it again is a
# no-op, and it says nothing about the message by itself.
after_hours_facts = Table(
    "after_hours_facts", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("direction", String(3), primary_key=True),
    Column("ref", String(32), primary_key=True),
    Column("day", Date, nullable=False),
    Column("hour", SmallInteger, nullable=False),
    Column("after_hours", Boolean, nullable=False),
    Column("day_kind", String(8), nullable=False),
    Index(None, "account_id", "day"),
)

# --- held mail and release (accalmie.disconnect.hold; migration 0003) ---

# One row per release batch: when it started and ended, and how much it moved.
releases = Table(
    "releases", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
    Column("messages", Integer, nullable=False),
    Column("moved", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Index(None, "account_id", "started_at"),
)

# A message Accalmie put in the hold folder: held, then released (or left: the user took it
# out first). Its place and lane are those of its ``messages`` row; nothing else is copied.
held = Table(
    "held", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("message_row_id", Id, ForeignKey("messages.id", ondelete="CASCADE"),
           nullable=False),
    Column("state", String(16), nullable=False),
    Column("held_at", UTCDateTime(), nullable=False),
    Column("release_after", UTCDateTime(), nullable=True),
    Column("released_at", UTCDateTime(), nullable=True),
    Column("release_id", Id, ForeignKey("releases.id", ondelete="SET NULL"), nullable=True),
    UniqueConstraint("account_id", "message_row_id"),
    Index(None, "account_id", "state"),
    Index(None, "message_row_id"),
    Index(None, "release_id"),
)

# --- send-later outbox and digests (accalmie.disconnect.outbox / digest; migration 0004) ---

# One row per message queued for sending later (dropped into the queue folder, or given to
# `accalmie send-later`). The state is written before each step (pending -> sending -> sent ->
# filed), so a killed process resumes without sending twice. ``raw`` (as queued) and
# ``prepared`` (as sent: Date set, footer) are dropped once the message is filed in Sent.
outbox = Table(
    "outbox", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(600), nullable=False),  # imap:<folder>:<uidvalidity>:<uid> | cli:<sha>
    Column("origin", String(8), nullable=False),  # imap | cli
    Column("folder", Text, nullable=False),  # the queue folder ('' for cli)
    Column("uidvalidity", BigInteger, nullable=True),
    Column("uid", BigInteger, nullable=True),
    Column("raw_sha256", String(64), nullable=False),
    Column("message_id", String(512), nullable=False),
    Column("subject", Text, nullable=False),
    Column("sender", String(320), nullable=False),
    Column("recipients", JSON(none_as_null=True), nullable=True),
    Column("raw", LargeBinary, nullable=True),
    Column("prepared", LargeBinary, nullable=True),
    Column("state", String(16), nullable=False),
    Column("phase", String(16), nullable=False),  # while sending: '' | envelope | data
    Column("due_at", UTCDateTime(), nullable=True),
    Column("requested", Boolean, nullable=False),  # due_at given by the user (--at)
    Column("next_try_at", UTCDateTime(), nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("first_try_at", UTCDateTime(), nullable=True),
    Column("claimed_by", String(200), nullable=False),
    Column("claimed_at", UTCDateTime(), nullable=True),
    Column("error_code", String(64), nullable=False),
    Column("error", Text, nullable=False),
    Column("smtp_answer", Text, nullable=False),
    Column("notes", JSON(none_as_null=True), nullable=True),
    Column("appended", Boolean, nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("filed_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
    UniqueConstraint("account_id", "key"),
    Index(None, "account_id", "state", "due_at"),
    Index(None, "account_id", "message_id"),
)

# One row per digest slot (a scheduled instant, UTC) or manual digest: claimed before it is
# delivered, so each slot is delivered at most once whatever the restarts and clock jumps.
digests = Table(
    "digests", metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("slot", UTCDateTime(), primary_key=True),
    Column("manual", Boolean, nullable=False),
    Column("state", String(16), nullable=False),  # sending | sent | uncertain | skipped
    Column("phase", String(16), nullable=False),
    Column("delivery", String(8), nullable=False),  # append | smtp
    Column("message_id", String(512), nullable=False),
    Column("since", UTCDateTime(), nullable=True),  # what the digest covered: since .. slot
    Column("attempts", Integer, nullable=False),
    Column("next_try_at", UTCDateTime(), nullable=True),
    Column("claimed_by", String(200), nullable=False),  # host:pid of the delivering process
    Column("error", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False, default=_now),
    Column("updated_at", UTCDateTime(), nullable=False, default=_now, onupdate=_now),
)

