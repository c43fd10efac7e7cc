"""The running totals of referrals and calls for good neighbours (signals.tallies counts them with their signals from
now on), recounted for those already stored: every team's weeks, then the region's days and weeks.

Revision ID: 0021
Revises: 0020
"""

from alembic import op

from signaalpunt.signals import tallies

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The same code the app counts with, on the migration's own connection (one week of one team at a time).
    tallies.rebuild_all(op.get_bind())


def downgrade() -> None:
    measures = ", ".join(f"'{measure}'" for measure in (*tallies.REFERRAL_MEASURES, *tallies.CALL_MEASURES))
    op.execute(f"DELETE FROM signal_tallies WHERE measure IN ({measures})")  # noqa: S608 - the app's own constants
