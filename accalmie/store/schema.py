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
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
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

# --- held mail and release (accalmie.disconnect.hold; migration 0003) ---

# --- send-later outbox and digests (accalmie.disconnect.outbox / digest; migration 0004) ---

# --- guard verdicts and evidence (accalmie.guard; migration 0005) ---
