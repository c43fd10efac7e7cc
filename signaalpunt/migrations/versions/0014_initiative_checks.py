"""Links that ask an initiative twice a year to confirm or correct its details.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "initiative_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_checks_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_checks")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_initiative_checks_token_hash")),
    )
    op.create_index(op.f("ix_initiative_checks_initiative_id"), "initiative_checks", ["initiative_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_initiative_checks_initiative_id"), table_name="initiative_checks")
    op.drop_table("initiative_checks")
