"""The running totals gain a month beside the day and the week: a figures page over half a year sums half as many
rows (five months, a few weeks and days instead of 26 weeks and days). Filled from the day rows.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

from signaalpunt.signals import tallies

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tallies.rebuild_months(op.get_bind())


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM signal_tallies WHERE span = :month"), {"month": tallies.MONTH})
