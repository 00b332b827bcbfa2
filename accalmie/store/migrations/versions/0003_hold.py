"""held mail and its release

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen here: never import the live schema module from a migration.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("moved", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_releases_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
    )
    op.create_index(
        op.f("ix_releases_account_id_started_at"), "releases", ["account_id", "started_at"]
    )
    op.create_table(
        "held",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("message_row_id", ID, nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("held_at", TS, nullable=False),
        sa.Column("release_after", TS, nullable=True),
        sa.Column("released_at", TS, nullable=True),
        sa.Column("release_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_held_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_row_id"],
            ["messages.id"],
            name=op.f("fk_held_message_row_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["releases.id"],
            name=op.f("fk_held_release_id_releases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held")),
        sa.UniqueConstraint(
            "account_id", "message_row_id", name=op.f("uq_held_account_id_message_row_id")
        ),
    )
    op.create_index(op.f("ix_held_account_id_state"), "held", ["account_id", "state"])
    op.create_index(op.f("ix_held_message_row_id"), "held", ["message_row_id"])
    op.create_index(op.f("ix_held_release_id"), "held", ["release_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_held_release_id"), table_name="held")
    op.drop_index(op.f("ix_held_message_row_id"), table_name="held")
    op.drop_index(op.f("ix_held_account_id_state"), table_name="held")
    op.drop_table("held")
    op.drop_index(op.f("ix_releases_account_id_started_at"), table_name="releases")
    op.drop_table("releases")
