"""Core: organisations, people, roles and permissions, the audit trail of changes, layout."""
