"""Index for the board's counts of recently finished signals.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_signals_recently_finished", "signals", ["organisation_id", "status", "updated_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_signals_recently_finished", table_name="signals")
