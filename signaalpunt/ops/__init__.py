"""Operations: the `flask signaalpunt` commands, scheduled jobs, backup, demo and generated data."""
