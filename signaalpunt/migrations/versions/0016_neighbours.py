"""The good-neighbour network: postcode centroids, calls, the partners they went to and the volunteers who
signed up; an initiative as network partner with the address that receives calls.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "postcode_centroids",
        sa.Column("postcode", sa.String(length=6), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("postcode", name=op.f("pk_postcode_centroids")),
    )
    op.create_table(
        "neighbour_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("pc4", sa.String(length=4), nullable=False),
        sa.Column("kinds", sa.String(length=100), nullable=False),
        sa.Column("wanted", sa.Integer(), nullable=False),
        sa.Column("radius", sa.Integer(), nullable=False),
        sa.Column("signups_received", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("filled_at", sa.DateTime(), nullable=True),
        sa.Column("follow_up", sa.String(length=32), nullable=True),
        sa.Column("follow_up_reason", sa.Text(), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_neighbour_calls_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_neighbour_calls_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_neighbour_calls_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_neighbour_calls")),
    )
    op.create_index(op.f("ix_neighbour_calls_organisation_id"), "neighbour_calls", ["organisation_id"])
    op.create_index(op.f("ix_neighbour_calls_signal_id"), "neighbour_calls", ["signal_id"])

    op.create_table(
        "call_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["neighbour_calls.id"],
            name=op.f("fk_call_invites_call_id_neighbour_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiatives.id"],
            name=op.f("fk_call_invites_initiative_id_initiatives"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_invites")),
        sa.UniqueConstraint("token", name=op.f("uq_call_invites_token")),
    )
    op.create_index(op.f("ix_call_invites_call_id"), "call_invites", ["call_id"])

    op.create_table(
        "volunteer_signups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("postcode", sa.String(length=7), nullable=True),
        sa.Column("house_number", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("availability", sa.String(length=100), nullable=False),
        sa.Column("languages", sa.String(length=100), nullable=False),
        sa.Column("motivation", sa.String(length=500), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdraw_token_hash", sa.String(length=64), nullable=False),
        sa.Column("picked_at", sa.DateTime(), nullable=True),
        sa.Column("address_token_hash", sa.String(length=64), nullable=True),
        sa.Column("address_link_expires_at", sa.DateTime(), nullable=True),
        sa.Column("address_seen_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["neighbour_calls.id"],
            name=op.f("fk_volunteer_signups_call_id_neighbour_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invite_id"],
            ["call_invites.id"],
            name=op.f("fk_volunteer_signups_invite_id_call_invites"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_signups")),
        sa.UniqueConstraint("address_token_hash", name=op.f("uq_volunteer_signups_address_token_hash")),
        sa.UniqueConstraint("withdraw_token_hash", name=op.f("uq_volunteer_signups_withdraw_token_hash")),
    )
    op.create_index(op.f("ix_volunteer_signups_call_id"), "volunteer_signups", ["call_id"])

    op.add_column("initiatives", sa.Column("network_partner", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("initiatives", sa.Column("call_email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    op.drop_column("initiatives", "call_email")
    op.drop_column("initiatives", "network_partner")
    op.drop_table("volunteer_signups")
    op.drop_table("call_invites")
    op.drop_table("neighbour_calls")
    op.drop_table("postcode_centroids")
