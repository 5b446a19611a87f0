"""Mentoring program: cohorts, applications, private answers, pair rules, past pairs, matches.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.models.base import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _fk(
    table: str, column: str, target: str, ondelete: str, name: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=name or f"fk_{table}_{column}_{target}",
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "mentoring_cohorts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("allow_repeat_pairs", sa.Boolean(), nullable=False),
        sa.Column("proposal_fingerprint", sa.String(64), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_cohorts"),
        sa.UniqueConstraint("name", name="uq_mentoring_cohorts_name"),
    )
    op.create_table(
        "mentoring_applications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("adult", sa.String(8), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_applications"),
        _fk("mentoring_applications", "cohort_id", "mentoring_cohorts", "CASCADE"),
        _fk("mentoring_applications", "member_id", "members", "SET NULL"),
        sa.UniqueConstraint("cohort_id", "email", name="uq_mentoring_applications_cohort_id"),
    )
    op.create_index("ix_mentoring_applications_member_id", "mentoring_applications", ["member_id"])
    op.create_table(
        "mentoring_private_answers",
        sa.Column("application_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gender", sa.String(100), nullable=True),
        sa.Column("race_ethnicity", sa.String(200), nullable=True),
        sa.Column("prefer_same_region", sa.Boolean(), nullable=False),
        sa.Column("prefer_same_gender", sa.Boolean(), nullable=False),
        sa.Column("prefer_same_race_ethnicity", sa.Boolean(), nullable=False),
        sa.Column("bipoc_funding_interest", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name="pk_mentoring_private_answers"),
        _fk(
            "mentoring_private_answers",
            "application_id",
            "mentoring_applications",
            "CASCADE",
            name="fk_mentoring_private_answers_application",  # within PostgreSQL's 63
        ),
    )
    op.create_table(
        "mentoring_pair_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("mentor_email", sa.String(254), nullable=False),
        sa.Column("mentee_email", sa.String(254), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_pair_rules"),
        _fk("mentoring_pair_rules", "cohort_id", "mentoring_cohorts", "CASCADE"),
        sa.UniqueConstraint(
            "cohort_id",
            "kind",
            "mentor_email",
            "mentee_email",
            name="uq_mentoring_pair_rules_cohort_id",
        ),
    )
    op.create_table(
        "mentoring_past_pairs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mentor_email", sa.String(254), nullable=False),
        sa.Column("mentee_email", sa.String(254), nullable=False),
        sa.Column("cohort_name", sa.String(120), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_past_pairs"),
        sa.UniqueConstraint(
            "mentor_email",
            "mentee_email",
            "cohort_name",
            name="uq_mentoring_past_pairs_mentor_email",
        ),
    )
    op.create_table(
        "mentoring_matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_application_id", sa.Integer(), nullable=False),
        sa.Column("mentee_application_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("confirmed_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mentoring_matches"),
        _fk("mentoring_matches", "cohort_id", "mentoring_cohorts", "CASCADE"),
        _fk(
            "mentoring_matches",
            "mentor_application_id",
            "mentoring_applications",
            "CASCADE",
            name="fk_mentoring_matches_mentor",
        ),
        _fk(
            "mentoring_matches",
            "mentee_application_id",
            "mentoring_applications",
            "CASCADE",
            name="fk_mentoring_matches_mentee",
        ),
        sa.UniqueConstraint(
            "cohort_id",
            "status",
            "mentee_application_id",
            name="uq_mentoring_matches_cohort_id",
        ),
    )
    op.create_index("ix_mentoring_matches_mentor", "mentoring_matches", ["mentor_application_id"])


def downgrade() -> None:
    op.drop_index("ix_mentoring_matches_mentor", table_name="mentoring_matches")
    op.drop_table("mentoring_matches")
    op.drop_table("mentoring_past_pairs")
    op.drop_table("mentoring_pair_rules")
    op.drop_table("mentoring_private_answers")
    op.drop_index("ix_mentoring_applications_member_id", table_name="mentoring_applications")
    op.drop_table("mentoring_applications")
    op.drop_table("mentoring_cohorts")
