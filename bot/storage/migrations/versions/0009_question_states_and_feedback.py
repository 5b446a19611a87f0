"""Unanswered questions get a state (open, claimed, answered, not for us); answer feedback.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_questions") as batch:
        # questions stored before states existed are all still open
        batch.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(
            sa.Column("reason", sa.String(16), nullable=False, server_default="abstained")
        )
        batch.add_column(sa.Column("entry_id", sa.String(80), nullable=True))
        batch.add_column(sa.Column("bot_answer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(300), nullable=True))
        batch.add_column(sa.Column("claimed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("closed_by", sa.String(300), nullable=True))
        batch.add_column(sa.Column("closed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("staff_answer", sa.Text(), nullable=True))
        batch.add_column(sa.Column("taught_entry", sa.String(80), nullable=True))
        batch.create_index("ix_unanswered_questions_status", ["status"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.String(80), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("given_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answer_feedback"),
    )
    op.create_index("ix_answer_feedback_entry_id", "answer_feedback", ["entry_id"])


def downgrade() -> None:
    op.drop_index("ix_answer_feedback_entry_id", table_name="answer_feedback")
    op.drop_table("answer_feedback")
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.drop_index("ix_unanswered_questions_status")
        for column in (
            "taught_entry",
            "staff_answer",
            "closed_at",
            "closed_by",
            "claimed_at",
            "claimed_by",
            "comment",
            "bot_answer",
            "entry_id",
            "reason",
            "status",
        ):
            batch.drop_column(column)
