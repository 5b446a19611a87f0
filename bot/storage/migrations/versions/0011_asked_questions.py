"""Questions asked in chat with what the bot said and who asked (ratings, staff answers).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asked_questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=True),
        sa.Column("is_direct", sa.Boolean(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.String(80), nullable=True),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        sa.Column("review_question_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.String(8), nullable=True),
        sa.Column("rated_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_asked_questions"),
        sa.ForeignKeyConstraint(
            ["review_question_id"],
            ["unanswered_questions.id"],
            name="fk_asked_questions_review_question_id_unanswered_questions",
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        "ix_asked_questions_review_question_id", "asked_questions", ["review_question_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_asked_questions_review_question_id", table_name="asked_questions")
    op.drop_table("asked_questions")
