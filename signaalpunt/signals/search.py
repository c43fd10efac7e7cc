"""Finding signals by what was written about them, with each database's own full-text search.

The searchable text of a signal (description, place description, street, the person's name and every
timeline note) lives in ``signal_search`` with the signal's team, kept up to date by triggers (migrations 0011 and
0024): on SQLite an FTS5 table whose rowid is the signal's id, on PostgreSQL a ``tsvector`` in the Dutch
configuration with a GIN index. Anonymising a signal clears those fields and notes, so the triggers drop its words
too.

A later migration that changes ``signals`` or ``timeline_events`` on SQLite must not copy the table (Alembic's
batch mode): dropping the old table drops these triggers with it.
"""

import re

import sqlalchemy as sa

from signaalpunt.extensions import db

SEARCH_TABLE = "signal_search"
# Words only: whatever else was typed (quotes, operators, wildcards) never reaches the search syntax.
_WORD = re.compile(r"\w+")


def words_in(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def matching_signal_ids(text: str, organisation_id: int) -> sa.TextualSelect | None:
    """The ids of the team's signals whose text holds every typed word (each also as the start of a longer word).
    The team is asked of the index itself (migration 0024): in an installation of many teams a word matches every
    team's signals, and reading them all to keep one team's grows with the installation."""
    words = words_in(text)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        found = sa.text(
            "SELECT signal_id AS id FROM signal_search "
            "WHERE organisation_id = :team AND document @@ to_tsquery('dutch', :query)"
        )
        return found.bindparams(query=query, team=organisation_id).columns(sa.column("id", sa.Integer))
    # The typed words only in the text (``body``): a word such as "t7" must not match the team column.
    query = f"team : t{int(organisation_id)} AND body : (" + " ".join(f'"{word}"*' for word in words) + ")"
    found = sa.text("SELECT rowid AS id FROM signal_search WHERE signal_search MATCH :query")
    return found.bindparams(query=query).columns(sa.column("id", sa.Integer))


# Pages of the index merged per step: a step holds SQLite's write lock for a few tens of milliseconds.
MERGE_PAGES = 200


def forget_removed_words_step() -> bool:
    """One bounded step of ``forget_removed_words``, for a job that must not hold the write lock long; True once
    nothing was left to merge. FTS5's 'merge' with a negative count merges every segment, as 'optimize' does,
    a little at a time; it did no work when the database's change count moved by less than two."""
    if db.session.get_bind().dialect.name != "sqlite":
        return True
    before = db.session.scalar(sa.text("SELECT total_changes()"))
    db.session.execute(
        sa.text("INSERT INTO signal_search (signal_search, rank) VALUES ('merge', :pages)"), {"pages": -MERGE_PAGES}
    )
    return db.session.scalar(sa.text("SELECT total_changes()")) - before < 2


def forget_removed_words() -> None:
    """Make the search index let go of text the triggers took out of it. SQLite's FTS5 only marks a removed row
    as deleted, and its words stay in the index's blocks until they are merged; PostgreSQL replaces the row."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("INSERT INTO signal_search (signal_search) VALUES ('optimize')"))


def managed_by_models(thing: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For Alembic's comparison of models and database: everything but the search table (and on SQLite its
    shadow tables), which migration 0011 makes by hand and triggers keep."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))
