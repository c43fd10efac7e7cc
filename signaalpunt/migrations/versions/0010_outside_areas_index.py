"""A small index of the signals outside every area, which the coordinator's board checks on every load.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OUTSIDE_AREAS = sa.text("area_id IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_signals_outside_areas",
        "signals",
        ["organisation_id", "status"],
        sqlite_where=OUTSIDE_AREAS,
        postgresql_where=OUTSIDE_AREAS,
    )


def downgrade() -> None:
    op.drop_index("ix_signals_outside_areas", table_name="signals")
