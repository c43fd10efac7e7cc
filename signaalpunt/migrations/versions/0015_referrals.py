"""The person's consent, referrals to initiatives with their handover and follow-up, an initiative's address,
and the team's weeks until the follow-up call.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_consents_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"], name=op.f("fk_consents_recorded_by_id_users")),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_consents_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["withdrawn_by_id"], ["users.id"], name=op.f("fk_consents_withdrawn_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_signal_id"), "consents", ["signal_id"])

    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("handover", sa.Boolean(), nullable=False),
        sa.Column("shared", sa.String(length=40), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("link_expires_at", sa.DateTime(), nullable=True),
        sa.Column("answer", sa.String(length=32), nullable=True),
        sa.Column("answer_reason", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("landed", sa.String(length=32), nullable=True),
        sa.Column("landed_reason", sa.Text(), nullable=True),
        sa.Column("landed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_referrals_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_referrals_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_referrals_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_referrals_token_hash")),
    )
    op.create_index("ix_referrals_follow_up", "referrals", ["organisation_id", "landed", "created_at"])
    op.create_index(op.f("ix_referrals_initiative_id"), "referrals", ["initiative_id"])
    op.create_index(op.f("ix_referrals_signal_id"), "referrals", ["signal_id"])

    op.add_column("initiatives", sa.Column("address", sa.String(length=200), nullable=True))

    op.add_column("organisations", sa.Column("follow_up_weeks", sa.Integer(), server_default="6", nullable=False))


def downgrade() -> None:
    op.drop_column("organisations", "follow_up_weeks")
    op.drop_column("initiatives", "address")
    op.drop_table("referrals")
    op.drop_table("consents")
