"""A member's own deadline reminders (/reminders remind): one row per member, deadline, lead time.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.String(80), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("broadcast_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_member_reminders"),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name="fk_member_reminders_member_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["broadcast_id"],
            ["broadcasts.id"],
            name="fk_member_reminders_broadcast_id_broadcasts",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "member_id", "deadline_id", "offset_days", name="uq_member_reminders_member_id"
        ),
    )
    op.create_index(
        "ix_member_reminders_platform_status", "member_reminders", ["platform", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_member_reminders_platform_status", table_name="member_reminders")
    op.drop_table("member_reminders")
