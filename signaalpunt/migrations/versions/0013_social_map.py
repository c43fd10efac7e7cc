"""The social map: each team's initiatives and the PC4s they serve.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("offer", sa.String(length=500), nullable=False),
        sa.Column("whole_municipality", sa.Boolean(), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("target_groups", sa.String(length=100), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("warm_handover", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_initiatives_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
        sa.UniqueConstraint("organisation_id", "name", name="uq_initiatives_organisation_name"),
    )
    op.create_index(op.f("ix_initiatives_organisation_id"), "initiatives", ["organisation_id"])
    op.create_table(
        "initiative_postcodes",
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("pc4", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_initiative_postcodes_initiative_id_initiatives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("initiative_id", "pc4", name=op.f("pk_initiative_postcodes")),
    )
    op.create_index(op.f("ix_initiative_postcodes_pc4"), "initiative_postcodes", ["pc4"])


def downgrade() -> None:
    op.drop_index(op.f("ix_initiative_postcodes_pc4"), table_name="initiative_postcodes")
    op.drop_table("initiative_postcodes")
    op.drop_index(op.f("ix_initiatives_organisation_id"), table_name="initiatives")
    op.drop_table("initiatives")
