"""The whole region's own running totals (organisation 0), summed from the teams' rows already kept.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

FOREIGN_KEY = "fk_signal_tallies_organisation_id_organisations"
WHOLE_REGION = 0
KEYS = ("measure", "span", "starts_on", "key")


def upgrade() -> None:
    # Organisation 0 is no team: the foreign key goes.
    with op.batch_alter_table("signal_tallies", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.drop_constraint(FOREIGN_KEY, type_="foreignkey")
    tallies = sa.table("signal_tallies", *(sa.column(name) for name in ("organisation_id", "area_id", *KEYS, "count")))
    keys = [tallies.c[name] for name in KEYS]
    summed = (
        sa.select(sa.literal(WHOLE_REGION), sa.literal(0), *keys, sa.func.sum(tallies.c["count"]))
        .where(tallies.c.area_id == 0, tallies.c.organisation_id != WHOLE_REGION)
        .group_by(*keys)
    )
    op.execute(sa.insert(tallies).from_select(["organisation_id", "area_id", *KEYS, "count"], summed))


def downgrade() -> None:
    op.execute("DELETE FROM signal_tallies WHERE organisation_id = 0")
    with op.batch_alter_table("signal_tallies", table_kwargs={"sqlite_with_rowid": False}) as batch:
        batch.create_foreign_key(FOREIGN_KEY, "organisations", ["organisation_id"], ["id"])
