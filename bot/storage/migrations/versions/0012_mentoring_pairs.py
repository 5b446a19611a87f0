"""Mentoring pairs over their year: introductions, check-ins, feedback, pauses.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentoring_pair_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("answer", sa.String(16), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_pair_messages"),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["mentoring_matches.id"],
            name="fk_mentoring_pair_msg_match",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["mentoring_applications.id"],
            name="fk_mentoring_pair_msg_application",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "match_id",
            "application_id",
            "kind",
            "period",
            name="uq_mentoring_pair_messages_match_id",
        ),
    )
    op.create_index(
        "ix_mentoring_pair_messages_application_id",
        "mentoring_pair_messages",
        ["application_id"],
    )
    op.create_table(
        "mentoring_participation",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_mentoring_participation"),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["mentoring_applications.id"],
            name="fk_mentoring_participation_application",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("mentoring_participation")
    op.drop_index("ix_mentoring_pair_messages_application_id", table_name="mentoring_pair_messages")
    op.drop_table("mentoring_pair_messages")
