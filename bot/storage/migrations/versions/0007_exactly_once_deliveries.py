"""Exactly-once deliveries: broadcast rows that may have been sent, kudos post retries.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast_deliveries") as batch:
        batch.add_column(
            sa.Column("maybe_sent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "kudos_post_retries",
        sa.Column(
            "kudos_id",
            sa.Integer(),
            sa.ForeignKey("kudos.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=True),
        sa.Column("failure_reason", sa.String(200), nullable=True),
        sa.Column("posted_at", UtcDateTime(), nullable=True),
    )
    op.create_index(
        "ix_kudos_post_retries_due",
        "kudos_post_retries",
        ["status", "platform", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_kudos_post_retries_due", table_name="kudos_post_retries")
    op.drop_table("kudos_post_retries")
    with op.batch_alter_table("broadcast_deliveries") as batch:
        batch.drop_column("maybe_sent")
