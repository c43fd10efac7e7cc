"""The open board's index also holds the assignee, so the open caseload per worker is counted from the index.

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BEFORE = ["organisation_id", "status", "urgent", "due_at", "first_contact_at", "postcode", "street"]
AFTER = [*BEFORE, "assignee_id"]


def upgrade() -> None:
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index("ix_signals_board", "signals", AFTER)


def downgrade() -> None:
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index("ix_signals_board", "signals", BEFORE)
