"""Ticket actions, defined once and placed in every menu, tool bar and shortcut.

- :mod:`.spec` — what an action is (text, icon, shortcut, enabled rule, handler) and the pure
  function that says which actions a selection offers and why some are disabled.
- :mod:`.registry` — one QAction per definition, created once; menus are filled from it.
- :mod:`.ticket_actions` and :mod:`.dialog_actions` — the definitions themselves.
"""
