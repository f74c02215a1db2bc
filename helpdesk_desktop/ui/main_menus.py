"""The main window's menu bar and tool bar (built from its actions; no logic of their own)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QLineEdit, QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from helpdesk_desktop.ui.actions.registry import icon

if TYPE_CHECKING:
    from helpdesk_desktop.ui.main_window import MainWindow

# The texts belong to the main window (lupdate reads translate("Context", "text")).
translate = QCoreApplication.translate

# name, text, shortcut, icon, status tip
LAYOUT_ACTIONS = (
    ("table", QT_TRANSLATE_NOOP("MainWindow", "&Table"), "Ctrl+1", "layout_table",
     QT_TRANSLATE_NOOP("MainWindow", "Show the tickets as a table")),
    ("split", QT_TRANSLATE_NOOP("MainWindow", "&Split"), "Ctrl+2", "layout_split",
     QT_TRANSLATE_NOOP("MainWindow", "Show the tickets as a list beside the open ticket")),
    ("board", QT_TRANSLATE_NOOP("MainWindow", "&Board"), "Ctrl+3", "layout_board",
     QT_TRANSLATE_NOOP("MainWindow", "Show the tickets as a board")),
)


Standard = QKeySequence.StandardKey


def _backup_actions() -> ModuleType:
    """The backup commands' module, imported when one is chosen (not for the first frame)."""
    from helpdesk_desktop.ui import backup_actions

    return backup_actions


def _action(window: MainWindow, name: str, text: str, shortcut: str | None = None,
            icon_name: str | None = None, standard: QKeySequence.StandardKey | None = None
            ) -> QAction:
    """A window action; ``standard`` gives the platform's own keys where it has some (e.g.
    Refresh is F5 and Ctrl+R on Linux), ``shortcut`` is the key elsewhere."""
    action = QAction(icon(icon_name), text, window)
    action.setObjectName(f"action.{name}")
    if standard is not None and QKeySequence.keyBindings(standard):
        action.setShortcuts(standard)
    elif shortcut:
        action.setShortcut(QKeySequence(shortcut))
    return action


def build_layout_actions(window: MainWindow) -> dict[str, QAction]:
    group = QActionGroup(window)
    group.setExclusive(True)
    actions = {}
    for name, text, shortcut, icon_name, tip in LAYOUT_ACTIONS:
        action = _action(window, f"layout_{name}", translate("MainWindow", text), shortcut,
                         icon_name)
        action.setCheckable(True)
        action.setStatusTip(translate("MainWindow", tip))
        action.triggered.connect(lambda _c=False, n=name: window.set_layout(n))
        group.addAction(action)
        actions[name] = action
    return actions


def build_menus(window: MainWindow) -> None:
    """File, Edit, View, Actions and Help."""
    bar = window.menuBar()
    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    new_window = _action(window, "new_window", translate("MainWindow", "&New Window"), "Ctrl+N",
                         standard=Standard.New)
    new_window.triggered.connect(window.new_main_window)
    quit_action = _action(window, "quit", translate("MainWindow", "&Quit"), "Ctrl+Q",
                          standard=Standard.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.quit_application)
    import_mail = _action(window, "import_mail", translate("MainWindow", "&Import Mail…"))
    import_mail.setStatusTip(translate("MainWindow", "Import .eml files, mbox mailboxes and "
                                                     "Maildir folders (or drop them on the "
                                                     "window)"))
    import_mail.triggered.connect(lambda _checked=False: window.import_mail())
    back_up = _action(window, "back_up", translate("MainWindow", "&Back Up Now"))
    back_up.setStatusTip(translate("MainWindow", "Save a verified copy of the help desk in its "
                                                 "backups folder"))
    back_up.triggered.connect(lambda: _backup_actions().back_up_now(window))
    restore = _action(window, "restore_backup", translate("MainWindow", "&Restore…"))
    restore.setStatusTip(translate("MainWindow", "Replace the help desk with a backup (the "
                                                 "current content is backed up first)"))
    restore.triggered.connect(lambda: _backup_actions().restore(window))
    local = window.bridge.desk.backup_folder() is not None
    for action in (back_up, restore):
        action.setEnabled(local)
        if not local:
            action.setToolTip(translate("MainWindow", "On PostgreSQL, use pg_dump and "
                                                      "pg_restore (see docs/BACKUP.md)."))
    file_menu.addAction(new_window)
    file_menu.addAction(import_mail)
    file_menu.addSeparator()
    file_menu.addAction(back_up)
    file_menu.addAction(restore)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)

    edit_menu = bar.addMenu(translate("MainWindow", "&Edit"))
    # Undo / Redo walk the signed-in user's undo stack (ui.undo): text fields keep their own
    # Ctrl+Z while they have the focus.
    stack = window.bridge.undo_stack
    undo_action = stack.createUndoAction(window, translate("MainWindow", "&Undo"))
    undo_action.setObjectName("action.undo")
    undo_action.setIcon(icon("undo"))
    undo_action.setShortcuts(Standard.Undo)  # Ctrl+Z; the platform's own keys too
    redo_action = stack.createRedoAction(window, translate("MainWindow", "&Redo"))
    redo_action.setObjectName("action.redo")
    redo_action.setShortcuts(Standard.Redo)  # Ctrl+Y on Windows, Ctrl+Shift+Z elsewhere
    edit_menu.addAction(undo_action)
    edit_menu.addAction(redo_action)
    edit_menu.addSeparator()
    find = _action(window, "find", translate("MainWindow", "&Find Tickets"), "Ctrl+F", "search",
                   standard=Standard.Find)
    find.triggered.connect(window.focus_search)
    save_view = _action(window, "save_view", translate("MainWindow", "&Save View…"), "Ctrl+Shift+S",
                        "save_view")
    save_view.triggered.connect(window.save_view)
    clear_filters = _action(window, "clear_filters", translate("MainWindow", "&Clear Filters"))
    clear_filters.triggered.connect(window.filter_bar.clear)
    check_all = _action(window, "check_all", translate("MainWindow", "Check &All Loaded"),
                        "Ctrl+Shift+C")
    check_all.triggered.connect(lambda: window.table.selection_bar.check_all.toggle())
    for action in (find, save_view, clear_filters, check_all):
        edit_menu.addAction(action)
    preferences = _action(window, "preferences", translate("MainWindow", "&Preferences…"), "Ctrl+,",
                          "preferences", standard=Standard.Preferences)
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    preferences.triggered.connect(window.open_preferences)
    edit_menu.addSeparator()
    edit_menu.addAction(preferences)
    window.edit_actions = {"undo": undo_action, "redo": redo_action, "find": find, "save_view": save_view, "clear_filters": clear_filters,
                           "check_all": check_all, "preferences": preferences}

    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    view_menu.setObjectName("ViewMenu")
    for action in window.layout_actions.values():
        view_menu.addAction(action)
    view_menu.addSeparator()
    columns = QMenu(translate("MainWindow", "&Columns"), view_menu)
    columns.setObjectName("ColumnsMenu")
    columns.aboutToShow.connect(lambda: window.table.fill_column_menu(columns))
    view_menu.addMenu(columns)
    sidebar = _action(window, "toggle_sidebar", translate("MainWindow", "Show &Views Panel"),
                      "Ctrl+Shift+B")
    sidebar.setCheckable(True)
    sidebar.setChecked(True)
    sidebar.toggled.connect(window.set_sidebar_visible)
    view_menu.addAction(sidebar)
    refresh = _action(window, "refresh", translate("MainWindow", "&Refresh"), "F5", "refresh",
                      standard=Standard.Refresh)
    refresh.triggered.connect(window.refresh)
    view_menu.addAction(refresh)
    next_pane = _action(window, "next_pane", translate("MainWindow", "Next &Pane"), "F6")
    next_pane.triggered.connect(window.focus_next_pane)
    view_menu.addAction(next_pane)
    view_menu.addSeparator()
    inboxes = _action(window, "conversation_inboxes",
                      translate("MainWindow", "Conversation &Inboxes…"), "Ctrl+Shift+I", "inbox")
    inboxes.setStatusTip(
        translate("MainWindow", "Conversations outside the help desk; move one in."))
    inboxes.triggered.connect(window.open_inboxes)
    view_menu.addAction(inboxes)
    outbox = _action(window, "outbox", translate("MainWindow", "&Outbox…"))
    outbox.setStatusTip(translate("MainWindow", "Outgoing e-mail: queued, sent, failed; retry "
                                                "or cancel"))
    outbox.triggered.connect(lambda _checked=False: window.open_outbox())
    view_menu.addAction(outbox)
    window.view_actions = {"toggle_sidebar": sidebar, "refresh": refresh,
                           "next_pane": next_pane, "conversation_inboxes": inboxes,
                           "outbox": outbox}

    settings_menu = bar.addMenu(translate("MainWindow", "&Settings"))
    settings_menu.setObjectName("SettingsMenu")
    mail_inboxes = _action(window, "mail_inboxes", translate("MainWindow", "&Inboxes…"))
    mail_inboxes.setStatusTip(translate(
        "MainWindow", "Connect inboxes to mailboxes: incoming IMAP, outgoing SMTP."))
    mail_inboxes.triggered.connect(window.open_mail_inboxes)
    sender_rules = _action(window, "sender_rules", translate("MainWindow", "Sender &Rules…"))
    sender_rules.setStatusTip(translate("MainWindow", "Allow or deny senders and domains per "
                                                      "inbox"))
    sender_rules.triggered.connect(lambda _checked=False: window.open_sender_rules())
    settings_menu.addAction(mail_inboxes)
    settings_menu.addAction(sender_rules)
    window.settings_actions = {"mail_inboxes": mail_inboxes, "sender_rules": sender_rules}

    actions_menu = bar.addMenu(translate("MainWindow", "&Actions"))
    actions_menu.setObjectName("ActionsMenu")
    actions_menu.aboutToShow.connect(window.fill_actions_menu)
    window.actions_menu = actions_menu

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    shortcuts = _action(window, "shortcuts", translate("MainWindow", "&Keyboard Shortcuts"))
    shortcuts.setShortcuts([QKeySequence("?"), *QKeySequence.keyBindings(Standard.HelpContents)])
    shortcuts.triggered.connect(window.show_shortcuts)
    log_folder = _action(window, "show_log_folder", translate("MainWindow", "Show &Log Folder"))
    log_folder.setStatusTip(translate("MainWindow", "Open the folder of the log file, to send "
                                                    "it to support after a problem."))
    log_folder.triggered.connect(window.show_log_folder)
    about = _action(window, "about", translate("MainWindow", "&About Help Desk Desktop"))
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about.triggered.connect(window.about)
    for action in (shortcuts, log_folder):
        help_menu.addAction(action)
    help_menu.addSeparator()
    help_menu.addAction(about)
    window.help_actions = {"shortcuts": shortcuts, "show_log_folder": log_folder, "about": about}


def build_tool_bar(window: MainWindow) -> QToolBar:
    """Search field, then (right-aligned) the layout button; the bell is added by its module."""
    bar = QToolBar(translate("MainWindow", "Main tool bar"), window)
    bar.setObjectName("MainToolBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    search = QLineEdit(bar)
    search.setObjectName("SearchField")
    search.setPlaceholderText(translate("MainWindow", "Search tickets (Ctrl+F)"))
    search.setAccessibleName(translate("MainWindow", "Search tickets"))
    search.setClearButtonEnabled(True)
    search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
    search.setMinimumWidth(280)
    search.setMaximumWidth(480)
    bar.addWidget(search)
    spacer = QWidget(bar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    layout_button = QToolButton(bar)
    layout_button.setObjectName("LayoutButton")
    layout_button.setIcon(icon("layout_grid"))
    layout_button.setToolTip(translate("MainWindow", "Layout: table, split or board (Ctrl+1/2/3)"))
    layout_button.setAccessibleName(translate("MainWindow", "Layout"))
    layout_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    layout_menu = QMenu(layout_button)
    layout_menu.setObjectName("LayoutMenu")
    for action in window.layout_actions.values():
        layout_menu.addAction(action)
    layout_button.setMenu(layout_menu)
    layout_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    window.layout_button_action = bar.addWidget(layout_button)
    window.search_field = search
    window.layout_button = layout_button
    return bar
