"""Running totals behind the figures (signals.tallies), filled from the signals already stored.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

from signaalpunt.signals import tallies

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_tallies",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("span", sa.String(length=1), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_signal_tallies_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "area_id", "measure", "span", "starts_on", "key", name=op.f("pk_signal_tallies")
        ),
        sqlite_with_rowid=False,
    )
    # The same code the app counts with, on the migration's own connection (one week of one team at a time).
    connection = op.get_bind()
    for organisation_id, monday in tallies.weeks_to_rebuild(connection):
        tallies.rebuild_week(connection, organisation_id, monday)


def downgrade() -> None:
    op.drop_table("signal_tallies")
