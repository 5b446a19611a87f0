"""/kudos undo keeps its floor as a kudos id, not as the time the undone kudos was given.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

Kudos given in the same instant share a time, so a floor by time let a second
undo remove an older kudos. The floor is now the highest id among the kudos
the member still had right after the undo: a kudos stored later gets a higher
id on both databases (SQLite may hand the undone kudos' id out again, but never
one at or below a row that exists). Existing floors carry over: the member's
newest kudos given at or before the old floor (0 when none is left, which still
means "already taken back").

The old column is dropped with a plain ALTER TABLE (SQLite 3.35 and later), not
a batch copy: copying ``members`` would cascade-delete every kudos and note.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("members", sa.Column("undo_floor_kudos_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE members SET undo_floor_kudos_id = COALESCE("
        "(SELECT MAX(kudos.id) FROM kudos WHERE kudos.giver_id = members.id "
        "AND kudos.created_at <= members.last_undone_kudos_at), 0) "
        "WHERE last_undone_kudos_at IS NOT NULL"
    )
    op.drop_column("members", "last_undone_kudos_at")


def downgrade() -> None:
    op.add_column("members", sa.Column("last_undone_kudos_at", UtcDateTime(), nullable=True))
    op.execute(
        "UPDATE members SET last_undone_kudos_at = "
        "(SELECT MAX(kudos.created_at) FROM kudos WHERE kudos.giver_id = members.id "
        "AND kudos.id <= members.undo_floor_kudos_id) "
        "WHERE undo_floor_kudos_id IS NOT NULL"
    )
    op.drop_column("members", "undo_floor_kudos_id")
