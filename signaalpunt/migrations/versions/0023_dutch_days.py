"""The running totals count a signal on the Dutch day it was reported, not its UTC day: a report at 00:30 on a
Monday in Amsterdam (22:30 or 23:30 UTC on Sunday) counted on Sunday, in the week before, and outside a period the
user chose from that Monday. Recounted from the signals with the same code the app counts with.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

from signaalpunt.signals import tallies

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tallies.rebuild_all(op.get_bind())


def downgrade() -> None:
    # The UTC days are not worth going back to; the totals stay on Dutch days (a rebuild by older code recounts).
    pass
