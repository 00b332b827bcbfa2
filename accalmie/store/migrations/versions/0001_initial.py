"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 19:32:24.359281
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# 64-bit ids on PostgreSQL; INTEGER (the rowid) on SQLite. Frozen here: never import the
# live schema module from a migration.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
    )
    op.create_table(
        "contacts",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_contacts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "email", name=op.f("pk_contacts")),
    )
    op.create_table(
        "folder_state",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("uidnext", sa.BigInteger(), nullable=False),
        sa.Column("highestmodseq", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_folder_state_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "folder", name=op.f("pk_folder_state")),
    )
    op.create_table(
        "journal",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_journal_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_journal_account_id_key")),
    )
    op.create_index(
        op.f("ix_journal_account_id_state_kind"), "journal", ["account_id", "state", "kind"]
    )
    op.create_table(
        "messages",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("from_email", sa.String(length=320), nullable=False),
        sa.Column("from_name", sa.String(length=256), nullable=False),
        sa.Column("to_addrs", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("cc_addrs", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("date", TS, nullable=True),
        sa.Column("list_id", sa.String(length=256), nullable=False),
        sa.Column("list_unsubscribe", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("list_unsubscribe_post", sa.Boolean(), nullable=False),
        sa.Column("in_reply_to", sa.String(length=512), nullable=False),
        sa.Column("precedence", sa.String(length=32), nullable=False),
        sa.Column("auto_submitted", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("has_html", sa.Boolean(), nullable=False),
        sa.Column("n_links", sa.Integer(), nullable=False),
        sa.Column("n_attachments", sa.Integer(), nullable=False),
        sa.Column("attachments", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("n_defects", sa.Integer(), nullable=False),
        sa.Column("features", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("flags", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("predicted_folder", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_messages_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_messages_account_id_key")),
    )
    op.create_index(op.f("ix_messages_account_id_date"), "messages", ["account_id", "date"])
    op.create_index(
        op.f("ix_messages_account_id_folder_uid"), "messages", ["account_id", "folder", "uid"]
    )
    op.create_index(
        op.f("ix_messages_account_id_lane_date"), "messages", ["account_id", "lane", "date"]
    )
    op.create_index(op.f("ix_messages_message_id"), "messages", ["message_id"])
    op.create_table(
        "models",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("blob", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_models_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "name", name=op.f("pk_models")),
    )
    op.create_table(
        "overrides",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("lane", sa.String(length=16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_overrides_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "kind", "value", name=op.f("pk_overrides")),
    )
    op.create_table(
        "corrections",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("message_row_id", ID, nullable=True),
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("old_lane", sa.String(length=16), nullable=False),
        sa.Column("new_lane", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_corrections_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_row_id"],
            ["messages.id"],
            name=op.f("fk_corrections_message_row_id_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(
        op.f("ix_corrections_account_id_created_at"), "corrections", ["account_id", "created_at"]
    )
    op.create_index(op.f("ix_corrections_message_row_id"), "corrections", ["message_row_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_corrections_message_row_id"), table_name="corrections")
    op.drop_index(op.f("ix_corrections_account_id_created_at"), table_name="corrections")
    op.drop_table("corrections")
    op.drop_table("overrides")
    op.drop_table("models")
    op.drop_index(op.f("ix_messages_message_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_account_id_lane_date"), table_name="messages")
    op.drop_index(op.f("ix_messages_account_id_folder_uid"), table_name="messages")
    op.drop_index(op.f("ix_messages_account_id_date"), table_name="messages")
    op.drop_table("messages")
    op.drop_index(op.f("ix_journal_account_id_state_kind"), table_name="journal")
    op.drop_table("journal")
    op.drop_table("folder_state")
    op.drop_table("contacts")
    op.drop_table("accounts")
