"""Settings, read from environment variables with documented defaults (see docs/configuration.md)."""
