"""Thank-you note retries (attempts, next attempt) and the /kudos undo floor.

Revision ID: 0005
Revises: 0002, 0004
Create Date: 2026-11-23

Also merges the kudos (0002) and broadcasts (0003-0004) branches, so this runs
after the tables it changes exist.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0005"
down_revision = ("0002", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("thank_you_notes") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
        batch.create_index("ix_thank_you_notes_retry", ["status", "platform", "next_attempt_at"])
    # Notes stored before retries existed: each had one attempt; those waiting for a
    # retry are due now.
    op.execute("UPDATE thank_you_notes SET attempts = 1 WHERE status <> 'pending'")
    op.execute(
        "UPDATE thank_you_notes SET next_attempt_at = created_at WHERE status = 'retry_later'"
    )
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("last_undone_kudos_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("last_undone_kudos_at")
    with op.batch_alter_table("thank_you_notes") as batch:
        batch.drop_index("ix_thank_you_notes_retry")
        batch.drop_column("next_attempt_at")
        batch.drop_column("attempts")
