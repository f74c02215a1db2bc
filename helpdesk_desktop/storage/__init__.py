"""Where the data lives: engines, schema migrations and full-text search set-up."""
