"""Faults a test can put into the real database: it refuses a write, as a full disk or a broken constraint would."""

import sqlalchemy as sa

from signaalpunt.extensions import db


def refuse_writes(table: str, event: str = "INSERT", when: str | None = None) -> None:
    """From now on the database refuses ``event`` on ``table`` (only rows matching the SQL ``when`` on ``NEW``)."""
    if db.engine.dialect.name == "postgresql":
        condition = f"IF {when} THEN RAISE EXCEPTION 'refused'; END IF;" if when else "RAISE EXCEPTION 'refused';"
        db.session.execute(
            sa.text(
                f"CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN {condition} RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        db.session.execute(
            sa.text(f"CREATE TRIGGER refuse BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()")
        )
    else:
        guard = f"WHEN {when} " if when else ""
        db.session.execute(
            sa.text(f"CREATE TRIGGER refuse BEFORE {event} ON {table} {guard}BEGIN SELECT RAISE(ABORT, 'refused'); END")
        )
    db.session.commit()


def allow_writes(table: str) -> None:
    """The fault of ``refuse_writes`` on ``table`` is over."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text(f"DROP TRIGGER refuse ON {table}"))
        db.session.execute(sa.text("DROP FUNCTION refuse()"))
    else:
        db.session.execute(sa.text("DROP TRIGGER refuse"))
    db.session.commit()
