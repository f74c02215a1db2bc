"""The transcript options: remembered per computer in ``QSettings``, and shown as widgets (above
the preview's pages and in the export dialog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QVBoxLayout, QWidget

from helpdesk_desktop.transcripts import TranscriptOptions
from helpdesk_desktop.transcripts.options import PAPER_SIZES, default_paper

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")

SETTINGS_GROUP = "transcripts"


def load_options(settings: QSettings) -> TranscriptOptions:
    settings.beginGroup(SETTINGS_GROUP)
    try:
        return TranscriptOptions.from_dict({k: settings.value(k) for k in settings.childKeys()})
    finally:
        settings.endGroup()


def save_options(settings: QSettings, options: TranscriptOptions) -> None:
    settings.beginGroup(SETTINGS_GROUP)
    for key, value in options.to_dict().items():
        settings.setValue(key, value)
    settings.endGroup()


def load_paper(settings: QSettings) -> str:
    """The paper last chosen ("A4" or "Letter"), else the locale's."""
    paper = str(settings.value(f"{SETTINGS_GROUP}/paper", "") or "")
    return paper if paper in PAPER_SIZES else default_paper()


def save_paper(settings: QSettings, paper: str) -> None:
    settings.setValue(f"{SETTINGS_GROUP}/paper", paper)



def last_folder(settings: QSettings) -> str:
    folder = str(settings.value(f"{SETTINGS_GROUP}/last_folder", "") or "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())



class OptionsBox(QWidget):
    """The transcript options as widgets (above the preview's tool bar and in the export
    dialog)."""

    changed = Signal(object)  # TranscriptOptions
    paper_changed = Signal(str)

    def __init__(self, options: TranscriptOptions, conversations: int,
                 parent: QWidget | None = None, *, vertical: bool = False,
                 paper: str = "A4") -> None:
        super().__init__(parent)
        self.scope = QComboBox(self)
        all_text = translate("TranscriptPrint", "All conversations ({0})")
        self.scope.addItem(all_text.replace("{0}", str(conversations)), True)
        self.scope.addItem(translate("TranscriptPrint", "This conversation only"), False)
        self.scope.setCurrentIndex(0 if options.all_conversations else 1)
        self.scope.setEnabled(conversations > 1)
        self.scope.setToolTip(translate(
            "TranscriptPrint", "Print every conversation of a merged ticket in time order, "
                               "or only the current one"))
        self.paper = QComboBox(self)
        self.paper.setToolTip(translate("TranscriptPrint", "Paper size"))
        self.paper.addItem(translate("TranscriptPrint", "A4"), "A4")
        self.paper.addItem(translate("TranscriptPrint", "Letter"), "Letter")
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.notes = QCheckBox(translate("TranscriptPrint", "Internal notes"), self)
        self.notes.setChecked(options.include_notes)
        self.events = QCheckBox(translate("TranscriptPrint", "Activity timeline"), self)
        self.events.setChecked(options.include_events)
        self.attachments = QCheckBox(translate("TranscriptPrint", "Attachment list"), self)
        self.attachments.setChecked(options.include_attachments)
        self.mask_box = QCheckBox(
            translate("TranscriptPrint", "Hide third parties' e-mail addresses and phone numbers"),
            self)
        self.mask_box.setChecked(options.mask_contacts)
        if vertical:
            layout = QVBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            for widget in self._widgets():
                layout.addWidget(widget)
        else:  # three rows, so that the preview fits a 1024-pixel-wide screen in any language
            grid = QGridLayout(self)
            grid.setContentsMargins(6, 0, 0, 0)
            grid.setVerticalSpacing(2)
            grid.addWidget(self.scope, 0, 0)
            grid.addWidget(self.paper, 0, 1)
            for column, box in enumerate((self.notes, self.events, self.attachments)):
                grid.addWidget(box, 1, column)
            grid.addWidget(self.mask_box, 2, 0, 1, 3)
        self.scope.currentIndexChanged.connect(self._emit)
        self.paper.currentIndexChanged.connect(self._emit_paper)
        for box in (self.notes, self.events, self.attachments, self.mask_box):
            box.toggled.connect(self._emit)

    def _widgets(self) -> tuple[QWidget, ...]:
        return (self.scope, self.paper, self.notes, self.events, self.attachments, self.mask_box)

    def set_options(self, options: TranscriptOptions) -> None:
        """Shows ``options`` without announcing a change."""
        for widget in self._widgets():
            widget.blockSignals(True)
        self.scope.setCurrentIndex(0 if options.all_conversations else 1)
        self.notes.setChecked(options.include_notes)
        self.events.setChecked(options.include_events)
        self.attachments.setChecked(options.include_attachments)
        self.mask_box.setChecked(options.mask_contacts)
        for widget in self._widgets():
            widget.blockSignals(False)

    def options(self) -> TranscriptOptions:
        return TranscriptOptions(all_conversations=bool(self.scope.currentData()),
                                 include_notes=self.notes.isChecked(),
                                 mask_contacts=self.mask_box.isChecked(),
                                 include_events=self.events.isChecked(),
                                 include_attachments=self.attachments.isChecked())

    def chosen_paper(self) -> str:
        return str(self.paper.currentData())

    def _emit(self, *_: Any) -> None:
        self.changed.emit(self.options())

    def _emit_paper(self, *_: Any) -> None:
        self.paper_changed.emit(self.chosen_paper())
