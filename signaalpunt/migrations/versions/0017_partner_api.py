"""API keys for partner apps (Open311), and on a signal the key it came with.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_api_keys_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_api_keys_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_api_keys_partner_id_partners")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["users.id"], name=op.f("fk_api_keys_revoked_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_api_keys_organisation_id"), "api_keys", ["organisation_id"])
    op.create_index(op.f("ix_api_keys_partner_id"), "api_keys", ["partner_id"])
    # Plain ALTER TABLE with the reference inline: a batch copy of signals would drop its search triggers (0011),
    # and Alembic adds a constraint to an SQLite table only by such a copy.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE signals ADD COLUMN api_key_id INTEGER REFERENCES api_keys (id)")
    else:
        column = sa.Column(
            "api_key_id", sa.Integer(), sa.ForeignKey("api_keys.id", name=op.f("fk_signals_api_key_id_api_keys"))
        )
        op.add_column("signals", column)
    op.create_index(op.f("ix_signals_api_key_id"), "signals", ["api_key_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_signals_api_key_id"), table_name="signals")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_column("signals", "api_key_id")
    else:
        # SQLite drops a referencing column only by copying the table, which its search triggers (0011) would not
        # survive: they are set aside and made again afterwards, as they were.
        triggers = op.get_bind().execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for name, _sql in triggers:
            op.execute(f'DROP TRIGGER "{name}"')
        with op.batch_alter_table("signals") as batch_op:
            batch_op.drop_column("api_key_id")
        for _name, sql in triggers:
            op.execute(sql)
    op.drop_table("api_keys")
