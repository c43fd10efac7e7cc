"""Full-text search over what was written about a signal, kept up to date by triggers.

SQLite: an FTS5 table (rowid = signal id). PostgreSQL: a tsvector in the Dutch configuration, GIN-indexed.
The text: description, place description, street, the person's name and every timeline note.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


# The searchable text of the signal ``s``.
SQLITE_TEXT = (
    "coalesce(s.description, '') || ' ' || coalesce(s.place_description, '') || ' ' || coalesce(s.street, '') "
    "|| ' ' || coalesce(s.person_name, '') || ' ' || coalesce("
    "(SELECT group_concat(e.note, ' ') FROM timeline_events e WHERE e.signal_id = s.id), '')"
)


def _sqlite_document(signal_id: str) -> str:
    return f"(SELECT {SQLITE_TEXT} FROM signals s WHERE s.id = {signal_id})"  # noqa: S608 - fixed SQL, no input


def _sqlite_refresh(signal_id: str) -> str:
    return (
        f"DELETE FROM signal_search WHERE rowid = {signal_id}; "  # noqa: S608 - fixed SQL of a trigger, no input
        f"INSERT INTO signal_search (rowid, body) SELECT {signal_id}, {_sqlite_document(signal_id)} "
        f"WHERE EXISTS (SELECT 1 FROM signals WHERE id = {signal_id});"
    )


SQLITE_TRIGGERS = {
    "signal_search_signal_insert": f"AFTER INSERT ON signals BEGIN {_sqlite_refresh('new.id')} END",
    "signal_search_signal_update": (
        "AFTER UPDATE OF description, place_description, street, person_name ON signals "
        f"BEGIN {_sqlite_refresh('new.id')} END"
    ),
    "signal_search_signal_delete": "AFTER DELETE ON signals BEGIN DELETE FROM signal_search WHERE rowid = old.id; END",
    "signal_search_event_insert": (
        f"AFTER INSERT ON timeline_events WHEN new.note IS NOT NULL BEGIN {_sqlite_refresh('new.signal_id')} END"
    ),
    "signal_search_event_update": f"AFTER UPDATE OF note ON timeline_events BEGIN {_sqlite_refresh('new.signal_id')} END",
    "signal_search_event_delete": (
        f"AFTER DELETE ON timeline_events WHEN old.note IS NOT NULL BEGIN {_sqlite_refresh('old.signal_id')} END"
    ),
}

POSTGRES_UPGRADE = [
    "CREATE TABLE signal_search (signal_id integer PRIMARY KEY REFERENCES signals (id) ON DELETE CASCADE, "
    "document tsvector NOT NULL)",
    "CREATE INDEX ix_signal_search_document ON signal_search USING gin (document)",
    "CREATE FUNCTION signal_search_refresh(target integer) RETURNS void LANGUAGE sql AS $$ "
    "INSERT INTO signal_search (signal_id, document) "
    "SELECT s.id, to_tsvector('dutch', concat_ws(' ', s.description, s.place_description, s.street, "
    "s.person_name, (SELECT string_agg(e.note, ' ') FROM timeline_events e WHERE e.signal_id = s.id))) "
    "FROM signals s WHERE s.id = target "
    "ON CONFLICT (signal_id) DO UPDATE SET document = excluded.document $$",
    "CREATE FUNCTION signal_search_on_signal() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN PERFORM signal_search_refresh(NEW.id); RETURN NULL; END $$",
    "CREATE TRIGGER signal_search_signal AFTER INSERT OR UPDATE OF description, place_description, street, "
    "person_name ON signals FOR EACH ROW EXECUTE FUNCTION signal_search_on_signal()",
    "CREATE FUNCTION signal_search_on_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN PERFORM signal_search_refresh(OLD.signal_id); "
    "ELSE PERFORM signal_search_refresh(NEW.signal_id); END IF; RETURN NULL; END $$",
    "CREATE TRIGGER signal_search_event AFTER INSERT OR UPDATE OF note OR DELETE ON timeline_events "
    "FOR EACH ROW EXECUTE FUNCTION signal_search_on_event()",
    "SELECT signal_search_refresh(id) FROM signals",
]

POSTGRES_DOWNGRADE = [
    "DROP TRIGGER signal_search_event ON timeline_events",
    "DROP TRIGGER signal_search_signal ON signals",
    "DROP FUNCTION signal_search_on_event()",
    "DROP FUNCTION signal_search_on_signal()",
    "DROP FUNCTION signal_search_refresh(integer)",
    "DROP TABLE signal_search",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_UPGRADE:
            op.execute(statement)
        return
    op.execute("CREATE VIRTUAL TABLE signal_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"INSERT INTO signal_search (rowid, body) SELECT s.id, {SQLITE_TEXT} FROM signals s")  # noqa: S608


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_DOWNGRADE:
            op.execute(statement)
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE signal_search")
