"""Signals: models, enums, the status machine, intake, board queries, permissions, SLA, references,
postcodes, figures, export, retention and the digest."""
