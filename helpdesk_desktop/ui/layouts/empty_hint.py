"""A quiet sentence in the middle of an empty list ("No tickets in this view.")."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel


class EmptyHint(QLabel):
    """Shown over ``view``'s viewport while its model has no rows."""

    def __init__(self, view: QAbstractItemView, text: str) -> None:
        super().__init__(text, view.viewport())
        self.setObjectName("EmptyHint")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setEnabled(False)  # the palette's muted text colour, in light and dark themes
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._view = view
        model: QAbstractItemModel = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self._update)
        view.viewport().installEventFilter(self)
        self._update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.setGeometry(self._view.viewport().rect().adjusted(16, 16, -16, -16))
        return False

    def _update(self, *_args: object) -> None:
        self.setVisible(self._view.model().rowCount() == 0)
        self.setGeometry(self._view.viewport().rect().adjusted(16, 16, -16, -16))
