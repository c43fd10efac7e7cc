"""A regional Signaalpunt: team settings, a fallback team, regional partners with a contact per team, region roles.

An installation with one team keeps it as its fallback team, with the SLA and retention settings it was
configured with; its partners become the region's.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The installation-wide settings these columns replace, with the defaults they had.
FORMER_SETTINGS = {"sla_working_days": 3, "sla_urgent_working_days": 1, "retention_months": 12}
FORMER_SETTING_NAMES = {
    "sla_working_days": "SLA_WORKING_DAYS",
    "sla_urgent_working_days": "SLA_URGENT_WORKING_DAYS",
    "retention_months": "RETENTION_MONTHS",
}


def _configured() -> dict[str, int]:
    """What this installation had set (``flask db upgrade`` runs inside the app), else the former defaults."""
    if not has_app_context():
        return dict(FORMER_SETTINGS)
    return {
        column: int(current_app.config.get(FORMER_SETTING_NAMES[column], default))
        for column, default in FORMER_SETTINGS.items()
    }


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("sla_working_days", sa.Integer(), server_default="3", nullable=False))
        batch_op.add_column(sa.Column("sla_urgent_working_days", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("retention_months", sa.Integer(), server_default="12", nullable=False))
        batch_op.add_column(sa.Column("is_fallback", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(
            "uq_organisations_fallback",
            ["is_fallback"],
            unique=True,
            sqlite_where=sa.text("is_fallback"),
            postgresql_where=sa.text("is_fallback"),
        )
    organisations = sa.table(
        "organisations",
        sa.column("id", sa.Integer),
        sa.column("is_fallback", sa.Boolean),
        *(sa.column(name, sa.Integer) for name in FORMER_SETTINGS),
    )
    op.execute(organisations.update().values(**_configured()))
    first = sa.select(sa.func.min(organisations.c.id)).scalar_subquery()
    op.execute(organisations.update().where(organisations.c.id == first).values(is_fallback=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)

    op.create_table(
        "partner_contacts",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_partner_contacts_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_contacts_partner_id_partners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("partner_id", "organisation_id", name=op.f("pk_partner_contacts")),
    )
    with op.batch_alter_table("partner_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partner_contacts_organisation_id"), ["organisation_id"], unique=False)

    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_constraint("fk_partners_organisation_id_organisations", type_="foreignkey")
        batch_op.drop_column("organisation_id")

    _ranges_to_postcodes()


def _ranges_to_postcodes() -> None:
    """One row per PC4 instead of ranges, so the database holds each PC4 in one area only. Where two areas of
    a team overlapped, the PC4 stays with the first area, the one that got its signals until now."""
    area_postcodes = op.create_table(
        "area_postcodes",
        sa.Column("pc4", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_area_postcodes_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pc4", name=op.f("pk_area_postcodes")),
    )
    with op.batch_alter_table("area_postcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_postcodes_area_id"), ["area_id"], unique=False)
    ranges = op.get_bind().execute(sa.text("SELECT area_id, first_pc4, last_pc4 FROM area_ranges ORDER BY area_id, id"))
    owner: dict[int, int] = {}
    for area_id, first, last in ranges:
        for number in range(first, last + 1):
            owner.setdefault(number, area_id)
    if owner:
        op.bulk_insert(area_postcodes, [{"pc4": number, "area_id": area} for number, area in sorted(owner.items())])
    with op.batch_alter_table("area_ranges", schema=None) as batch_op:
        batch_op.drop_index("ix_area_ranges_bounds")
        batch_op.drop_index(batch_op.f("ix_area_ranges_area_id"))
    op.drop_table("area_ranges")


def _postcodes_to_ranges() -> None:
    area_ranges = op.create_table(
        "area_ranges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("first_pc4", sa.Integer(), nullable=False),
        sa.Column("last_pc4", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name=op.f("fk_area_ranges_area_id_areas"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_ranges")),
    )
    with op.batch_alter_table("area_ranges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_ranges_area_id"), ["area_id"], unique=False)
        batch_op.create_index("ix_area_ranges_bounds", ["first_pc4", "last_pc4"], unique=False)
    rows: list[dict[str, int]] = []
    for area_id, number in op.get_bind().execute(
        sa.text("SELECT area_id, pc4 FROM area_postcodes ORDER BY area_id, pc4")
    ):
        if rows and rows[-1]["area_id"] == area_id and rows[-1]["last_pc4"] == number - 1:
            rows[-1]["last_pc4"] = number
        else:
            rows.append({"area_id": area_id, "first_pc4": number, "last_pc4": number})
    if rows:
        op.bulk_insert(area_ranges, rows)
    with op.batch_alter_table("area_postcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_postcodes_area_id"))
    op.drop_table("area_postcodes")


def downgrade() -> None:
    _postcodes_to_ranges()
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    fallback = sa.select(sa.func.min(sa.column("id"))).select_from(sa.table("organisations")).scalar_subquery()
    op.execute(sa.table("partners", sa.column("organisation_id")).update().values(organisation_id=fallback))
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            "fk_partners_organisation_id_organisations", "organisations", ["organisation_id"], ["id"]
        )
    with op.batch_alter_table("partner_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_contacts_organisation_id"))
    op.drop_table("partner_contacts")
    # Region roles belong to no team and cannot exist below this revision.
    op.execute("DELETE FROM users WHERE organisation_id IS NULL")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("uq_organisations_fallback")
        for column in ("is_fallback", *FORMER_SETTINGS, "email", "phone"):
            batch_op.drop_column(column)
