"""The application facade: what the Qt UI and the CLI call. No Qt here either."""
