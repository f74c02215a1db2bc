"""The dialogs behind the ticket actions: split, merge, move, spam, delete, the property
chooser (status, owner, category), and preferences.

Each dialog takes the :class:`~helpdesk_desktop.ui.bridge.DeskBridge`, runs its write through the
facade on a worker thread, shows a refusal as one sentence inside the dialog, and offers
``ask(parent, bridge, ...) -> Result | None`` for simple callers. Action handlers open them
non-blocking (``open()``) and listen to ``succeeded``.
The property chooser is the exception: it only collects the value, and its action writes
it to every selected ticket in the background, with progress and Undo in the status bar.
"""
