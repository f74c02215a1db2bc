"""The main window: the views panel, saved views, switching users, remembered state, the status
bar, and reaching every pane from the keyboard."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from helpdesk_desktop.domain.enums import Priority, View
from helpdesk_desktop.services.dto import TicketChanges, TicketQuery
from helpdesk_desktop.ui.models.views_model import ViewRole
from helpdesk_desktop.ui.settings import Settings, qt_state_key
from tests.gui.conftest import GuiWorkspace

pytestmark = [pytest.mark.gui,
              pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise",
                                        "grabbing the keyboard")]


def test_window_opens_on_all_open_one_page_at_a_time(gui_ws: GuiWorkspace,
                                                     qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    assert window.objectName() == "MainWindow"
    assert window.query.view is View.ALL_OPEN
    # Once counted ("135 matching"), the list has every row; the first page is read, the
    # others as the view shows them or read ahead next to it, off the UI thread (so they
    # may be here already: tests/gui/test_positional_list.py reads a longer list).
    assert window.model.rowCount() == 135 and window.model.is_positional()
    assert len(window.model.ids()) >= 100
    assert not window.model.canFetchMore(QModelIndex())
    window.table.view.scrollToBottom()
    qtbot.waitUntil(lambda: len(window.model.ids()) == 135, timeout=10_000)
    assert window.model.ids() == gui_ws.desk().matching_ids(window.query)


def click_view(window, qtbot: QtBot, key: str) -> None:  # type: ignore[no-untyped-def]
    views = window.sidebar.list
    index = window.sidebar.model.index(window.sidebar.model.row_of(key))
    qtbot.mouseClick(views.viewport(), Qt.MouseButton.LeftButton,
                     pos=views.visualRect(index).center())
    # The list reads the view's first page in the background.
    qtbot.waitUntil(lambda: not window.model.is_loading(), timeout=10_000)


def test_views_panel_lists_views_with_counts(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    model = window.sidebar.model
    views = [model.index(r).data(ViewRole.VIEW) for r in range(model.rowCount())]
    # The agent lacks the delete permission: no Spam or Recently deleted.
    assert views == [View.ALL_OPEN, View.ASSIGNED_TO_ME, View.UNASSIGNED, View.FOLLOWING,
                     View.UNREAD, View.CLOSED]
    counts = {model.index(r).data(ViewRole.VIEW): model.index(r).data(ViewRole.COUNT)
              for r in range(model.rowCount())}
    assert counts[View.ASSIGNED_TO_ME] == 1  # "Printer on fire"
    click_view(window, qtbot, f"view:{View.ASSIGNED_TO_ME}")
    assert window.query.view is View.ASSIGNED_TO_ME
    assert [window.model.ticket_row(r).name for r in range(window.model.rowCount())] == [
        "Printer on fire"]
    click_view(window, qtbot, f"view:{View.CLOSED}")
    assert [window.model.ticket_row(r).name for r in range(window.model.rowCount())] == [
        "Refund for order 1042"]
    admin = gui_ws.window("admin")
    admin_views = [admin.sidebar.model.index(r).data(ViewRole.VIEW)
                   for r in range(admin.sidebar.model.rowCount())]
    assert View.SPAM in admin_views and View.RECENTLY_DELETED in admin_views


def test_choosing_a_view_repaints_the_two_entries_only(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from helpdesk_desktop.ui import sidebar_views

    window = gui_ws.window("admin")
    painted: list[int] = []
    paint = sidebar_views.CountDelegate.paint

    def counted(self: object, painter: object, option: object, index: QModelIndex) -> None:
        painted.append(index.row())
        paint(self, painter, option, index)  # type: ignore[arg-type]

    monkeypatch.setattr(sidebar_views.CountDelegate, "paint", counted)
    views = window.sidebar.list
    views.setItemDelegate(sidebar_views.CountDelegate(views))  # made with the counting paint
    model = window.sidebar.model
    first, last = 0, model.row_of(f"view:{View.CLOSED}")
    assert last == model.rowCount() - 1 > 2
    gui_ws.settle()
    # Chosen as the View menu and its shortcuts choose (a click would also give the list the
    # focus, which draws all of it again).
    for view in (View.CLOSED, View.ALL_OPEN):
        painted.clear()
        window.set_view(view)
        qtbot.waitUntil(lambda: first in painted and last in painted, timeout=5000)
        gui_ws.settle()
        assert window.query.view is view
        # The entries in between did not change: QListView alone drew them all again.
        assert set(painted) == {first, last}


def test_counts_follow_changes(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("agent")
    model = window.sidebar.model
    row = model.row_of(f"view:{View.ASSIGNED_TO_ME}")
    window.table.select_ticket(gui_ws.tickets["Please add dark mode"])
    window.registry.actions["assign_to_me"].trigger()
    qtbot.waitUntil(lambda: model.index(row).data(ViewRole.COUNT) == 2, timeout=5000)


def test_save_view_stores_filters_search_and_sort(gui_ws: GuiWorkspace, qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    window = gui_ws.window("admin")
    window.filter_bar.buttons["priorities"].check(Priority.LOW)
    qtbot.keyClicks(window.search_field, "filler")
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    monkeypatch.setattr(QInputDialog, "getText",
                        staticmethod(lambda *_a, **_k: ("Low fillers", True)))
    qtbot.mouseClick(window.sidebar.save_button, Qt.MouseButton.LeftButton)
    saved = gui_ws.desk().saved_views()
    assert [v.name for v in saved] == ["Low fillers"]
    assert saved[0].query.filters.priorities == (Priority.LOW,)
    assert saved[0].query.search == "filler"
    # Choosing it later brings the filters and search back.
    window.filter_bar.clear()
    window.search_field.clear()
    click_view(window, qtbot, f"view:{View.UNASSIGNED}")
    click_view(window, qtbot, f"saved:{saved[0].id}")
    assert window.filter_bar.filters().priorities == (Priority.LOW,)
    assert window.search_field.text() == "filler"
    assert window.model.rowCount() == 100 and window.model.has_more()


def test_switching_user_from_the_status_bar(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    switcher = window.findChild(QToolButton, "UserSwitcher")
    assert switcher.text() == "Signed in as Ada Admin"
    menu = switcher.findChild(QMenu, "UserSwitcherMenu")
    menu.aboutToShow.emit()
    sales = next(a for a in menu.actions()
                 if a.objectName() == f"user.{gui_ws.ws.users['sales']}")
    sales.trigger()
    gui_ws.settle()
    assert window.bridge.user.email == "sales@example.com"
    assert switcher.text() == "Signed in as Sam Sales"
    # Sam sees only unassigned tickets and his own; no Spam view; his layout is his own.
    names = {window.model.ticket_row(r).name for r in range(min(window.model.rowCount(), 200))}
    assert "Cannot log in" in names and "Printer on fire" not in names
    views = [window.sidebar.model.index(r).data(ViewRole.VIEW)
             for r in range(window.sidebar.model.rowCount())]
    assert View.SPAM not in views
    assert not window.sidebar.save_button.isEnabled()  # no service seat


def test_the_outsider_is_not_offered_in_the_switcher(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    menu = window.user_switcher.findChild(QMenu, "UserSwitcherMenu")
    menu.aboutToShow.emit()
    names = [a.text() for a in menu.actions()]
    assert not any("Otto Outsider" in n for n in names)
    assert len(names) == 5


def test_window_state_is_remembered_with_the_qt_version_in_the_key(gui_ws: GuiWorkspace,
                                                                   qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    window.resize(1100, 700)
    window.main_splitter.setSizes([300, 800])
    window.set_sidebar_visible(False)
    window.close()
    store = QSettings()
    keys = store.allKeys()
    assert any(k.endswith(qt_state_key("geometry")) for k in keys)
    assert any(k.endswith(qt_state_key("table_header")) for k in keys)
    again = gui_ws.window("admin")
    assert not again.sidebar.isVisible()
    assert not again.view_actions["toggle_sidebar"].isChecked()
    settings = Settings(store, "admin@example.com")
    assert settings.state("geometry") is not None


def test_status_bar_message_with_undo(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin")
    undone: list[bool] = []
    window.show_status("Something happened.", undo=lambda: undone.append(True))
    assert window.status.message.text() == "Something happened."
    assert window.status.undo_button.isVisible()
    qtbot.mouseClick(window.status.undo_button, Qt.MouseButton.LeftButton)
    assert undone == [True]
    assert not window.status.undo_button.isVisible()
    window.show_status("No undo here.")
    assert not window.status.undo_button.isVisible()


def test_the_notification_bell_is_in_the_tool_bar(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    assert window.tool_bar.findChild(QToolButton, "NotificationBell") is not None
    assert window.tool_bar.findChild(QLineEdit, "SearchField") is not None
    assert window.tool_bar.findChild(QToolButton, "LayoutButton") is not None


def test_the_tool_bar_holds_no_ticket_action_buttons_and_keeps_the_bell_visible(
        gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    """The ticket actions' shortcuts work from the search field, but the tool bar does not show
    them as buttons: at 1024x768 they pushed the layout button and the bell behind its "»"."""
    window = gui_ws.window("admin")
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.finish_start()  # the bell follows in a later event-loop turn
    qtbot.waitUntil(lambda: window.notifications is not None, timeout=5000)
    shown = {action.objectName() or action.text() for action in window.tool_bar.actions()}
    assert not shown & set(window.registry.actions), shown
    bell = window.tool_bar.findChild(QToolButton, "NotificationBell")
    assert bell is not None
    qtbot.waitUntil(bell.isVisible, timeout=5000)
    assert window.layout_button.isVisible()
    followed: list[bool] = []
    window.registry.actions["follow"].triggered.connect(lambda: followed.append(True))
    window.table.select_ticket(gui_ws.tickets["Please add dark mode"])
    window.search_field.setFocus()
    qtbot.keyClick(window.search_field, Qt.Key.Key_F,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert followed == [True]


def test_panes_and_search_are_reachable_by_keyboard(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    window = gui_ws.window("admin", layout="split")
    window.open_ticket(window.model.ticket_id(0))
    gui_ws.settle()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.search_field
    seen = []
    for _ in range(3):
        window.view_actions["next_pane"].trigger()
        focus = QApplication.focusWidget()
        seen.append(next(name for name, pane in (("views", window.sidebar.list),
                                                 ("list", window.split.view),
                                                 ("ticket", window.ticket_view))
                         if focus is pane or pane.isAncestorOf(focus)))
    assert seen == ["views", "list", "ticket"]


def test_controls_have_accessible_names(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    for widget in (window.search_field, window.layout_button, window.sidebar.list,
                   window.table.view, window.split.view, window.user_switcher,
                   *window.filter_bar.buttons.values()):
        assert widget.accessibleName(), widget.objectName()


def test_conversation_inboxes_open_from_the_view_menu(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    window.view_actions["conversation_inboxes"].trigger()
    inbox_view = window._windows[-1]
    assert inbox_view.objectName() == "InboxView" and inbox_view.isVisible()
    inbox_view.close()


def test_file_new_window_shares_the_workspace(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    window.findChild(type(window.view_actions["refresh"]), "action.new_window").trigger()
    other = window._windows[-1]
    assert other.objectName() == "MainWindow" and other is not window
    assert other.bridge is window.bridge
    # The new window reads its first page and its count off the UI thread, as the first did.
    gui_ws.qtbot.waitUntil(lambda: other.model.ids() == window.model.ids(), timeout=10_000)
    other.close()


def test_switching_to_a_user_without_the_view_falls_back_to_all_open(
        gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    window.set_view(View.SPAM)
    assert window.query.view is View.SPAM
    window.user_switcher.switch_to(gui_ws.ws.users["agent"])
    gui_ws.settle()
    assert window.query.view is View.ALL_OPEN
    current = window.sidebar.list.currentIndex()
    assert current.data(ViewRole.VIEW) == View.ALL_OPEN
    assert window.model.rowCount() > 0


def test_a_closed_window_ignores_later_changes_and_late_results(gui_ws: GuiWorkspace,
                                                                 qtbot: QtBot) -> None:
    """A second window (and an inbox window) closed and deleted: changes made afterwards on the
    shared bridge, and results of work it started, must not reach its deleted objects."""
    window = gui_ws.window("admin")
    window.findChild(type(window.view_actions["refresh"]), "action.new_window").trigger()
    other = window._windows[-1]
    inboxes = window.open_inboxes()
    other.refresh()  # background reads whose results arrive after the window is gone
    other.close()
    inboxes.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gui_ws.settle()
    window.bridge.desk.update(gui_ws.tickets["Printer on fire"], TicketChanges(priority="high"))
    gui_ws.settle()
    assert window.model.rowCount() > 0


def test_a_job_reports_to_its_owner_only_while_it_exists(gui_ws: GuiWorkspace) -> None:
    bridge = gui_ws.bridge("admin")
    reports: list[object] = []
    gone, kept = QObject(), QObject()
    bridge.run(lambda desk, _p: desk.me().name, reports.append, reports.append, owner=gone)
    shiboken6.delete(gone)
    bridge.run(lambda desk, _p: desk.me().name, reports.append, reports.append, owner=kept)
    gui_ws.settle()
    assert reports == [bridge.user.name]


def test_deleting_a_saved_view_and_one_already_gone(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    info = window.sidebar.save("Mine", window.query)
    entry = window.sidebar.model.entry(window.sidebar.model.row_of(f"saved:{info.id}"))
    gui_ws.desk().delete_saved_view(info.id)  # e.g. from another window
    window.sidebar.delete_saved(entry)
    gui_ws.settle()  # the delete runs as a background job
    boxes = [w for w in window.findChildren(QMessageBox, "ErrorMessage") if w.isVisible()]
    assert [b.text() for b in boxes] == [f"Saved view #{info.id} does not exist."]
    # The refusal reads the list again: the view deleted elsewhere leaves it at once.
    assert window.sidebar.model.row_of(f"saved:{info.id}") < 0


def test_deleting_a_saved_view_writes_off_the_ui_thread(gui_ws: GuiWorkspace,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    window = gui_ws.window("admin")
    sidebar = window.sidebar
    kept = sidebar.save("Kept", window.query)
    info = sidebar.save("Mine", window.query)  # the current view now
    assert sidebar.list.currentIndex().row() == sidebar.model.row_of(f"saved:{info.id}")
    entry = sidebar.model.entry(sidebar.model.row_of(f"saved:{info.id}"))
    desk = window.bridge.desk
    threads: list[threading.Thread] = []
    delete = desk.delete_saved_view

    def recording(view_id: int) -> None:
        threads.append(threading.current_thread())
        delete(view_id)

    monkeypatch.setattr(desk, "delete_saved_view", recording)
    sidebar.delete_saved(entry)
    gui_ws.settle()
    assert len(threads) == 1 and threads[0] is not threading.main_thread()
    assert [v.id for v in gui_ws.desk().saved_views()] == [kept.id]
    assert sidebar.model.row_of(f"saved:{info.id}") < 0
    assert sidebar.model.row_of(f"saved:{kept.id}") >= 0
    assert not [w for w in window.findChildren(QMessageBox, "ErrorMessage") if w.isVisible()]
    assert sidebar.model.entry(sidebar.list.currentIndex().row()).key == f"view:{View.ALL_OPEN}"


def test_switching_to_a_user_who_lost_access_changes_nothing(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin")
    before = window.bridge.desk
    window.user_switcher.switch_to(gui_ws.ws.users["outsider"])  # e.g. access revoked meanwhile
    boxes = [w for w in window.findChildren(QMessageBox, "ErrorMessage") if w.isVisible()]
    assert [b.text() for b in boxes] == ["Otto Outsider has no access to the help desk."]
    assert window.bridge.user.email == "admin@example.com" and window.bridge.desk is before
    assert window.model.rowCount() > 0


@pytest.mark.parametrize("layout", ["split", "board", "table"])
def test_the_window_fits_a_1024_wide_screen_with_a_ticket_open(gui_ws: GuiWorkspace,
                                                               layout: str) -> None:
    from helpdesk_desktop.ui.layouts.table import TABLE_MIN_WIDTH

    window = gui_ws.window("admin", layout=layout)
    window.open_ticket(gui_ws.tickets["Printer on fire"])
    gui_ws.settle()
    assert window.ticket_panel.isVisible()
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 740)
    gui_ws.settle()
    assert window.width() == 1024
    header = window.ticket_view.header
    assert header.fields_wrapped()  # Category and Status go under Owner and Priority
    assert header.status_combo.y() > header.owner_combo.y()
    assert window.stack.width() >= TABLE_MIN_WIDTH  # the list keeps room beside the ticket
    window.resize(1900, 1000)
    gui_ws.settle()
    assert not header.fields_wrapped()
    assert header.status_combo.y() == header.owner_combo.y()


def test_the_first_size_fits_the_screen(gui_ws: GuiWorkspace, qtbot: QtBot) -> None:
    from PySide6.QtCore import QSize

    from helpdesk_desktop.ui.main_state import first_size
    from helpdesk_desktop.ui.main_window import MainWindow

    screen = QApplication.primaryScreen()
    available = screen.availableGeometry().size()
    assert first_size(screen).width() <= available.width()
    assert first_size(screen).height() <= available.height()
    assert first_size(screen) == QSize(1280, 800).boundedTo(available)
    window = MainWindow(gui_ws.bridge("admin"))  # no saved geometry: the first start
    qtbot.addWidget(window)
    gui_ws.settle()
    assert window.width() <= available.width() and window.height() <= available.height()


def test_a_long_status_message_does_not_widen_the_window(gui_ws: GuiWorkspace) -> None:
    window = gui_ws.window("admin", layout="split")
    window.resize(1024, 740)
    gui_ws.settle()
    message = "2 failed. " + "No password is stored for the SMTP account support. " * 6
    window.show_status(message)
    gui_ws.settle()
    assert window.minimumSizeHint().width() <= 1024
    assert window.width() == 1024
    assert window.status.message.text() == message
    assert window.status.message.toolTip() == message  # elided: the whole text on hover


def test_a_newer_count_stops_the_one_it_replaces(gui_ws: GuiWorkspace,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Each search's "N matching" count is asked with a stop; a newer search's count sets the
    older one's, so a long count of an earlier word ends instead of keeping a core busy."""
    from helpdesk_desktop.application.desk import Desk

    stops: list[Callable[[], bool]] = []
    count = Desk.count_tickets

    def recorded(self: Desk, query: TicketQuery,
                 stop: Callable[[], bool] | None = None) -> int:
        assert stop is not None
        stops.append(stop)
        return count(self, query, stop)

    monkeypatch.setattr(Desk, "count_tickets", recorded)
    window = gui_ws.window()
    for word in ("filler", "fill"):
        window.search_field.setText(word)
        window._search_now()
        gui_ws.settle()
    assert len(stops) >= 2
    assert all(stop() for stop in stops[:-1]) and not stops[-1]()
    window.close()
    assert stops[-1]()  # a closed window's count is not wanted either
