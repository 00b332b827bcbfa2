"""send-later outbox and digests

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen here: never import the live schema module from a migration.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["account_id"], ["accounts.id"],
                                   name=op.f(f"fk_{table}_account_id_accounts"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("folder", sa.Text(), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("recipients", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("prepared", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("due_at", TS, nullable=True),
        sa.Column("requested", sa.Boolean(), nullable=False),
        sa.Column("next_try_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("first_try_at", TS, nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", TS, nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("smtp_answer", sa.Text(), nullable=False),
        sa.Column("notes", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("appended", sa.Boolean(), nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("filed_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        _account_fk("outbox"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("account_id", "key", name=op.f("uq_outbox_account_id_key")),
    )
    op.create_index(op.f("ix_outbox_account_id_state_due_at"), "outbox",
                    ["account_id", "state", "due_at"])
    op.create_index(op.f("ix_outbox_account_id_message_id"), "outbox",
                    ["account_id", "message_id"])
    op.create_table(
        "digests",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("slot", TS, nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("delivery", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.String(length=512), nullable=False),
        sa.Column("since", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", TS, nullable=True),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        _account_fk("digests"),
        sa.PrimaryKeyConstraint("account_id", "slot", name=op.f("pk_digests")),
    )


def downgrade() -> None:
    op.drop_table("digests")
    op.drop_index(op.f("ix_outbox_account_id_message_id"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_account_id_state_due_at"), table_name="outbox")
    op.drop_table("outbox")
