"""Item models of the main window: the lazily paged ticket list and the views list."""
