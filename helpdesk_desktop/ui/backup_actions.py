"""File › Back Up Now and File › Restore…: off the UI thread, with progress and a clear
result. A restore asks first, backs up the current database, and reopens the program."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

if TYPE_CHECKING:
    from helpdesk_desktop.ui.main_window import MainWindow

#: ``app.exec()`` returns this when the program should reopen its database (after a restore).
RESTART_EXIT_CODE = 75

translate = QCoreApplication.translate


def _busy(parent: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setObjectName("BackupProgress")
    dialog.setWindowTitle(translate("Backups", "Help Desk"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.show()
    return dialog


def back_up_now(window: MainWindow) -> None:
    """Take a verified backup in the background and say where it went."""
    dialog = _busy(window, translate("Backups", "Backing up the database…"))

    def done(path: Path) -> None:
        dialog.close()
        window.show_status(translate("Backups", "Backed up to {0} (verified).")
                           .replace("{0}", str(path)))

    def failed(message: str) -> None:
        dialog.close()
        window.show_error(message)

    window.bridge.run(lambda desk, _progress: desk.back_up("manual"), done, failed,
                      owner=window)


def choose_backup(window: MainWindow) -> str:
    folder = window.bridge.desk.backup_folder()
    path, _ = QFileDialog.getOpenFileName(
        window, translate("Backups", "Restore a Backup"), str(folder) if folder else "",
        translate("Backups", "Help Desk backups (*.sqlite3);;All files (*)"))
    return path


def confirm_restore(window: MainWindow, path: str) -> QMessageBox:
    """The question asked before a restore (non-blocking; ``accepted`` restores)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, translate("Backups", "Restore a Backup"),
        translate("Backups", "Replace everything in the help desk with the backup "
                             "“{0}”?\n\nThe current content is backed up first. Help Desk "
                             "reopens afterwards; other windows on this database should be "
                             "closed.").replace("{0}", Path(path).name),
        QMessageBox.StandardButton.Cancel, window)
    box.setObjectName("RestoreQuestion")
    restore = box.addButton(translate("Backups", "Restore"), QMessageBox.ButtonRole.AcceptRole)
    restore.setObjectName("RestoreButton")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def restore_from_file(window: MainWindow, path: str) -> None:
    """Ask, then restore ``path`` in the background and reopen the program."""
    box = confirm_restore(window, path)

    def answered(_code: int) -> None:
        if box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole:
            run_restore(window, path)

    box.finished.connect(answered)
    box.open()


def run_restore(window: MainWindow, path: str) -> None:
    dialog = _busy(window, translate("Backups", "Restoring “{0}”…").replace(
        "{0}", Path(path).name))
    dialog.setMaximum(1)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def done(safety: Path) -> None:
        dialog.close()
        box = QMessageBox(
            QMessageBox.Icon.Information, translate("Backups", "Restore a Backup"),
            translate("Backups", "The backup was restored; the previous content was saved as "
                                 "{0}. Help Desk now reopens.").replace("{0}", str(safety)),
            QMessageBox.StandardButton.Ok, window)
        box.setObjectName("RestoreDone")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(_reopen)
        box.open()

    def failed(message: str) -> None:
        dialog.close()
        window.show_error(message)

    window.bridge.run(lambda desk, progress: desk.restore_backup(Path(path), progress), done,
                      failed, progressed, owner=window)


def restore(window: MainWindow) -> None:
    """File › Restore…: choose a backup, confirm, restore, reopen."""
    path = choose_backup(window)
    if path:
        restore_from_file(window, path)


def _reopen(*_args: Any) -> None:
    app = QApplication.instance()
    if app is not None:
        app.exit(RESTART_EXIT_CODE)
