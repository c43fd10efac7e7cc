"""What the scanners may change: their own reports and logins, with what those write. Every other table (and every
other column of ``users`` and ``api_keys``) is fingerprinted before the public scans and the access sweep and
compared after; a difference means a payload changed data it had no business touching."""

import hashlib

import sqlalchemy as sa

from bench import dataset

# A report writes these (with its search index and running totals), a login or a refusal these, the public forms
# these (a reset link asked for, a health check).
WRITTEN_BY_VISITORS = frozenset(
    {
        "signals",
        "signal_observations",
        "timeline_events",
        "outbox_messages",
        "signal_tallies",
        "signal_search",
        "signal_search_config",
        "signal_search_content",
        "signal_search_data",
        "signal_search_docsize",
        "signal_search_idx",
        "rate_limit_windows",
        "audit_events",
        "user_sessions",
        "pending_logins",
        "password_reset_requests",
        "health_checks",
    }
)
# Columns a login or an API call updates on rows that are otherwise not the visitor's.
BOOKKEEPING_COLUMNS = {"users": {"last_login_at"}, "api_keys": {"last_used_at"}}


def fingerprint(database_url: str, own_rows: dict[str, str]) -> dict[str, str]:
    """A digest of every table the visitors may not change, without the scanner's own rows (per table, an SQL
    condition that holds for them: ``links.Scanner.own_rows``)."""
    digests = {}
    with dataset.connected(database_url) as connection:
        inspector = sa.inspect(connection)
        for table in sorted(set(inspector.get_table_names()) - WRITTEN_BY_VISITORS):
            skipped = BOOKKEEPING_COLUMNS.get(table, set())
            columns = [sa.column(c["name"]) for c in inspector.get_columns(table) if c["name"] not in skipped]
            query = sa.select(*columns).select_from(sa.table(table)).order_by(*columns)
            if table in own_rows:
                query = query.where(sa.text(f"NOT ({own_rows[table]})"))
            rows = connection.execute(query)
            digests[table] = hashlib.sha256(repr(rows.all()).encode()).hexdigest()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [f"{table} changed" for table in sorted(before) if before[table] != after.get(table)]
