"""Kudos, kudos recipients and thank-you notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("channel_id", sa.String(64), nullable=True),
        sa.Column("delivery_id", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("posted_channel_id", sa.String(64), nullable=True),
        sa.Column("posted_message_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kudos"),
        sa.ForeignKeyConstraint(
            ["giver_id"], ["members.id"], name="fk_kudos_giver_id_members", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_kudos_giver_created", "kudos", ["giver_id", "created_at"])
    op.create_index(
        "ix_kudos_workspace_created", "kudos", ["platform", "workspace_id", "created_at"]
    )
    op.create_table(
        "kudos_recipients",
        sa.Column("kudos_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kudos_id", "recipient_id", name="pk_kudos_recipients"),
        sa.ForeignKeyConstraint(
            ["kudos_id"],
            ["kudos.id"],
            name="fk_kudos_recipients_kudos_id_kudos",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["members.id"],
            name="fk_kudos_recipients_recipient_id_members",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_kudos_recipients_board",
        "kudos_recipients",
        ["platform", "workspace_id", "created_at", "recipient_id"],
    )
    op.create_index(
        "ix_kudos_recipients_board_by_member",
        "kudos_recipients",
        ["platform", "workspace_id", "recipient_id", "created_at"],
    )
    op.create_index(
        "ix_kudos_recipients_recipient", "kudos_recipients", ["recipient_id", "created_at"]
    )
    op.create_table(
        "thank_you_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(64), nullable=False),
        sa.Column("giver_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("delivery_id", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("failure_reason", sa.String(200), nullable=True),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_thank_you_notes"),
        sa.ForeignKeyConstraint(
            ["giver_id"],
            ["members.id"],
            name="fk_thank_you_notes_giver_id_members",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["members.id"],
            name="fk_thank_you_notes_recipient_id_members",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_thank_you_notes_giver_created", "thank_you_notes", ["giver_id", "created_at"]
    )
    op.create_index(
        "ix_thank_you_notes_recipient_created", "thank_you_notes", ["recipient_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("thank_you_notes")
    op.drop_table("kudos_recipients")
    op.drop_table("kudos")
