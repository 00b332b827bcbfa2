"""after-hours facts of received and sent messages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Frozen here: never import the live schema module from a migration.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "after_hours_facts",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
        sa.Column("after_hours", sa.Boolean(), nullable=False),
        sa.Column("day_kind", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_after_hours_facts_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "direction", "ref",
                                name=op.f("pk_after_hours_facts")),
    )
    op.create_index(op.f("ix_after_hours_facts_account_id_day"), "after_hours_facts",
                    ["account_id", "day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_after_hours_facts_account_id_day"), table_name="after_hours_facts")
    op.drop_table("after_hours_facts")
