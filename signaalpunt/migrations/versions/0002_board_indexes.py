"""Board indexes that cover text search and tab counts, for open and for recently finished signals.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index(
        "ix_signals_board", "signals", ["organisation_id", "status", "urgent", "due_at", "postcode", "street"]
    )
    op.create_index(
        "ix_signals_recently_finished",
        "signals",
        ["organisation_id", "status", "updated_at", "urgent", "postcode", "street"],
    )


def downgrade() -> None:
    op.drop_index("ix_signals_recently_finished", table_name="signals")
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index("ix_signals_board", "signals", ["organisation_id", "status", "urgent", "due_at"])
