"""The open board's index also holds the first contact, so a page is chosen from the index alone.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BEFORE = ["organisation_id", "status", "urgent", "due_at", "postcode", "street"]
AFTER = ["organisation_id", "status", "urgent", "due_at", "first_contact_at", "postcode", "street"]


def upgrade() -> None:
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index("ix_signals_board", "signals", AFTER)


def downgrade() -> None:
    op.drop_index("ix_signals_board", table_name="signals")
    op.create_index("ix_signals_board", "signals", BEFORE)
