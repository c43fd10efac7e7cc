"""When someone who reports about themselves would rather be called.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy: on SQLite copying the table would drop the search triggers (0011).
def upgrade() -> None:
    op.add_column("signals", sa.Column("call_time", sa.String(length=32), nullable=True))


def downgrade() -> None:
    op.drop_column("signals", "call_time")
