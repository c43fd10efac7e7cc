"""The platform under every domain: database and transactions, clock, mail outbox, logs, headers,
languages, links, request checks, the rate-limit store, access checks, health."""
