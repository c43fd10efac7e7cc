"""Staff accounts: users and roles, passwords, sessions, the second factor, the audit trail."""
