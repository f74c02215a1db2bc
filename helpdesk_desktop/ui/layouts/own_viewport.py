"""A list or table given a viewport made from Python, as Qt makes its own.

The first ``viewport()`` read from Python of a viewport Qt made costs ~11-13 ms and builds
~65 of PySide's enums: Shiboken looks for the returned ``QWidget``'s most derived class among
all of QtWidgets' widget classes, and builds each class it looks at (QMessageBox, QWizard,
QFileDialog… with their enums). A widget made in Python is known to it already. The first
frame's views read their viewport (event filters, the empty hint, the table's paint), so
they get theirs here, set up as ``QAbstractScrollArea`` and ``QAbstractItemView`` set up
their own (object name, background role and fill, lowest in the stacking order).
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def give_own_viewport(view: QAbstractScrollArea) -> QWidget:
    """Replace ``view``'s viewport with one made here; returns it. Called right after the
    view is made: settings Qt passes on to the viewport (``setAcceptDrops``, mouse tracking…)
    would stay with the one replaced."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    view.setViewport(viewport)  # the view takes it (and deletes Qt's own)
    viewport.lower()  # Qt's own is its first child: below the scroll bars' containers
    return viewport
